"""Norwegian personal-data detection: Presidio recognizers, offline, one per module."""

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


@lru_cache(maxsize=1)
def get_detector() -> Detector:
    """The process-wide detector (building the engine takes a while)."""
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
