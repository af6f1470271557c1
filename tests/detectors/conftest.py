from __future__ import annotations

import pytest
from glemsel.detectors import Detector, get_detector


@pytest.fixture(scope="session")
def detector() -> Detector:
    return get_detector()


@pytest.fixture(scope="session")
def found(detector: Detector):
    """found(text) -> [(type, matched text)]: what a reader would check."""

    def run(text: str) -> list[tuple[str, str]]:
        return [(e.type, text[e.start : e.end]) for e in detector.analyze(text)]

    return run
