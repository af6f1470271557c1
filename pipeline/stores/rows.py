"""Typed rows of the state store: what its repositories (stores/state.py) return.

Frozen dataclasses, one per table, with the stored JSON decoded, times as aware datetimes
and statuses as the enums of core/statuses.py, so callers read attributes instead of
looking up string keys (a typo is a type error, not a KeyError at run time).

The decoders at the end turn a stored row into its typed row. They take any row whose
columns are attributes (SQLAlchemy's, or the standard library's sqlite3 through
``stores/sqlite_reads.py``), so the repositories and the light read path of read-only
commands decode the same way, and list and look up rows the same way (``arrival``,
``key_chunks``).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any

from glemsel.pipeline.core.clock import iso_or_none
from glemsel.pipeline.core.holds import Hold
from glemsel.pipeline.core.statuses import (
    LocationAction,
    RequestKind,
    RequestStatus,
    kind_of,
    status_of,
)

if TYPE_CHECKING:
    from glemsel.pipeline.core.events import ErasureOutcome


@dataclass(frozen=True)
class RequestRow:
    request_id: str
    kind: RequestKind | str  # a kind added later keeps its string
    status: RequestStatus | str
    received_at: datetime
    deadline: datetime
    extended: bool
    extension_reason: str | None
    systems: list[str] | None  # None: every system
    requested_by: str
    subject_hashes: set[str]
    counts: dict[str, int]
    detail: dict[str, Any] = field(default_factory=dict)  # kind-specific, keyed hashes only


@dataclass(frozen=True)
class ClaimRow:
    """Who a request id belongs to."""

    request_id: str
    requested_by: str
    subject_hashes: str  # the JSON list as stored, compared as such


@dataclass(frozen=True)
class OutcomeRow:
    """One location of one request: ``started`` until its effect is decided."""

    request_id: str
    system: str
    record_id: str
    record_type: str
    action: LocationAction
    reason: str
    verified: bool
    ts: datetime
    retained_until: datetime | None = None
    attempts: int = 0  # how often the kind's effect ran here (a hold check is no attempt)
    next_attempt_at: datetime | None = None  # failed: when it is tried again

    @property
    def key(self) -> tuple[str, str]:
        return (self.system, self.record_id)

    def event(self) -> ErasureOutcome:
        """As the outcome event the bus and the interfaces carry."""
        # Imported here: the pydantic models are loaded by what needs an event, not by every
        # reader of a row (`glemsel requests` shows counts only).
        from glemsel.pipeline.core.events import ErasureOutcome

        return ErasureOutcome(
            request_id=self.request_id,
            system=self.system,
            record_id=self.record_id,
            action=self.action,
            reason=self.reason,
            verified=self.verified,
            ts=self.ts,
            retained_until=self.retained_until,
            record_type=self.record_type,
        )


@dataclass(frozen=True)
class HoldScope:
    subject: bool  # the subject is never shown, only that the hold has one
    systems: list[str] | None
    records: list[list[str]] | None  # [system, record id] pairs


@dataclass(frozen=True)
class HoldRow:
    """A hold as listed (active and ended); the check itself uses core.holds.Hold."""

    hold_id: str
    active: bool
    scope: HoldScope
    reason: str | None
    until: datetime | None
    placed_by: str | None
    placed_at: datetime
    ended_at: datetime | None
    end_reason: str | None

    def view(self) -> dict[str, Any]:
        """The JSON shape of `glemsel hold list --json` and ``GET /v1/holds``."""
        return {
            "hold_id": self.hold_id,
            "active": self.active,
            "scope": {
                "subject": self.scope.subject,
                "systems": self.scope.systems,
                "records": self.scope.records,
            },
            "reason": self.reason,
            "until": iso_or_none(self.until),
            "placed_by": self.placed_by,
            "placed_at": iso_or_none(self.placed_at),
            "ended_at": iso_or_none(self.ended_at),
            "end_reason": self.end_reason,
        }


@dataclass(frozen=True)
class TombstoneRow:
    """A record erased by deletion: it must not come back."""

    system: str
    record_id: str
    request_id: str | None  # None: a sweep (retention), not a request
    ts: datetime


@dataclass(frozen=True)
class ScheduledRow:
    """A retained location, erased when its legal basis ends."""

    system: str
    record_id: str
    request_id: str
    due: datetime
    basis: str
    done: bool


@dataclass(frozen=True)
class Checkpoint:
    """Where a backfill of one system stopped."""

    system: str
    last_id: str | None
    published: int


# --- decoders: a stored row (columns as attributes) into its typed row --------------------------


def at(value: str) -> datetime:
    return datetime.fromisoformat(value)


def at_or_none(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value) if value else None


def arrival(r: Any) -> tuple[str, str]:
    """A stored request's place in every listing: by received_at, the id breaking a tie."""
    return (r.received_at, r.request_id)


# A look-up by many keys is split into statements of at most this many: under SQLite's
# bound-parameter limit.
KEYS_PER_STATEMENT = 5_000


def key_chunks(keys: Iterable[str]) -> Iterator[list[str]]:
    """``keys`` sorted, in lists of at most KEYS_PER_STATEMENT (one statement each)."""
    ordered = sorted(keys)
    for i in range(0, len(ordered), KEYS_PER_STATEMENT):
        yield ordered[i : i + KEYS_PER_STATEMENT]


def request_row(r: Any) -> RequestRow:
    return RequestRow(
        request_id=r.request_id,
        kind=kind_of(r.kind),
        status=status_of(r.status),
        received_at=at(r.received_at),
        deadline=at(r.deadline),
        extended=bool(r.extended),
        extension_reason=r.extension_reason,
        systems=json.loads(r.systems) if r.systems else None,
        requested_by=r.requested_by or "",
        subject_hashes=set(json.loads(r.subject_hashes)),
        counts=json.loads(r.counts),
        detail=json.loads(r.detail) if r.detail else {},
    )


def outcome_row(r: Any) -> OutcomeRow:
    return OutcomeRow(
        request_id=r.request_id,
        system=r.system,
        record_id=r.record_id,
        record_type=r.record_type or "",
        action=LocationAction(r.action),
        reason=r.reason or "",
        verified=bool(r.verified),
        ts=at(r.ts),
        retained_until=at_or_none(r.retained_until),
        attempts=r.attempts or 0,
        next_attempt_at=at_or_none(r.next_attempt_at),
    )


def hold_row(r: Any) -> HoldRow:
    return HoldRow(
        hold_id=r.hold_id,
        active=bool(r.active),
        scope=HoldScope(
            subject=bool(r.subject_hashes),
            systems=json.loads(r.systems) if r.systems else None,
            records=json.loads(r.records) if r.records else None,
        ),
        reason=r.reason,
        until=at_or_none(r.until),
        placed_by=r.placed_by,
        placed_at=at(r.placed_at),
        ended_at=at_or_none(r.ended_at),
        end_reason=r.end_reason,
    )


def active_hold(r: Any) -> Hold:
    """A stored hold as the hold check takes it."""
    return Hold(
        hold_id=r.hold_id,
        subject_hashes=set(json.loads(r.subject_hashes)) if r.subject_hashes else None,
        systems=set(json.loads(r.systems)) if r.systems else None,
        records={(s, i) for s, i in json.loads(r.records)} if r.records else None,
        reason=r.reason or "",
        until=at_or_none(r.until),
        placed_by=r.placed_by or "",
    )
