"""Access and rectification endpoints, every role, and the refusals."""

from __future__ import annotations

import json

import pytest
from company import KARI, OLA
from conftest import auth

NEW_PHONE = "+47 987 65 432"


def submit_access(client, who="dsr", request_id="a1", subject=None):
    return client.post(
        "/v1/access-requests",
        headers=auth(who),
        json={"request_id": request_id, "subject": subject or {"fnr": KARI["fnr"]}},
    )


def submit_fix(client, who="dsr", request_id="f1", **extra):
    body = {
        "request_id": request_id,
        "subject": {"fnr": KARI["fnr"]},
        "corrections": [{"type": "PHONE_NUMBER", "old": KARI["phone"], "new": NEW_PHONE}],
        **extra,
    }
    return client.post("/v1/rectification-requests", headers=auth(who), json=body)


def test_dsr_submits_access_reads_it_and_downloads_the_export(client, deployment) -> None:
    response = submit_access(client)
    assert response.status_code == 202 and response.json()["request_id"] == "a1"
    deployment.run(until_idle=True)
    view = client.get("/v1/access-requests/a1", headers=auth("dsr")).json()
    assert view["kind"] == "access" and view["status"] == "completed"
    assert view["days_left"] >= 27 and not view["overdue"]
    assert {o["action"] for o in view["outcomes"]} == {"exported"}
    assert KARI["fnr"] not in json.dumps(view)

    export = client.get("/v1/access-requests/a1/export", headers=auth("dsr"))
    assert export.status_code == 200 and export.headers["cache-control"] == "no-store"
    assert "attachment" in export.headers["content-disposition"]
    doc = export.json()
    assert doc["schema"] == "glemsel.access-export/1" and doc["subject"]["fnr"] == KARI["fnr"]
    assert doc["systems"] and all(
        {"purpose", "legal_basis", "records"} <= set(s) for s in doc["systems"]
    )
    html = client.get("/v1/access-requests/a1/export?format=html", headers=auth("compliance"))
    assert html.status_code == 200 and html.headers["content-type"].startswith("text/html")
    assert "Innsyn i personopplysninger" in html.text
    exports = [e for e in deployment.stores.audit.entries("a1") if e["kind"] == "access.export"]
    assert len(exports) == 2


def test_access_refusals(client, deployment) -> None:
    submit_access(client)
    deployment.run(until_idle=True)
    # Another DSR tool sees neither the request nor its export; its id is taken.
    assert client.get("/v1/access-requests/a1", headers=auth("dsr2")).status_code == 404
    assert client.get("/v1/access-requests/a1/export", headers=auth("dsr2")).status_code == 404
    assert submit_access(client, who="dsr2").status_code == 409
    # Compliance reads but does not submit; no token, no entry.
    assert submit_access(client, who="compliance", request_id="a2").status_code == 403
    assert client.get("/v1/access-requests/a1").status_code == 401
    assert client.get("/v1/access-requests/nope", headers=auth("compliance")).status_code == 404
    bad = client.get("/v1/access-requests/a1/export?format=pdf", headers=auth("dsr"))
    assert bad.status_code == 422
    assert submit_access(client, request_id="a3", subject={"emails": []}).status_code == 422
    # An erasure's id is not an access request.
    client.post(
        "/v1/erasure-requests",
        headers=auth("dsr"),
        json={"request_id": "e1", "subject": {"emails": [OLA["email"]]}},
    )
    deployment.run(until_idle=True)
    assert client.get("/v1/access-requests/e1", headers=auth("dsr")).status_code == 404
    assert client.get("/v1/access-requests/e1/export", headers=auth("dsr")).status_code == 404


def test_rectification_submit_read_and_refusals(client, deployment) -> None:
    assert submit_fix(client).status_code == 202
    deployment.run(until_idle=True)
    view = client.get("/v1/rectification-requests/f1", headers=auth("compliance")).json()
    assert view["kind"] == "rectification" and view["status"] == "completed"
    assert {o["action"] for o in view["outcomes"]} == {"rectified"}
    assert client.get("/v1/rectification-requests/f1", headers=auth("dsr2")).status_code == 404
    assert submit_fix(client, who="compliance", request_id="f2").status_code == 403
    same = {"type": "PHONE_NUMBER", "old": NEW_PHONE, "new": NEW_PHONE}
    assert submit_fix(client, request_id="f3", corrections=[same]).status_code == 422
    odd = {"type": "SHOE_SIZE", "old": "41", "new": "42"}
    assert submit_fix(client, request_id="f4", corrections=[odd]).status_code == 422
    assert submit_fix(client, request_id="f5", corrections=[]).status_code == 422
    assert submit_fix(client, request_id="f6", systems=["nope"]).status_code == 422


@pytest.mark.parametrize("who", ["dsr", "compliance", "admin"])
def test_one_clock_for_every_kind(client, deployment, who) -> None:
    submit_access(client)
    submit_fix(client)
    deployment.run(until_idle=True)
    listed = client.get("/v1/requests", headers=auth(who)).json()
    assert {r["kind"] for r in listed} == {"access", "rectification"}
    assert all({"deadline", "days_left", "overdue", "extended"} <= set(r) for r in listed)
    only = client.get("/v1/requests?kind=access", headers=auth(who)).json()
    assert [r["request_id"] for r in only] == ["a1"]
    extension = {"reason": "Mange systemer å gå gjennom", "months": 1}
    extended = client.post("/v1/requests/a1/extension", headers=auth(who), json=extension)
    if who != "admin":
        assert extended.status_code == 403
        return
    assert extended.status_code == 200 and extended.json()["extended"] is True
    again = client.post("/v1/requests/a1/extension", headers=auth(who), json=extension)
    assert again.status_code == 409
    assert client.get("/v1/requests", headers=auth("dsr2")).json() == []
