"""What the HTTP server checks before any handler runs: pure ASGI, so nothing reads a body first.

    body limit     Content-Length over the limit is a 413 before a byte is read; a body sent
                   without it (chunked) is counted as it streams and cut off at the limit.
    bearer first   /v1/* without a known bearer token is a 401 before the body is read, so an
                   anonymous caller can make the server neither buffer nor parse anything.
    same origin    a form post to the compliance page (/ui/*) must come from the page's own
                   origin (Origin, else Referer): a site on another port is not the page.
    headers        no framing (X-Frame-Options DENY, CSP frame-ancestors 'none'); the page
                   gets a strict CSP (no script, its own style, forms only to itself).

Plus a token bucket per caller for searches (config ``api.search_per_minute``).
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import threading
import time
from base64 import b64encode
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any
from urllib.parse import urlsplit

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]


def _header(scope: Scope, name: bytes) -> str | None:
    for key, value in scope.get("headers", []):
        if key == name:
            return value.decode("latin-1")
    return None


async def _answer(
    send: Send,
    status: int,
    detail: str,
    headers: list[tuple[bytes, bytes]] | None = None,
) -> None:
    body = json.dumps({"detail": detail}).encode()
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [
                (b"content-type", b"application/json"),
                (b"content-length", str(len(body)).encode()),
                (b"connection", b"close"),
                *(headers or []),
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})


class _TooLarge(Exception):
    pass


class BodyLimit:
    def __init__(self, app: ASGIApp, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        length = _header(scope, b"content-length")
        if length is not None:
            if not length.isdigit():
                await _answer(send, 400, "Content-Length is not a number")
                return
            if int(length) > self.max_bytes:
                await _answer(send, 413, self._detail)
                return
        seen, over, answered = 0, False, False

        async def counted() -> Message:
            nonlocal seen, over
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > self.max_bytes:
                    over = True
                    raise _TooLarge
            return message

        async def watched(message: Message) -> None:
            # The framework may turn the failed read into an answer of its own (a 400):
            # whatever it answers, the client gets the 413 instead.
            nonlocal answered
            if not over:
                await send(message)
            elif not answered and message["type"] == "http.response.start":
                answered = True
                await _answer(send, 413, self._detail)

        with contextlib.suppress(_TooLarge):
            await self.app(scope, counted, watched)
        if over and not answered:
            await _answer(send, 413, self._detail)

    @property
    def _detail(self) -> str:
        return f"request body over the limit of {self.max_bytes} bytes"


class BearerFirst:
    """401 for /v1/* unless the Authorization header carries a known token; the role checks
    stay with each route."""

    def __init__(self, app: ASGIApp, known: Callable[[str], bool]) -> None:
        self.app = app
        self.known = known

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and scope["path"].startswith("/v1/"):
            value = _header(scope, b"authorization") or ""
            scheme, _, token = value.partition(" ")
            if scheme.lower() != "bearer" or not token.strip():
                await _answer(send, 401, "missing bearer token", [(b"www-authenticate", b"Bearer")])
                return
            if not self.known(token.strip()):
                await _answer(send, 401, "unknown bearer token", [(b"www-authenticate", b"Bearer")])
                return
        await self.app(scope, receive, send)


def request_origin(scope: Scope, trust_forwarded_proto: bool) -> str:
    """scheme://host[:port] of this server as the browser addressed it."""
    scheme = request_scheme(scope, trust_forwarded_proto)
    host = _header(scope, b"host")
    if not host:
        server = scope.get("server") or ("localhost", None)
        host = server[0] if server[1] in (None, 80, 443) else f"{server[0]}:{server[1]}"
    default = {"http": ":80", "https": ":443"}.get(scheme, "")
    if default and host.endswith(default):
        host = host[: -len(default)]
    return f"{scheme}://{host.lower()}"


def request_scheme(scope: Scope, trust_forwarded_proto: bool) -> str:
    if trust_forwarded_proto:
        forwarded = (_header(scope, b"x-forwarded-proto") or "").split(",")[0].strip().lower()
        if forwarded in {"http", "https"}:
            return forwarded
    return str(scope.get("scheme", "http"))


def _origin_of(url: str) -> str | None:
    parts = urlsplit(url)
    if not parts.scheme or not parts.hostname:
        return None
    port = parts.port
    default = {"http": 80, "https": 443}.get(parts.scheme)
    host = parts.hostname if port in (None, default) else f"{parts.hostname}:{port}"
    return f"{parts.scheme}://{host}"


class SameOrigin:
    """Unsafe requests to the page (/ui/*) only from the page's own origin (or a configured
    one). Browsers send Origin with every form post; a post naming neither Origin nor
    Referer is not from a browser showing our page, so it is refused too."""

    SAFE = frozenset({"GET", "HEAD", "OPTIONS"})

    def __init__(
        self, app: ASGIApp, allowed: list[str], trust_forwarded_proto: bool = False
    ) -> None:
        self.app = app
        self.allowed = {a.rstrip("/").lower() for a in allowed}
        self.trust_forwarded_proto = trust_forwarded_proto

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if (
            scope["type"] == "http"
            and scope["method"] not in self.SAFE
            and (scope["path"] == "/ui" or scope["path"].startswith("/ui/"))
        ):
            origin = _header(scope, b"origin")
            if origin is None or origin == "null":
                referer = _header(scope, b"referer")
                origin = _origin_of(referer) if referer else None
            own = request_origin(scope, self.trust_forwarded_proto)
            if origin is None or origin.lower() not in {own, *self.allowed}:
                await _answer(send, 403, "cross-origin form post refused")
                return
        await self.app(scope, receive, send)


def style_hash(style: str) -> str:
    return "'sha256-" + b64encode(hashlib.sha256(style.encode()).digest()).decode() + "'"


class SecurityHeaders:
    def __init__(self, app: ASGIApp, page_csp: str) -> None:
        self.app = app
        self.page_csp = page_csp.encode()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        page = scope["path"] == "/ui" or scope["path"].startswith("/ui/")
        csp = self.page_csp if page else b"frame-ancestors 'none'"

        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = [
                    (k, v)
                    for k, v in message.get("headers", [])
                    if k.lower() not in {b"x-frame-options", b"content-security-policy"}
                ]
                headers += [
                    (b"x-frame-options", b"DENY"),
                    (b"content-security-policy", csp),
                    (b"x-content-type-options", b"nosniff"),
                    (b"referrer-policy", b"same-origin"),
                ]
                message = {**message, "headers": headers}
            await send(message)

        await self.app(scope, receive, with_headers)


class RateLimiter:
    """A token bucket per caller: ``per_minute`` on average, bursts of up to ``burst``."""

    def __init__(self, per_minute: float, burst: int, clock: Callable[[], float] = time.monotonic):
        self.rate = per_minute / 60.0
        self.burst = float(burst)
        self.clock = clock
        self._buckets: dict[str, tuple[float, float]] = {}
        self._lock = threading.Lock()

    def take(self, caller: str) -> float:
        """0 if allowed (and counted); otherwise the seconds until the next one is."""
        now = self.clock()
        with self._lock:
            tokens, last = self._buckets.get(caller, (self.burst, now))
            tokens = min(self.burst, tokens + (now - last) * self.rate)
            if tokens >= 1:
                self._buckets[caller] = (tokens - 1, now)
                return 0.0
            self._buckets[caller] = (tokens, now)
            return (1 - tokens) / self.rate if self.rate > 0 else 60.0
