"""Issue 9, item 9: personal data in JSON object keys is data. A meeting system keeps its
participants in a JSON column keyed by name and e-mail; such keys are scanned like values,
never stored as field paths, and an erasure renames the subject's keys (keeping the rest).
Each scenario runs against the embedded and the distributed deployment."""

from __future__ import annotations

import json
import sqlite3
from typing import Any

import pytest
from world import KARI, OLA, TOPIC_CHANGES, World, change_line

pytestmark = pytest.mark.world_systems(
    {
        "meetings": {
            "sink": {"kind": "sql", "url": "sqlite:///meet.db", "table": "meetings", "key": "id"},
            "on_erasure": "redact_spans",
        }
    }
)

RAW_KEYS = [KARI["name"], KARI["email"], KARI["fnr"], OLA["name"], OLA["email"]]


def meetings() -> list[dict[str, Any]]:
    return [
        {
            "id": 1,
            "title": "Styremøte",
            "participants": {
                KARI["name"]: {KARI["email"]: True, "rolle": "leder"},
                OLA["name"]: {OLA["email"]: True, "rolle": "sekretær"},
            },
        },
        # Kari's identifiers are only in keys: the record must still be indexed.
        {"id": 2, "title": "Oppfølging", "participants": {KARI["fnr"]: {"oppmøte": "ja"}}},
    ]


def _add_meetings(world: World) -> None:
    with sqlite3.connect(world.root / "meet.db") as conn:
        conn.execute(
            "CREATE TABLE meetings (id INTEGER PRIMARY KEY, title TEXT, participants JSON)"
        )
        for row in meetings():
            conn.execute(
                "INSERT INTO meetings VALUES (?, ?, ?)",
                (row["id"], row["title"], json.dumps(row["participants"], ensure_ascii=False)),
            )
    for row in meetings():
        world.publish(TOPIC_CHANGES, change_line("meetings", "meeting", str(row["id"]), row))
    world.run()


def _fields(answer: dict[str, Any], system: str = "meetings") -> dict[str, list[str]]:
    return {
        loc["record_id"]: [f["field"] for f in loc["findings"]]
        for loc in answer["locations"]
        if loc["system"] == system
    }


def test_identifiers_in_keys_are_found_and_never_stored_as_paths(world: World) -> None:
    world.ingest_all()
    _add_meetings(world)

    by_email = _fields(world.search(emails=[KARI["email"]]))
    assert "1" in by_email, "the e-mail in a key makes the meeting Kari's location"
    assert "2" in _fields(world.search(fnr=KARI["fnr"])), "a record with ids only in keys"
    # The paths are made of keys without personal data: Kari's and Ola's keys are masked.
    shown = json.dumps(
        [world.search(fnr=p["fnr"]) for p in (KARI, OLA)], ensure_ascii=False
    ).casefold()
    assert "participants." in shown
    for raw in RAW_KEYS:
        assert raw.casefold() not in shown, raw
    stored = world.at_rest().decode("utf-8", "replace").casefold()
    for raw in RAW_KEYS:
        assert raw.casefold() not in stored, f"{raw} stored raw"
    # Deterministic: the same record gives the same paths.
    _add_meetings_again = meetings()[0]
    world.publish(TOPIC_CHANGES, change_line("meetings", "meeting", "1", _add_meetings_again))
    world.run()
    assert _fields(world.search(emails=[KARI["email"]]))["1"] == by_email["1"]


def test_erasure_renames_the_subjects_keys_and_keeps_everyone_elses(world: World) -> None:
    world.ingest_all()
    _add_meetings(world)

    done = world.erase("r-keys", fnr=KARI["fnr"])
    assert done.status == "completed", done
    outcomes = {r: a for (s, r), a in world.outcomes("r-keys").items() if s == "meetings"}
    assert outcomes == {"1": "redacted", "2": "redacted"}
    [(first,)] = world.sql("meet.db", "SELECT participants FROM meetings WHERE id = 1")
    [(second,)] = world.sql("meet.db", "SELECT participants FROM meetings WHERE id = 2")
    for raw in (KARI["name"], KARI["email"], KARI["fnr"]):
        assert raw not in first and raw not in second, f"{raw} left in a key"
    kept = json.loads(first)
    assert kept[OLA["name"]] == {OLA["email"]: True, "rolle": "sekretær"}, "Ola's entry is his"
    [(renamed, values)] = [(k, v) for k, v in kept.items() if k != OLA["name"]]
    assert renamed.startswith("[SLETTET:") and values["rolle"] == "leder"
    assert json.loads(second) == {"[SLETTET:NO_FODSELSNUMMER]": {"oppmøte": "ja"}}
    # Read back and re-indexed: Kari is no longer found there, Ola still is.
    assert "1" not in _fields(world.search(emails=[KARI["email"]]))
    assert "1" in _fields(world.search(emails=[OLA["email"]]))
