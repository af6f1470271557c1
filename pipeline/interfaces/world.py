"""The synthetic company behind `glemsel demo` and the test suite: CRM, support (Debezium),
mail (Maildir), chat, ERP, recruitment and web-form systems, and the change events their CDC
connectors would emit.

Only the building is here: the SQLite tables, the Maildir, the configuration and the change
events. Who the people are, what the systems hold and what their privacy statements say is
the caller's data (`Records`, the systems' configuration), so that the demo and the tests
each keep their own and either may change without moving the other.
"""

from __future__ import annotations

import base64
import json
import sqlite3
from dataclasses import dataclass
from datetime import datetime, timedelta
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid
from mailbox import Maildir
from pathlib import Path
from typing import Any

import yaml
from glemsel.detectors.checksums import W_FNR_K1, W_FNR_K2, mod11_check
from glemsel.pipeline.core.config import new_hmac_key
from glemsel.pipeline.core.events import TOPIC_CHANGES, ChangeEvent, MailEvent

Row = dict[str, Any]
Person = dict[str, str]
Events = list[tuple[str, bytes]]

# The support system's CDC is Debezium: its topic maps to a system and a record type.
DEBEZIUM = {"helpdesk.public.tickets": {"system": "support", "record_type": "ticket"}}


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


def person(name: str, email: str, phone: str, birth: str, individual: int) -> Person:
    """A synthetic person as the systems' rows spread them (``{"id": 1, **person}``), with the
    fødselsnummer of ``birth`` (DDMMYY) and ``individual`` (see `fodselsnummer`)."""
    return {"name": name, "email": email, "phone": phone, "fnr": fodselsnummer(birth, individual)}


@dataclass(frozen=True)
class Records:
    """What the systems hold when they are built, one list of rows per table; the column
    names are those of each row's keys (the first row's, per table)."""

    contacts: list[Row]  # CRM (crm.db, contacts)
    tickets: list[Row]  # support (support.db, tickets), reported by Debezium
    mails: list[tuple[Person, str]]  # sender and body of mails to customer service
    messages: list[Row]  # chat (chat.db, messages)
    orders: list[Row]  # ERP (erp.db, orders)
    applicants: list[Row]  # recruitment (hr.db, applicants)
    form_posts: list[Row]  # web-form log (web.db, form_posts)


def build(
    root: Path, systems: dict[str, Any], records: Records, now: datetime
) -> tuple[Path, Events]:
    """Create the systems under ``root`` with ``records`` in them and a configuration of
    ``systems``; returns the config path and the change events (topic, bytes) that their
    CDC connectors would emit, in the order they are made."""
    root.mkdir(parents=True, exist_ok=True)
    config_path = write_config(root, systems, mode="embedded", debezium=DEBEZIUM)
    events: Events = []

    def tabled(system: str, record_type: str, db: str, table: str, rows: list[Row]) -> None:
        write_table(root / db, table, rows)
        events.extend(change_event(system, record_type, row, now) for row in rows)

    tabled("crm", "contact", "crm.db", "contacts", records.contacts)
    write_table(root / "support.db", "tickets", records.tickets)
    events.extend(debezium_event(row, now) for row in records.tickets)
    events.extend(write_mails(root / "mail", records.mails, now))
    tabled("chat", "message", "chat.db", "messages", records.messages)
    tabled("orders", "order", "erp.db", "orders", records.orders)
    tabled("recruitment", "applicant", "hr.db", "applicants", records.applicants)
    tabled("weblog", "form_post", "web.db", "form_posts", records.form_posts)
    return config_path, events


def write_config(
    root: Path, systems: dict[str, Any], mode: str | None = None, **settings: Any
) -> Path:
    """A new HMAC key and ``glemsel.yaml`` under ``root`` (state in ``root/state``) for
    ``systems``, with ``mode`` (else the default) and further top-level ``settings``.
    Returns the config path."""
    new_hmac_key(root / "secrets" / "hmac.key")
    config: dict[str, Any] = {} if mode is None else {"mode": mode}
    config |= {"state_dir": "state", "hmac_key_file": "secrets/hmac.key", "systems": systems}
    config |= settings
    path = root / "glemsel.yaml"
    path.write_text(yaml.safe_dump(config, allow_unicode=True, sort_keys=False))
    return path


def write_table(path: Path, name: str, rows: list[Row]) -> None:
    """Write ``rows`` into table ``name`` of the SQLite file ``path``, the table made from
    the first row's keys (``id`` the integer primary key, the rest text) if it is missing;
    a row with an existing id replaces it."""
    columns = list(rows[0])
    with sqlite3.connect(path) as conn:
        cols = ", ".join(f"{c} {'INTEGER PRIMARY KEY' if c == 'id' else 'TEXT'}" for c in columns)
        conn.execute(f"CREATE TABLE IF NOT EXISTS {name} ({cols})")
        conn.executemany(
            f"INSERT OR REPLACE INTO {name} ({', '.join(columns)}) "
            f"VALUES ({', '.join('?' for _ in columns)})",
            [[row[c] for c in columns] for row in rows],
        )


def change_event(
    system: str, record_type: str, row: Row, ts: datetime, op: str = "c"
) -> tuple[str, bytes]:
    """The glemsel change event a system's CDC connector emits for ``row``."""
    event = ChangeEvent(
        system=system, record_type=record_type, record_id=str(row["id"]), op=op, ts=ts, data=row
    )
    return TOPIC_CHANGES, event.to_json()


def debezium_event(row: Row, now: datetime) -> tuple[str, bytes]:
    """The Debezium envelope the help desk's PostgreSQL connector emits for a new ticket."""
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
    return TOPIC_CHANGES, json.dumps(envelope).encode()


def write_mails(path: Path, mails: list[tuple[Person, str]], now: datetime) -> Events:
    """Mails to customer service, five days old, into the Maildir at ``path``; the mail
    events for them."""
    box = Maildir(path, create=True)
    events: Events = []
    for sender, body in mails:
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
    return events
