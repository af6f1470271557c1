"""Every endpoint and role of the HTTP API, including the refusals."""

from __future__ import annotations

from datetime import datetime

import pytest
from company import KARI
from conftest import auth
from test_http_guard import _sign_in

KARI_IDS = {"fnr": KARI["fnr"]}


def submit(client, who="dsr", request_id="r1", **extra):
    return client.post(
        "/v1/erasure-requests",
        headers=auth(who),
        json={"request_id": request_id, "subject": KARI_IDS, **extra},
    )


def test_dsr_submits_and_reads_its_own_request(client, deployment) -> None:
    response = submit(client)
    assert response.status_code == 202
    assert response.json()["request_id"] == "r1"
    deployment.run(until_idle=True)
    body = client.get("/v1/erasure-requests/r1", headers=auth("dsr")).json()
    assert body["status"] == "completed" and body["days_left"] >= 27
    assert {o["system"] for o in body["outcomes"]} >= {"crm", "support", "mail", "orders"}
    assert [
        r["request_id"] for r in client.get("/v1/erasure-requests", headers=auth("dsr")).json()
    ] == ["r1"]


def test_dsr_cannot_see_another_dsrs_request(client, deployment) -> None:
    submit(client)
    deployment.run(until_idle=True)
    assert client.get("/v1/erasure-requests/r1", headers=auth("dsr2")).status_code == 404
    assert client.get("/v1/erasure-requests", headers=auth("dsr2")).json() == []
    assert submit(client, who="dsr2").status_code == 409, "the id belongs to another requester"


@pytest.mark.parametrize(
    ("headers", "code", "message"),
    [
        ({}, 401, "missing bearer token"),
        ({"Authorization": "Bearer wrong-token-123456"}, 401, "unknown bearer token"),
        ({"Authorization": "Basic abc"}, 401, "missing bearer token"),
    ],
)
def test_authentication_refusals(client, headers, code, message) -> None:
    response = client.post("/v1/search", headers=headers, json={"emails": [KARI["email"]]})
    assert response.status_code == code and message in response.json()["detail"]


@pytest.mark.parametrize(
    ("method", "path", "who", "json"),
    [
        ("post", "/v1/search", "dsr", {"emails": ["a@b.no"]}),
        ("get", "/v1/holds", "dsr", None),
        ("post", "/v1/holds", "compliance", {"reason": "x", "systems": ["crm"]}),
        ("delete", "/v1/holds/h1", "compliance", None),
        ("post", "/v1/erasure-requests", "compliance", {"subject": KARI_IDS}),
        ("post", "/v1/erasure-requests/r1/extension", "compliance", {"reason": "x"}),
        ("get", "/v1/audit/verify", "dsr", None),
    ],
)
def test_wrong_role_is_refused_and_changes_nothing(
    client, deployment, method, path, who, json
) -> None:
    before = deployment.bus.pending(
        "glemsel-worker", {"glemsel.erasure.requests", "glemsel.legal-holds"}
    )
    response = client.request(method, path, headers=auth(who), json=json)
    assert response.status_code == 403 and "may not do this" in response.json()["detail"]
    assert (
        deployment.bus.pending(
            "glemsel-worker", {"glemsel.erasure.requests", "glemsel.legal-holds"}
        )
        == before
    )


@pytest.mark.parametrize(
    "body",
    [
        {},
        {"subject": {}},
        {"subject": {"fnr": 123}},
        {"subject": KARI_IDS, "systems": ["x"]},
        {"subject": KARI_IDS, "unexpected": 1},
    ],
)
def test_malformed_request_body(client, body) -> None:
    response = client.post("/v1/erasure-requests", headers=auth("dsr"), json=body)
    assert response.status_code == 422


def test_search_is_audited_without_raw_identifiers(client, deployment) -> None:
    response = client.post(
        "/v1/search", headers=auth("compliance"), json={"emails": [KARI["email"]]}
    )
    assert response.status_code == 200
    assert {"crm", "support", "mail", "chat", "orders"} <= set(response.json()["systems"])
    [entry] = [e for e in deployment.stores.audit.entries() if e["kind"] == "search"]
    assert KARI["email"] not in str(entry)
    # Audited under the searcher's token name: a hash of it would hold nobody to account.
    assert entry["detail"]["by"] == "kari-compliance"


def test_holds_lifecycle_and_extension(client, deployment) -> None:
    placed = client.post(
        "/v1/holds",
        headers=auth("admin"),
        json={"hold_id": "h1", "reason": "tvist", "systems": ["support"], "subject": KARI_IDS},
    )
    assert placed.status_code == 202
    deployment.run(until_idle=True)
    submit(client, who="admin", request_id="r2")
    deployment.run(until_idle=True)
    assert (
        client.get("/v1/erasure-requests/r2", headers=auth("compliance")).json()["status"]
        == "partially_held"
    )
    holds = client.get("/v1/holds", headers=auth("compliance")).json()
    assert holds[0]["hold_id"] == "h1" and holds[0]["active"]
    assert client.delete("/v1/holds/h1", headers=auth("admin")).status_code == 202
    assert client.delete("/v1/holds/nope", headers=auth("admin")).status_code == 404
    deployment.run(until_idle=True)
    assert (
        client.get("/v1/erasure-requests/r2", headers=auth("admin")).json()["status"] == "completed"
    )
    extended = client.post(
        "/v1/erasure-requests/r2/extension",
        headers=auth("admin"),
        json={"reason": "mange systemer", "months": 2},
    )
    assert extended.status_code == 200 and extended.json()["extended"] is True
    again = client.post(
        "/v1/erasure-requests/r2/extension", headers=auth("admin"), json={"reason": "igjen"}
    )
    assert again.status_code == 409
    assert (
        client.post(
            "/v1/erasure-requests/zz/extension", headers=auth("admin"), json={"reason": "x"}
        ).status_code
        == 404
    )


def test_hold_without_scope_is_refused(client) -> None:
    response = client.post("/v1/holds", headers=auth("admin"), json={"reason": "x"})
    assert response.status_code == 422 and "scope" in response.json()["detail"]


def test_audit_verify_health_and_metrics(client, deployment) -> None:
    assert client.get("/v1/audit/verify", headers=auth("compliance")).json()["ok"] is True
    assert client.get("/healthz").json() == {"status": "ok"}
    metrics = client.get("/metrics").text
    assert "glemsel_events_total" in metrics and "glemsel_findings_total" in metrics
    assert "glemsel_requests_overdue" in metrics and "glemsel_active_holds" in metrics
    assert KARI["email"] not in metrics


def test_openapi_spec_is_served_and_committed(client) -> None:
    import json
    from pathlib import Path

    served = client.get("/openapi.json").json()
    committed = json.loads((Path(__file__).parents[2] / "docs" / "openapi.json").read_text())
    assert served == committed, (
        "run `python -m glemsel.pipeline.interfaces.openapi` and commit docs/openapi.json"
    )


def test_a_failed_location_shows_its_retry_in_the_api_and_on_the_page(
    client, deployment, monkeypatch: pytest.MonkeyPatch
) -> None:
    def down(*args: object, **kwargs: object) -> None:
        raise ConnectionError("support is down")

    monkeypatch.setattr(deployment.processor.sinks["support"], "update", down)
    submit(client, request_id="r-down")
    deployment.run(until_idle=True)
    body = client.get("/v1/erasure-requests/r-down", headers=auth("dsr")).json()
    assert body["status"] == "failed"
    failed = [o for o in body["outcomes"] if o["action"] == "failed"]
    assert [(o["system"], o["attempts"]) for o in failed] == [("support", 1)]
    assert body["retry"] == {
        "failed": 1,
        "attempts": 1,
        "next_attempt_at": failed[0]["next_attempt_at"],
    }
    listed = client.get("/v1/requests", headers=auth("dsr")).json()
    assert [r["retry"] for r in listed] == [body["retry"]]

    _sign_in(client)
    page = client.get("/ui").text
    row = next(r for r in page.split("<tr class='request'")[1:] if "r-down" in r)
    when = datetime.fromisoformat(failed[0]["next_attempt_at"])
    assert f"{when:%Y-%m-%d %H:%M} UTC (1 feilet, 1 forsøk)" in row
