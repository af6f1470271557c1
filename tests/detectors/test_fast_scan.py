"""The fast path's shortcuts are exact: each skips only work that cannot find anything."""

from __future__ import annotations

import pytest
from glemsel.detectors import norwegian_recognizers
from glemsel.detectors.no_pattern_recognizer import NoPatternRecognizer

from bench.adversarial import UNITS, adversarial
from bench.corpus import generate, long_mail

TEXTS = (
    [d.text for d in generate(400, seed=41)]
    + [long_mail(8_000, seed=5)]
    + [adversarial(name, 3_000) for name in UNITS]
    + ["+47 912 34 567, (+47) 91234567, 0047 22334455, +46 70 123 45 67", "a@b.no x@y.z"]
)
PATTERN_RECOGNIZERS = [r for r in norwegian_recognizers() if isinstance(r, NoPatternRecognizer)]


@pytest.mark.parametrize("recognizer", PATTERN_RECOGNIZERS, ids=lambda r: r.name)
def test_scans_from_the_start_find_every_match(recognizer: NoPatternRecognizer) -> None:
    checked = 0
    for pattern, compiled, _needs, core in recognizer._compiled:
        for text in TEXTS:
            everywhere = [m.span() for m in compiled.finditer(text)]
            start = recognizer.scan_start(text, pattern.name, core)
            scanned = [m.span() for m in compiled.finditer(text, start)] if start >= 0 else []
            assert scanned == everywhere, (pattern.name, text[:80])
            if core is not None:
                # the core matches wherever a match starts
                assert all(core.match(text, s) for s, _ in everywhere), pattern.name
            checked += len(everywhere)
    assert checked > 0


def test_cores_hold_only_for_the_own_patterns() -> None:
    phone = next(r for r in PATTERN_RECOGNIZERS if r.name == "NoPhoneRecognizer")
    assert any(core is not None for *_, core in phone._compiled)
    custom = type(phone)(patterns=phone.patterns)
    assert all(core is None for *_, core in custom._compiled)
