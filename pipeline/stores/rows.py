"""Typed rows of the state store: what its repositories (stores/state.py) return.

Frozen dataclasses, one per table, with the stored JSON decoded, times as aware datetimes
and statuses as the enums of core/statuses.py, so callers read attributes instead of
looking up string keys (a typo is a type error, not a KeyError at run time).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from glemsel.pipeline.core.events import ErasureOutcome
from glemsel.pipeline.core.statuses import LocationAction, RequestKind, RequestStatus


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
            "until": _iso(self.until),
            "placed_by": self.placed_by,
            "placed_at": _iso(self.placed_at),
            "ended_at": _iso(self.ended_at),
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


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value is not None else None
