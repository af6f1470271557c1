"""Job applications by mail: a CV and a reference letter as attachments, found, redacted and
read back; an attachment that cannot be read leaves the rest of the mail scanned."""

from __future__ import annotations

import base64
import email
import email.policy
import json
from mailbox import Maildir

import pytest
from glemsel.pipeline.core.events import MailEvent
from glemsel.sinks.maildir import split_location
from world import KARI, TOPIC_CHANGES, World

from bench.documents import DOCX_TYPE, PDF_TYPE, mail_with, make_docx, make_pdf

# Applications arrive in their own mailbox; cases there are documentation of a hiring, so an
# erasure anonymises the mail (and removes the attachments that name the applicant).
pytestmark = pytest.mark.world_systems(
    {
        "jobbmail": {
            "sink": {"kind": "maildir", "path": "jobbmail"},
            "on_erasure": "redact_spans",
        }
    }
)

CV_ID = "<soknad-1@jobb.example.no>"
LOCKED_ID = "<soknad-2@jobb.example.no>"


def _cv() -> bytes:
    return make_pdf(
        [
            ["Curriculum vitae", "Kari Nordmann", f"Fødselsnummer: {KARI['fnr']}"],
            ["Erfaring", "2019-2025 Butikksjef, Oslo"],
        ]
    )


def _deliver(world: World, message_id: str, raw: bytes) -> None:
    """Into the mailbox, and to Glemsel as the raw mail event a mail hook sends."""
    Maildir(world.root / "jobbmail", create=True).add(raw)
    event = MailEvent(
        system="jobbmail", record_id=message_id, op="c", rfc822=base64.b64encode(raw).decode()
    )
    world.publish(TOPIC_CHANGES, event.to_json())


def _stored(world: World, message_id: str) -> email.message.EmailMessage | None:
    box = Maildir(world.root / "jobbmail", create=False)
    for key in box.iterkeys():
        msg = email.message_from_bytes(box.get_bytes(key), policy=email.policy.default)
        if str(msg["Message-ID"]).strip() == message_id:
            return msg
    return None


def _application(world: World) -> None:
    letter = make_docx(
        ["Attest", "Kari Nordmann har arbeidet hos oss i fem år.", "Med hilsen Per Olsen"]
    )
    raw = mail_with(
        CV_ID,
        "Hei, vedlagt er min søknad med CV og attest.",
        [("cv.pdf", PDF_TYPE, _cv()), ("attest.docx", DOCX_TYPE, letter)],
        sender="Søker <soker@example.org>",
    )
    _deliver(world, CV_ID, raw)
    world.ingest_all()


def test_the_cv_is_found_by_the_fodselsnummer_inside_the_pdf(world: World) -> None:
    _application(world)
    result = world.search(fnr=KARI["fnr"])
    mail = next(loc for loc in result["locations"] if loc["system"] == "jobbmail")
    assert mail["record_id"].startswith(CV_ID + "#"), "the location is the Message-ID and its copy"
    fields = {(f["field"], f["type"]) for f in mail["findings"]}
    assert ("attachment:cv.pdf", "NO_FODSELSNUMMER") in fields
    assert ("attachment:attest.docx", "PERSON") in fields, "the name in the reference letter"
    previews = [f["preview"] for f in mail["findings"]]
    assert all(KARI["fnr"] not in p for p in previews)
    # The record as the sink reads it back (what an access export shows) names the files.
    record = world.app.processor.sinks["jobbmail"].read(CV_ID)
    assert [a["filename"] for a in record["attachments"]] == ["cv.pdf", "attest.docx"]


def test_redaction_removes_the_attachments_and_keeps_the_mail(world: World) -> None:
    _application(world)
    req = world.erase("r-cv", fnr=KARI["fnr"])
    assert req.status == "completed"
    outcome = next(
        o for o in world.app.stores.state.outcomes.of_request("r-cv") if o.system == "jobbmail"
    )
    assert outcome.action == "redacted" and outcome.verified
    msg = _stored(world, CV_ID)
    assert msg is not None, "the mail itself is kept"
    raw = msg.as_bytes()
    assert KARI["fnr"].encode() not in raw and b"Nordmann" not in raw
    notes = [p.get_content().strip() for p in msg.walk() if p.get("X-Glemsel-Removed-Attachment")]
    assert notes == ["[SLETTET: vedlegg cv.pdf]", "[SLETTET: vedlegg attest.docx]"]
    assert "vedlagt er min søknad" in msg.get_body(("plain",)).get_content()
    left = {loc["system"] for loc in world.search(fnr=KARI["fnr"])["locations"]}
    assert "jobbmail" not in left
    assert "erasure.redacted" in world.audit_kinds()


def test_an_encrypted_pdf_does_not_dead_letter_the_mail(world: World) -> None:
    raw = mail_with(
        LOCKED_ID,
        f"Hei, CV-en er passordbeskyttet. Svar meg på {KARI['email']}.",
        [("cv-laast.pdf", PDF_TYPE, make_pdf([[KARI["fnr"]]], password="hemmelig"))],
        sender="Søker <soker@example.org>",
    )
    _deliver(world, LOCKED_ID, raw)
    world.ingest_all()
    assert world.app.dead_letters() == []
    mail = next(
        loc
        for loc in world.search(emails=[KARI["email"]])["locations"]
        if loc["system"] == "jobbmail"
    )
    assert {f["field"] for f in mail["findings"]} == {"body"}
    entry = world.app.processor.sinks["jobbmail"].read(LOCKED_ID)["attachments"][0]
    assert entry["scanned"] == "no" and entry["note"] == "encrypted PDF (needs a password)"
    log = (world.root / "state" / "glemsel.log").read_text()
    assert "attachment 1 (pdf) not scanned: encrypted PDF" in log
    assert KARI["fnr"] not in log and "cv-laast" not in log


def test_the_access_export_gives_the_attachments(world: World) -> None:
    from glemsel.pipeline.core.events import (
        TOPIC_ACCESS_REQUESTS,
        AccessRequest,
        SubjectIdentifiers,
    )
    from glemsel.pipeline.operations.export import make_export

    _application(world)  # sent by someone else: Kari is mentioned in the attachments
    own = mail_with(
        "<egen@jobb.example.no>",
        "Her er CV-en min.",
        [("min-cv.pdf", PDF_TYPE, _cv())],
        sender=f"{KARI['name']} <{KARI['email']}>",
    )
    _deliver(world, "<egen@jobb.example.no>", own)
    world.run()
    req = AccessRequest(request_id="innsyn-cv", subject=SubjectIdentifiers(fnr=KARI["fnr"]))
    world.publish(TOPIC_ACCESS_REQUESTS, req)
    world.run()
    doc = json.loads(make_export(world.app, "innsyn-cv", by="case-handler").body)
    records = {
        split_location(r["record_id"])[0]: r
        for s in doc["systems"]
        if s["system"] == "jobbmail"
        for r in s["records"]
    }
    mine = records["<egen@jobb.example.no>"]
    assert mine["role"] == "owner" and mine["attachments"] == ["min-cv.pdf"]
    assert KARI["fnr"] in mine["data"]["attachment:min-cv.pdf"]
    mentioned = records[CV_ID]
    assert mentioned["role"] == "mentioned"
    assert {p["field"] for p in mentioned["passages"]} >= {"attachment:cv.pdf"}
    assert any(KARI["fnr"] in p["text"] for p in mentioned["passages"])
