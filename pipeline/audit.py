"""Append-only, hash-chained audit trail of every erasure decision and effect.

Each entry's MAC covers its content and the previous entry's MAC, keyed with a secret derived
from the HMAC key, so an edited, removed or reordered entry breaks the chain, and whoever can
write to the database but lacks the key cannot forge a consistent chain after editing it.
Entries hold keyed hashes and record ids, never raw identifiers.

Several workers append to one chain: on PostgreSQL each append takes a transaction-scoped
advisory lock before it reads the last entry, so appends are serialised by the database and
the chain stays one sequence (``seq`` 1, 2, 3, … each linking to the one before), which
``verify`` checks whole. In one process a lock does the same for SQLite.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import threading
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Column, Integer, MetaData, String, Table, Text, insert, select
from sqlalchemy.engine import Connection, Engine

from pipeline import schema

metadata = MetaData()

entries = Table(
    "audit",
    metadata,
    Column("seq", Integer, primary_key=True, autoincrement=False),
    Column("ts", String, nullable=False),
    Column("kind", String, nullable=False),
    Column("request_id", String),
    Column("system", String),
    Column("record_id", String),
    Column("detail", Text, nullable=False),
    Column("prev", String, nullable=False),
    Column("mac", String, nullable=False),
)

GENESIS = "0" * 64


def _baseline(conn: Connection) -> None:
    metadata.create_all(conn)


MIGRATIONS: list[schema.Migration] = [_baseline]


@dataclass(frozen=True)
class VerifyResult:
    ok: bool
    entries: int
    problem: str = ""
    seq: int | None = None


class AuditLog:
    def __init__(self, engine: Engine, key: bytes) -> None:
        self._engine = engine
        self._key = hmac.new(key, b"glemsel-audit-chain", hashlib.sha256).digest()
        self._lock = threading.Lock()
        schema.migrate(engine, "audit", MIGRATIONS)

    def close(self) -> None:
        self._engine.dispose()

    def _mac(self, row: dict[str, Any], prev: str) -> str:
        content = json.dumps(
            [
                row["seq"],
                row["ts"],
                row["kind"],
                row["request_id"],
                row["system"],
                row["record_id"],
                row["detail"],
                prev,
            ],
            ensure_ascii=False,
        )
        return hmac.new(self._key, content.encode(), hashlib.sha256).hexdigest()

    def append(
        self,
        kind: str,
        *,
        request_id: str | None = None,
        system: str | None = None,
        record_id: str | None = None,
        **detail: Any,
    ) -> int:
        with self._lock, self._engine.begin() as conn:
            schema.serialise(conn, "glemsel-audit")  # other workers wait here
            last = conn.execute(
                select(entries.c.seq, entries.c.mac).order_by(entries.c.seq.desc()).limit(1)
            ).first()
            seq, prev = (last.seq + 1, last.mac) if last else (1, GENESIS)
            row = {
                "seq": seq,
                "ts": datetime.now(UTC).isoformat(),
                "kind": kind,
                "request_id": request_id,
                "system": system,
                "record_id": record_id,
                "detail": json.dumps(detail, sort_keys=True, default=str, ensure_ascii=False),
            }
            conn.execute(insert(entries).values(**row, prev=prev, mac=self._mac(row, prev)))
        return seq

    def entries(self, request_id: str | None = None) -> list[dict[str, Any]]:
        query = select(entries).order_by(entries.c.seq)
        if request_id:
            query = query.where(entries.c.request_id == request_id)
        with self._engine.connect() as conn:
            return [{**r._mapping, "detail": json.loads(r.detail)} for r in conn.execute(query)]

    def verify(self) -> VerifyResult:
        prev, expected_seq, count = GENESIS, 1, 0
        with self._engine.connect() as conn:
            for r in conn.execute(select(entries).order_by(entries.c.seq)):
                row = dict(r._mapping)
                if row["seq"] != expected_seq:
                    return VerifyResult(False, count, "entry missing or reordered", expected_seq)
                if row["prev"] != prev:
                    return VerifyResult(False, count, "chain broken (removed or reordered)", r.seq)
                if not hmac.compare_digest(row["mac"], self._mac(row, prev)):
                    return VerifyResult(False, count, "entry edited", r.seq)
                prev, expected_seq, count = row["mac"], expected_seq + 1, count + 1
        return VerifyResult(True, count)
