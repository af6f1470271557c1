from __future__ import annotations

from datetime import UTC, datetime, timedelta
from email.message import EmailMessage
from email.utils import format_datetime
from mailbox import Maildir
from pathlib import Path

import pytest
from glemsel.sinks import open_sink
from glemsel.sinks.maildir import split_location
from glemsel.sinks.spec import SinkSpec

NOW = datetime.now(UTC)


@pytest.fixture
def sink(tmp_path: Path):
    box = Maildir(tmp_path / "mail", create=True)
    for i, age in enumerate([1, 90, 5]):
        msg = EmailMessage()
        msg["From"] = f"Person {i} <p{i}@example.no>"
        msg["Subject"] = f"Sak {i}"
        msg["Message-ID"] = f"<m{i}@example.no>"
        msg["Date"] = format_datetime(NOW - timedelta(days=age))
        msg.set_content(f"Ring meg på 912 34 56{i}")
        box.add(msg)
    s = open_sink("mail", SinkSpec(kind="maildir", path="mail"), tmp_path)
    yield s
    s.close()


def test_read(sink) -> None:
    fields = sink.read("<m0@example.no>")
    assert fields["subject"] == "Sak 0" and fields["body"] == "Ring meg på 912 34 560"
    assert sink.read("<nope@example.no>") is None


def test_update_rewrites_the_message(sink, tmp_path: Path) -> None:
    assert sink.update("<m1@example.no>", {"body": "Ring meg på [SLETTET:PHONE_NUMBER]"})
    again = open_sink("mail", SinkSpec(kind="maildir", path="mail"), tmp_path)
    fields = again.read("<m1@example.no>")
    assert fields["body"] == "Ring meg på [SLETTET:PHONE_NUMBER]"
    assert fields["subject"] == "Sak 1", "other fields are kept"
    assert len(list(Maildir(tmp_path / "mail").iterkeys())) == 3


def test_delete_is_idempotent(sink, tmp_path: Path) -> None:
    assert sink.delete("<m2@example.no>") is True
    assert sink.delete("<m2@example.no>") is False
    assert len(list(Maildir(tmp_path / "mail").iterkeys())) == 2


def test_older_than_and_iteration(sink) -> None:
    # A location is the Message-ID and where the message is stored.
    [old] = sink.record_ids_older_than(NOW - timedelta(days=30))
    assert split_location(old)[0] == "<m1@example.no>" and split_location(old)[1]
    assert sink.read(old) == sink.read("<m1@example.no>")
    ids = [rid for rid, _ in sink.iter_records()]
    assert ids == sorted(ids) and len(ids) == 3
    assert [rid for rid, _ in sink.iter_records(after=ids[0])] == ids[1:]
