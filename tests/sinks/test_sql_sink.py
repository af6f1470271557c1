from __future__ import annotations

import sqlite3
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from glemsel.sinks import open_sink
from glemsel.sinks.spec import SinkSpec

NOW = datetime.now(UTC)


@pytest.fixture
def sink(tmp_path: Path):
    with sqlite3.connect(tmp_path / "chat.db") as conn:
        conn.execute("create table messages (id integer primary key, text text, sent_at text)")
        conn.executemany(
            "insert into messages values (?, ?, ?)",
            [(i, f"melding {i}", (NOW - timedelta(days=10 * i)).isoformat()) for i in range(1, 8)],
        )
    spec = SinkSpec(
        kind="sql", url="sqlite:///chat.db", table="messages", timestamp_field="sent_at"
    )
    s = open_sink("chat", spec, tmp_path)
    yield s
    s.close()


def test_read_update_delete(sink) -> None:
    assert sink.read("1")["text"] == "melding 1"
    assert sink.update("1", {"text": "[SLETTET]", "unknown_column": 1})
    assert sink.read("1")["text"] == "[SLETTET]"
    assert sink.delete("1") is True
    assert sink.read("1") is None
    assert sink.delete("1") is False, "deleting again is harmless"
    assert sink.update("1", {"text": "x"}) is False


def test_older_than(sink) -> None:
    assert sorted(sink.record_ids_older_than(NOW - timedelta(days=60)), key=int) == ["7"]
    assert len(sink.record_ids_older_than(NOW)) == 7


def test_iter_records_is_resumable(sink) -> None:
    first = [rid for rid, _ in sink.iter_records(batch=3)]
    assert first == [str(i) for i in range(1, 8)]
    assert [rid for rid, _ in sink.iter_records(after="4", batch=2)] == ["5", "6", "7"]


def test_missing_key_column(tmp_path: Path) -> None:
    with sqlite3.connect(tmp_path / "x.db") as conn:
        conn.execute("create table t (a text)")
    with pytest.raises(ValueError, match="no key column"):
        open_sink("x", SinkSpec(kind="sql", url="sqlite:///x.db", table="t"), tmp_path)
