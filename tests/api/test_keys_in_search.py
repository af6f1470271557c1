"""Issue 9, item 9 through the HTTP API: identifiers in JSON object keys are found by
``/v1/search``, never returned or stored as field paths, and erased by ``/v1/erasure-requests``
with the other person's keys in the same JSON left as they were."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml
from company import KARI, OLA, build
from conftest import TOKENS, auth
from fastapi.testclient import TestClient
from glemsel.pipeline.core.config import load_config
from glemsel.pipeline.core.events import TOPIC_CHANGES, ChangeEvent
from glemsel.pipeline.interfaces.api import create_app
from glemsel.pipeline.runtime.embedded import EmbeddedDeployment

PARTICIPANTS = {
    KARI["name"]: {KARI["email"]: True, "rolle": "leder"},
    OLA["name"]: {OLA["email"]: True, "rolle": "sekretær"},
}
ONLY_KEYS = {KARI["fnr"]: {"oppmøte": "ja"}, KARI["phone"]: "ringt"}
KARI_KEYS = [KARI["name"], KARI["email"], KARI["fnr"], KARI["phone"]]


@pytest.fixture
def world(tmp_path: Path) -> Iterator[tuple[EmbeddedDeployment, Path]]:
    root = tmp_path / "w"
    config_path, events = build(root)
    raw = yaml.safe_load(config_path.read_text())
    raw["api"] = {
        "tokens": [
            {"name": "dsr-tool", "role": "dsr", "token": TOKENS["dsr"]},
            {"name": "kari-compliance", "role": "compliance", "token": TOKENS["compliance"]},
        ]
    }
    raw["systems"]["meetings"] = {
        "sink": {"kind": "sql", "url": "sqlite:///meet.db", "table": "meetings", "key": "id"},
        "on_erasure": "redact_spans",
    }
    config_path.write_text(yaml.safe_dump(raw, allow_unicode=True))
    rows = [
        {"id": 1, "title": "Styremøte", "participants": PARTICIPANTS},
        {"id": 2, "title": "Oppfølging", "participants": ONLY_KEYS},
    ]
    with sqlite3.connect(root / "meet.db") as conn:
        conn.execute(
            "CREATE TABLE meetings (id INTEGER PRIMARY KEY, title TEXT, participants JSON)"
        )
        for row in rows:
            conn.execute(
                "INSERT INTO meetings VALUES (?, ?, ?)",
                (row["id"], row["title"], json.dumps(row["participants"], ensure_ascii=False)),
            )
    for row in rows:
        event = ChangeEvent(
            system="meetings", record_type="meeting", record_id=str(row["id"]), op="c", data=row
        )
        events.append((TOPIC_CHANGES, event.to_json()))
    app = EmbeddedDeployment(load_config(config_path))
    for topic, event_bytes in events:
        app.publish(topic, event_bytes)
    app.run(until_idle=True)
    yield app, root
    app.close()


def _meetings(answer: dict) -> dict[str, list[dict]]:
    return {
        loc["record_id"]: loc["findings"]
        for loc in answer["locations"]
        if loc["system"] == "meetings"
    }


def test_search_by_an_email_in_a_key_finds_the_record_without_the_raw_key(world) -> None:
    app, _ = world
    client = TestClient(create_app(app))
    response = client.post(
        "/v1/search", headers=auth("compliance"), json={"emails": [KARI["email"]]}
    )
    assert response.status_code == 200
    found = _meetings(response.json())
    assert set(found) == {"1", "2"}, "both meetings hold Kari's identifiers, in keys only"
    emails = [f for f in found["1"] if f["type"] == "EMAIL_ADDRESS"]
    assert emails and all(f["field"].endswith(".[key]") for f in emails)
    assert all(f["field"].startswith("participants.[KEY:PERSON:") for f in emails)
    text = response.text.casefold()
    for raw in [*KARI_KEYS, OLA["name"], OLA["email"]]:
        assert raw.casefold() not in text, raw
    by_fnr = client.post("/v1/search", headers=auth("compliance"), json={"fnr": KARI["fnr"]})
    assert "2" in _meetings(by_fnr.json())


def test_index_rows_never_hold_a_raw_key(world) -> None:
    app, root = world
    with sqlite3.connect(root / "state" / "index.db") as conn:
        fields = [f for (f,) in conn.execute("SELECT field FROM findings WHERE system='meetings'")]
    assert fields, "the meetings are indexed"
    for field in fields:
        for raw in [*KARI_KEYS, OLA["name"], OLA["email"]]:
            assert raw.casefold() not in field.casefold(), field
    # Deterministic: the same record indexed again gives the same paths.
    event = ChangeEvent(
        system="meetings",
        record_type="meeting",
        record_id="1",
        op="u",
        data={"id": 1, "title": "Styremøte", "participants": PARTICIPANTS},
    )
    app.publish(TOPIC_CHANGES, event.to_json())
    app.run(until_idle=True)
    with sqlite3.connect(root / "state" / "index.db") as conn:
        again = [f for (f,) in conn.execute("SELECT field FROM findings WHERE system='meetings'")]
    assert sorted(again) == sorted(fields)


def test_erasure_removes_the_raw_keys_and_keeps_the_other_persons(world) -> None:
    app, root = world
    client = TestClient(create_app(app))
    response = client.post(
        "/v1/erasure-requests",
        headers=auth("dsr"),
        json={"request_id": "r-keys", "subject": {"fnr": KARI["fnr"]}},
    )
    assert response.status_code == 202
    app.run(until_idle=True)
    body = client.get("/v1/erasure-requests/r-keys", headers=auth("dsr")).json()
    assert body["status"] == "completed", body
    meetings = {o["record_id"]: o for o in body["outcomes"] if o["system"] == "meetings"}
    assert {r: (o["action"], o["verified"]) for r, o in meetings.items()} == {
        "1": ("redacted", True),
        "2": ("redacted", True),
    }
    # A grep of the sink's file: Kari's keys are gone, Ola's are there, values are kept.
    sink = (root / "meet.db").read_bytes().decode("utf-8", "replace")
    for raw in KARI_KEYS:
        assert raw not in sink, f"{raw} left in the sink"
    assert OLA["name"] in sink and OLA["email"] in sink
    with sqlite3.connect(root / "meet.db") as conn:
        rows = dict(conn.execute("SELECT id, participants FROM meetings"))
    first, second = json.loads(rows[1]), json.loads(rows[2])
    assert first[OLA["name"]] == PARTICIPANTS[OLA["name"]]
    assert first["[SLETTET:PERSON]"] == {"[SLETTET:EMAIL_ADDRESS]": True, "rolle": "leder"}
    assert second == {
        "[SLETTET:NO_FODSELSNUMMER]": {"oppmøte": "ja"},
        "[SLETTET:PHONE_NUMBER]": "ringt",
    }
    again = client.post("/v1/search", headers=auth("compliance"), json={"emails": [KARI["email"]]})
    assert _meetings(again.json()) == {}
    ola = client.post("/v1/search", headers=auth("compliance"), json={"emails": [OLA["email"]]})
    assert "1" in _meetings(ola.json())
