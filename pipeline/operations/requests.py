"""The operations every interface performs: submit a request, place or release a hold, extend a
deadline, read requests, replay dead letters.

The CLI, the HTTP API, the compliance page and the Python client all call these functions, so
a rule (a request id taken by another client, a hold on an unknown system, who extended a
deadline) is decided once. Failures are :class:`OperationError` subclasses whose message is
safe to show (it never quotes personal data); each interface maps them to its own form
(exit code, HTTP status, a message on the page).
"""

from __future__ import annotations

import base64
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any, Protocol, TypedDict, cast

from dateutil.relativedelta import relativedelta
from glemsel.pipeline.core.config import Config
from glemsel.pipeline.core.events import (
    REQUEST_MODELS,
    REQUEST_TOPICS,
    TOPIC_ACCESS_REQUESTS,
    TOPIC_CHANGES,
    TOPIC_ERASURE_REQUESTS,
    TOPIC_LEGAL_HOLDS,
    TOPIC_RECTIFICATION_REQUESTS,
    AccessRequest,
    Correction,
    DeadLetter,
    ErasureRequest,
    LegalHold,
    RecordRef,
    RectificationRequest,
    SubjectIdentifiers,
    SubjectRequest,
    days_left,
    utcnow,
)
from glemsel.pipeline.core.identifiers import ENTITY_TYPES as CORRECTABLE_TYPES
from glemsel.pipeline.core.identifiers import Hasher
from glemsel.pipeline.core.statuses import LocationAction, RequestStatus, status_of
from glemsel.pipeline.flow.holds import record_hold
from glemsel.pipeline.stores.audit import AuditLog
from glemsel.pipeline.stores.index import SubjectIndex
from glemsel.pipeline.stores.rows import OutcomeRow, RequestRow
from glemsel.pipeline.stores.state import StateStore

if TYPE_CHECKING:
    from glemsel.pipeline.runtime.deployment import Deployment
    from typing_extensions import Unpack  # typing.Unpack from Python 3.12

TOPIC_BY_KIND: dict[str, str] = {
    "change": TOPIC_CHANGES,
    "erasure": TOPIC_ERASURE_REQUESTS,
    "access": TOPIC_ACCESS_REQUESTS,
    "rectification": TOPIC_RECTIFICATION_REQUESTS,
    "hold": TOPIC_LEGAL_HOLDS,
}


class OperationError(Exception):
    """A refused operation; the message names the problem, never a personal value."""


class Invalid(OperationError):
    pass


class NotFound(OperationError):
    pass


class Conflict(OperationError):
    pass


class Bus(Protocol):
    def publish(self, topic: str, value: bytes | None, key: str | None = None) -> None: ...


@dataclass
class Gateway:
    """What an operation needs: where to publish, how to make it durable, and (when the
    caller has them) the state and audit stores its checks read and its effects write."""

    config: Config
    bus: Bus
    flush: Callable[[], None] = lambda: None
    state: StateStore | None = None
    audit: AuditLog | None = None
    index: SubjectIndex | None = None  # to tell namesakes apart before accepting a request


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
            "next_attempt_at": _iso(self.next_attempt_at),
        }


def _outcome_dict(o: OutcomeRow) -> dict[str, Any]:
    """An outcome as the outcome event carries it, plus its retry state (not on the wire)."""
    data = o.event().model_dump(by_alias=True, mode="json")
    data["attempts"] = o.attempts
    data["next_attempt_at"] = _iso(o.next_attempt_at) if o.action == "failed" else None
    return data


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


def new_request_id() -> str:
    return f"req-{uuid.uuid4().hex[:12]}"


def new_hold_id() -> str:
    return f"hold-{uuid.uuid4().hex[:8]}"


def _check_systems(config: Config, systems: list[str] | None) -> None:
    unknown = set(systems or []) - set(config.systems)
    if unknown:
        raise Invalid(f"unknown systems: {', '.join(sorted(unknown))}")


def _send(gw: Gateway, topic: str, value: bytes, key: str) -> None:
    gw.bus.publish(topic, value, key)
    gw.flush()  # the caller is told "accepted" only once the bus has it


# --- requests ---------------------------------------------------------------------------------


Request = SubjectRequest  # a request of any kind (its model: REQUEST_MODELS[kind])


class SubmitOptions(TypedDict, total=False):
    """The keyword options a request of every kind takes."""

    systems: list[str] | None
    request_id: str | None
    received_at: datetime | None


def submit(
    gw: Gateway,
    kind: str,
    subject: SubjectIdentifiers,
    requested_by: str,
    *,
    corrections: list[Correction] | None = None,
    systems: list[str] | None = None,
    request_id: str | None = None,
    received_at: datetime | None = None,
) -> Request:
    """The one way a request of any kind enters: checked, its id claimed, then published.

    ``corrections`` belong to a rectification and to no other kind."""
    if kind not in REQUEST_MODELS:
        raise Invalid(f"unknown request kind {kind!r}")
    model, topic = REQUEST_MODELS[kind], REQUEST_TOPICS[kind]
    fields: dict[str, Any] = {}
    if kind == "rectification":
        _check_corrections(corrections or [])
        fields["corrections"] = corrections
    elif corrections:
        raise Invalid("only a rectification carries corrections")
    if subject.is_empty():
        raise Invalid("name the person: fnr, emails, phones or names")
    _check_systems(gw.config, systems)
    if received_at:
        fields["received_at"] = received_at
    try:
        req = model(
            request_id=request_id or new_request_id(),
            subject=subject,
            systems=systems or None,
            requested_by=requested_by,
            **fields,
        )
    except ValueError as exc:
        raise Invalid(_reason(exc)) from None
    _check_namesakes(gw, req)
    _check_request_id(gw, req)
    _send(gw, topic, req.to_json(), req.request_id)
    return req


def _check_corrections(corrections: list[Correction]) -> None:
    if not corrections:
        raise Invalid("a rectification needs at least one correction (type, old, new)")
    if unknown := sorted({c.type for c in corrections} - CORRECTABLE_TYPES):
        raise Invalid(f"unknown identifier type(s): {', '.join(unknown)}")


# The typed entry points of each kind, for callers that know the kind when they are written.


def submit_erasure(
    gw: Gateway, subject: SubjectIdentifiers, requested_by: str, **options: Unpack[SubmitOptions]
) -> ErasureRequest:
    return cast(ErasureRequest, submit(gw, "erasure", subject, requested_by, **options))


def submit_access(
    gw: Gateway, subject: SubjectIdentifiers, requested_by: str, **options: Unpack[SubmitOptions]
) -> AccessRequest:
    """Innsyn (art. 15): the workers locate the data; `export` reads it out when asked."""
    return cast(AccessRequest, submit(gw, "access", subject, requested_by, **options))


def submit_rectification(
    gw: Gateway,
    subject: SubjectIdentifiers,
    corrections: list[Correction],
    requested_by: str,
    **options: Unpack[SubmitOptions],
) -> RectificationRequest:
    """Rectification (art. 16): every location holding an old value gets the new one."""
    req = submit(gw, "rectification", subject, requested_by, corrections=corrections, **options)
    return cast(RectificationRequest, req)


def _check_namesakes(gw: Gateway, req: Request) -> None:
    """A request by name alone that several subjects match is refused up front (the worker
    would record it `ambiguous` and do nothing); a search by the name lists them."""
    subject = req.subject
    if gw.index is None or subject.fnr or subject.emails or subject.phones:
        return
    hashes = Hasher(gw.config.hmac_key()).subject(subject)
    if (n := len(gw.index.name_candidates(hashes))) > 1:
        raise Conflict(
            f"ambiguous: {n} candidate subjects share this name; search by the name to "
            "list them, then name the person by fødselsnummer, e-mail or phone"
        )


def _check_request_id(gw: Gateway, req: Request) -> None:
    """Claim the id for its requester before publishing: two clients that pick the same id
    before a worker ran must not be merged into one request (the second gets a conflict)."""
    if gw.state is None:
        return
    hashes = Hasher(gw.config.hmac_key()).subject(req.subject)
    if problem := gw.state.request_ids.claim(req.request_id, req.requested_by, hashes):
        raise Conflict(problem)


def read_request(gw: Gateway, request_id: str, reader: str | None = None) -> RequestView:
    """``reader`` limits the view to that requester's own requests (a DSR tool's token)."""
    state = _state(gw)
    row = state.requests.get(request_id)
    if row is None or (reader is not None and row.requested_by != reader):
        raise NotFound(f"no request {request_id!r}")
    outcomes = state.outcomes.of_request(request_id)
    return _view(row, outcomes, [o for o in outcomes if o.action == LocationAction.FAILED])


def list_requests(gw: Gateway, requested_by: str | None = None) -> list[RequestView]:
    state = _state(gw)
    failed: dict[str, list[OutcomeRow]] = {}
    for o in state.outcomes.with_action(LocationAction.FAILED):  # one query for every request
        failed.setdefault(o.request_id, []).append(o)
    return [
        _view(r, failed=failed.get(r.request_id, []))
        for r in state.requests.all()
        if requested_by is None or r.requested_by == requested_by
    ]


def extend_deadline(gw: Gateway, request_id: str, months: int, reason: str, by: str) -> RequestView:
    """Once per request, by up to two months, with a reason (GDPR art. 12(3)); audited with
    who extended it."""
    state, audit = _state(gw), _audit(gw)
    if not 1 <= months <= 2:
        raise Invalid("a deadline is extended by one or two months")
    if not reason.strip():
        raise Invalid("an extension needs a reason")
    row = state.requests.get(request_id)
    if row is None:
        raise NotFound(f"no request {request_id!r}")
    if row.extended:
        raise Conflict(f"request {request_id} was extended already; GDPR allows it once")
    deadline = row.deadline + relativedelta(months=months)
    state.requests.extend(request_id, deadline, reason)
    audit.append(
        "request.extended",
        request_id=request_id,
        deadline=deadline,
        reason=reason,
        by=by,
    )
    return read_request(gw, request_id)


# --- holds ------------------------------------------------------------------------------------


def place_hold(
    gw: Gateway,
    reason: str,
    placed_by: str,
    *,
    hold_id: str | None = None,
    subject: SubjectIdentifiers | None = None,
    systems: list[str] | None = None,
    records: list[RecordRef] | None = None,
    until: datetime | None = None,
) -> LegalHold:
    _check_systems(gw.config, systems)
    _check_systems(gw.config, [r.system for r in records or []])
    try:
        hold = LegalHold(
            hold_id=hold_id or new_hold_id(),
            action="place",
            subject=None if subject is None or subject.is_empty() else subject,
            systems=systems or None,
            records=records or None,
            reason=reason,
            until=until,
            placed_by=placed_by,
        )
    except ValueError as exc:
        raise Invalid(_reason(exc)) from None
    _acknowledge(gw, hold)
    _send(gw, TOPIC_LEGAL_HOLDS, hold.to_json(), hold.hold_id)
    return hold


def _acknowledge(gw: Gateway, hold: LegalHold) -> None:
    """In the state before "placed"/"released" is said: requests execute against the state,
    so they honour it whatever the backlog of the holds topic (the worker finds it done)."""
    if gw.state is not None and gw.audit is not None:
        record_hold(gw.state, gw.audit, Hasher(gw.config.hmac_key()), hold)


def release_hold(gw: Gateway, hold_id: str, released_by: str) -> LegalHold:
    if gw.state is not None and gw.state.holds.get(hold_id) is None:
        raise NotFound(f"no hold {hold_id!r}")
    hold = LegalHold(hold_id=hold_id, action="release", placed_by=released_by)
    _acknowledge(gw, hold)
    _send(gw, TOPIC_LEGAL_HOLDS, hold.to_json(), hold.hold_id)
    return hold


def parse_record_refs(refs: list[str]) -> list[RecordRef]:
    """``SYSTEM:RECORD_ID`` strings (CLI and page input) as record references."""
    out = []
    for ref in refs:
        system, sep, record_id = ref.partition(":")
        if not sep or not system or not record_id:
            raise Invalid(f"a record is SYSTEM:RECORD_ID, got {ref!r}")
        out.append(RecordRef(system=system, record_id=record_id))
    return out


# --- dead letters -----------------------------------------------------------------------------


def replay_dead_letters(gw: Gateway, letters: list[DeadLetter]) -> int:
    """Publish the originals again to their topics (after an outage, say). What was done
    before stays done: the pipeline is idempotent."""
    kinds = {topic: kind for kind, topic in TOPIC_BY_KIND.items()}
    for letter in letters:
        raw = base64.b64decode(letter.original)
        gw.bus.publish(letter.topic, raw, event_key(kinds.get(letter.topic, "change"), raw))
    gw.flush()
    return len(letters)


def event_key(kind: str, line: bytes) -> str | None:
    """The bus key of an event of ``kind`` (its partitioning and compaction key)."""
    import json

    try:
        data = json.loads(line)
    except ValueError:
        return None
    if not isinstance(data, dict):
        return None
    if kind in ("erasure", "access", "rectification"):
        return _str(data.get("request_id"))
    if kind == "hold":
        return _str(data.get("hold_id"))
    if "system" in data and "record_id" in data:
        return f"{data['system']}:{data['record_id']}"
    return None


def _str(value: object) -> str | None:
    return value if isinstance(value, str) else None


# --- helpers ----------------------------------------------------------------------------------


def _state(gw: Gateway) -> StateStore:
    if gw.state is None:
        raise OperationError("this operation needs the state store")
    return gw.state


def _audit(gw: Gateway) -> AuditLog:
    if gw.audit is None:
        raise OperationError("this operation needs the audit trail")
    return gw.audit


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


def _reason(exc: ValueError) -> str:
    """A validation error's last line, without the offending input (it may be personal)."""
    errors = getattr(exc, "errors", None)
    if callable(errors):
        first = errors()[0]
        where = ".".join(str(p) for p in first.get("loc", ()))
        return f"{where}: {first.get('msg', 'invalid')}" if where else first.get("msg", "invalid")
    return str(exc).splitlines()[-1].strip()


def gateway(deployment: Deployment) -> Gateway:
    """The gateway of a running deployment (CLI, API and page)."""
    s = deployment.stores
    return Gateway(deployment.config, deployment, deployment.flush, s.state, s.audit, s.index)
