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
from collections.abc import Callable
from dataclasses import dataclass
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
)
from glemsel.pipeline.core.identifiers import ENTITY_TYPES as CORRECTABLE_TYPES
from glemsel.pipeline.core.identifiers import Hasher
from glemsel.pipeline.flow.holds import record_hold

# Read and refusal types live apart (read-only commands import them without the rest).
from glemsel.pipeline.operations.errors import Conflict as Conflict
from glemsel.pipeline.operations.errors import Invalid as Invalid
from glemsel.pipeline.operations.errors import NotFound as NotFound
from glemsel.pipeline.operations.errors import OperationError as OperationError
from glemsel.pipeline.operations.views import RequestView as RequestView
from glemsel.pipeline.operations.views import Retry as Retry
from glemsel.pipeline.operations.views import request_view, request_views
from glemsel.pipeline.stores.audit import AuditLog
from glemsel.pipeline.stores.index import SubjectIndex
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
    return request_view(_state(gw), request_id, reader)


def list_requests(gw: Gateway, requested_by: str | None = None) -> list[RequestView]:
    return request_views(_state(gw), requested_by)


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
