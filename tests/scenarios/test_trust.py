"""Issue 9: erase exactly the right person, all of their data, and report only what is true.
Each scenario runs against the embedded and the distributed deployment."""

from __future__ import annotations

import base64
import json
from datetime import UTC, datetime, timedelta
from email.message import EmailMessage
from mailbox import Maildir

from company import person as synthetic_person
from company import write_table
from glemsel.pipeline.core.events import (
    TOPIC_ERASURE_REQUESTS,
    ErasureRequest,
    MailEvent,
    SubjectIdentifiers,
)
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
    assert req.requested_by == "dsr-a" and req.status == "completed"
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


PER_1 = synthetic_person("Per Olsen", "per.olsen@example.no", "+47 913 22 334", "110478", 210)
PER_2 = synthetic_person("Per Olsen", "polsen@firma.no", "+47 976 54 321", "230591", 330)


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
        write_table(world.root / db, table, rows)
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
    assert ambiguous.status == "ambiguous" and ambiguous.counts == {}
    assert world.sql("crm.db", "SELECT id FROM contacts WHERE id IN (3, 4)") == [(3,), (4,)]

    done = world.erase("per-1", fnr=PER_1["fnr"])
    assert done.status == "completed"
    assert ("crm", "3") in world.outcomes("per-1")
    assert world.sql("crm.db", "SELECT id FROM contacts WHERE id IN (3, 4)") == [(4,)]
    assert world.sql("chat.db", "SELECT id FROM messages WHERE id IN (3, 4)") == [(3,), (4,)]
    assert {("crm", "4"), ("chat", "3")} <= {
        (loc["system"], loc["record_id"]) for loc in world.search(fnr=PER_2["fnr"])["locations"]
    }


def _kari_mail(world: World) -> tuple[str, bytes]:
    for _, raw in world.events:
        doc = json.loads(raw)
        if doc.get("schema") == "glemsel.mail/1":
            message = base64.b64decode(doc["rfc822"])
            if KARI["email"].encode() in message:
                return doc["record_id"], message
    raise AssertionError("the demo has a mail from Kari")


def _mail_event(message_id: str, message: bytes) -> MailEvent:
    return MailEvent(system="mail", record_id=message_id, rfc822=base64.b64encode(message).decode())


def _maildir_bytes(world: World) -> list[bytes]:
    box = Maildir(world.root / "mail", create=False)
    return [box.get_bytes(k) for k in box.iterkeys()]


def test_every_copy_of_a_mail_is_its_own_location_and_only_verified_is_done(
    world: World, monkeypatch
) -> None:
    """Item 2: a mail reusing Kari's Message-ID keeps its own index entry and is not touched;
    both copies of Kari's mail are erased and verified; an unverified delete is `failed`."""
    message_id, message = _kari_mail(world)
    box = Maildir(world.root / "mail", create=False)
    box.add(message)  # a second copy of Kari's mail
    impostor = EmailMessage()
    impostor["From"] = "Noen Andre <noen@andre.no>"
    impostor["To"] = "kundeservice@butikken.no"
    impostor["Subject"] = "Samme Message-ID"
    impostor["Message-ID"] = message_id  # chosen by the sender: anyone can reuse it
    impostor.set_content(f"Ring meg på {OLA['phone']}")
    box.add(impostor)
    world.ingest_all()
    world.publish(TOPIC_CHANGES, _mail_event(message_id, impostor.as_bytes()))
    world.run()

    kari_mail = [
        loc["record_id"]
        for loc in world.search(fnr=KARI["fnr"])["locations"]
        if loc["system"] == "mail"
    ]
    assert len(kari_mail) == 2 and all(r.startswith(message_id + "#") for r in kari_mail)
    ola_mail = [
        loc["record_id"]
        for loc in world.search(fnr=OLA["fnr"])["locations"]
        if loc["system"] == "mail" and loc["record_id"].startswith(message_id)
    ]
    assert len(ola_mail) == 1 and ola_mail[0] not in kari_mail

    # The sink claims the delete of one copy but keeps it: read back, it is not done.
    sink = world.app.processor.sinks["mail"]
    real_delete = sink.delete
    monkeypatch.setattr(sink, "delete", lambda rid: rid != kari_mail[0] and real_delete(rid))
    first = world.erase("r-mail", fnr=KARI["fnr"])
    assert first.status == "failed"
    mail_outcomes = {r: a for (s, r), a in world.outcomes("r-mail").items() if s == "mail"}
    assert mail_outcomes == {kari_mail[0]: "failed", kari_mail[1]: "deleted"}
    assert any(KARI["email"].encode() in b for b in _maildir_bytes(world))
    assert any(loc["system"] == "mail" for loc in world.search(fnr=KARI["fnr"])["locations"])

    monkeypatch.setattr(sink, "delete", real_delete)  # the sink recovers; back-off passes
    world.app.processor.tick(datetime.now(UTC) + timedelta(hours=2))
    done = world.request("r-mail")
    assert done.status == "completed", done
    mail_outcomes = {r: a for (s, r), a in world.outcomes("r-mail").items() if s == "mail"}
    assert set(mail_outcomes.values()) == {"deleted"} and len(mail_outcomes) == 2
    left = _maildir_bytes(world)
    assert not any(KARI["email"].encode() in b for b in left)
    assert any(b"noen@andre.no" in b for b in left), "the other sender's mail is untouched"
    assert ola_mail[0] in {loc["record_id"] for loc in world.search(fnr=OLA["fnr"])["locations"]}


def _raw_forms(person: dict[str, str]) -> list[str]:
    fnr, phone = person["fnr"], person["phone"]
    return [
        fnr,
        f"{fnr[:6]} {fnr[6:]}",
        person["email"],
        phone,
        phone.replace(" ", ""),
        phone[3:].replace(" ", ""),
        person["name"],
    ]


def test_completed_erasure_leaves_no_raw_copy_in_the_state_directory(world: World) -> None:
    """Item 3: after a completed erasure on a run with planted identifiers, no file in the
    state directory (bus log and dead letters included) holds the subject's raw values;
    the state files are the owner's only."""
    world.ingest_all()
    planted = [  # dead letters that quote Kari: malformed events about her
        f'{{"schema": "glemsel.change/1", "system": "crm", "data": "{KARI["fnr"]}"}}'.encode(),
        f"not json, but {KARI['email']} and {KARI['phone']}".encode(),
        json.dumps({"schema": "glemsel.change/9", "navn": KARI["name"]}).encode(),
    ]
    for raw in planted:
        world.publish(TOPIC_CHANGES, raw)
    world.run()
    assert len(world.app.dead_letters()) >= len(planted)

    done = world.erase("r-gone", fnr=KARI["fnr"])
    assert done.status == "completed", done
    world.app.close()
    if world.distributed:  # Kafka holds raw events for transport_retention_days only
        return
    state = world.root / "state"
    files = [p for p in state.rglob("*") if p.is_file()]
    assert any(p.name == "bus.db" for p in files)
    blob = b"".join(p.read_bytes() for p in files)
    for value in _raw_forms(KARI):
        for encoding in ("utf-8", "utf-16-le"):
            assert value.encode(encoding) not in blob, f"raw value at rest: {value[:3]}…"
        escaped = json.dumps(value)[1:-1].encode()  # names with ø, as JSON writes them
        assert escaped not in blob
    # Ola's events are untouched: only Kari's raw copies went.
    assert OLA["email"].encode() in blob
    assert (state.stat().st_mode & 0o777) == 0o700
    assert all((p.stat().st_mode & 0o077) == 0 for p in files), "state files are owner-only"
