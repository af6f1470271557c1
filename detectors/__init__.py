"""Norwegian personal-data detection: Presidio recognizers, offline, one per module.

    from glemsel.detectors import NoFodselsnummerRecognizer, norwegian_registry

gives any Presidio AnalyzerEngine the Norwegian recognizers (``no_*_recognizer.py``, on
the bases in ``no_pattern_recognizer.py``); ``Detector`` is Glemsel's own engine on them.
"""

from __future__ import annotations

from functools import lru_cache

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


@lru_cache(maxsize=1)
def get_detector() -> Detector:
    """The process-wide detector (building the engine takes a while)."""
    return Detector()


__all__ = [
    "NoAddressRecognizer",
    "NoBankAccountRecognizer",
    "NoCreditCardRecognizer",
    "NoEmailRecognizer",
    "NoFodselsnummerRecognizer",
    "NoIbanRecognizer",
    "NoIpAddressRecognizer",
    "NoLicensePlateRecognizer",
    "NoOrgNumberRecognizer",
    "NoPersonRecognizer",
    "NoPhoneRecognizer",
    "NoEntityRecognizer",
    "NoPatternRecognizer",
    "ENTITY_TYPES",
    "Detector",
    "Entity",
    "build_analyzer",
    "get_detector",
    "norwegian_recognizers",
    "norwegian_registry",
]
