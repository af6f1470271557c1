"""The embedded bus never hands out an offset twice: expiry and erasure delete rows, the
newest ones too, and a reused offset at or below a group's committed one is never polled."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime, timedelta
from pathlib import Path

from glemsel.pipeline.stores.bus import EmbeddedBus

TOPIC = "glemsel.changes"


def _drain(bus: EmbeddedBus) -> list[bytes | None]:
    messages = bus.poll("worker", {TOPIC})
    if messages:
        bus.commit("worker", messages[-1].offset)
    return [m.value for m in messages]


def test_an_event_after_every_row_expired_is_still_polled(tmp_path: Path) -> None:
    bus = EmbeddedBus(tmp_path / "bus.db")
    for i in range(3):
        bus.publish(TOPIC, f"e{i}".encode())
    assert _drain(bus) == [b"e0", b"e1", b"e2"]
    assert bus.expire(datetime.now(UTC) + timedelta(days=1), "worker", {TOPIC}) == 3
    bus.publish(TOPIC, b"after")
    assert _drain(bus) == [b"after"]


def test_an_old_log_is_migrated_and_continues_above_the_committed_offset(tmp_path: Path) -> None:
    path = tmp_path / "bus.db"
    old = sqlite3.connect(path)  # the log as it was created before AUTOINCREMENT
    old.executescript(
        'CREATE TABLE log ("offset" INTEGER NOT NULL PRIMARY KEY, topic VARCHAR NOT NULL,'
        " key VARCHAR, value BLOB, ts VARCHAR NOT NULL);"
        "CREATE INDEX ix_log_topic ON log (topic);"
        'CREATE TABLE offsets ("group" VARCHAR NOT NULL PRIMARY KEY, "offset" INTEGER NOT NULL);'
        f"INSERT INTO log VALUES (1, '{TOPIC}', NULL, x'6131', '2026-01-01T00:00:00+00:00');"
        "INSERT INTO offsets VALUES ('worker', 5);"  # rows 2..5 were deleted already
    )
    old.commit()
    old.close()
    bus = EmbeddedBus(path)
    assert [m.value for m in bus.read(TOPIC)] == [b"a1"]
    assert bus.publish(TOPIC, b"new") == 6
    assert _drain(bus) == [b"new"]
    EmbeddedBus(path).close()  # opening again changes nothing
    assert EmbeddedBus(path).publish(TOPIC, b"next") == 7


def test_a_poll_stops_at_its_byte_bound_and_always_takes_one(tmp_path: Path) -> None:
    bus = EmbeddedBus(tmp_path / "bus.db")
    for i in range(5):
        bus.publish(TOPIC, bytes([65 + i]) * 400)
    first = bus.poll("worker", {TOPIC}, max_bytes=1_000)
    assert [m.value[:1] for m in first if m.value] == [b"A", b"B"]  # a third would pass it
    bus.commit("worker", first[-1].offset)
    assert len(bus.poll("worker", {TOPIC}, max_bytes=10)) == 1  # larger than the bound
    assert len(bus.poll("worker", {TOPIC}, limit=2)) == 2
    assert len(bus.poll("worker", {TOPIC})) == 3
