"""The scanner remembers what the detector found in a short text at a field; the known names
are still asked every time (they change), and longer texts are not remembered."""

from __future__ import annotations

from glemsel.detectors import Entity
from glemsel.pipeline.core.identifiers import Hasher
from glemsel.pipeline.flow import scan
from glemsel.pipeline.flow.scan import Scanner

HASH = Hasher(b"k" * 32)


class CountingDetector:
    """Finds "Innkjøper" as a PERSON (a stand-in) and counts its calls."""

    def __init__(self) -> None:
        self.calls: list[tuple[str, str | None]] = []

    def analyze(self, text: str, field: str | None = None) -> list[Entity]:
        self.calls.append((text, field))
        at = text.find("Innkjøper")
        return [Entity("PERSON", at, at + 9, 0.9)] if at >= 0 else []


def test_a_repeated_text_at_a_field_is_detected_once() -> None:
    detector = CountingDetector()
    scanner = Scanner(detector, HASH)  # type: ignore[arg-type]
    first = scanner.scan("crm", "contact", "1", {"title": "Innkjøper", "note": "Innkjøper"})
    second = scanner.scan("crm", "contact", "2", {"title": "Innkjøper", "note": "Innkjøper"})
    assert detector.calls == [("Innkjøper", "title"), ("Innkjøper", "note")]
    assert [(f.field, f.hash) for f in first] == [(f.field, f.hash) for f in second]
    assert len(first) == 2


def test_known_names_are_asked_on_every_scan() -> None:
    scanner = Scanner(CountingDetector(), HASH)  # type: ignore[arg-type]
    record = {"note": "Ring Per Olsen"}
    assert scanner.scan("crm", "contact", "1", record) == []
    scanner.known_names.add([HASH("PERSON", "Per Olsen")])
    [found] = scanner.scan("crm", "contact", "1", record)
    assert (found.entity_type, found.start, found.end) == ("PERSON", 5, 14)


def test_long_texts_and_another_detector_are_not_served_from_the_memo() -> None:
    detector = CountingDetector()
    scanner = Scanner(detector, HASH)  # type: ignore[arg-type]
    long = "x" * (scan.MEMO_CHARS + 1)
    for _ in range(2):
        scanner.scan("crm", "contact", "1", {"note": long, "title": "Innkjøper"})
    assert detector.calls.count((long, "note")) == 2
    assert detector.calls.count(("Innkjøper", "title")) == 1
    other = CountingDetector()
    scanner._detector = other  # type: ignore[assignment]
    scanner.scan("crm", "contact", "1", {"title": "Innkjøper"})
    assert other.calls == [("Innkjøper", "title")]


def test_the_memo_keeps_no_copy_of_a_text() -> None:
    """A name erased today must not stay in a long-running worker's memory: the memo is
    keyed by a keyed hash of the text and field, and holds offsets and hashes only."""
    scanner = Scanner(CountingDetector(), HASH)  # type: ignore[arg-type]
    scanner.scan("crm", "contact", "1", {"title": "Innkjøper Kari Nordmann"})
    memo = {**scanner._memo, **scanner._memo_old}
    assert memo
    held = repr(memo)
    assert "Innkjøper" not in held and "Kari" not in held
