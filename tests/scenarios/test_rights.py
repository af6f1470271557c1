"""Every right a privacy statement promises, end to end in both modes: access (with its
export), rectification, and erasure that spares other people's records."""

from __future__ import annotations

import base64
import json
from datetime import UTC, datetime
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid
from mailbox import Maildir

from glemsel.pipeline.core.events import (
    TOPIC_ACCESS_REQUESTS,
    TOPIC_RECTIFICATION_REQUESTS,
    AccessRequest,
    MailEvent,
    SubjectIdentifiers,
)
from glemsel.pipeline.operations.export import make_export
from glemsel.pipeline.stores.rows import RequestRow
from glemsel.sinks.maildir import location_id
from world import KARI, NEW_PHONE, OLA, TOPIC_CHANGES, World, about_kari, new_phone

ALL_SYSTEMS = {"crm", "support", "mail", "chat", "orders"}
MINUTES = (
    "Referat fra kundemøtet.\n\n"
    f"Kari Nordmann avtalte med Ola Hansen på {OLA['phone']} at fakturaen sendes på nytt. "
    "Kari lovet å sende kvitteringen. Neste møte er i mars."
)


def add_minutes(world: World) -> str:
    """Ola writes minutes of a meeting that name Kari: Ola's record, Kari is mentioned."""
    msg = EmailMessage()
    msg["From"] = f"{OLA['name']} <{OLA['email']}>"
    msg["To"] = "styret@butikken.no"
    msg["Subject"] = "Referat"
    msg["Date"] = format_datetime(datetime.now(UTC))
    msg["Message-ID"] = make_msgid(domain="minutes.glemsel")
    msg.set_content(MINUTES)
    Maildir(world.root / "mail").add(msg)
    event = MailEvent(record_id=msg["Message-ID"], rfc822=base64.b64encode(msg.as_bytes()).decode())
    world.publish(TOPIC_CHANGES, event)
    world.run()
    # Its location: the Message-ID and where it is stored (issue 9, item 2).
    [location] = world.app.processor.sinks["mail"].locate(msg["Message-ID"], None)
    return location


def add_ticket(world: World, ticket_id: int, body: str) -> None:
    world.add_ticket(ticket_id, body, subject="Faktura")
    world.run()


def access(world: World, request_id: str, **ids) -> RequestRow:
    req = AccessRequest(
        request_id=request_id, subject=SubjectIdentifiers(**ids), requested_by="dsr-test"
    )
    world.publish(TOPIC_ACCESS_REQUESTS, req)
    world.run()
    return world.request(request_id)


def mail_ids(world: World) -> dict[str, str]:
    """Location (Message-ID#key) -> sender, for the messages still in the Maildir."""
    box = Maildir(world.root / "mail")
    return {location_id(str(m["Message-ID"]), k): str(m["From"]) for k, m in box.iteritems()}


def test_access_export_covers_every_system_with_purpose_and_masks_other_people(
    world: World,
) -> None:
    world.ingest_all()
    minutes = add_minutes(world)
    req = access(world, "innsyn-1", fnr=KARI["fnr"])
    assert req.kind == "access" and req.status == "completed"
    outcomes = world.outcomes("innsyn-1")
    assert set(outcomes.values()) == {"exported"}
    assert {system for system, _ in outcomes} == ALL_SYSTEMS

    export = make_export(world.app, "innsyn-1", by="case-handler")
    doc = json.loads(export.body)
    assert doc["schema"] == "glemsel.access-export/1" and doc["request_id"] == "innsyn-1"
    assert doc["subject"]["fnr"] == KARI["fnr"] and KARI["email"] in doc["subject"]["emails"]
    systems = {s["system"]: s for s in doc["systems"]}
    assert set(systems) == ALL_SYSTEMS
    for s in systems.values():
        assert s["purpose"] and s["legal_basis"] and s["storage_period"], s["system"]
        assert s["records"] and all(r["data"] for r in s["records"])
    crm = systems["crm"]["records"][0]
    assert crm["record_id"] == "1" and crm["data"]["email"] == KARI["email"]
    assert crm["data"]["fnr"] == KARI["fnr"] and crm["role"] == "owner"
    assert KARI["phone"] in systems["support"]["records"][0]["data"]["body"]
    assert systems["orders"]["records"][0]["data"]["customer"] == KARI["name"]
    assert "bokføringsloven" in systems["orders"]["legal_basis"]
    assert KARI["email"] in systems["chat"]["records"][0]["data"]["text"]
    mails = {r["record_id"]: r for r in systems["mail"]["records"]}
    own = next(r for r in mails.values() if r["role"] == "owner")
    assert KARI["email"] in own["data"]["from"] and "slette kontoen" in own["data"]["body"]
    assert own["attachments"] == []

    # Ola's minutes: only the passages naming Kari, Ola's name and phone masked.
    theirs = next(r for rid, r in mails.items() if rid.startswith(minutes))
    assert theirs["role"] == "mentioned"
    text = " ".join(p["text"] for p in theirs["passages"])
    assert "Kari Nordmann avtalte med" in text and "Kari lovet" in text
    assert "[SKJULT:PHONE_NUMBER]" in text and "[SKJULT:PERSON]" in text
    assert "Neste møte" not in text and "from" not in theirs["data"]
    blob = json.dumps(theirs, ensure_ascii=False)
    for value in (OLA["phone"], OLA["name"], OLA["email"], "Hansen"):
        assert value not in blob
    # Nobody else's records: Ola's contact card is not in Kari's answer.
    assert ("crm", "2") not in outcomes

    html = make_export(world.app, "innsyn-1", by="case-handler", fmt="html").body.decode()
    assert "Innsyn i personopplysninger" in html and "Formål" in html
    assert "Behandlingsgrunnlag" in html and KARI["email"] in html
    assert OLA["phone"] not in html

    # Made twice, audited twice, with who (hashed) and when; no copy kept.
    audit = world.app.stores.audit.entries("innsyn-1")
    entries = [e for e in audit if e["kind"] == "access.export"]
    assert len(entries) == 2
    world.app.close()
    blob = world.at_rest()
    for value in (KARI["fnr"], KARI["email"], KARI["phone"], KARI["name"], "case-handler"):
        assert value.encode() not in blob, f"raw value at rest: {value[:3]}…"


def test_access_limited_to_systems_and_unknown_subject(world: World) -> None:
    world.ingest_all()
    world.submit(TOPIC_ACCESS_REQUESTS, about_kari(AccessRequest, "innsyn-2", systems=["crm"]))
    assert set(world.outcomes("innsyn-2")) == {("crm", "1")}
    nobody = access(world, "innsyn-3", emails=["ingen@example.no"])
    assert nobody.status == "completed" and world.outcomes("innsyn-3") == {}
    doc = json.loads(make_export(world.app, "innsyn-3", by="x").body)
    assert doc["systems"] == []


def test_rectified_phone_changes_everywhere_and_search_follows(world: World) -> None:
    world.ingest_all()
    before = {
        (loc["system"], loc["record_id"])
        for loc in world.search(phones=[KARI["phone"]])["locations"]
        if any(f["type"] == "PHONE_NUMBER" for f in loc["findings"])
    }
    assert {"crm", "support", "mail"} <= {s for s, _ in before}
    world.submit(
        TOPIC_RECTIFICATION_REQUESTS, new_phone(SubjectIdentifiers(fnr=KARI["fnr"]), "rett-1")
    )
    assert world.request("rett-1").kind == "rectification"
    assert world.request("rett-1").status == "completed"
    outcomes = world.app.stores.state.outcomes.of_request("rett-1")
    assert {(o.system, o.record_id) for o in outcomes} == before
    assert all(o.action == "rectified" and o.verified for o in outcomes)

    assert world.sql("crm.db", "select phone from contacts where id = 1") == [(NEW_PHONE,)]
    body = world.sql("support.db", "select body from tickets where id = 101")[0][0]
    assert NEW_PHONE in body and KARI["phone"] not in body and "feil beløp" in body
    kari_mail = next(k for k, sender in mail_ids(world).items() if KARI["email"] in sender)
    assert NEW_PHONE in world.app.processor.sinks["mail"].read(kari_mail)["body"]

    found = world.search(phones=[NEW_PHONE])
    assert before <= {(loc["system"], loc["record_id"]) for loc in found["locations"]}
    assert world.search(phones=[KARI["phone"]])["locations"] == []
    assert "rectification.rectified" in world.audit_kinds()


def test_rectification_waits_for_a_hold_and_finishes_on_release(world: World) -> None:
    world.ingest_all()
    world.hold("h-rett", systems=["support"])
    req = new_phone(SubjectIdentifiers(emails=[KARI["email"]]), "rett-2")
    world.submit(TOPIC_RECTIFICATION_REQUESTS, req)
    assert world.request("rett-2").status == "partially_held"
    assert world.outcomes("rett-2")[("support", "101")] == "held"
    body = world.sql("support.db", "select body from tickets where id = 101")[0][0]
    assert KARI["phone"] in body
    world.hold("h-rett", action="release")
    assert world.request("rett-2").status == "completed"
    assert world.outcomes("rett-2")[("support", "101")] == "rectified"
    body = world.sql("support.db", "select body from tickets where id = 101")[0][0]
    assert NEW_PHONE in body and KARI["phone"] not in body
    assert world.search(phones=[KARI["phone"]])["locations"] == []


def test_erasure_spares_other_peoples_records_and_finishes_names(world: World) -> None:
    world.ingest_all()
    minutes = add_minutes(world)
    # Linked to Kari by her phone; signed with her first name only (issue 12).
    add_ticket(world, 105, f"Ring meg gjerne på {KARI['phone']} om fakturaen. Hilsen Kari")
    req = world.erase("slett-1", fnr=KARI["fnr"])
    assert req.status == "completed"
    outcomes = world.outcomes("slett-1")
    assert [a for (sys_, rid), a in outcomes.items() if rid.startswith(minutes)] == ["redacted"]
    mails = mail_ids(world)
    assert minutes in mails, "Ola's minutes stay"
    assert not any(KARI["email"] in sender for sender in mails.values()), "Kari's mail goes"
    assert world.sql("crm.db", "select id from contacts") == [(2,)]
    text = world.app.processor.sinks["mail"].read(minutes)["body"]
    assert "Kari" not in text and "Nordmann" not in text
    assert "Ola Hansen" in text and OLA["phone"] in text and "Neste møte er i mars" in text
    assert "[SLETTET:PERSON] avtalte med Ola Hansen" in text
    ticket = world.sql("support.db", "select body from tickets where id = 105")[0][0]
    assert ticket == (
        "Ring meg gjerne på [SLETTET:PHONE_NUMBER] om fakturaen. Hilsen [SLETTET:PERSON]"
    )


def test_a_failed_access_location_is_never_retried_as_an_erasure(world: World) -> None:
    """The retry of failed locations is the eraser's: an access location that failed (a sink
    was down) must not come back as an erasure of what the person only asked to see."""
    from glemsel.pipeline.core.events import ErasureOutcome

    world.ingest_all()
    world.submit(TOPIC_ACCESS_REQUESTS, about_kari(AccessRequest, "innsyn-9", systems=["crm"]))
    assert set(world.outcomes("innsyn-9")) == {("crm", "1")}
    state = world.app.stores.state
    state.outcomes.save(
        ErasureOutcome(request_id="innsyn-9", system="crm", record_id="1", action="failed")
    )
    world.app.processor.eraser.retry_failed()
    assert world.app.processor.sinks["crm"].read("1") is not None
    assert world.outcomes("innsyn-9")[("crm", "1")] == "failed"
