"""`glemsel demo`: synthetic Norwegian CRM, support, mail, chat, ERP, recruitment and web-form
systems, end to end.

Everything here is made up: the people, their fødselsnumre (valid check digits, fictitious
persons), phone numbers and addresses.
"""

from __future__ import annotations

import sqlite3
import tempfile
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from glemsel.pipeline.core.config import load_config
from glemsel.pipeline.core.events import (
    TOPIC_CHANGES,
    TOPIC_ERASURE_REQUESTS,
    TOPIC_LEGAL_HOLDS,
    ChangeEvent,
    ErasureRequest,
    LegalHold,
    SubjectIdentifiers,
)
from glemsel.pipeline.interfaces import world
from glemsel.pipeline.interfaces.world import person
from rich.console import Console
from rich.panel import Panel

KARI = person("Kari Nordmann", "kari.nordmann@example.no", "+47 912 34 567", "150385", 123)
OLA = person("Ola Hansen", "ola.hansen@firma.no", "+47 934 56 789", "020790", 456)

# Job applicants: the hiring process ends, the applicant is erased unless she consented.
INGRID = person("Ingrid Berg", "ingrid.berg@example.no", "+47 976 54 321", "120894", 220)
PER = person("Per Johansen", "per.johansen@example.no", "+47 455 66 778", "030488", 310)

SYSTEMS: dict[str, Any] = {
    "crm": {
        "sink": {"kind": "sql", "url": "sqlite:///crm.db", "table": "contacts", "key": "id"},
        "identity": {"contact": ["name", "email", "phone", "fnr"]},
        "on_erasure": "delete_record",
        "purpose": "Kundeforhold: kontakt, avtaler og oppfølging",
        "legal_basis": "Avtale (personvernforordningen art. 6 nr. 1 b)",
        "storage_period": "Så lenge kundeforholdet varer, og tre år etter",
        "recipients": ["Leverandør av CRM-systemet (databehandler)"],
    },
    "support": {
        "sink": {"kind": "sql", "url": "sqlite:///support.db", "table": "tickets", "key": "id"},
        "on_erasure": "redact_spans",
        "purpose": "Kundeservice: svare på henvendelser og løse saker",
        "legal_basis": "Avtale (art. 6 nr. 1 b) og berettiget interesse (art. 6 nr. 1 f)",
        "storage_period": "To år etter at saken er lukket",
        "recipients": [],
    },
    "mail": {
        "sink": {"kind": "maildir", "path": "mail"},
        "on_erasure": "delete_record",
        "purpose": "E-post til og fra kundeservice",
        "legal_basis": "Berettiget interesse (art. 6 nr. 1 f)",
        "storage_period": "Ett år",
    },
    "chat": {
        "sink": {
            "kind": "sql",
            "url": "sqlite:///chat.db",
            "table": "messages",
            "key": "id",
            "timestamp_field": "sent_at",
        },
        "on_erasure": "delete_record",
        "retention_days": 60,
        "purpose": "Kundechat på nettsidene",
        "legal_basis": "Berettiget interesse (art. 6 nr. 1 f)",
        "storage_period": "60 dager",
    },
    "orders": {
        "sink": {"kind": "sql", "url": "sqlite:///erp.db", "table": "orders", "key": "id"},
        "on_erasure": {"retain": {"years": 5, "basis": "bokføringsloven § 13"}},
        "purpose": "Ordre, faktura og regnskap",
        "legal_basis": "Rettslig forpliktelse (art. 6 nr. 1 c), bokføringsloven",
        "storage_period": "Fem år etter regnskapsårets slutt (bokføringsloven § 13)",
        "recipients": ["Regnskapsfører", "Skatteetaten ved kontroll"],
    },
    "recruitment": {
        "sink": {"kind": "sql", "url": "sqlite:///hr.db", "table": "applicants", "key": "id"},
        "identity": {"applicant": ["name", "email", "phone", "fnr"]},
        "on_erasure": "delete_record",
        "retention": {
            "after_field": "process_closed_at",
            "days": 0,
            "unless_field": "keep_consent",
        },
    },
    "weblog": {
        "sink": {
            "kind": "sql",
            "url": "sqlite:///web.db",
            "table": "form_posts",
            "key": "id",
            "timestamp_field": "created",
        },
        "on_erasure": "redact_spans",
        "redact": {"IP_ADDRESS": "truncate_ip"},  # as Google Analytics: 12.214.31.144 -> .0
        "anonymise": {"after_days": 30, "types": ["IP_ADDRESS"]},
    },
}


def build(root: Path, now: datetime | None = None) -> tuple[Path, list[tuple[str, bytes]]]:
    """Create the demo systems under ``root``; returns the config path and the change events
    (topic, bytes) that their CDC connectors would emit."""
    now = now or datetime.now(UTC)
    return world.build(root, SYSTEMS, records(now), now)


def records(now: datetime) -> world.Records:
    """What the demo's systems hold."""
    return world.Records(
        contacts=[
            {"id": 1, "title": "Innkjøpssjef", **KARI},
            {"id": 2, "title": "Daglig leder", **OLA},
        ],
        tickets=[
            {
                "id": 101,
                "subject": "Feil på faktura",
                "body": f"Kunden Kari Nordmann ringte fra {KARI['phone']} om feil beløp. "
                f"Fødselsnummer oppgitt: {KARI['fnr'][:6]} {KARI['fnr'][6:]}. "
                "Sak under behandling.",
                "created_at": (now - timedelta(days=20)).isoformat(),
            },
            {
                "id": 102,
                "subject": "Levering",
                "body": "Ola Hansen spør om levering til Storgata 12B, 0155 Oslo.",
                "created_at": (now - timedelta(days=3)).isoformat(),
            },
        ],
        mails=[
            (
                KARI,
                f"Hei!\n\nJeg ønsker å slette kontoen min. Ring meg på {KARI['phone']}.\n\n"
                f"Med vennlig hilsen\nKari Nordmann",
            ),
            (OLA, "Hei, takk for sist. Hilsen Ola"),
        ],
        messages=[
            {
                "id": 1,
                "channel": "kundechat",
                "author": "kunde",
                "text": f"hei, det er kari. mailen min er {KARI['email']}",
                "sent_at": (now - timedelta(days=10)).isoformat(),
            },
            {
                "id": 2,
                "channel": "kundechat",
                "author": "kunde",
                "text": f"ring meg på {OLA['phone']} er du snill",
                "sent_at": (now - timedelta(days=75)).isoformat(),
            },  # past the 60-day retention
        ],
        orders=[
            {
                "id": 5001,
                "customer": KARI["name"],
                "email": KARI["email"],
                "amount": "1249.00",
                "created_at": (now - timedelta(days=200)).isoformat(),
            }
        ],
        applicants=applicants(now),
        form_posts=form_posts(now),
    )


def form_posts(now: datetime) -> list[dict[str, Any]]:
    """Web-form posts with the visitor's IP address, logged for security."""
    return [
        {
            "id": 1,
            "created": (now - timedelta(days=45)).isoformat(),
            "ip": "12.214.31.144",
            "message": "Når åpner butikken i Bergen?",
        },
        {
            "id": 2,
            "created": (now - timedelta(days=40)).isoformat(),
            "ip": "2001:db8:85a3:8d3:1319:8a2e:370:7348",
            "message": "Har dere gavekort?",
        },
        {
            "id": 3,
            "created": (now - timedelta(days=2)).isoformat(),
            "ip": "81.0.12.7",
            "message": "Takk for god service",
        },  # younger than 30 days: kept whole for security
    ]


def applicants(now: datetime, closed: bool = False) -> list[dict[str, Any]]:
    """Ingrid's hiring process is open (closed once ``closed``); Per's closed long ago, but
    he consented to being kept for later positions."""
    return [
        {
            "id": 1,
            **INGRID,
            "cv": f"CV\n{INGRID['name']}, fødselsnummer {INGRID['fnr']}\n"
            f"Adresse: Kongens gate 5, 7011 Trondheim. Mobil {INGRID['phone']}\n"
            "Erfaring: fem år som sykepleier ved Ullevål.",
            "process_closed_at": now.isoformat() if closed else None,
            "keep_consent": 0,
        },
        {
            "id": 2,
            **PER,
            "cv": f"CV\n{PER['name']}\nErfaring: lagerarbeider, truckfører.",
            "process_closed_at": (now - timedelta(days=90)).isoformat(),
            "keep_consent": 1,
        },
    ]


def run_demo(directory: Path | None, console: Console) -> int:
    from glemsel.pipeline.interfaces.render import render_search
    from glemsel.pipeline.operations.search import search_subject
    from glemsel.pipeline.runtime.embedded import EmbeddedDeployment
    from glemsel.pipeline.telemetry.logs import configure

    root = Path(directory or tempfile.mkdtemp(prefix="glemsel-demo-"))
    config_path, events = build(root)
    config = load_config(config_path)
    configure(root / "state" / "glemsel.log")
    app = EmbeddedDeployment(config)
    say = console.print
    say(
        Panel.fit(
            f"Glemsel demo in {root}\nCRM, support (Debezium), mail (Maildir), chat, ERP, "
            "recruitment and web forms"
        )
    )

    for topic, raw in events:
        app.publish(topic, raw)
    handled = app.run(until_idle=True)
    say(
        f"1. Streamed {handled} change events: detected and indexed; "
        "chats older than 60 days erased and web-form IPs older than 30 days truncated by "
        "the sweep."
    )

    kari = SubjectIdentifiers(fnr=KARI["fnr"])
    say("\n2. Where do we hold data about Kari? (searched by fødselsnummer)")
    found = search_subject(app.stores, kari, searched_by="demo")
    render_search(found)

    hold = LegalHold(
        hold_id="hold-tvist-17",
        action="place",
        subject=kari,
        systems=["support"],
        reason="Tvist om faktura, sak 2026-17",
        placed_by="juridisk",
    )
    app.publish(TOPIC_LEGAL_HOLDS, hold.to_json(), hold.hold_id)
    request = ErasureRequest(request_id="dsr-demo-1", subject=kari, requested_by="dsr-tool")
    app.publish(TOPIC_ERASURE_REQUESTS, request.to_json(), request.request_id)
    app.run(until_idle=True)
    first = app.stores.state.requests.get("dsr-demo-1")
    assert first is not None  # the worker ran until idle
    say(
        f"\n3. Legal hold on Kari's support cases, then erasure request dsr-demo-1: "
        f"[bold]{first.status}[/bold] {first.counts}"
    )
    _outcomes(app, console)

    release = LegalHold(hold_id="hold-tvist-17", action="release", placed_by="juridisk")
    app.publish(TOPIC_LEGAL_HOLDS, release.to_json(), release.key)
    app.run(until_idle=True)
    final = app.stores.state.requests.get("dsr-demo-1")
    assert final is not None
    say(
        f"\n4. Hold released: the held case is anonymised. Request: "
        f"[bold]{final.status}[/bold] {final.counts}"
    )
    _outcomes(app, console)

    after = search_subject(app.stores, kari, searched_by="demo")
    left = sorted({(loc["system"], loc["record_id"]) for loc in after["locations"]})
    say(f"\n5. Searching again finds only what the law makes us keep: {left}")

    ips_ok = _web_forms(root, console)
    hiring_ok = _recruitment(app, root, console)

    verdict = app.stores.audit.verify()
    say(f"\n8. Audit chain: {'intact' if verdict.ok else 'BROKEN'}, {verdict.entries} entries")
    app.close()

    ok = (
        first.status == "partially_held"
        and final.status == "completed"
        and all(system == "orders" for system, _ in left)
        and ips_ok
        and hiring_ok
        and verdict.ok
    )
    say(Panel.fit("[green]demo completed[/green]" if ok else "[red]demo did not go as expected"))
    return 0 if ok else 1


def _web_forms(root: Path, console: Console) -> bool:
    """Step 6: IP addresses in the web-form log, before and after the anonymisation sweep."""
    from rich.table import Table

    with sqlite3.connect(root / "web.db") as conn:
        now_ips = dict(conn.execute("select id, ip from form_posts").fetchall())
    table = Table("post", "logged", "IP then", "IP now")
    expected = {1: "12.214.31.0", 2: "2001:db8:85a3::", 3: "81.0.12.7"}
    for post in form_posts(datetime.now(UTC)):
        age = (datetime.now(UTC) - datetime.fromisoformat(post["created"])).days
        table.add_row(str(post["id"]), f"{age} days ago", post["ip"], now_ips.get(post["id"]))
    console.print("\n6. Web forms: IPs older than 30 days truncated in place (IPv4 /24, IPv6 /48)")
    console.print(table)
    return now_ips == expected


def _recruitment(app, root: Path, console: Console) -> bool:
    """Step 7: an applicant's CV is found; when her hiring process closes she is erased."""
    from glemsel.pipeline.interfaces.render import render_search
    from glemsel.pipeline.operations.search import search_subject

    say = console.print
    ingrid = SubjectIdentifiers(fnr=INGRID["fnr"])
    say("\n7. Recruitment: where is applicant Ingrid? (her fødselsnummer is in her CV)")
    found = search_subject(app.stores, ingrid, searched_by="demo")
    render_search(found)
    in_cv = any(
        f["field"] == "cv" and loc["system"] == "recruitment"
        for loc in found["locations"]
        for f in loc["findings"]
    )
    # The hiring closes: the recruitment system sets process_closed_at, its CDC reports it.
    now = datetime.now(UTC)
    row = applicants(now, closed=True)[0]
    with sqlite3.connect(root / "hr.db") as conn:
        conn.execute(
            "update applicants set process_closed_at = ? where id = ?",
            (row["process_closed_at"], row["id"]),
        )
    event = ChangeEvent(
        system="recruitment", record_type="applicant", record_id="1", op="u", ts=now, data=row
    )
    app.publish(TOPIC_CHANGES, event.to_json())
    app.run(until_idle=True)
    with sqlite3.connect(root / "hr.db") as conn:
        left = [name for (name,) in conn.execute("select name from applicants")]
    gone = not search_subject(app.stores, ingrid, searched_by="demo")["locations"]
    say(
        "   The hiring closes: the sweep erases Ingrid "
        f"({'gone from the system and the index' if gone else 'NOT erased'}); "
        f"kept by consent: {', '.join(left) or 'nobody'}"
    )
    return in_cv and gone and left == [PER["name"]]


def _outcomes(app, console: Console) -> None:
    from rich.table import Table

    table = Table("system", "record", "action", "verified", "reason")
    for o in app.stores.state.outcomes.of_request("dsr-demo-1"):
        until = f" until {o.retained_until:%Y-%m-%d}" if o.retained_until else ""
        table.add_row(
            o.system, o.record_id, o.action, "yes" if o.verified else "no", o.reason + until
        )
    console.print(table)
