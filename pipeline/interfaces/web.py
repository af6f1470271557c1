"""The compliance web page: plain server-rendered HTML, no script, no CDN (runs offline).

Sign in with an API token (kept in an HttpOnly, SameSite=Strict cookie, Secure when served
over TLS), search for a
person, see where their data lives by system with masked previews, holds and requests with
a deadline countdown; admins place and release holds and start erasures. Labels in Norwegian
(default) and English (?lang=en).
"""

from __future__ import annotations

import functools
import hashlib
import hmac
import re
import secrets
from collections.abc import Callable
from datetime import UTC
from html import escape
from typing import Annotated, Any

from fastapi import Depends, FastAPI, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from glemsel.pipeline.core.clock import days_left
from glemsel.pipeline.core.events import SubjectIdentifiers
from glemsel.pipeline.interfaces.http_guard import RateLimiter, request_scheme, style_hash
from glemsel.pipeline.operations import requests as ops
from glemsel.pipeline.operations.export import ExportError, make_export
from glemsel.pipeline.operations.search import search_subject
from glemsel.pipeline.runtime.deployment import Deployment

COOKIE = "glemsel_token"
# A random id per browser that every form's CSRF token is bound to (a keyed hash of it), so a
# token copied from one browser's page is worthless in another.
SESSION = "glemsel_session"
_POST_FORM = re.compile(r"(<form\b[^>]*\bmethod='post'[^>]*>)")

LABELS: dict[str, dict[str, Any]] = {
    "no": {
        "title": "Glemsel – personopplysninger",
        "token": "API-nøkkel",
        "login": "Logg inn",
        "search": "Søk etter person",
        "fnr": "Fødselsnummer",
        "email": "E-post",
        "phone": "Telefon",
        "name": "Navn",
        "go": "Søk",
        "where": "Her finnes data om personen",
        "system": "System",
        "record": "Post",
        "field": "Felt",
        "type": "Type",
        "preview": "Forhåndsvisning (maskert)",
        "hold": "Rettslig hold",
        "holds": "Aktive hold",
        "requests": "Krav fra de registrerte",
        "deadline": "Frist",
        "days_left": "dager igjen",
        "overdue": "FORFALT",
        "none": "Ingen data funnet om personen.",
        "place_hold": "Legg rettslig hold på personen",
        "reason": "Begrunnelse",
        "release": "Opphev",
        "erase": "Start sletting",
        "submitted": "Sendt til behandling",
        "logout": "Logg ut",
        "status": "Status",
        "forbidden": "Rollen din kan ikke gjøre dette",
        "access": "Start innsyn",
        "kind": "Type",
        "progress": "Fremdrift",
        "export": "Innsyn",
        "download": "Last ned",
        "retry": "Nytt forsøk",
        "failed": "feilet",
        "attempts": "forsøk",
        "next_sweep": "ved neste runde",
        "kinds": {"erasure": "sletting", "access": "innsyn", "rectification": "retting"},
    },
    "en": {
        "title": "Glemsel – personal data",
        "token": "API token",
        "login": "Sign in",
        "search": "Search for a person",
        "fnr": "National ID (fødselsnummer)",
        "email": "E-mail",
        "phone": "Phone",
        "name": "Name",
        "go": "Search",
        "where": "Where this person's data lives",
        "system": "System",
        "record": "Record",
        "field": "Field",
        "type": "Type",
        "preview": "Preview (masked)",
        "hold": "Legal hold",
        "holds": "Active holds",
        "requests": "Data subject requests",
        "deadline": "Deadline",
        "days_left": "days left",
        "overdue": "OVERDUE",
        "none": "No data found.",
        "place_hold": "Place a legal hold on this person",
        "reason": "Reason",
        "release": "Release",
        "erase": "Start erasure",
        "submitted": "Submitted",
        "logout": "Sign out",
        "status": "Status",
        "forbidden": "Your role may not do this",
        "access": "Start access request",
        "kind": "Kind",
        "progress": "Progress",
        "export": "Access export",
        "download": "Download",
        "retry": "Next retry",
        "failed": "failed",
        "attempts": "attempts",
        "next_sweep": "at the next sweep",
        "kinds": {"erasure": "erasure", "access": "access", "rectification": "rectification"},
    },
}

STYLE = """
body{font-family:system-ui,sans-serif;margin:2rem;max-width:70rem;color:#1d1d1f}
h1{font-size:1.4rem} h2{font-size:1.1rem;margin-top:1.6rem}
table{border-collapse:collapse;width:100%} td,th{border-bottom:1px solid #ddd;padding:.3rem .5rem;
text-align:left;font-size:.9rem} th{background:#f3f3f5}
form.inline{display:inline} input{margin:.2rem .4rem .2rem 0;padding:.3rem}
.badge{background:#b3261e;color:#fff;border-radius:.3rem;padding:0 .4rem;font-size:.8rem}
.ok{color:#1b5e20} .late{color:#b3261e;font-weight:bold} .note{background:#e8f0fe;padding:.5rem}
"""

# No script at all, only our own style, forms only to ourselves, never framed.
PAGE_CSP = (
    f"default-src 'none'; style-src {style_hash(STYLE)}; img-src 'self'; "
    "form-action 'self'; base-uri 'none'; frame-ancestors 'none'"
)


def mount_web(
    app: FastAPI,
    deployment: Deployment,
    authenticate: Callable[[str], Any],
    search_limit: RateLimiter | None = None,
) -> None:
    stores = deployment.stores
    gw = ops.gateway(deployment)
    settings = deployment.config.api

    @functools.cache
    def csrf_key() -> bytes:  # on first use: describing the routes needs no key
        return hmac.new(deployment.config.hmac_key(), b"glemsel-csrf", hashlib.sha256).digest()

    app.state.csrf_key = csrf_key

    def csrf_token(session: str) -> str:
        return _csrf_token(csrf_key(), session)

    def secure(request: Request) -> bool:
        return request_scheme(request.scope, settings.trust_forwarded_proto) == "https"

    def who(request: Request):
        token = request.cookies.get(COOKIE)
        return authenticate(token) if token else None

    def lang(request: Request) -> dict[str, Any]:
        return LABELS["en" if request.query_params.get("lang") == "en" else "no"]

    def page(request: Request, body: str, status_code: int = 200) -> HTMLResponse:
        t = lang(request)
        code = "en" if t is LABELS["en"] else "no"
        other = "no" if code == "en" else "en"
        html = (
            f"<!doctype html><html lang='{code}'><head><meta charset='utf-8'>"
            f"<title>{t['title']}</title><style>{STYLE}</style></head><body>"
            f"<h1>{t['title']}</h1><p><a href='/ui?lang={other}'>{other.upper()}</a>"
            f"</p><form method='post' action='/ui/logout' class='inline'>"
            f"<button id='logout'>{t['logout']}</button></form>{body}</body></html>"
        )
        session = request.cookies.get(SESSION) or secrets.token_urlsafe(24)
        hidden = f"<input type='hidden' name='csrf' value='{csrf_token(session)}'>"
        response = HTMLResponse(_POST_FORM.sub(rf"\1{hidden}", html), status_code=status_code)
        if request.cookies.get(SESSION) != session:
            response.set_cookie(
                SESSION, session, httponly=True, samesite="strict", secure=secure(request)
            )
        return response

    def login_form(request: Request, status_code: int = 200) -> HTMLResponse:
        t = lang(request)
        return page(
            request,
            f"<form method='post' action='/ui/login'><label>{t['token']} "
            f"<input name='token' type='password' id='token'></label>"
            f"<button id='login'>{t['login']}</button></form>",
            status_code,
        )

    @app.get("/ui", response_class=HTMLResponse, include_in_schema=False)
    def home(request: Request) -> Response:
        if not who(request):
            return login_form(request)
        return page(request, _search_form(lang(request), {}) + _overview(stores, gw, lang(request)))

    @app.post("/ui/login", include_in_schema=False)
    def login(request: Request, csrf_ok: CsrfOk, token: str = Form("")) -> Response:
        if not csrf_ok:
            return login_form(request, 403)
        if not authenticate(token):
            return login_form(request, 401)
        response = RedirectResponse("/ui", status_code=303)
        response.set_cookie(COOKIE, token, httponly=True, samesite="strict", secure=secure(request))
        return response

    # A POST with the form's token: a link (GET) would let any page sign the user out.
    @app.post("/ui/logout", include_in_schema=False)
    def logout(request: Request, csrf_ok: CsrfOk) -> Response:
        if not csrf_ok:
            return login_form(request, 403)
        response = RedirectResponse("/ui", status_code=303)
        response.delete_cookie(COOKIE)
        return response

    def guard(
        request: Request, csrf_ok: bool, *roles: str
    ) -> tuple[Any, dict[str, str], Response | None]:
        """(user, labels, refusal): a refusal page unless the form carries this browser's
        CSRF token and its sender is signed in with one of ``roles``."""
        user, t = who(request), lang(request)
        if not csrf_ok:
            return user, t, page(request, "<p class='late'>CSRF token missing or wrong</p>", 403)
        if not user:
            return None, t, login_form(request, 401)
        if user.role not in roles:
            return user, t, page(request, f"<p class='late'>{t['forbidden']}</p>", 403)
        return user, t, None

    def done(request: Request, t: dict[str, str], what: str) -> HTMLResponse:
        return page(request, f"<p class='note' id='done'>{t['submitted']}: {escape(what)}</p>")

    @app.post("/ui/search", response_class=HTMLResponse, include_in_schema=False)
    def search(request: Request, form: PersonForm, csrf_ok: CsrfOk) -> Response:
        user, t, refusal = guard(request, csrf_ok, "compliance", "admin")
        if refusal:
            return refusal
        if search_limit and search_limit.take(user.name):
            return page(request, "<p class='late'>Too many searches; try again later</p>", 429)
        ids = _ids(form)
        if ids.is_empty():
            return page(request, _search_form(t, form), 422)
        result = search_subject(stores, ids, searched_by=user.name)
        body = _search_form(t, {}) + _result(result, t) + _access_form(t, form)
        if user.role == "admin":
            body += _admin_forms(t, form)
        return page(request, body)

    @app.post("/ui/hold", response_class=HTMLResponse, include_in_schema=False)
    def hold(
        request: Request,
        form: PersonForm,
        csrf_ok: CsrfOk,
        reason: str = Form(...),
        system: str = Form(""),
    ) -> Response:
        user, t, refusal = guard(request, csrf_ok, "admin")
        if refusal:
            return refusal
        ids = _ids(form)
        try:
            hold_event = ops.place_hold(
                gw, reason, user.name, subject=ids, systems=[system] if system else None
            )
        except ops.OperationError as exc:
            return page(request, f"<p class='late'>{escape(str(exc))}</p>", 422)
        return done(request, t, hold_event.hold_id)

    @app.post("/ui/hold/{hold_id}/release", response_class=HTMLResponse, include_in_schema=False)
    def release(request: Request, hold_id: str, csrf_ok: CsrfOk) -> Response:
        user, t, refusal = guard(request, csrf_ok, "admin")
        if refusal:
            return refusal
        try:
            ops.release_hold(gw, hold_id, user.name)
        except ops.OperationError as exc:
            return page(request, f"<p class='late'>{escape(str(exc))}</p>", 404)
        return done(request, t, hold_id)

    def submitted(
        kind: str, request: Request, form: dict[str, str], csrf_ok: bool, *roles: str
    ) -> Response:
        """A request of ``kind`` from the page's person form, by a user with one of ``roles``."""
        user, t, refusal = guard(request, csrf_ok, *roles)
        if refusal:
            return refusal
        ids = _ids(form)
        if ids.is_empty():
            return page(request, _search_form(t, {}), 422)
        try:
            req = ops.submit(gw, kind, ids, user.name)
        except ops.OperationError as exc:
            return page(request, f"<p class='late'>{escape(str(exc))}</p>", 422)
        return done(request, t, req.request_id)

    @app.post("/ui/erase", response_class=HTMLResponse, include_in_schema=False)
    def erase(request: Request, form: PersonForm, csrf_ok: CsrfOk) -> Response:
        return submitted("erasure", request, form, csrf_ok, "admin")

    @app.post("/ui/access", response_class=HTMLResponse, include_in_schema=False)
    def start_access(request: Request, form: PersonForm, csrf_ok: CsrfOk) -> Response:
        """Innsyn started by a compliance officer (the person asked them, e.g. by mail)."""
        return submitted("access", request, form, csrf_ok, "compliance", "admin")

    @app.get("/ui/export/{request_id}", include_in_schema=False)
    def download_export(request: Request, request_id: str, format: str = "html") -> Response:
        """The access export, read from the systems now; a GET, so the SameSite=Strict
        cookie keeps other sites from fetching it in the officer's name."""
        user, t = who(request), lang(request)
        if not user:
            return login_form(request, 401)
        if user.role not in ("compliance", "admin"):
            return page(request, f"<p class='late'>{t['forbidden']}</p>", 403)
        if format not in ("json", "html"):
            return page(request, "<p class='late'>format: json | html</p>", 422)
        row = stores.state.requests.get(request_id)
        if row is None or row.kind != "access":
            return page(request, f"<p class='late'>{escape(request_id)}?</p>", 404)
        try:
            made = make_export(deployment, request_id, by=user.name, fmt=format)  # type: ignore[arg-type]
        except ExportError as exc:
            return page(request, f"<p class='late'>{escape(str(exc))}</p>", 409)
        return Response(
            made.body,
            media_type=made.media_type,
            headers={
                "Content-Disposition": f'attachment; filename="{made.filename}"',
                "Cache-Control": "no-store",
            },
        )


def _hidden(form: dict[str, str]) -> str:
    """The person form's filled-in fields, carried on by the forms that act on the person."""
    return "".join(
        f"<input type='hidden' name='{k}' value='{escape(v)}'>" for k, v in form.items() if v
    )


def _access_form(t: dict[str, str], form: dict[str, str]) -> str:
    hidden = _hidden(form)
    return (
        f"<form method='post' action='/ui/access'>{hidden}"
        f"<button id='start-access'>{t['access']}</button></form>"
    )


def _person_form(
    fnr: str = Form(""), email: str = Form(""), phone: str = Form(""), name: str = Form("")
) -> dict[str, str]:
    return {"fnr": fnr, "email": email, "phone": phone, "name": name}


PersonForm = Annotated[dict[str, str], Depends(_person_form)]


def _csrf_token(key: bytes, session: str) -> str:
    return hmac.new(key, session.encode(), hashlib.sha256).hexdigest()


def _csrf(request: Request, csrf: str = Form("")) -> bool:
    """Whether the form carries the CSRF token of this browser's session cookie."""
    session = request.cookies.get(SESSION)
    if not (session and csrf):
        return False
    return hmac.compare_digest(csrf, _csrf_token(request.app.state.csrf_key(), session))


CsrfOk = Annotated[bool, Depends(_csrf)]


def _ids(form: dict[str, str]) -> SubjectIdentifiers:
    return SubjectIdentifiers(
        fnr=form.get("fnr") or None,
        emails=[form["email"]] if form.get("email") else [],
        phones=[form["phone"]] if form.get("phone") else [],
        names=[form["name"]] if form.get("name") else [],
    )


def _search_form(t: dict[str, str], values: dict[str, str]) -> str:
    fields = "".join(
        f"<label>{t[k]} <input name='{k}' id='{k}' value='{escape(values.get(k, ''))}'></label>"
        for k in ("fnr", "email", "phone", "name")
    )
    return (
        f"<h2>{t['search']}</h2><form method='post' action='/ui/search'>{fields}"
        f"<button id='search'>{t['go']}</button></form>"
    )


def _result(result: dict[str, Any], t: dict[str, str]) -> str:
    if not result["locations"]:
        return f"<p id='result'>{t['none']}</p>"
    parts = [f"<h2 id='result'>{t['where']}</h2>"]
    for system in result["systems"]:
        rows = "".join(
            f"<tr><td>{escape(loc['record_type'])}/{escape(loc['record_id'])}</td>"
            f"<td>{escape(f['field'])}</td><td>{f['type']}</td>"
            f"<td class='preview'>{escape(f['preview'])}</td>"
            f"<td>{_hold_badge(loc['held_by'])}</td></tr>"
            for loc in result["locations"]
            if loc["system"] == system
            for f in loc["findings"]
        )
        parts.append(
            f"<h3>{escape(system)}</h3><table><tr><th>{t['record']}</th>"
            f"<th>{t['field']}</th><th>{t['type']}</th><th>{t['preview']}</th>"
            f"<th>{t['hold']}</th></tr>{rows}</table>"
        )
    if result["requests"]:
        parts.append(
            f"<h2>{t['requests']}</h2><ul>"
            + "".join(
                f"<li>{escape(r['request_id'])}: {r['status']}, {t['deadline']} "
                f"{r['deadline'][:10]} {_countdown(r['days_left'], r['status'], t)}</li>"
                for r in result["requests"]
            )
            + "</ul>"
        )
    return "".join(parts)


def _hold_badge(hold_id: str | None) -> str:
    return f"<span class='badge'>{escape(hold_id)}</span>" if hold_id else ""


def _countdown(left: int, status: str, t: dict[str, str]) -> str:
    if status == "completed":
        return "<span class='ok'>✓</span>"
    if left < 0:
        return f"<span class='late'>{t['overdue']} ({-left})</span>"
    return f"({left} {t['days_left']})"


def _admin_forms(t: dict[str, str], form: dict[str, str]) -> str:
    hidden = _hidden(form)
    return (
        f"<h2>{t['place_hold']}</h2><form method='post' action='/ui/hold'>{hidden}"
        f"<label>{t['reason']} <input name='reason' id='reason' required></label>"
        f"<label>{t['system']} <input name='system' id='hold-system'></label>"
        f"<button id='place-hold'>{t['hold']}</button></form>"
        f"<form method='post' action='/ui/erase'>{hidden}"
        f"<button id='erase'>{t['erase']}</button></form>"
    )


def _overview(stores, gw: ops.Gateway, t: dict[str, Any]) -> str:
    holds = [h for h in stores.state.holds.all() if h.active]
    requests = ops.list_requests(gw)
    hold_rows = "".join(
        f"<tr><td>{escape(h.hold_id)}</td><td>{escape(h.reason or '')}</td>"
        f"<td><form class='inline' method='post' action='/ui/hold/{escape(h.hold_id)}/release'>"
        f"<button>{t['release']}</button></form></td></tr>"
        for h in holds
    )
    request_rows = "".join(
        f"<tr class='request' data-kind='{escape(r.kind)}'>"
        f"<td>{escape(r.request_id)}</td>"
        f"<td>{escape(t['kinds'].get(r.kind, r.kind))}</td>"
        f"<td>{r.status}</td><td>{_progress(r.counts)}</td>"
        f"<td>{r.deadline:%Y-%m-%d} {_countdown(days_left(r.deadline), r.status, t)}"
        f"{' (+)' if r.extended else ''}</td><td class='retry'>{_retry(r.retry, t)}</td>"
        f"<td>{_export_links(r, t)}</td></tr>"
        for r in requests
    )
    return (
        f"<h2>{t['holds']}</h2><table id='holds'>{hold_rows}</table>"
        f"<h2>{t['requests']}</h2><table id='requests'><tr><th>id</th><th>{t['kind']}</th>"
        f"<th>{t['status']}</th><th>{t['progress']}</th><th>{t['deadline']}</th>"
        f"<th>{t['retry']}</th><th>{t['export']}</th></tr>{request_rows}</table>"
    )


def _progress(counts: dict[str, int]) -> str:
    return escape(", ".join(f"{k} {n}" for k, n in sorted(counts.items()))) or "…"


def _retry(retry: ops.Retry | None, t: dict[str, str]) -> str:
    if retry is None:
        return ""
    at = retry.next_attempt_at
    when = f"{at.astimezone(UTC):%Y-%m-%d %H:%M} UTC" if at else t["next_sweep"]
    return escape(f"{when} ({retry.failed} {t['failed']}, {retry.attempts} {t['attempts']})")


def _export_links(row: ops.RequestView, t: dict[str, str]) -> str:
    if row.kind != "access" or row.status == "received":
        return ""
    rid = escape(row.request_id)
    return (
        f"<a class='export' id='export-{rid}' href='/ui/export/{rid}?format=html'>"
        f"{t['download']} (HTML)</a> · <a href='/ui/export/{rid}?format=json'>JSON</a>"
    )
