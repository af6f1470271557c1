"""Issue 9: erase exactly the right person, all of their data, and report only what is true.
Each scenario runs against the embedded and the distributed deployment."""

from __future__ import annotations

import base64
import json
import sqlite3
from datetime import UTC, datetime

from company import fodselsnummer
from glemsel.pipeline.core.events import TOPIC_ERASURE_REQUESTS, ErasureRequest, SubjectIdentifiers
from world import KARI, OLA, TOPIC_CHANGES, World, change_line


def test_one_request_id_from_two_clients_is_never_merged(world: World) -> None:
    """Item 4: the second client's request under a taken id is refused, with its reason."""
    world.ingest_all()
    for who, person in (("dsr-a", KARI), ("dsr-b", OLA)):
        req = ErasureRequest(
            request_id="same-id", subject=SubjectIdentifiers(fnr=person["fnr"]), requested_by=who
        )
        world.publish(TOPIC_ERASURE_REQUESTS, req)
    world.run()
    req = world.request("same-id")
    assert req["requested_by"] == "dsr-a" and req["status"] == "completed"
    crm = {rid for (system, rid) in world.outcomes("same-id") if system == "crm"}
    assert crm == {"1"}, "Ola's contact must not be erased under Kari's request"
    assert world.sql("crm.db", "SELECT id FROM contacts") == [(2,)]
    refused = [
        letter
        for letter in world.app.dead_letters()
        if letter.topic == TOPIC_ERASURE_REQUESTS and b"dsr-b" in base64.b64decode(letter.original)
    ]
    assert len(refused) == 1 and "taken by another requester" in refused[0].error
    assert "request.refused" in world.audit_kinds()


PER_1 = {
    "name": "Per Olsen",
    "email": "per.olsen@example.no",
    "phone": "+47 913 22 334",
    "fnr": fodselsnummer("110478", 210),
}
PER_2 = {
    "name": "Per Olsen",
    "email": "polsen@firma.no",
    "phone": "+47 976 54 321",
    "fnr": fodselsnummer("230591", 330),
}


def _namesakes(world: World) -> None:
    now = datetime.now(UTC).isoformat()
    contacts = [{"id": 3, "title": "Kunde", **PER_1}, {"id": 4, "title": "Kunde", **PER_2}]
    chats = [
        {
            "id": 3,
            "channel": "kundechat",
            "author": "kunde",
            "sent_at": now,
            "text": f"Hei, det er Per Olsen. Mailen min er {PER_2['email']}",
        },
        {
            "id": 4,
            "channel": "kundechat",
            "author": "kunde",
            "sent_at": now,
            "text": "Per Olsen ringte i går om leveransen",
        },
    ]
    for db, table, rows, system, rtype in (
        ("crm.db", "contacts", contacts, "crm", "contact"),
        ("chat.db", "messages", chats, "chat", "message"),
    ):
        with sqlite3.connect(world.root / db) as conn:
            for row in rows:
                cols = ", ".join(row)
                conn.execute(
                    f"INSERT INTO {table} ({cols}) VALUES ({', '.join('?' for _ in row)})",
                    list(row.values()),
                )
        for row in rows:
            world.publish(TOPIC_CHANGES, change_line(system, rtype, str(row["id"]), row))
    world.run()


def test_namesakes_stay_two_subjects(world: World) -> None:
    """Item 1: a shared name links nothing; erasing one Per Olsen leaves the other alone."""
    world.ingest_all()
    _namesakes(world)
    by_name = world.search(names=["Per Olsen"])
    assert by_name["ambiguous"] and len(by_name["candidates"]) == 2
    assert by_name["locations"] == [], "a name alone must not pick, or merge, namesakes"
    shown = json.dumps(by_name["candidates"])
    assert PER_1["email"] not in shown and PER_2["fnr"] not in shown
    second = {
        (loc["system"], loc["record_id"]) for loc in world.search(fnr=PER_2["fnr"])["locations"]
    }
    assert {("crm", "4"), ("chat", "3")} <= second and ("crm", "3") not in second

    # A request by name alone is not executed: it says why, and touches nothing.
    ambiguous = world.erase("by-name", names=["Per Olsen"])
    assert ambiguous["status"] == "ambiguous" and ambiguous["counts"] == {}
    assert world.sql("crm.db", "SELECT id FROM contacts WHERE id IN (3, 4)") == [(3,), (4,)]

    done = world.erase("per-1", fnr=PER_1["fnr"])
    assert done["status"] == "completed"
    assert ("crm", "3") in world.outcomes("per-1")
    assert world.sql("crm.db", "SELECT id FROM contacts WHERE id IN (3, 4)") == [(4,)]
    assert world.sql("chat.db", "SELECT id FROM messages WHERE id IN (3, 4)") == [(3,), (4,)]
    assert {("crm", "4"), ("chat", "3")} <= {
        (loc["system"], loc["record_id"]) for loc in world.search(fnr=PER_2["fnr"])["locations"]
    }
