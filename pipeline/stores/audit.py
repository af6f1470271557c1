"""Append-only, hash-chained audit trail of every erasure decision and effect.

Each entry's MAC covers its content and the previous entry's MAC, keyed with a secret derived
from the HMAC key, so an edited, removed or reordered entry breaks the chain, and whoever can
write to the database but lacks the key cannot forge a consistent chain after editing it.
Entries hold keyed hashes and record ids, never raw identifiers.

Several workers append to one chain, which stays one sequence (``seq`` 1, 2, 3, … each
linking to the one before) that ``verify`` checks whole. A log that wrote the last entry
itself appends the next with one insert of ``seq + 1`` linking to it: the primary key refuses
that guess if another log appended meanwhile. Then (and at a log's first append) the append
takes a transaction-scoped advisory lock on PostgreSQL (SQLite's write lock) before it reads
the last entry, so locked appends are serialised by the database; their insert, too, yields
to a guess that took the seq after the read, and reads again. In one process a lock
serialises the appends of one log.
"""

from __future__ import annotations

import hmac
import json
import threading
from collections.abc import Iterable
from typing import Any

from glemsel.pipeline.stores import schema
from glemsel.pipeline.stores.audit_chain import GENESIS, AuditHead, Chain, VerifyResult
from sqlalchemy import Column, Integer, MetaData, String, Table, Text, select
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
_LOCKED_TRIES = 100  # each lost try is another log's guess winning: one per its own append

__all__ = ["GENESIS", "MIGRATIONS", "AuditHead", "AuditLog", "VerifyResult"]


def _insert_unless_taken(conn: Connection, row: dict[str, Any]) -> bool:
    """Insert the entry unless its seq is taken (the primary key decides, without an error
    that would abort a PostgreSQL transaction); whether it was written."""
    stmt = schema.dialect_insert(conn, entries).values(**row)
    return conn.execute(stmt.on_conflict_do_nothing().returning(entries.c.seq)).first() is not None


class AuditLog:
    def __init__(self, engine: Engine, key: bytes) -> None:
        self._engine = engine
        self._chain = Chain(key)
        self._lock = threading.Lock()
        # (seq, MAC) of the entry this log wrote last: the next append guesses seq + 1 after
        # it with one insert, without the lock and the read (see append).
        self._last: tuple[int, str] | None = None
        self._single = schema.single_statements(engine)
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
        with self._lock:
            if self._last is not None:  # a guess: nobody appended after this log's last entry
                seq, prev = self._last[0] + 1, self._last[1]
                row = self._chain.entry(seq, prev, kind, request_id, system, record_id, detail)
                with self._single.begin() as conn:  # one statement: no BEGIN, no COMMIT
                    written = _insert_unless_taken(conn, row)
                if written:
                    self._last = (seq, row["mac"])
                    return seq
            # Another log appended meanwhile (or this one has not yet): the locked path.
            for _ in range(_LOCKED_TRIES):
                with self._engine.begin() as conn:
                    schema.serialise(conn, "glemsel-audit")  # other workers wait here
                    last = conn.execute(
                        select(entries.c.seq, entries.c.mac).order_by(entries.c.seq.desc()).limit(1)
                    ).first()
                    seq, prev = (last.seq + 1, last.mac) if last else (1, GENESIS)
                    row = self._chain.entry(seq, prev, kind, request_id, system, record_id, detail)
                    # A guessing log takes no lock: it may have taken this seq since the read.
                    written = _insert_unless_taken(conn, row)
                if written:
                    self._last = (seq, row["mac"])
                    return seq
        raise RuntimeError(f"no audit seq free after {_LOCKED_TRIES} tries")

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

    def of_record(self, system: str, record_id: str, kinds: Iterable[str]) -> list[dict[str, Any]]:
        """Entries of ``kinds`` about one record that belong to no request (the resurrection
        guard's), oldest first."""
        query = (
            select(entries)
            .where(
                entries.c.request_id.is_(None)  # so the (request_id, record_id) index serves
                & (entries.c.record_id == record_id)
                & (entries.c.system == system)
                & entries.c.kind.in_(list(kinds))
            )
            .order_by(entries.c.seq)
        )
        with self._engine.connect() as conn:
            return [{**r._mapping, "detail": json.loads(r.detail)} for r in conn.execute(query)]

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
