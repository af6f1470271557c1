"""What the tests of detection classes read: the texts of one type's spans, as found by
the process-wide detector (built once for all of them)."""

from __future__ import annotations

from glemsel.detectors import get_detector


def spans(text: str, entity_type: str, field: str | None = None) -> list[str]:
    found = get_detector().analyze(text, field=field)
    return [text[e.start : e.end] for e in found if e.type == entity_type]


def persons(text: str, field: str | None = None) -> list[str]:
    return spans(text, "PERSON", field)


def addresses(text: str) -> list[str]:
    return spans(text, "NO_ADDRESS")
