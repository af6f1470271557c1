"""Bounded work per event in the scan step (issue 9, item 5): windows for long texts, a
field size limit, a time budget, and a known-name pass that stays linear on adversarial
input (repeated names, one long capitalised run, no whitespace, digit and hex runs)."""

from __future__ import annotations

import re
import time

import pytest
from glemsel.detectors import Entity
from glemsel.pipeline.core.identifiers import Hasher
from glemsel.pipeline.flow import scan
from glemsel.pipeline.flow.scan import Budget, OverLimit, Scanner

HASH = Hasher(b"k" * 32)


class FakeDetector:
    """Finds every ``pattern`` match (a stand-in for the real detector: fast and exact)."""

    def __init__(self, pattern: str = r"\d{11}", etype: str = "NO_FODSELSNUMMER") -> None:
        self.pattern = re.compile(pattern)
        self.etype = etype
        self.calls: list[int] = []

    def analyze(self, text: str, field: str | None = None) -> list[Entity]:
        self.calls.append(len(text))
        return [Entity(self.etype, m.start(), m.end(), 0.9) for m in self.pattern.finditer(text)]


def _scanner(detector=None, names: tuple[str, ...] = ("Per Olsen",)) -> Scanner:
    s = Scanner(detector or FakeDetector(), HASH)
    s.known_names = {HASH("PERSON", n) for n in names}
    return s


def _known_name_seconds(text: str) -> float:
    scanner = _scanner()
    begin = time.perf_counter()
    scanner.scan("chat", "message", "1", {"text": text})
    return time.perf_counter() - begin


@pytest.mark.parametrize(
    "unit",
    [
        "Per Olsen ",  # one endless run of a known name
        "Per Olsen 01019012345 ",  # names between detector hits
        "Aa Bb Cc Dd ",  # a capitalised run of words nobody knows
        "PerOlsenKariNordmann",  # no whitespace at all
        "0123456789abcdef",  # hex
        "12345678901234567890",  # digits
    ],
)
def test_known_name_pass_is_linear(unit: str) -> None:
    small = unit * (25_000 // len(unit))
    large = unit * (200_000 // len(unit))
    # Best of three: the machine is shared, and a ratio of best times is steady.
    ratio = min(_known_name_seconds(large) for _ in range(3)) / max(
        min(_known_name_seconds(small) for _ in range(3)), 1e-4
    )
    # 8x the text: linear is ~8x; the old pass was quadratic here (64x and more).
    assert ratio < 20, f"{unit!r}: {ratio:.1f}x time for 8x text"


def test_known_names_found_in_a_long_run_once_each() -> None:
    text = "Hei " + "Per Olsen " * 1000 + "Kari"
    found = _scanner().scan("chat", "message", "1", {"text": text})
    names = [f for f in found if f.entity_type == "PERSON"]
    assert len(names) == 1000
    assert all(text[f.start : f.end] == "Per Olsen" for f in names)


def test_long_text_is_detected_window_by_window_without_loss_or_doubles() -> None:
    detector = FakeDetector()
    fnr = "01019012345"
    # Identifiers on both sides of every window border, and right across it.
    border = scan.WINDOW
    text = list("x" * (3 * border + 10))
    positions = [5, border - 5, border - 11, 2 * border - 3, 3 * border - 1]
    for p in positions:
        text[p : p + len(fnr)] = fnr
    text = "".join(text)
    found = _scanner(detector).scan("chat", "message", "1", {"text": text})
    assert sorted(f.start for f in found) == sorted(m.start() for m in re.finditer(fnr, text))
    assert max(detector.calls) <= scan.WINDOW + 2 * scan.WINDOW_CONTEXT


def test_field_over_the_limit_is_refused_by_name() -> None:
    with pytest.raises(OverLimit, match=r"limits.max_field_bytes=2048") as exc:
        _scanner().scan("chat", "m", "1", {"text": "01019012345 " * 200}, max_field_bytes=2048)
    assert "01019012345" not in str(exc.value)
    assert _scanner().scan("chat", "m", "1", {"text": "kort"}, max_field_bytes=2048) == []


def test_time_budget_is_checked_between_windows() -> None:
    now = [0.0]
    detector = FakeDetector()
    original = detector.analyze

    def slow(text: str) -> list[Entity]:
        now[0] += 10.0  # each window "takes" ten seconds
        return original(text)

    detector.analyze = slow  # type: ignore[method-assign]
    budget = Budget(25.0, clock=lambda: now[0])
    with pytest.raises(OverLimit, match="limits.event_seconds=25"):
        _scanner(detector).scan("chat", "m", "1", {"text": "x" * (10 * scan.WINDOW)}, budget=budget)
    assert len(detector.calls) == 3  # stopped at the budget, not after all ten windows
