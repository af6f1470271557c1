"""Issue 9, item 1 at the API: a name alone that two subjects share is answered with the
candidates (search) or a conflict (erasure), never merged or guessed."""

from __future__ import annotations

import json
import sqlite3

from company import KARI, fodselsnummer
from conftest import auth
from fastapi.testclient import TestClient
from glemsel.pipeline.core.events import TOPIC_CHANGES, ChangeEvent
from glemsel.pipeline.runtime.embedded import EmbeddedDeployment

NAMESAKE = {
    "id": 9,
    "title": "Kunde",
    "name": KARI["name"],
    "email": "kari.n@annet.no",
    "phone": "+47 976 54 321",
    "fnr": fodselsnummer("010101", 500),
}


def test_name_alone_lists_candidates_and_refuses_to_erase(
    client: TestClient, deployment: EmbeddedDeployment
) -> None:
    with sqlite3.connect(deployment.config.base_dir / "crm.db") as conn:
        cols = ", ".join(NAMESAKE)
        conn.execute(
            f"INSERT INTO contacts ({cols}) VALUES ({', '.join('?' for _ in NAMESAKE)})",
            list(NAMESAKE.values()),
        )
    event = ChangeEvent(system="crm", record_type="contact", record_id="9", op="c", data=NAMESAKE)
    deployment.publish(TOPIC_CHANGES, event.to_json(), event.key)
    deployment.run(until_idle=True)

    found = client.post("/v1/search", json={"names": [KARI["name"]]}, headers=auth("compliance"))
    assert found.status_code == 200, found.text
    body = found.json()
    assert body["ambiguous"] is True and len(body["candidates"]) == 2
    assert body["locations"] == []
    assert KARI["email"] not in json.dumps(body) and NAMESAKE["fnr"] not in json.dumps(body)

    refused = client.post(
        "/v1/erasure-requests", json={"subject": {"names": [KARI["name"]]}}, headers=auth("dsr")
    )
    assert refused.status_code == 409, refused.text
    assert "ambiguous: 2 candidate subjects" in refused.text
    # Named by a strong identifier, the same person is found without her namesake.
    kari = client.post("/v1/search", json={"fnr": KARI["fnr"]}, headers=auth("compliance"))
    records = {(loc["system"], loc["record_id"]) for loc in kari.json()["locations"]}
    assert ("crm", "1") in records and ("crm", "9") not in records
