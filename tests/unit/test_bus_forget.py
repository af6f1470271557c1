"""A completed erasure's purge of the embedded log looks at the messages of the locations it
acted on (and at those that located nothing, or came before locations were kept), not at
every message: its cost follows the subject, not the log's length."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from glemsel.pipeline.stores.bus import UNLOCATED, EmbeddedBus

CHANGES, REQUESTS = "glemsel.changes", "glemsel.erasure.requests"
INPUTS = {CHANGES, REQUESTS}


def _values(bus: EmbeddedBus, topic: str) -> list[bytes | None]:
    return [m.value for m in bus.read(topic)]


def test_forget_looks_at_the_erased_locations_and_the_unlocated(tmp_path: Path) -> None:
    bus = EmbeddedBus(tmp_path / "bus.db")
    a = bus.publish(CHANGES, b"kari at crm/1")
    b = bus.publish(CHANGES, b"kari at support/7")  # not a location the request acted on
    c = bus.publish(CHANGES, b"kari, unparseable")  # a dead letter: located nothing
    d = bus.publish(CHANGES, b"ola at crm/2")
    bus.commit("w", d, [(a, "crm", "1"), (b, "support", "7"), (c, *UNLOCATED), (d, "crm", "2")])
    r = bus.publish(REQUESTS, b"erase kari")
    later = bus.publish(CHANGES, b"kari, pending")  # after the request: not processed yet
    looked: list[bytes | None] = []

    def holds(value: bytes | None) -> bool:
        looked.append(value)
        return value is not None and b"kari" in value

    gone = bus.forget(holds, r, INPUTS, (CHANGES, {("crm", "1")}))
    assert gone == 3
    assert b"ola at crm/2" not in looked, "a message of another location is not read"
    assert _values(bus, CHANGES) == [b"kari at support/7", b"ola at crm/2", b"kari, pending"]
    assert _values(bus, REQUESTS) == []
    assert later > r
    with sqlite3.connect(tmp_path / "bus.db") as conn:  # the deleted messages' rows went too
        rows = conn.execute('select "offset" from log_locations order by 1').fetchall()
    assert rows == [(b,), (d,)]


def test_messages_from_before_the_locations_table_are_looked_at(tmp_path: Path) -> None:
    path = tmp_path / "bus.db"
    old = sqlite3.connect(path)  # a log written by a version that kept no locations
    old.executescript(
        'CREATE TABLE log ("offset" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,'
        " topic VARCHAR NOT NULL, key VARCHAR, value BLOB, ts VARCHAR NOT NULL);"
        'CREATE TABLE offsets ("group" VARCHAR NOT NULL PRIMARY KEY, "offset" INTEGER NOT NULL);'
        f"INSERT INTO log VALUES (1, '{CHANGES}', NULL, x'6b617269', '2026-01-01T00:00:00');"
        "INSERT INTO offsets VALUES ('w', 1);"
    )
    old.commit()
    old.close()
    bus = EmbeddedBus(path)
    new = bus.publish(CHANGES, b"kari again")
    bus.commit("w", new, [(new, "crm", "9")])
    gone = bus.forget(lambda v: v is not None and b"kari" in v, new, INPUTS, (CHANGES, set()))
    assert gone == 1  # the old one; the new one is of a location the request did not name
    assert _values(bus, CHANGES) == [b"kari again"]
    assert EmbeddedBus(path).forget(lambda v: True, new, INPUTS, (CHANGES, {("crm", "9")})) == 1
