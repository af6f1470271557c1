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
from datetime import datetime
from typing import Annotated, Any, Literal

from fastapi import Depends, FastAPI, HTTPException, Request, status
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, PlainTextResponse, Response
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from glemsel.pipeline.core.config import ApiToken, Config
from glemsel.pipeline.core.events import (
    Correction,
    RecordRef,
    SubjectIdentifiers,
)
from glemsel.pipeline.interfaces.http_guard import (
    BearerFirst,
    BodyLimit,
    RateLimiter,
    SameOrigin,
    SecurityHeaders,
)
from glemsel.pipeline.interfaces.web import PAGE_CSP, mount_web
from glemsel.pipeline.operations import requests as ops
from glemsel.pipeline.operations.export import ExportError, make_export
from glemsel.pipeline.operations.search import search_subject
from glemsel.pipeline.runtime.deployment import Deployment
from glemsel.pipeline.stores.audit_head import exported_heads
from glemsel.pipeline.telemetry import metrics
from pydantic import BaseModel, ConfigDict, Field

Role = Literal["dsr", "compliance", "admin"]


class Caller(BaseModel):
    name: str
    role: Role


class _RequestIn(BaseModel):
    """The body of an erasure or an access request (a base only: the schema names each)."""

    model_config = ConfigDict(extra="forbid")

    request_id: str | None = Field(None, max_length=200)
    subject: SubjectIdentifiers
    systems: list[str] | None = None
    received_at: datetime | None = None


class ErasureIn(_RequestIn):
    pass


class HoldIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    hold_id: str | None = Field(None, max_length=200)
    reason: str = Field(min_length=1, max_length=2000)
    subject: SubjectIdentifiers | None = None
    systems: list[str] | None = None
    records: list[RecordRef] | None = None
    until: datetime | None = None


class AccessIn(_RequestIn):
    pass


class RectificationIn(BaseModel):
    # Not a _RequestIn: its corrections stand after the subject in the published schema.
    model_config = ConfigDict(extra="forbid")

    request_id: str | None = Field(None, max_length=200)
    subject: SubjectIdentifiers
    corrections: list[Correction] = Field(min_length=1, max_length=50)
    systems: list[str] | None = None
    received_at: datetime | None = None


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

    @app.exception_handler(RequestValidationError)
    async def invalid_request(request: Request, exc: RequestValidationError) -> JSONResponse:
        # FastAPI's default echoes each bad input: personal data, and a lone surrogate in
        # it cannot even be encoded (a 500). Type, place and message only.
        detail = [
            {"type": e.get("type"), "loc": list(e.get("loc", ())), "msg": e.get("msg")}
            for e in exc.errors()
        ]
        return JSONResponse({"detail": detail}, status_code=422)

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

    gw = ops.gateway(deployment)

    def refused(exc: ops.OperationError) -> HTTPException:
        code = {ops.NotFound: 404, ops.Conflict: 409}.get(type(exc), 422)
        return HTTPException(code, str(exc))

    def request_view(request_id: str, who: Caller) -> dict[str, Any]:
        try:
            view = ops.read_request(gw, request_id, who.name if who.role == "dsr" else None)
        except ops.OperationError as exc:
            raise refused(exc) from None
        return view.as_dict()

    def submitted(
        kind: str,
        body: _RequestIn | RectificationIn,
        who: Caller,
        corrections: list[Correction] | None = None,
    ) -> dict[str, Any]:
        """Every kind's submission: through the operations layer, answered alike."""
        try:
            req = ops.submit(
                gw,
                kind,
                body.subject,
                who.name,
                corrections=corrections,
                systems=body.systems,
                request_id=body.request_id,
                received_at=body.received_at,
            )
        except ops.OperationError as exc:
            raise refused(exc) from None
        return {"request_id": req.request_id, "deadline": req.deadline, "status": "submitted"}

    @app.post("/v1/erasure-requests", status_code=status.HTTP_202_ACCEPTED, tags=["erasure"])
    def submit_erasure(body: ErasureIn, who: Dsr) -> dict[str, Any]:
        """Submit an erasure request; processed by the workers, read it back by id."""
        return submitted("erasure", body, who)

    @app.get("/v1/erasure-requests/{request_id}", tags=["erasure"])
    def read_erasure(request_id: str, who: Reader) -> dict[str, Any]:
        """Status, deadline and the outcome per location."""
        return request_view(request_id, who)

    @app.get("/v1/erasure-requests", tags=["erasure"])
    def list_erasures(who: Reader) -> list[dict[str, Any]]:
        """All requests (a dsr token: its own) with deadline, days left and overdue flag."""
        mine = who.name if who.role == "dsr" else None
        return [v.as_dict() for v in ops.list_requests(gw, requested_by=mine)]

    @app.post("/v1/erasure-requests/{request_id}/extension", tags=["erasure"])
    def extend(request_id: str, body: ExtensionIn, who: Admin) -> dict[str, Any]:
        """Extend the deadline once, by up to two months, with a reason (GDPR art. 12(3))."""
        try:
            return ops.extend_deadline(gw, request_id, body.months, body.reason, who.name).as_dict()
        except ops.OperationError as exc:
            raise refused(exc) from None

    def kind_view(request_id: str, who: Caller, kind: str) -> dict[str, Any]:
        view = request_view(request_id, who)
        if view["kind"] != kind:  # another kind's id: not found under this path
            raise HTTPException(status.HTTP_404_NOT_FOUND, f"no {kind} request {request_id!r}")
        return view

    @app.post("/v1/access-requests", status_code=status.HTTP_202_ACCEPTED, tags=["access"])
    def submit_access(body: AccessIn, who: Dsr) -> dict[str, Any]:
        """Submit an access request (innsyn, GDPR art. 15); the export follows by id."""
        return submitted("access", body, who)

    @app.get("/v1/access-requests/{request_id}", tags=["access"])
    def read_access(request_id: str, who: Reader) -> dict[str, Any]:
        """Status, deadline and the located records (`exported`, `not_found`, `failed`)."""
        return kind_view(request_id, who, "access")

    @app.get(
        "/v1/access-requests/{request_id}/export",
        tags=["access"],
        responses={200: {"content": {"application/json": {}, "text/html": {}}}},
    )
    def export(request_id: str, who: Reader, format: Literal["json", "html"] = "json") -> Response:
        """The answer, read from the systems now: JSON (portability, art. 20) or HTML in
        Norwegian. Glemsel keeps no copy; each export is audited with who and when."""
        kind_view(request_id, who, "access")  # a dsr token: its own requests only
        try:
            made = make_export(deployment, request_id, by=who.name, fmt=format)
        except ExportError as exc:
            raise HTTPException(status.HTTP_409_CONFLICT, str(exc)) from None
        return Response(
            made.body,
            media_type=made.media_type,
            headers={
                "Content-Disposition": f'attachment; filename="{made.filename}"',
                "Cache-Control": "no-store",  # personal data: no copy in caches either
            },
        )

    @app.post(
        "/v1/rectification-requests", status_code=status.HTTP_202_ACCEPTED, tags=["rectification"]
    )
    def submit_rectification(body: RectificationIn, who: Dsr) -> dict[str, Any]:
        """Submit a rectification (GDPR art. 16): every location holding `old` gets `new`."""
        return submitted("rectification", body, who, body.corrections)

    @app.get("/v1/rectification-requests/{request_id}", tags=["rectification"])
    def read_rectification(request_id: str, who: Reader) -> dict[str, Any]:
        """Status, deadline and the outcome per location (`rectified`, `held`, …)."""
        return kind_view(request_id, who, "rectification")

    @app.get("/v1/requests", tags=["requests"])
    def list_all(
        who: Reader, kind: Literal["erasure", "access", "rectification"] | None = None
    ) -> list[dict[str, Any]]:
        """Requests of every kind (a dsr token: its own), one clock: deadline, days left,
        overdue, extension."""
        mine = who.name if who.role == "dsr" else None
        views = ops.list_requests(gw, requested_by=mine)
        return [v.as_dict() for v in views if kind is None or v.kind == kind]

    @app.post("/v1/requests/{request_id}/extension", tags=["requests"])
    def extend_any(request_id: str, body: ExtensionIn, who: Admin) -> dict[str, Any]:
        """Extend any request's deadline once, by up to two months, with a reason."""
        try:
            return ops.extend_deadline(gw, request_id, body.months, body.reason, who.name).as_dict()
        except ops.OperationError as exc:
            raise refused(exc) from None

    @app.post("/v1/holds", status_code=status.HTTP_202_ACCEPTED, tags=["holds"])
    def place_hold(body: HoldIn, who: Admin) -> dict[str, Any]:
        """Place a legal hold: matching locations are not erased until it ends."""
        try:
            hold = ops.place_hold(
                gw,
                body.reason,
                who.name,
                hold_id=body.hold_id,
                subject=body.subject,
                systems=body.systems,
                records=body.records,
                until=body.until,
            )
        except ops.OperationError as exc:
            raise refused(exc) from None
        return {"hold_id": hold.hold_id, "status": "submitted"}

    @app.get("/v1/holds", tags=["holds"])
    def list_holds(who: Compliance) -> list[dict[str, Any]]:
        """All holds, active and ended (subject scopes are shown as present, not named)."""
        return [h.view() for h in stores.state.holds.all()]

    @app.delete("/v1/holds/{hold_id}", status_code=status.HTTP_202_ACCEPTED, tags=["holds"])
    def release_hold(hold_id: str, who: Admin) -> dict[str, Any]:
        """Release a hold: what it kept is erased, where a request asked for it."""
        try:
            ops.release_hold(gw, hold_id, who.name)
        except ops.OperationError as exc:
            raise refused(exc) from None
        return {"hold_id": hold_id, "status": "release submitted"}

    search_limit = RateLimiter(config.api.search_per_minute, config.api.search_burst)

    @app.post(
        "/v1/search",
        tags=["search"],
        responses={429: {"description": "too many searches by this token; see Retry-After"}},
    )
    def search(body: SubjectIdentifiers, who: Compliance) -> dict[str, Any]:
        """Where do we hold data about this person? Masked previews, holds, requests.
        Limited per token (api.search_per_minute); audited under the token's name."""
        if wait := search_limit.take(who.name):
            raise HTTPException(
                status.HTTP_429_TOO_MANY_REQUESTS,
                "too many searches; try again later",
                headers={"Retry-After": str(max(1, round(wait)))},
            )
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

    mount_web(app, deployment, lambda token: _match(config.api.tokens, token), search_limit)
    # Outermost last: headers on every answer, then the checks that need no body.
    api = config.api
    app.add_middleware(BodyLimit, max_bytes=api.max_body_bytes)
    app.add_middleware(
        SameOrigin, allowed=api.allowed_origins, trust_forwarded_proto=api.trust_forwarded_proto
    )
    app.add_middleware(BearerFirst, known=lambda t: _match(api.tokens, t) is not None)
    app.add_middleware(SecurityHeaders, page_csp=PAGE_CSP)
    return app


def _match(tokens: list[ApiToken], presented: str) -> ApiToken | None:
    found = None
    for token in tokens:  # compare every token: timing says nothing about which matched
        if hmac.compare_digest(token.token.encode(), presented.encode()):
            found = token
    return found
