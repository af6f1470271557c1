"""The test suite's company: CRM, support (Debezium), mail (Maildir), chat, ERP, recruitment
and web-form systems with synthetic Norwegian people, and the change events their CDC would
emit.

The tests' own copy of the world, started from the demo's: the demo may change what it shows
without moving any test's ground. Everything is made up: the people, their fødselsnumre
(valid check digits, fictitious persons), phone numbers and addresses.
"""

from __future__ import annotations

import base64
import json
import sqlite3
from collections.abc import Callable, Iterable
from datetime import UTC, datetime, timedelta
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid
from mailbox import Maildir
from pathlib import Path
from typing import Any

import yaml
from glemsel.detectors.checksums import W_FNR_K1, W_FNR_K2, mod11_check
from glemsel.pipeline.core.config import new_hmac_key
from glemsel.pipeline.core.events import (
    TOPIC_CHANGES,
    ChangeEvent,
    MailEvent,
)


def fodselsnummer(birth: str, individual: int) -> str:
    """A fødselsnummer with valid control digits for DDMMYY and a 3-digit individual number;
    steps the individual number until both control digits exist (neither is 10)."""
    for n in range(individual, individual + 50):
        body = f"{birth}{n:03d}"
        k1 = mod11_check(body, W_FNR_K1)
        k2 = None if k1 is None else mod11_check(f"{body}{k1}", W_FNR_K2)
        if k1 is not None and k2 is not None:
            return f"{body}{k1}{k2}"
    raise ValueError("no valid number in range")


KARI = {
    "name": "Kari Nordmann",
    "email": "kari.nordmann@example.no",
    "phone": "+47 912 34 567",
    "fnr": fodselsnummer("150385", 123),
}
OLA = {
    "name": "Ola Hansen",
    "email": "ola.hansen@firma.no",
    "phone": "+47 934 56 789",
    "fnr": fodselsnummer("020790", 456),
}

# Job applicants: the hiring process ends, the applicant is erased unless she consented.
INGRID = {
    "name": "Ingrid Berg",
    "email": "ingrid.berg@example.no",
    "phone": "+47 976 54 321",
    "fnr": fodselsnummer("120894", 220),
}
PER = {
    "name": "Per Johansen",
    "email": "per.johansen@example.no",
    "phone": "+47 455 66 778",
    "fnr": fodselsnummer("030488", 310),
}

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
    """Create the demo systems under ``root``; returns the config path and the change events
    (topic, bytes) that their CDC connectors would emit."""
    now = now or datetime.now(UTC)
    root.mkdir(parents=True, exist_ok=True)
    new_hmac_key(root / "secrets" / "hmac.key")
    config = {
        "mode": "embedded",
        "state_dir": "state",
        "hmac_key_file": "secrets/hmac.key",
        "systems": SYSTEMS,
        "debezium": {"helpdesk.public.tickets": {"system": "support", "record_type": "ticket"}},
    }
    config_path = root / "glemsel.yaml"
    config_path.write_text(yaml.safe_dump(config, allow_unicode=True, sort_keys=False))
    events: list[tuple[str, bytes]] = []

    def change(system: str, record_type: str, row: dict[str, Any]) -> None:
        event = ChangeEvent(
            system=system,
            record_type=record_type,
            record_id=str(row["id"]),
            op="c",
            ts=now,
            data=row,
        )
        events.append((TOPIC_CHANGES, event.to_json()))

    contacts = [
        {"id": 1, "title": "Innkjøpssjef", **KARI},
        {"id": 2, "title": "Daglig leder", **OLA},
    ]
    _table(root / "crm.db", "contacts", contacts)
    for row in contacts:
        change("crm", "contact", row)

    tickets = [
        {
            "id": 101,
            "subject": "Feil på faktura",
            "body": f"Kunden Kari Nordmann ringte fra {KARI['phone']} om feil beløp. "
            f"Fødselsnummer oppgitt: {KARI['fnr'][:6]} {KARI['fnr'][6:]}. Sak under behandling.",
            "created_at": (now - timedelta(days=20)).isoformat(),
        },
        {
            "id": 102,
            "subject": "Levering",
            "body": "Ola Hansen spør om levering til Storgata 12B, 0155 Oslo.",
            "created_at": (now - timedelta(days=3)).isoformat(),
        },
    ]
    _table(root / "support.db", "tickets", tickets)
    for row in tickets:  # the help desk's CDC is Debezium
        envelope = {
            "before": None,
            "after": row,
            "op": "c",
            "ts_ms": int(now.timestamp() * 1000),
            "source": {
                "connector": "postgresql",
                "db": "helpdesk",
                "schema": "public",
                "table": "tickets",
            },
        }
        events.append((TOPIC_CHANGES, json.dumps(envelope).encode()))

    box = Maildir(root / "mail", create=True)
    for sender, body in [
        (
            KARI,
            f"Hei!\n\nJeg ønsker å slette kontoen min. Ring meg på {KARI['phone']}.\n\n"
            f"Med vennlig hilsen\nKari Nordmann",
        ),
        (OLA, "Hei, takk for sist. Hilsen Ola"),
    ]:
        msg = EmailMessage()
        msg["From"] = f"{sender['name']} <{sender['email']}>"
        msg["To"] = "kundeservice@butikken.no"
        msg["Subject"] = "Henvendelse"
        msg["Date"] = format_datetime(now - timedelta(days=5))
        msg["Message-ID"] = make_msgid(domain="demo.glemsel")
        msg.set_content(body)
        box.add(msg)
        mail = MailEvent(
            system="mail",
            record_id=msg["Message-ID"],
            op="c",
            ts=now,
            rfc822=base64.b64encode(msg.as_bytes()).decode(),
        )
        events.append((TOPIC_CHANGES, mail.to_json()))

    messages = [
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
    ]
    _table(root / "chat.db", "messages", messages)
    for row in messages:
        change("chat", "message", row)

    orders = [
        {
            "id": 5001,
            "customer": KARI["name"],
            "email": KARI["email"],
            "amount": "1249.00",
            "created_at": (now - timedelta(days=200)).isoformat(),
        }
    ]
    _table(root / "erp.db", "orders", orders)
    for row in orders:
        change("orders", "order", row)

    for row in applicants(now):
        change("recruitment", "applicant", row)
    _table(root / "hr.db", "applicants", applicants(now))

    posts = form_posts(now)
    _table(root / "web.db", "form_posts", posts)
    for row in posts:
        change("weblog", "form_post", row)
    return config_path, events


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


def _table(path: Path, name: str, rows: list[dict[str, Any]]) -> None:
    columns = list(rows[0])
    with sqlite3.connect(path) as conn:
        cols = ", ".join(f"{c} {'INTEGER PRIMARY KEY' if c == 'id' else 'TEXT'}" for c in columns)
        conn.execute(f"CREATE TABLE IF NOT EXISTS {name} ({cols})")
        conn.executemany(
            f"INSERT OR REPLACE INTO {name} ({', '.join(columns)}) "
            f"VALUES ({', '.join('?' for _ in columns)})",
            [[row[c] for c in columns] for row in rows],
        )


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
