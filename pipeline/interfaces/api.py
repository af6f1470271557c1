"""HTTP API for the DSR tool, compliance officers and operators (FastAPI).

    glemsel serve --config glemsel.yaml [--port 8080]

Bearer tokens carry roles (config `api.tokens`): `dsr` submits erasure requests and reads
its own, `compliance` searches and reads everything, `admin` also manages holds and
deadline extensions. Identifiers travel in request bodies, never in URLs, so they stay out
of access logs; every search is audited (who searched, hashed; for whom, hashed).

No `from __future__ import annotations` here: FastAPI resolves the role dependencies, which
are local to create_app, from the annotations at definition time.
"""

import hmac
import uuid
from datetime import datetime
from typing import Annotated, Any, Literal

from dateutil.relativedelta import relativedelta
from fastapi import Depends, FastAPI, HTTPException, Request, status
from fastapi.responses import PlainTextResponse
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from glemsel.pipeline.core.config import ApiToken, Config
from glemsel.pipeline.core.events import (
    TOPIC_ERASURE_REQUESTS,
    TOPIC_LEGAL_HOLDS,
    ErasureRequest,
    LegalHold,
    RecordRef,
    SubjectIdentifiers,
    days_left,
    utcnow,
)
from glemsel.pipeline.operations.search import search_subject
from glemsel.pipeline.runtime.deployment import Deployment
from glemsel.pipeline.stores.audit_head import exported_heads
from glemsel.pipeline.telemetry import metrics
from pydantic import BaseModel, ConfigDict, Field, ValidationError

Role = Literal["dsr", "compliance", "admin"]


class Caller(BaseModel):
    name: str
    role: Role


class ErasureIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    request_id: str | None = Field(None, max_length=200)
    subject: SubjectIdentifiers
    systems: list[str] | None = None
    received_at: datetime | None = None


class HoldIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    hold_id: str | None = Field(None, max_length=200)
    reason: str = Field(min_length=1, max_length=2000)
    subject: SubjectIdentifiers | None = None
    systems: list[str] | None = None
    records: list[RecordRef] | None = None
    until: datetime | None = None


class ExtensionIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    reason: str = Field(min_length=1, max_length=2000)
    months: int = Field(2, ge=1, le=2)


def create_app(deployment: Deployment) -> FastAPI:
    config: Config = deployment.config
    stores = deployment.stores
    app = FastAPI(
        title="Glemsel",
        version="1",
        description="Erasure requests, legal holds and subject search for Norwegian personal "
        "data. Bearer tokens with roles dsr, compliance and admin.",
    )
    bearer = HTTPBearer(auto_error=False)

    def caller(
        credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)],
    ) -> Caller:
        if credentials is None:
            raise HTTPException(
                status.HTTP_401_UNAUTHORIZED,
                "missing bearer token",
                headers={"WWW-Authenticate": "Bearer"},
            )
        token = _match(config.api.tokens, credentials.credentials)
        if token is None:
            raise HTTPException(
                status.HTTP_401_UNAUTHORIZED,
                "unknown bearer token",
                headers={"WWW-Authenticate": "Bearer"},
            )
        return Caller(name=token.name, role=token.role)

    def role(*allowed: Role):
        def check(who: Annotated[Caller, Depends(caller)]) -> Caller:
            if who.role not in allowed:
                raise HTTPException(
                    status.HTTP_403_FORBIDDEN,
                    f"role {who.role!r} may not do this; needs {' or '.join(allowed)}",
                )
            return who

        return check

    Dsr = Annotated[Caller, Depends(role("dsr", "admin"))]
    Reader = Annotated[Caller, Depends(role("dsr", "compliance", "admin"))]
    Compliance = Annotated[Caller, Depends(role("compliance", "admin"))]
    Admin = Annotated[Caller, Depends(role("admin"))]

    def request_view(request_id: str, who: Caller) -> dict[str, Any]:
        req = stores.state.request(request_id)
        if req is None or (who.role == "dsr" and req["requested_by"] != who.name):
            raise HTTPException(status.HTTP_404_NOT_FOUND, f"no request {request_id!r}")
        return _request_json(req, stores.state.outcomes(request_id))

    @app.post("/v1/erasure-requests", status_code=status.HTTP_202_ACCEPTED, tags=["erasure"])
    def submit_erasure(body: ErasureIn, who: Dsr) -> dict[str, Any]:
        """Submit an erasure request; processed by the workers, read it back by id."""
        if body.subject.is_empty():
            raise HTTPException(422, "subject names no identifier (fnr, emails, phones, names)")
        unknown = set(body.systems or []) - set(config.systems)
        if unknown:
            raise HTTPException(422, f"unknown systems: {', '.join(sorted(unknown))}")
        extra = {"received_at": body.received_at} if body.received_at else {}
        req = ErasureRequest(
            request_id=body.request_id or f"req-{uuid.uuid4().hex[:12]}",
            subject=body.subject,
            systems=body.systems,
            requested_by=who.name,
            **extra,
        )
        existing = stores.state.request(req.request_id)
        if existing and existing["requested_by"] != who.name:
            raise HTTPException(
                status.HTTP_409_CONFLICT,
                f"request id {req.request_id!r} is taken by another requester",
            )
        deployment.publish(TOPIC_ERASURE_REQUESTS, req.to_json(), req.key)
        _flush(deployment)
        return {"request_id": req.request_id, "deadline": req.deadline, "status": "submitted"}

    @app.get("/v1/erasure-requests/{request_id}", tags=["erasure"])
    def read_erasure(request_id: str, who: Reader) -> dict[str, Any]:
        """Status, deadline and the outcome per location."""
        return request_view(request_id, who)

    @app.get("/v1/erasure-requests", tags=["erasure"])
    def list_erasures(who: Reader) -> list[dict[str, Any]]:
        """All requests (a dsr token: its own) with deadline, days left and overdue flag."""
        rows = stores.state.list_requests()
        if who.role == "dsr":
            rows = [r for r in rows if r["requested_by"] == who.name]
        return [_request_json(r) for r in rows]

    @app.post("/v1/erasure-requests/{request_id}/extension", tags=["erasure"])
    def extend(request_id: str, body: ExtensionIn, who: Admin) -> dict[str, Any]:
        """Extend the deadline once, by up to two months, with a reason (GDPR art. 12(3))."""
        req = stores.state.request(request_id)
        if req is None:
            raise HTTPException(404, f"no request {request_id!r}")
        if req["extended"]:
            raise HTTPException(409, "the deadline was extended already; GDPR allows it once")
        deadline = req["deadline"] + relativedelta(months=body.months)
        stores.state.extend_deadline(request_id, deadline, body.reason)
        stores.audit.append(
            "request.extended",
            request_id=request_id,
            deadline=deadline,
            reason=body.reason,
            by=stores.hasher.opaque(who.name),
        )
        return request_view(request_id, who)

    @app.post("/v1/holds", status_code=status.HTTP_202_ACCEPTED, tags=["holds"])
    def place_hold(body: HoldIn, who: Admin) -> dict[str, Any]:
        """Place a legal hold: matching locations are not erased until it ends."""
        try:
            hold = LegalHold(
                hold_id=body.hold_id or f"hold-{uuid.uuid4().hex[:8]}",
                action="place",
                subject=body.subject,
                systems=body.systems,
                records=body.records,
                reason=body.reason,
                until=body.until,
                placed_by=who.name,
            )
        except ValidationError as exc:
            raise HTTPException(422, exc.errors()[0]["msg"]) from None
        deployment.publish(TOPIC_LEGAL_HOLDS, hold.to_json(), hold.key)
        _flush(deployment)
        return {"hold_id": hold.hold_id, "status": "submitted"}

    @app.get("/v1/holds", tags=["holds"])
    def list_holds(who: Compliance) -> list[dict[str, Any]]:
        """All holds, active and ended (subject scopes are shown as present, not named)."""
        return stores.state.list_holds()

    @app.delete("/v1/holds/{hold_id}", status_code=status.HTTP_202_ACCEPTED, tags=["holds"])
    def release_hold(hold_id: str, who: Admin) -> dict[str, Any]:
        """Release a hold: what it kept is erased, where a request asked for it."""
        if hold_id not in {h["hold_id"] for h in stores.state.list_holds()}:
            raise HTTPException(404, f"no hold {hold_id!r}")
        hold = LegalHold(hold_id=hold_id, action="release", placed_by=who.name)
        deployment.publish(TOPIC_LEGAL_HOLDS, hold.to_json(), hold.key)
        _flush(deployment)
        return {"hold_id": hold_id, "status": "release submitted"}

    @app.post("/v1/search", tags=["search"])
    def search(body: SubjectIdentifiers, who: Compliance) -> dict[str, Any]:
        """Where do we hold data about this person? Masked previews, holds, requests."""
        if body.is_empty():
            raise HTTPException(422, "name the person: fnr, emails, phones or names")
        return search_subject(stores, body, searched_by=who.name)

    @app.get("/v1/audit/verify", tags=["audit"])
    def verify_audit(who: Compliance) -> dict[str, Any]:
        """Check that no audit entry was edited, removed, reordered or cut off (checked
        against the exported audit heads, when configured)."""
        result = stores.audit.verify(exported_heads(config))
        return {
            "ok": result.ok,
            "entries": result.entries,
            "problem": result.problem,
            "seq": result.seq,
        }

    @app.get("/healthz", tags=["operations"])
    def health() -> dict[str, str]:
        return {"status": "ok"}

    @app.get("/metrics", response_class=PlainTextResponse, tags=["operations"])
    def prometheus() -> PlainTextResponse:
        metrics.observe_state(stores)
        body, content_type = metrics.render()
        return PlainTextResponse(body, media_type=content_type)

    @app.middleware("http")
    async def count_requests(request: Request, call_next):
        response = await call_next(request)
        route = request.scope.get("route")
        metrics.API_REQUESTS.labels(
            getattr(route, "path", "unmatched"), str(response.status_code)
        ).inc()
        return response

    from glemsel.pipeline.interfaces.web import (
        mount_web,  # the compliance page shares the app and its auth
    )

    mount_web(app, deployment, lambda token: _match(config.api.tokens, token))
    return app


def _match(tokens: list[ApiToken], presented: str) -> ApiToken | None:
    found = None
    for token in tokens:  # compare every token: timing says nothing about which matched
        if hmac.compare_digest(token.token.encode(), presented.encode()):
            found = token
    return found


def _flush(deployment: Deployment) -> None:
    publisher = getattr(deployment, "publisher", None)
    if publisher is not None:  # the DSR tool gets 202 only once Kafka has the request
        publisher.flush()


def _request_json(req: dict[str, Any], outcomes: list | None = None) -> dict[str, Any]:
    data = {
        "request_id": req["request_id"],
        "status": req["status"],
        "received_at": req["received_at"],
        "deadline": req["deadline"],
        "days_left": days_left(req["deadline"]),
        "overdue": req["status"] != "completed" and req["deadline"] < utcnow(),
        "extended": req["extended"],
        "requested_by": req["requested_by"],
        "counts": req["counts"],
    }
    if outcomes is not None:
        data["outcomes"] = [o.model_dump(by_alias=True, mode="json") for o in outcomes]
    return data
