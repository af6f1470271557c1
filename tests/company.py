"""The test suite's company: CRM, support (Debezium), mail (Maildir), chat, ERP, recruitment
and web-form systems with synthetic Norwegian people, and the change events their CDC would
emit.

The tests' own data (people, records, privacy statements), started from the demo's: the demo
may change what it shows without moving any test's ground. The building (tables, Maildir,
configuration, change events) is the package's, shared with the demo
(glemsel.pipeline.interfaces.world). Everything is made up: the people, their fødselsnumre
(valid check digits, fictitious persons), phone numbers and addresses.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable, Iterable
from datetime import UTC, datetime, timedelta
from email.message import EmailMessage
from email.utils import format_datetime
from pathlib import Path
from typing import Any

from glemsel.pipeline.interfaces import world
from glemsel.pipeline.interfaces.world import change_event as change_event
from glemsel.pipeline.interfaces.world import fodselsnummer as fodselsnummer
from glemsel.pipeline.interfaces.world import person as person
from glemsel.pipeline.interfaces.world import write_config as write_config
from glemsel.pipeline.interfaces.world import write_table as write_table

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
        # What the privacy statement says (access exports)
        "purpose": "Kundeforhold",
        "legal_basis": "Avtale (art. 6 nr. 1 b)",
        "storage_period": "Tre år etter kundeforholdet",
    },
    "support": {
        "sink": {"kind": "sql", "url": "sqlite:///support.db", "table": "tickets", "key": "id"},
        "on_erasure": "redact_spans",
        # What the privacy statement says (access exports)
        "purpose": "Kundeservice",
        "legal_basis": "Avtale (art. 6 nr. 1 b)",
        "storage_period": "To år etter at saken er lukket",
    },
    "mail": {
        "sink": {"kind": "maildir", "path": "mail"},
        "on_erasure": "delete_record",
        # What the privacy statement says (access exports)
        "purpose": "E-post med kundeservice",
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
        # What the privacy statement says (access exports)
        "purpose": "Kundechat",
        "legal_basis": "Berettiget interesse (art. 6 nr. 1 f)",
        "storage_period": "60 dager",
    },
    "orders": {
        "sink": {"kind": "sql", "url": "sqlite:///erp.db", "table": "orders", "key": "id"},
        "on_erasure": {"retain": {"years": 5, "basis": "bokføringsloven § 13"}},
        # What the privacy statement says (access exports)
        "purpose": "Ordre og regnskap",
        "legal_basis": "Rettslig forpliktelse (art. 6 nr. 1 c), bokføringsloven",
        "storage_period": "Fem år (bokføringsloven § 13)",
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
    """Create the company's systems under ``root``; returns the config path and the change
    events (topic, bytes) that their CDC connectors would emit."""
    now = now or datetime.now(UTC)
    return world.build(root, SYSTEMS, records(now), now)


def records(now: datetime) -> world.Records:
    """What the company's systems hold."""
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


def chat_change(row: dict[str, Any], record_id: str | None = None) -> bytes:
    """The change event (a JSON line) the chat system's CDC emits for a new message."""
    return json.dumps(
        {
            "schema": "glemsel.change/1",
            "system": "chat",
            "record_type": "message",
            "record_id": str(row["id"]) if record_id is None else record_id,
            "op": "c",
            "data": row,
        }
    ).encode()


def add_chats(
    db: Path, texts: Iterable[tuple[int, str]], record_id: Callable[[int], str] = str
) -> list[bytes]:
    """Customer chat messages (id, text), sent now, written into the chat system's table as
    the chat would; the change events its CDC emits for them."""
    now = datetime.now(UTC).isoformat()
    rows = [
        {"id": i, "channel": "kundechat", "author": "kunde", "text": text, "sent_at": now}
        for i, text in texts
    ]
    with sqlite3.connect(db) as conn:
        conn.executemany(
            "insert into messages values (?, ?, ?, ?, ?)", [tuple(r.values()) for r in rows]
        )
    return [chat_change(row, record_id(row["id"])) for row in rows]


def kari_chats(db: Path, start: int, n: int) -> list[bytes]:
    """n chat messages from ``start`` on, each naming Kari's e-mail and a distinct phone
    number; their change events."""
    return add_chats(
        db, ((i, f"hei, {KARI['email']} her, ring 9{i:07d}") for i in range(start, start + n))
    )


def numbered_mails(
    ages: Iterable[int], body: Callable[[int], str], now: datetime
) -> list[EmailMessage]:
    """Mail i from "Person i" <pi@example.no>, subject "Sak i", Message-ID <mi@example.no>,
    dated ``ages[i]`` days before ``now``, with ``body(i)``."""
    mails = []
    for i, age in enumerate(ages):
        msg = EmailMessage()
        msg["From"] = f"Person {i} <p{i}@example.no>"
        msg["Subject"] = f"Sak {i}"
        msg["Message-ID"] = f"<m{i}@example.no>"
        msg["Date"] = format_datetime(now - timedelta(days=age))
        msg.set_content(body(i))
        mails.append(msg)
    return mails


def published_world(root: Path, *steps: list[str]) -> Path:
    """The test company under ``root``, its change events published and worked through by
    the CLI, then each of ``steps`` (CLI arguments) run; returns the config path.

    For module-scoped fixtures: its state is its own SQLite (tests/conftest.py takes CI's
    shared state out of the environment when the session starts)."""
    from glemsel.pipeline.interfaces.cli import app
    from typer.testing import CliRunner

    config, events = build(root / "w")
    changes = root / "changes.jsonl"
    changes.write_bytes(b"\n".join(raw for _, raw in events) + b"\n")
    for args in (["publish", str(changes)], ["run", "--until-idle"], *steps):
        done = CliRunner().invoke(app, [*args, "--config", str(config)])
        assert done.exit_code == 0, done.output
    return config
