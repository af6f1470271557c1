"""Does a legal hold cover a location? Checked at execution time, for every location."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True)
class Hold:
    hold_id: str
    subject_hashes: set[str] | None
    systems: set[str] | None
    records: set[tuple[str, str]] | None
    reason: str
    until: datetime | None
    placed_by: str


def covering_hold(
    holds: list[Hold],
    system: str,
    record_id: str,
    record_hashes: Callable[[], set[str]],
    expand: Callable[[set[str]], set[str]],
) -> Hold | None:
    """The first active hold whose every given scope (subject, systems, records) matches.

    Scopes combine with AND: a hold on a subject within `systems: [support]` keeps that
    person's support cases only. A subject scope is expanded through identity records at
    check time, so identifiers learnt after the hold was placed are covered too.
    """
    hashes: set[str] | None = None
    for hold in holds:
        if hold.systems is not None and system not in hold.systems:
            continue
        if hold.records is not None and (system, record_id) not in hold.records:
            continue
        if hold.subject_hashes is not None:
            hashes = record_hashes() if hashes is None else hashes
            if not hashes & expand(hold.subject_hashes):
                continue
        return hold
    return None
