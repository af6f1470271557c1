"""Norwegian personal-data detection: Presidio recognizers, offline, one per module.

For a Presidio user: ``from glemsel.detectors import norwegian_recognizers`` gives the
recognizers to add to an ``AnalyzerEngine``'s registry (or one of them by class,
``from glemsel.detectors import NoFodselsnummerRecognizer``: modules ``no_*_recognizer.py``
on the bases in ``no_pattern_recognizer.py``); ``Detector`` is the whole engine.
Names load Presidio on first use only, so that importing this package stays cheap for
commands that never detect anything.
"""

from __future__ import annotations

from functools import lru_cache
from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .engine import (
        ENTITY_TYPES,
        Detector,
        Entity,
        build_analyzer,
        norwegian_recognizers,
        norwegian_registry,
    )
    from .no_address_recognizer import NoAddressRecognizer
    from .no_bank_account_recognizer import NoBankAccountRecognizer
    from .no_credit_card_recognizer import NoCreditCardRecognizer
    from .no_email_recognizer import NoEmailRecognizer
    from .no_fodselsnummer_recognizer import NoFodselsnummerRecognizer
    from .no_iban_recognizer import NoIbanRecognizer
    from .no_ip_address_recognizer import NoIpAddressRecognizer
    from .no_license_plate_recognizer import NoLicensePlateRecognizer
    from .no_org_number_recognizer import NoOrgNumberRecognizer
    from .no_pattern_recognizer import NoEntityRecognizer, NoPatternRecognizer
    from .no_person_recognizer import NoPersonRecognizer
    from .no_phone_recognizer import NoPhoneRecognizer

# Public name -> the module that defines it (loaded on first use).
_LAZY = {
    "ENTITY_TYPES": ".engine",
    "Detector": ".engine",
    "Entity": ".engine",
    "build_analyzer": ".engine",
    "norwegian_recognizers": ".engine",
    "norwegian_registry": ".engine",
    "NoAddressRecognizer": ".no_address_recognizer",
    "NoBankAccountRecognizer": ".no_bank_account_recognizer",
    "NoCreditCardRecognizer": ".no_credit_card_recognizer",
    "NoEmailRecognizer": ".no_email_recognizer",
    "NoFodselsnummerRecognizer": ".no_fodselsnummer_recognizer",
    "NoIbanRecognizer": ".no_iban_recognizer",
    "NoIpAddressRecognizer": ".no_ip_address_recognizer",
    "NoLicensePlateRecognizer": ".no_license_plate_recognizer",
    "NoOrgNumberRecognizer": ".no_org_number_recognizer",
    "NoEntityRecognizer": ".no_pattern_recognizer",
    "NoPatternRecognizer": ".no_pattern_recognizer",
    "NoPersonRecognizer": ".no_person_recognizer",
    "NoPhoneRecognizer": ".no_phone_recognizer",
}


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        value = getattr(import_module(_LAZY[name], __name__), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


@lru_cache(maxsize=1)
def get_detector() -> Detector:
    """The process-wide detector (building the engine takes a while)."""
    from .engine import Detector

    return Detector()


__all__ = [
    "ENTITY_TYPES",
    "Detector",
    "Entity",
    "build_analyzer",
    "norwegian_recognizers",
    "norwegian_registry",
    "NoAddressRecognizer",
    "NoBankAccountRecognizer",
    "NoCreditCardRecognizer",
    "NoEmailRecognizer",
    "NoFodselsnummerRecognizer",
    "NoIbanRecognizer",
    "NoIpAddressRecognizer",
    "NoLicensePlateRecognizer",
    "NoOrgNumberRecognizer",
    "NoEntityRecognizer",
    "NoPatternRecognizer",
    "NoPersonRecognizer",
    "NoPhoneRecognizer",
    "get_detector",
]
