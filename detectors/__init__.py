"""Norwegian personal-data detection: Presidio recognizers, offline, one per module.

For a Presidio user: ``from glemsel.detectors import norwegian_recognizers`` gives the
recognizers to add to an ``AnalyzerEngine``'s registry; ``Detector`` is the whole engine.
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

_FROM_ENGINE = {
    "ENTITY_TYPES",
    "Detector",
    "Entity",
    "build_analyzer",
    "norwegian_recognizers",
    "norwegian_registry",
}


def __getattr__(name: str) -> Any:
    if name in _FROM_ENGINE:
        value = getattr(import_module(".engine", __name__), name)
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
    "get_detector",
    "norwegian_recognizers",
    "norwegian_registry",
]
