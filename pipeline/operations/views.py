"""Requests as every interface shows them: the read side of the operations layer.

Written against stores/reads.py's StateReads, so `glemsel status` and `requests` run on the
light SQLite path as well as on the full stores, and import nothing that submitting needs.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from glemsel.pipeline.core.clock import days_left, iso_or_none, utcnow
from glemsel.pipeline.core.statuses import LocationAction, RequestStatus, status_of
from glemsel.pipeline.operations.errors import NotFound
from glemsel.pipeline.stores.reads import StateReads
from glemsel.pipeline.stores.rows import OutcomeRow, RequestRow


@dataclass(frozen=True)
class RequestView:
    """One request as every interface shows it."""

    request_id: str
    kind: str
    status: RequestStatus | str  # a kind added later may have states of its own
    received_at: datetime
    deadline: datetime
    extended: bool
    requested_by: str
    counts: dict[str, int]
    outcomes: list[OutcomeRow] | None = field(default=None)
    retry: Retry | None = None  # while a location is failed: when it is tried again

    @property
    def days_left(self) -> int:
        return days_left(self.deadline)

    @property
    def overdue(self) -> bool:
        open_ = self.status.open if isinstance(self.status, RequestStatus) else True
        return open_ and self.deadline < utcnow()

    def as_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "request_id": self.request_id,
            "kind": self.kind,
            "status": self.status,
            "received_at": self.received_at,
            "deadline": self.deadline,
            "days_left": self.days_left,
            "overdue": self.overdue,
            "extended": self.extended,
            "requested_by": self.requested_by,
            "counts": self.counts,
        }
        data["retry"] = self.retry.as_dict() if self.retry else None
        if self.outcomes is not None:
            data["outcomes"] = [_outcome_dict(o) for o in self.outcomes]
        return data


@dataclass(frozen=True)
class Retry:
    """A request's failed locations: how many, the most attempts any of them had, and the
    soonest next attempt (None: at the next sweep)."""

    failed: int
    attempts: int
    next_attempt_at: datetime | None

    @classmethod
    def of(cls, failed: list[OutcomeRow]) -> Retry | None:
        if not failed:
            return None
        times = [o.next_attempt_at for o in failed]
        return cls(
            failed=len(failed),
            attempts=max(o.attempts for o in failed),
            next_attempt_at=None if None in times else min(t for t in times if t is not None),
        )

    def as_dict(self) -> dict[str, Any]:
        return {
            "failed": self.failed,
            "attempts": self.attempts,
            "next_attempt_at": iso_or_none(self.next_attempt_at),
        }


def _outcome_dict(o: OutcomeRow) -> dict[str, Any]:
    """An outcome as the outcome event carries it, plus its retry state (not on the wire)."""
    data = o.event().model_dump(by_alias=True, mode="json")
    data["attempts"] = o.attempts
    data["next_attempt_at"] = iso_or_none(o.next_attempt_at) if o.action == "failed" else None
    return data


def _view(
    row: RequestRow, outcomes: list[OutcomeRow] | None = None, failed: Sequence[OutcomeRow] = ()
) -> RequestView:
    return RequestView(
        request_id=row.request_id,
        kind=row.kind,
        status=status_of(row.status),
        received_at=row.received_at,
        deadline=row.deadline,
        extended=row.extended,
        requested_by=row.requested_by,
        counts=row.counts,
        outcomes=outcomes,
        retry=Retry.of(list(failed)),
    )


def request_view(state: StateReads, request_id: str, reader: str | None = None) -> RequestView:
    """``reader`` limits the view to that requester's own requests (a DSR tool's token)."""
    row = state.requests.get(request_id)
    if row is None or (reader is not None and row.requested_by != reader):
        raise NotFound(f"no request {request_id!r}")
    outcomes = state.outcomes.of_request(request_id)
    return _view(row, outcomes, [o for o in outcomes if o.action == LocationAction.FAILED])


def request_views(state: StateReads, requested_by: str | None = None) -> list[RequestView]:
    failed: dict[str, list[OutcomeRow]] = {}
    for o in state.outcomes.with_action(LocationAction.FAILED):  # one query for every request
        failed.setdefault(o.request_id, []).append(o)
    return [
        _view(r, failed=failed.get(r.request_id, []))
        for r in state.requests.all()
        if requested_by is None or r.requested_by == requested_by
    ]
