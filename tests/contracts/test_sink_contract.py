"""The sink contract (glemsel.sinks.Sink), for every kind of sink alike. Each fixture holds
three records aged 1, 90 and 5 days with a text field; record ids come from the sink itself
(a Maildir's ids are its own), so the cases hold for every kind."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime, timedelta
from mailbox import Maildir
from pathlib import Path

import pytest
from company import numbered_mails
from glemsel.sinks import open_sink
from glemsel.sinks.spec import SinkSpec

NOW = datetime.now(UTC)
AGES = [1, 90, 5]


def _sql(tmp_path: Path):
    with sqlite3.connect(tmp_path / "chat.db") as conn:
        conn.execute("create table messages (id integer primary key, text text, sent_at text)")
        conn.executemany(
            "insert into messages values (?, ?, ?)",
            [
                (i, f"melding {i}", (NOW - timedelta(days=age)).isoformat())
                for i, age in enumerate(AGES)
            ],
        )
    spec = SinkSpec(
        kind="sql", url="sqlite:///chat.db", table="messages", timestamp_field="sent_at"
    )
    return open_sink("chat", spec, tmp_path), "text"


def _maildir(tmp_path: Path):
    box = Maildir(tmp_path / "mail", create=True)
    for msg in numbered_mails(AGES, lambda i: f"melding {i}", NOW):
        box.add(msg)
    return open_sink("mail", SinkSpec(kind="maildir", path="mail"), tmp_path), "body"


@pytest.fixture(params=[_sql, _maildir], ids=["sql", "maildir"])
def sink(request, tmp_path):
    s, text_field = request.param(tmp_path)
    yield s, text_field
    s.close()


def _ids(sink) -> list[str]:
    return [record_id for record_id, _ in sink.iter_records()]


def test_every_record_is_listed_once_in_a_stable_resumable_order(sink):
    s, _ = sink
    ids = _ids(s)
    assert len(ids) == 3 and len(set(ids)) == 3
    assert _ids(s) == ids
    assert [r for r, _ in s.iter_records(after=ids[0])] == ids[1:]


def test_read_gives_the_fields_and_none_when_missing(sink):
    s, text = sink
    record_id = _ids(s)[0]
    assert s.read(record_id)[text].strip().startswith("melding")
    assert s.read("no-such-record") is None


def test_update_is_read_back(sink):
    s, text = sink
    record_id = _ids(s)[1]
    assert s.update(record_id, {text: "[SLETTET:PERSON]"})
    fields = s.read(record_id) or s.read(_ids(s)[1])  # a rewritten mail may change its key
    assert fields is not None and fields[text].strip() == "[SLETTET:PERSON]"
    assert s.update("no-such-record", {text: "x"}) is False


def test_delete_is_idempotent(sink):
    s, _ = sink
    record_id = _ids(s)[2]
    assert s.delete(record_id) is True
    assert s.read(record_id) is None
    assert s.delete(record_id) is False
    assert len(_ids(s)) == 2


def test_records_older_than_a_cutoff(sink):
    s, text = sink
    old = s.record_ids_older_than(NOW - timedelta(days=30))
    assert len(old) == 1
    assert s.read(old[0])[text].strip() == "melding 1"
