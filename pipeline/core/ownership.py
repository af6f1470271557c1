"""Whose record it is, and which words of a record name the subject (pure functions).

design.md "Whose record it is": per system, ``owner_fields`` (default: the identity fields of
identity record types; ``from``, ``to``, ``cc`` for mail; every field elsewhere). A record
whose subject finding sits in an owner field is the subject's own; otherwise the subject is
only mentioned in it, and ``on_mention`` applies instead of ``on_erasure``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from glemsel.pipeline.core.config import SystemConfig
from glemsel.pipeline.core.findings import Finding

MAIL_OWNER_FIELDS = ["from", "to", "cc"]
MAIL_SINKS = {"maildir", "imap"}

_WORD = re.compile(r"[^\W\d_]+(?:-[^\W\d_]+)*")
MIN_PART = 2  # a one-letter initial is not a name part worth redacting on its own


def owner_fields(system: SystemConfig, record_type: str) -> list[str] | None:
    """The owner fields of one record type; None means every field is an owner field."""
    configured = system.owner_fields
    if isinstance(configured, dict):
        if record_type in configured:
            return configured[record_type]
    elif configured is not None:
        return configured
    if record_type in system.identity:
        return system.identity[record_type]
    if system.sink.kind in MAIL_SINKS:
        return MAIL_OWNER_FIELDS
    return None


def in_fields(path: str, fields: Iterable[str]) -> bool:
    return any(path == f or path.startswith(f + ".") for f in fields)


def owns(
    system: SystemConfig, record_type: str, findings: Iterable[Finding], target: set[str]
) -> bool:
    """Is the subject (any hash of ``target``) found in an owner field of this record?"""
    fields = owner_fields(system, record_type)
    mine = [f for f in findings if f.hash in target]
    if fields is None:
        return bool(mine)
    return any(in_fields(f.field, fields) for f in mine)


def name_parts(names: Iterable[str]) -> set[str]:
    """'Kari Anne Nordmann-Lie' -> {kari, anne, nordmann-lie, nordmann, lie} (casefolded)."""
    parts: set[str] = set()
    for name in names:
        for word in _WORD.findall(name):
            for piece in {word, *word.split("-")}:
                if len(piece) >= MIN_PART:
                    parts.add(piece.casefold())
    return parts


def name_part_spans(
    text: str, parts: set[str], person_spans: Iterable[tuple[int, int]] = ()
) -> list[tuple[int, int]]:
    """Spans of ``text`` that are a part of the subject's names: a first name alone, a
    surname alone. A word counts when it is capitalised, or when the detector took it for a
    name (lowercase chat names), so that common words such as 'berg' or 'lie' stay."""
    if not parts:
        return []
    people = list(person_spans)
    spans = []
    for m in _WORD.finditer(text):
        word = m.group()
        if word.casefold() not in parts:
            continue
        start, end = m.span()
        if word[0].isupper() or any(s < end and start < e for s, e in people):
            spans.append((start, end))
    return spans
