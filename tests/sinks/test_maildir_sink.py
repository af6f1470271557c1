from __future__ import annotations

from datetime import UTC, datetime, timedelta
from email.message import EmailMessage
from email.utils import format_datetime
from mailbox import Maildir
from pathlib import Path

import pytest
from company import numbered_mails
from glemsel.sinks import open_sink
from glemsel.sinks.maildir import split_location
from glemsel.sinks.spec import SinkSpec

NOW = datetime.now(UTC)


@pytest.fixture
def sink(tmp_path: Path):
    box = Maildir(tmp_path / "mail", create=True)
    for msg in numbered_mails([1, 90, 5], lambda i: f"Ring meg på 912 34 56{i}", NOW):
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


def _mail(box: Maildir, message_id: str, body: str = "Hei") -> str:
    msg = EmailMessage()
    msg["From"] = "Person <p@example.no>"
    msg["Message-ID"] = message_id
    msg["Date"] = format_datetime(NOW)
    msg.set_content(body)
    return box.add(msg)


def test_bare_id_lookups_read_only_new_messages(tmp_path: Path, monkeypatch) -> None:
    # A mail event names a bare Message-ID; answering it must not open every message in the
    # Maildir (a backfill of N mails would read N² files).
    from glemsel.sinks.maildir import MessageIds

    box = Maildir(tmp_path / "mail", create=True)
    for i in range(200):
        _mail(box, f"<b{i}@example.no>")
    s = open_sink("mail", SinkSpec(kind="maildir", path="mail"), tmp_path)
    learned: list[str] = []
    original = MessageIds._learn

    def counted(self: MessageIds, key: str, path: Path) -> None:
        learned.append(key)
        original(self, key, path)

    monkeypatch.setattr(MessageIds, "_learn", counted)
    assert s.read("<b0@example.no>") is not None
    assert len(learned) == 200, "the first lookup reads each message's headers once"
    for i in range(1, 200, 7):
        assert len(s.locate(f"<b{i}@example.no>", None)) == 1
    assert len(learned) == 200, "later lookups read no message again"
    key = _mail(box, "<late@example.no>")
    [location] = s.locate("<late@example.no>", None)
    assert split_location(location) == ("<late@example.no>", key)
    assert len(learned) == 201, "a message that arrived later is read once, on its own"
    s.close()


def test_index_follows_changes_made_by_others(tmp_path: Path) -> None:
    box = Maildir(tmp_path / "mail", create=True)
    kept, gone = _mail(box, "<kept@example.no>", "Ring 912 34 567"), _mail(box, "<gone@example.no>")
    s = open_sink("mail", SinkSpec(kind="maildir", path="mail"), tmp_path)
    assert s.read("<gone@example.no>") is not None
    # A mail client reads one (new/ -> cur/ with flags) and deletes the other.
    msg = box.get_message(kept)
    msg.set_subdir("cur")
    msg.add_flag("S")
    box[kept] = msg
    box.remove(gone)
    assert s.read("<gone@example.no>") is None
    assert s.read("<kept@example.no>")["body"].strip() == "Ring 912 34 567"
    assert [split_location(r)[1] for r, _ in s.iter_records()] == [kept]
    # A second copy of a Message-ID is a location of its own.
    copy = _mail(box, "<kept@example.no>", "Ring 912 34 567")
    assert {split_location(r)[1] for r in s.locate("<kept@example.no>", None)} == {kept, copy}
    s.close()
