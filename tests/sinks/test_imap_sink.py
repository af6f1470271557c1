"""The IMAP sink against a real Dovecot (docker/local-services.sh start-imap)."""

from __future__ import annotations

import email
import email.policy
import email.utils
import imaplib
import time
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest
from company import numbered_mails
from glemsel.sinks import open_sink
from glemsel.sinks.imap import ImapError, mailbox_name
from glemsel.sinks.spec import SinkSpec
from services import imap_sink

from bench.documents import PDF_TYPE, mail_with, make_pdf

NOW = datetime.now(UTC)
FNR = "15076500565"


def _spec(server, mailbox: str, **extra) -> SinkSpec:
    return SinkSpec(**(imap_sink(server, mailbox) | extra))


def _append(admin: imaplib.IMAP4, mailbox: str, raw: bytes, flags: str = "") -> None:
    typ, _ = admin.append(mailbox, flags or None, imaplib.Time2Internaldate(time.time()), raw)
    assert typ == "OK"


def _messages(admin: imaplib.IMAP4, mailbox: str) -> list[tuple[bytes, bytes]]:
    """(flags, raw) of every message not flagged deleted, as the server holds them."""
    admin.select(mailbox)
    typ, data = admin.uid("SEARCH", "UNDELETED")
    out = []
    for uid in (data[0] or b"").split():
        typ, got = admin.uid("FETCH", uid, "(FLAGS BODY.PEEK[])")
        out.append((got[0][0], got[0][1]))
    admin.unselect()
    return out


@pytest.fixture
def filled(imap_mailbox, tmp_path: Path):
    server, mailbox, admin = imap_mailbox
    mails = numbered_mails([1, 90, 5], lambda i: f"Ring meg på 912 34 56{i}", NOW)
    for i, msg in enumerate(mails):
        _append(admin, mailbox, msg.as_bytes(), r"(\Seen \Flagged)" if i == 1 else "")
    sink = open_sink("mail", _spec(server, mailbox), tmp_path)
    yield sink, server, mailbox, admin
    sink.close()


def test_read_does_not_mark_as_read(filled) -> None:
    sink, _, mailbox, admin = filled
    fields = sink.read("<m0@example.no>")
    assert fields["subject"] == "Sak 0" and fields["body"] == "Ring meg på 912 34 560"
    assert sink.read("<nope@example.no>") is None
    assert sink.read("<m0@example") is None, "a Message-ID is matched exactly, not as a prefix"
    flags = [f for f, raw in _messages(admin, mailbox) if b"<m0@example.no>" in raw][0]
    assert b"\\Seen" not in flags


def test_delete_flags_and_expunges_only_that_message(filled) -> None:
    sink, _, mailbox, admin = filled
    assert sink.delete("<m2@example.no>") is True
    assert sink.delete("<m2@example.no>") is False
    left = [raw for _, raw in _messages(admin, mailbox)]
    assert len(left) == 2 and not any(b"<m2@example.no>" in raw for raw in left)
    admin.select(mailbox)
    assert admin.uid("SEARCH", "ALL")[1][0].split().__len__() == 2, "expunged, not only flagged"


def test_redact_appends_the_rewrite_then_deletes_the_original(filled) -> None:
    sink, _, mailbox, admin = filled
    assert sink.update("<m1@example.no>", {"body": "Ring meg på [SLETTET:PHONE_NUMBER]"})
    fields = sink.read("<m1@example.no>")
    assert fields["body"] == "Ring meg på [SLETTET:PHONE_NUMBER]" and fields["subject"] == "Sak 1"
    copies = [(f, raw) for f, raw in _messages(admin, mailbox) if b"<m1@example.no>" in raw]
    assert len(copies) == 1, "the original is gone"
    flags, raw = copies[0]
    assert b"912 34 561" not in raw
    assert b"\\Seen" in flags and b"\\Flagged" in flags, "the user's flags are kept"
    assert sink.update("<gone@example.no>", {"body": "x"}) is False


def test_older_than_and_backfill_iteration(filled) -> None:
    sink, *_ = filled
    assert sink.record_ids_older_than(NOW - timedelta(days=30)) == ["<m1@example.no>"]
    ids = [rid for rid, _ in sink.iter_records(batch=2)]
    assert ids == ["<m0@example.no>", "<m1@example.no>", "<m2@example.no>"]
    assert [rid for rid, _ in sink.iter_records(after=ids[0])] == ids[1:]
    assert sink.count() == 3


def test_every_copy_of_a_message_is_erased(filled) -> None:
    sink, _, mailbox, admin = filled
    raw = [raw for _, raw in _messages(admin, mailbox) if b"<m0@example.no>" in raw][0]
    _append(admin, mailbox, raw)  # filed twice
    assert sink.delete("<m0@example.no>")
    assert not [r for _, r in _messages(admin, mailbox) if b"<m0@example.no>" in r]


def test_attachments_are_read_and_a_redacted_one_is_removed(imap_mailbox, tmp_path) -> None:
    server, mailbox, admin = imap_mailbox
    raw = mail_with("<cv@x.no>", "Se vedlegg", [("cv.pdf", PDF_TYPE, make_pdf([[FNR]]))])
    _append(admin, mailbox, raw)
    sink = open_sink("mail", _spec(server, mailbox), tmp_path)
    try:
        assert FNR in sink.read("<cv@x.no>")["attachment:cv.pdf"]
        assert sink.attachment_names("<cv@x.no>") == ["cv.pdf"]
        assert sink.update("<cv@x.no>", {"attachment:cv.pdf": "[SLETTET:NO_FODSELSNUMMER]"})
        fields = sink.read("<cv@x.no>")
        assert "attachment:cv.pdf" not in fields and fields["body"] == "Se vedlegg"
    finally:
        sink.close()
    ((_, stored),) = _messages(admin, mailbox)
    msg = email.message_from_bytes(stored, policy=email.policy.default)
    assert [p.get_content().strip() for p in msg.walk() if not p.is_multipart()] == [
        "Se vedlegg",
        "[SLETTET: vedlegg cv.pdf]",
    ]


def test_starttls_on_the_plain_port(imap_mailbox, tmp_path) -> None:
    server, mailbox, admin = imap_mailbox
    _append(admin, mailbox, mail_with("<s@x.no>", "hei", []))
    sink = open_sink("mail", _spec(server, mailbox, ssl=False, port=server.port), tmp_path)
    try:
        assert sink.read("<s@x.no>")["body"] == "hei"
        assert isinstance(sink._conn.sock, __import__("ssl").SSLSocket), "upgraded to TLS"
    finally:
        sink.close()


def test_a_wrong_password_or_mailbox_is_a_clear_error(imap_mailbox, tmp_path, monkeypatch):
    server, mailbox, _ = imap_mailbox
    sink = open_sink("mail", _spec(server, "no-such-mailbox"), tmp_path)
    with pytest.raises(ImapError, match="mail: IMAP login or SELECT failed|no mailbox"):
        sink.read("<x@y>")
    monkeypatch.setenv("GLEMSEL_TEST_IMAP_PASSWORD", "wrong")
    sink = open_sink("mail", _spec(server, mailbox), tmp_path)
    with pytest.raises(ImapError) as failed:
        sink.read("<x@y>")
    assert "wrong" not in str(failed.value) and server.user not in str(failed.value)
    monkeypatch.delenv("GLEMSEL_TEST_IMAP_PASSWORD")
    with pytest.raises(ValueError, match="GLEMSEL_TEST_IMAP_PASSWORD is not set"):
        open_sink("mail", _spec(server, mailbox), tmp_path)


def test_a_mailbox_with_norwegian_letters(imap_server, monkeypatch, tmp_path) -> None:
    assert mailbox_name("Søknader & CV") == "S&APg-knader &- CV"
    monkeypatch.setenv("GLEMSEL_TEST_IMAP_PASSWORD", imap_server.password)
    name = f"Søknader {time.time_ns()}"
    context = __import__("ssl").create_default_context(cafile=imap_server.ca_file)
    admin = imaplib.IMAP4_SSL(imap_server.host, imap_server.ssl_port, ssl_context=context)
    admin.login(imap_server.user, imap_server.password)
    quoted = f'"{mailbox_name(name)}"'
    assert admin.create(quoted)[0] == "OK"
    try:
        _append(admin, quoted, mail_with("<oe@x.no>", "hei", []))
        sink = open_sink("mail", _spec(imap_server, name), tmp_path)
        assert sink.read("<oe@x.no>")["body"] == "hei"
        sink.close()
    finally:
        admin.delete(quoted)
        admin.logout()


def test_window_is_narrowed_by_the_server_and_exact(filled) -> None:
    sink, _, mailbox, admin = filled
    assert sink.record_ids_between(NOW - timedelta(days=10), NOW - timedelta(days=2)) == [
        "<m2@example.no>"
    ]
    assert sink.record_ids_between(None, NOW - timedelta(days=30)) == ["<m1@example.no>"]
    # Dated a minute before the cutoff in a zone fourteen hours east (a later calendar
    # day there) and a minute after since in one twelve hours west (an earlier one): the
    # server's whole-day search must not lose them.
    cutoff, since = NOW - timedelta(days=20), NOW - timedelta(days=21)
    for name, when, zone in (
        ("east", cutoff - timedelta(minutes=1), 14),
        ("west", since + timedelta(minutes=1), -12),
        ("late", cutoff + timedelta(minutes=1), 14),
    ):
        msg = email.message.EmailMessage()
        msg["Message-ID"] = f"<{name}@example.no>"
        msg["Date"] = email.utils.format_datetime(when.astimezone(timezone(timedelta(hours=zone))))
        msg.set_content("hei")
        _append(admin, mailbox, msg.as_bytes())
    assert sink.record_ids_between(since, cutoff) == ["<east@example.no>", "<west@example.no>"]
