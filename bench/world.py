"""The benchmarks' company: synthetic Norwegian people and the systems that hold them.

Its own world, apart from the demo (which may change what it shows) and the tests' company:
a CRM of identity records (name, e-mail, phone, fødselsnummer with valid control digits),
support tickets, mails of 2-50 KB in a Maildir and chat messages, each naming people of the
CRM. Also the machine facts every benchmark prints, and the distributed settings (a Kafka
topic prefix, an Elasticsearch index prefix and a PostgreSQL schema of the run's own).
"""

from __future__ import annotations

import base64
import os
import platform
import random
import resource
import sqlite3
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from email.message import EmailMessage
from email.utils import format_datetime
from mailbox import Maildir
from pathlib import Path
from typing import Any

import yaml
from glemsel.detectors.checksums import W_FNR_K1, W_FNR_K2, mod11_check
from glemsel.pipeline.core.config import new_hmac_key
from glemsel.pipeline.core.events import ChangeEvent, MailEvent

from bench.corpus import LAST as CORPUS_LAST
from bench.scratch_schema import scratch_schema

# Read once at import: the embedded runs take GLEMSEL_STATE_URL out of the environment
# (their state is SQLite), the distributed runs after them must still find it.
STATE_URL = os.environ.get("GLEMSEL_STATE_URL")

FIRST = [
    "Kari",
    "Ola",
    "Ingrid",
    "Per",
    "Anne",
    "Lars",
    "Marit",
    "Jon",
    "Silje",
    "Erik",
    "Hilde",
    "Knut",
    "Nina",
    "Morten",
    "Tone",
    "Geir",
    "Kristin",
    "Bjørn",
    "Hanne",
    "Trond",
    "Ragnhild",
    "Sindre",
    "Solveig",
    "Øystein",
    "Åse",
    "Eirik",
    "Tuva",
    "Håkon",
    "Line",
    "Arne",
]
# The corpus's eleven commonest surnames first, then more.
LAST = CORPUS_LAST[:11] + [
    "Johnsen",
    "Pettersen",
    "Eriksen",
    "Berg",
    "Haugen",
    "Hagen",
    "Johannessen",
    "Andreassen",
    "Jacobsen",
    "Dahl",
    "Jørgensen",
    "Halvorsen",
    "Henriksen",
    "Lund",
    "Sørensen",
    "Jakobsen",
    "Moen",
    "Gundersen",
    "Iversen",
    "Strand",
    "Solberg",
    "Svendsen",
]
STREETS = (
    "Storgata", "Kongens gate", "Dronningens gate", "Parkveien", "Skolegata", "Kirkegata",
    "Bygdøy allé",
)  # fmt: skip
PROSE = (
    "Vi viser til tidligere korrespondanse om saken og bekrefter at bestillingen er mottatt. "
    "Leveringen skjer i løpet av neste uke, og du vil få beskjed når pakken er sendt. "
    "Dersom noe er uklart, kan du svare på denne e-posten eller ringe kundeservice. "
    "Fakturaen sendes separat og forfaller til betaling innen fjorten dager. "
)


def fodselsnummer(rng: random.Random) -> str:
    """A fødselsnummer with valid control digits (a fictitious person: any birth date from
    1940 to 2005, a random individual number)."""
    while True:
        born = datetime(1940, 1, 1) + timedelta(days=rng.randrange(365 * 65))
        body = f"{born:%d%m%y}{rng.randrange(1000):03d}"
        k1 = mod11_check(body, W_FNR_K1)
        k2 = None if k1 is None else mod11_check(f"{body}{k1}", W_FNR_K2)
        if k1 is not None and k2 is not None:
            return f"{body}{k1}{k2}"


@dataclass(frozen=True)
class Person:
    n: int
    name: str
    email: str
    phone: str
    fnr: str


def people(count: int, seed: int = 10) -> list[Person]:
    """``count`` people, each with an e-mail, phone and fødselsnummer of their own (names
    repeat, as they do: namesakes)."""
    rng = random.Random(seed)
    out, seen = [], set()
    for n in range(count):
        fnr = fodselsnummer(rng)
        while fnr in seen:
            fnr = fodselsnummer(rng)
        seen.add(fnr)
        first, last = rng.choice(FIRST), rng.choice(LAST)
        out.append(
            Person(
                n=n,
                name=f"{first} {last}",
                email=f"{first.lower()}.{last.lower()}{n}@example.no".replace("ø", "o")
                .replace("å", "a")
                .replace("æ", "ae"),
                phone=_phone(n),
                fnr=fnr,
            )
        )
    return out


def _phone(n: int) -> str:
    digits = f"9{n:07d}"
    return f"+47 {digits[:3]} {digits[3:5]} {digits[5:]}"


SYSTEMS: dict[str, Any] = {
    "crm": {
        "sink": {"kind": "sql", "url": "sqlite:///crm.db", "table": "contacts", "key": "id"},
        "identity": {"contact": ["name", "email", "phone", "fnr"]},
        "on_erasure": "delete_record",
    },
    "support": {
        "sink": {"kind": "sql", "url": "sqlite:///support.db", "table": "tickets", "key": "id"},
        "on_erasure": "redact_spans",
    },
    "mail": {"sink": {"kind": "maildir", "path": "mail"}, "on_erasure": "delete_record"},
    "chat": {
        "sink": {"kind": "sql", "url": "sqlite:///chat.db", "table": "messages", "key": "id"},
        "on_erasure": "delete_record",
    },
}
TABLES = {
    "crm.db": "CREATE TABLE contacts (id INTEGER PRIMARY KEY, name TEXT, email TEXT, "
    "phone TEXT, fnr TEXT, title TEXT, company TEXT)",
    "support.db": "CREATE TABLE tickets (id INTEGER PRIMARY KEY, subject TEXT, body TEXT, "
    "created_at TEXT)",
    "chat.db": "CREATE TABLE messages (id INTEGER PRIMARY KEY, channel TEXT, author TEXT, "
    "text TEXT, sent_at TEXT)",
}


@dataclass
class Distributed:
    """Kafka, Elasticsearch and PostgreSQL of this run's own (prefixes, a schema)."""

    kafka: str
    es: str
    state_url: str | None
    tag: str

    @classmethod
    def from_env(cls) -> Distributed:
        try:
            kafka, es = os.environ["GLEMSEL_KAFKA_BOOTSTRAP"], os.environ["GLEMSEL_ES_URL"]
        except KeyError:
            raise SystemExit(
                "distributed mode needs GLEMSEL_KAFKA_BOOTSTRAP and GLEMSEL_ES_URL "
                "(source /tmp/glemsel-services/env.sh after docker/local-services.sh start)"
            ) from None
        return cls(kafka, es, STATE_URL, uuid.uuid4().hex[:8])

    def settings(self, partitions: int = 4) -> dict[str, Any]:
        return {
            "mode": "distributed",
            "kafka": {
                "bootstrap": self.kafka,
                "topic_prefix": f"bench{self.tag}.",
                "partitions": partitions,
                "session_timeout": 10.0,
            },
            "elasticsearch": {"url": self.es, "index_prefix": f"glemsel-bench{self.tag}"},
        }

    @contextmanager
    def state(self) -> Iterator[str | None]:
        """A PostgreSQL schema of this run's own (dropped after), or None without one."""
        if not self.state_url:
            yield None
            return
        with scratch_schema(self.state_url, f"bench_{self.tag}") as url:
            yield url

    def drop(self) -> None:
        """Remove the run's indices and topics (the services are shared)."""
        from elasticsearch import Elasticsearch

        es = Elasticsearch(self.es)
        try:
            names = es.indices.get(index=f"glemsel-bench{self.tag}-*")
            if names:
                es.indices.delete(index=",".join(names))
        except Exception:  # best effort: a leftover index is harmless
            pass
        finally:
            es.close()
        try:
            from kafka.admin import KafkaAdminClient

            admin = KafkaAdminClient(bootstrap_servers=self.kafka)
            mine = [t for t in admin.list_topics() if t.startswith(f"bench{self.tag}.")]
            if mine:
                admin.delete_topics(mine)
            admin.close()
        except Exception:
            pass


def write_config(root: Path, extra: dict[str, Any] | None = None) -> Path:
    root.mkdir(parents=True, exist_ok=True)
    new_hmac_key(root / "secrets" / "hmac.key")
    for db, ddl in TABLES.items():
        with sqlite3.connect(root / db) as conn:
            conn.execute(ddl)
    Maildir(root / "mail", create=True)
    config = {
        "mode": "embedded",
        "state_dir": "state",
        "hmac_key_file": "secrets/hmac.key",
        "systems": SYSTEMS,
        **(extra or {}),
    }
    path = root / "glemsel.yaml"
    path.write_text(yaml.safe_dump(config, allow_unicode=True, sort_keys=False))
    return path


def contact_row(p: Person) -> dict[str, Any]:
    return {
        "id": p.n + 1,
        "name": p.name,
        "email": p.email,
        "phone": p.phone,
        "fnr": p.fnr,
        "title": "Innkjøper",
        "company": f"Firma {p.n % 997} AS",
    }


def insert_contacts(root: Path, persons: list[Person]) -> None:
    with sqlite3.connect(root / "crm.db") as conn:
        conn.executemany(
            "insert into contacts values (:id, :name, :email, :phone, :fnr, :title, :company)",
            [contact_row(p) for p in persons],
        )


def ticket_row(i: int, p: Person, rng: random.Random) -> dict[str, Any]:
    return {
        "id": i,
        "subject": "Henvendelse",
        "body": f"Kunden {p.name} ringte fra {p.phone} om levering til "
        f"{rng.choice(STREETS)} {rng.randrange(1, 90)}, 0155 Oslo. Svar sendes til {p.email}.",
        "created_at": "2026-01-01T00:00:00",
    }


def chat_row(i: int, p: Person, rng: random.Random) -> dict[str, Any]:
    text = rng.choice(
        [
            f"hei, dette er {p.name.split()[0].lower()}. mailen min er {p.email}",
            f"ring meg på {p.phone} er du snill",
            "takk for hjelpen! 👍",
            "når kommer pakken?",
        ]
    )
    return {"id": i, "channel": "kundechat", "author": "kunde", "text": text,
            "sent_at": datetime.now(UTC).isoformat()}  # fmt: skip


def mail_bytes(i: int, p: Person, rng: random.Random) -> tuple[str, bytes]:
    """A mail of 2-50 KB from ``p`` (Message-ID, RFC 822 bytes)."""
    size = rng.randrange(2_000, 50_000)
    body = f"Hei!\n\nJeg heter {p.name} og har fødselsnummer {p.fnr}. Ring meg på {p.phone}.\n\n"
    body += (PROSE * (size // len(PROSE) + 1))[: max(size - len(body) - 40, 0)]
    body += f"\n\nMed vennlig hilsen\n{p.name}\n"
    msg = EmailMessage()
    msg["From"] = f"{p.name} <{p.email}>"
    msg["To"] = "kundeservice@butikken.no"
    msg["Subject"] = f"Sak {i}"
    msg["Date"] = format_datetime(datetime.now(UTC))
    message_id = f"<bench-{i}@bench.glemsel>"
    msg["Message-ID"] = message_id
    msg.set_content(body)
    return message_id, msg.as_bytes()


def change(system: str, record_type: str, row: dict[str, Any]) -> bytes:
    return ChangeEvent(
        system=system, record_type=record_type, record_id=str(row["id"]), op="c", data=row
    ).to_json()


def mail_event(record_id: str, raw: bytes) -> bytes:
    return MailEvent(
        system="mail", record_id=record_id, op="c", rfc822=base64.b64encode(raw).decode()
    ).to_json()


# --- machine facts and clocks ----------------------------------------------------------------


def machine() -> str:
    model = "?"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    load = ", ".join(f"{x:.2f}" for x in os.getloadavg())
    return (
        f"machine: {os.cpu_count()} cores ({model}), {platform.machine()}, "
        f"Python {platform.python_version()}, load average {load} (1/5/15 min)"
    )


def load() -> str:
    return "/".join(f"{x:.1f}" for x in os.getloadavg())


class Clock:
    """Wall time and this process's CPU time (user+sys, all threads) since start."""

    def __init__(self) -> None:
        self.wall = time.perf_counter()
        self.cpu = time.process_time()

    def elapsed(self) -> tuple[float, float]:
        return time.perf_counter() - self.wall, time.process_time() - self.cpu


def proc_cpu(pid: int) -> float:
    """CPU seconds (user+sys) a live process has used, from /proc (0 if gone)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def service_pids() -> dict[str, list[int]]:
    """The local services' processes (read only, to account their CPU time)."""
    found: dict[str, list[int]] = {"elasticsearch": [], "kafka": [], "postgres": []}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            cmd = (entry / "cmdline").read_bytes()
        except OSError:
            continue
        if b"org.elasticsearch.bootstrap" in cmd:
            found["elasticsearch"].append(int(entry.name))
        elif b"kafka.Kafka" in cmd:
            found["kafka"].append(int(entry.name))
        elif cmd.startswith(b"postgres"):
            found["postgres"].append(int(entry.name))
    return found


def services_cpu() -> dict[str, dict[int, float]]:
    """CPU seconds per process of each local service (see :func:`services_delta`)."""
    return {name: {p: proc_cpu(p) for p in pids} for name, pids in service_pids().items()}


def services_delta(before: dict[str, dict[int, float]]) -> dict[str, float | None]:
    """CPU seconds each service used since ``before``, over the processes alive at both
    times; None where the service was restarted meanwhile (others share these services)."""
    now = services_cpu()
    out: dict[str, float | None] = {}
    for name, pids in now.items():
        old = before.get(name, {})
        if old and not set(old) & set(pids):
            out[name] = None
        else:
            out[name] = sum(cpu - old.get(p, 0.0) for p, cpu in pids.items() if p in old)
    return out


def children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]
