"""What the server decides before a handler runs (issue 9, items 6 and 10): body limits,
authentication before the body, same-origin forms with CSRF tokens, no framing, a Secure
cookie behind TLS, and a search rate limit per token audited under the token's name."""

from __future__ import annotations

import asyncio
import re

import pytest
from company import KARI
from conftest import TOKENS, auth
from fastapi.testclient import TestClient
from glemsel.pipeline.interfaces.api import create_app

ORIGIN = {"Origin": "http://testserver"}


def _asgi(app, method: str, path: str, headers: dict[str, str], chunks: list[bytes]):
    """Call the app as a server would, with a body that streams in ``chunks``; returns
    (status, how many chunks the app asked for)."""
    asked = 0
    sent: list[dict] = []

    async def receive():
        nonlocal asked
        asked += 1
        if asked > len(chunks):
            return {"type": "http.disconnect"}
        return {"type": "http.request", "body": chunks[asked - 1], "more_body": asked < len(chunks)}

    async def send(message):
        sent.append(message)

    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": method,
        "scheme": "http",
        "path": path,
        "raw_path": path.encode(),
        "query_string": b"",
        "root_path": "",
        "headers": [(k.lower().encode(), v.encode()) for k, v in headers.items()],
        "client": ("127.0.0.1", 5000),
        "server": ("testserver", 80),
    }
    asyncio.run(app(scope, receive, send))
    start = next(m for m in sent if m["type"] == "http.response.start")
    return start["status"], asked


def test_unauthenticated_body_is_never_read(deployment) -> None:
    app = create_app(deployment)
    status, asked = _asgi(
        app, "POST", "/v1/erasure-requests", {"content-type": "application/json"}, [b"{" * 4096]
    )
    assert (status, asked) == (401, 0)
    bad = {"content-type": "application/json", "authorization": "Bearer nope-nope-nope-nope"}
    assert _asgi(app, "POST", "/v1/search", bad, [b"x"]) == (401, 0)


def test_unauthenticated_malformed_body_gets_401_not_422(client) -> None:
    response = client.post(
        "/v1/erasure-requests", content=b"{not json", headers={"content-type": "application/json"}
    )
    assert response.status_code == 401
    assert (
        client.post("/v1/search", content=b"{not json", headers=auth("compliance")).status_code
        == 422
    )


def test_body_over_the_limit_is_refused_before_it_is_read(deployment) -> None:
    deployment.config.api.max_body_bytes = 4096
    app = create_app(deployment)
    headers = {"content-type": "application/json", "authorization": f"Bearer {TOKENS['admin']}"}
    status, asked = _asgi(
        app, "POST", "/v1/search", {**headers, "content-length": "50000000"}, [b"{}"]
    )
    assert (status, asked) == (413, 0)
    # Without Content-Length (chunked): counted as it streams, cut off at the limit.
    status, asked = _asgi(app, "POST", "/v1/search", headers, [b" " * 1024] * 100)
    assert status == 413 and asked <= 6
    client = TestClient(app)
    assert (
        client.post(
            "/v1/search", headers=auth("admin"), json={"emails": [KARI["email"]]}
        ).status_code
        == 200
    )


@pytest.mark.parametrize("path", ["/ui", "/v1/holds", "/healthz"])
def test_no_framing(client, path: str) -> None:
    response = client.get(path, headers=auth("admin"))
    assert response.headers["x-frame-options"] == "DENY"
    assert "frame-ancestors 'none'" in response.headers["content-security-policy"]


def test_page_csp_allows_no_script(client) -> None:
    csp = client.get("/ui").headers["content-security-policy"]
    assert "default-src 'none'" in csp and "script-src" not in csp and "form-action 'self'" in csp


def _csrf(html: str) -> str:
    tokens = set(re.findall(r"name='csrf' value='([0-9a-f]+)'", html))
    assert len(tokens) == 1
    return tokens.pop()


def _sign_in(client: TestClient, who: str = "admin") -> str:
    login = client.get("/ui")
    response = client.post(
        "/ui/login",
        data={"token": TOKENS[who], "csrf": _csrf(login.text)},
        headers=ORIGIN,
        follow_redirects=False,
    )
    assert response.status_code == 303
    return _csrf(client.get("/ui").text)


def test_every_form_carries_a_csrf_token(client) -> None:
    _sign_in(client)
    page = client.post(
        "/ui/search",
        data={"fnr": KARI["fnr"], "csrf": _csrf(client.get("/ui").text)},
        headers=ORIGIN,
    ).text
    forms = re.findall(r"<form\b[^>]*>", page)
    assert len(forms) >= 3
    assert page.count("name='csrf'") == len(forms)


def test_form_post_without_or_with_a_foreign_csrf_token_is_refused(client, deployment) -> None:
    token = _sign_in(client)
    before = len(deployment.stores.state.requests.all())
    assert client.post("/ui/erase", data={"fnr": KARI["fnr"]}, headers=ORIGIN).status_code == 403
    other = TestClient(create_app(deployment))
    foreign = _sign_in(other)
    assert foreign != token
    refused = client.post("/ui/erase", data={"fnr": KARI["fnr"], "csrf": foreign}, headers=ORIGIN)
    assert refused.status_code == 403
    deployment.run(until_idle=True)
    assert len(deployment.stores.state.requests.all()) == before
    ok = client.post("/ui/erase", data={"fnr": KARI["fnr"], "csrf": token}, headers=ORIGIN)
    assert ok.status_code == 200 and "req-" in ok.text


def test_sign_out_is_a_form_post_with_its_token(client) -> None:
    token = _sign_in(client)
    assert client.get("/ui/logout").status_code in (404, 405)  # a link cannot sign anyone out
    refused = client.post("/ui/logout", headers=ORIGIN, follow_redirects=False)
    assert refused.status_code == 403
    out = client.post("/ui/logout", data={"csrf": token}, headers=ORIGIN, follow_redirects=False)
    assert out.status_code == 303
    assert "id='token'" in client.get("/ui").text  # signed out: the login form again


@pytest.mark.parametrize(
    "headers",
    [
        {"Origin": "http://testserver:8081"},  # same site, another port
        {"Origin": "https://evil.example"},
        {"Referer": "http://testserver:9999/attack.html"},
        {},  # neither Origin nor Referer: not a browser showing our page
    ],
)
def test_cross_origin_form_posts_are_refused(client, deployment, headers) -> None:
    token = _sign_in(client)
    response = client.post("/ui/erase", data={"fnr": KARI["fnr"], "csrf": token}, headers=headers)
    assert response.status_code == 403
    deployment.run(until_idle=True)
    assert deployment.stores.state.requests.all() == []


def test_referer_of_our_own_page_is_accepted(client) -> None:
    token = _sign_in(client)
    response = client.post(
        "/ui/search",
        data={"fnr": KARI["fnr"], "csrf": token},
        headers={"Referer": "http://testserver/ui"},
    )
    assert response.status_code == 200


def _cookies(response) -> list[str]:
    return response.headers.get_list("set-cookie")


def test_cookie_is_secure_over_tls(deployment) -> None:
    https = TestClient(create_app(deployment), base_url="https://glemsel.example")
    login = https.get("/ui")
    assert all("Secure" in c for c in _cookies(login))
    response = https.post(
        "/ui/login",
        data={"token": TOKENS["admin"], "csrf": _csrf(login.text)},
        headers={"Origin": "https://glemsel.example"},
        follow_redirects=False,
    )
    assert response.status_code == 303
    [cookie] = [c for c in _cookies(response) if c.startswith("glemsel_token=")]
    assert "Secure" in cookie and "HttpOnly" in cookie and "SameSite=strict" in cookie


def test_forwarded_proto_counts_only_when_configured(deployment) -> None:
    proxied = {"X-Forwarded-Proto": "https"}
    plain = TestClient(create_app(deployment))
    assert not any("Secure" in c for c in _cookies(plain.get("/ui", headers=proxied)))
    deployment.config.api.trust_forwarded_proto = True
    trusted = TestClient(create_app(deployment))
    assert all("Secure" in c for c in _cookies(trusted.get("/ui", headers=proxied)))


def test_search_rate_limit_per_token_audited_by_name(deployment) -> None:
    deployment.config.api.search_burst = 3
    deployment.config.api.search_per_minute = 1
    client = TestClient(create_app(deployment))
    body = {"fnr": KARI["fnr"]}
    codes = [
        client.post("/v1/search", headers=auth("compliance"), json=body).status_code
        for _ in range(5)
    ]
    assert codes == [200, 200, 200, 429, 429]
    refused = client.post("/v1/search", headers=auth("compliance"), json=body)
    assert int(refused.headers["retry-after"]) >= 1
    # Another token has its own allowance.
    assert client.post("/v1/search", headers=auth("admin"), json=body).status_code == 200
    searches = [e for e in deployment.stores.audit.entries() if e["kind"] == "search"]
    assert [e["detail"]["by"] for e in searches] == ["kari-compliance"] * 3 + ["ops-admin"]


def test_page_search_shares_the_rate_limit(deployment) -> None:
    deployment.config.api.search_burst = 1
    deployment.config.api.search_per_minute = 1
    client = TestClient(create_app(deployment))
    token = _sign_in(client, "compliance")
    data = {"fnr": KARI["fnr"], "csrf": token}
    assert client.post("/ui/search", data=data, headers=ORIGIN).status_code == 200
    assert client.post("/ui/search", data=data, headers=ORIGIN).status_code == 429
