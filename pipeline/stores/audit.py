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

import hmac
import json
import threading
from collections.abc import Iterable
from typing import Any

from glemsel.pipeline.stores import schema
from glemsel.pipeline.stores.audit_chain import GENESIS, AuditHead, Chain, VerifyResult
from sqlalchemy import Column, Integer, MetaData, String, Table, Text, insert, select
from sqlalchemy.engine import Connection, Engine

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


def _baseline(conn: Connection) -> None:
    metadata.create_all(conn)


def _index_request(conn: Connection) -> None:
    # Entries of a request (its report, and whether a crashed run audited a location).
    conn.exec_driver_sql(
        "CREATE INDEX IF NOT EXISTS ix_audit_request ON audit (request_id, record_id)"
    )


MIGRATIONS: list[schema.Migration] = [_baseline, _index_request]

__all__ = ["GENESIS", "MIGRATIONS", "AuditHead", "AuditLog", "VerifyResult"]


class AuditLog:
    def __init__(self, engine: Engine, key: bytes) -> None:
        self._engine = engine
        self._chain = Chain(key)
        self._lock = threading.Lock()
        schema.migrate(engine, "audit", MIGRATIONS, metadata)

    def close(self) -> None:
        self._engine.dispose()

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
            row = self._chain.entry(seq, prev, kind, request_id, system, record_id, detail)
            conn.execute(insert(entries).values(**row))
        return seq

    def entries(self, request_id: str | None = None) -> list[dict[str, Any]]:
        query = select(entries).order_by(entries.c.seq)
        if request_id:
            query = query.where(entries.c.request_id == request_id)
        with self._engine.connect() as conn:
            return [{**r._mapping, "detail": json.loads(r.detail)} for r in conn.execute(query)]

    def recorded(self, kind: str, request_id: str, system: str, record_id: str) -> bool:
        """Whether an entry of ``kind`` for this location is in the chain already."""
        query = select(entries.c.seq).where(
            (entries.c.request_id == request_id)
            & (entries.c.record_id == record_id)
            & (entries.c.system == system)
            & (entries.c.kind == kind)
        )
        with self._engine.connect() as conn:
            return conn.execute(query.limit(1)).first() is not None

    def head(self) -> AuditHead:
        """The last entry's seq and MAC (seq 0 and the genesis MAC for an empty chain)."""
        with self._engine.connect() as conn:
            last = conn.execute(
                select(entries.c.seq, entries.c.mac, entries.c.ts)
                .order_by(entries.c.seq.desc())
                .limit(1)
            ).first()
        return AuditHead(last.seq, last.mac, last.ts) if last else AuditHead(0, GENESIS, None)

    def verify(self, heads: Iterable[AuditHead] = ()) -> VerifyResult:
        """Walk the chain; with ``heads`` (exported earlier), it must also reach each of them.

        The chain alone cannot tell a cut-off tail, an emptied table or a chain rewritten by
        someone holding the key from an honest one; a head kept elsewhere can."""
        expect = {h.seq: h.mac for h in heads if h.seq > 0}
        prev, expected_seq, count = GENESIS, 1, 0
        with self._engine.connect() as conn:
            for r in conn.execute(select(entries).order_by(entries.c.seq)):
                row = dict(r._mapping)
                if row["seq"] != expected_seq:
                    return VerifyResult(False, count, "entry missing or reordered", expected_seq)
                if row["prev"] != prev:
                    return VerifyResult(False, count, "chain broken (removed or reordered)", r.seq)
                if not hmac.compare_digest(row["mac"], self._chain.mac(row, prev)):
                    return VerifyResult(False, count, "entry edited", r.seq)
                if row["seq"] in expect and not hmac.compare_digest(row["mac"], expect[row["seq"]]):
                    return VerifyResult(
                        False, count, "entry rewritten: differs from the exported head", r.seq
                    )
                prev, expected_seq, count = row["mac"], expected_seq + 1, count + 1
        if expect and (top := max(expect)) > count:
            return VerifyResult(
                False,
                count,
                f"chain truncated: it ends at entry {count}, the exported head is entry {top}",
                count + 1,
            )
        return VerifyResult(True, count)
