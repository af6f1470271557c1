"""The embedded stores for read-only commands, on the standard library's sqlite3.

`glemsel search`, `status` and `requests` open the state, read a few rows (search also
appends its audit entry) and exit: importing SQLAlchemy and running the migrations check was
most of their start-up. When the embedded files exist and their schema is at the version this
Glemsel writes, these classes read the same tables with plain SQL, decoded by stores/rows.py,
and the index's reads are index_sqlite's own (stores/index_sqlite_reads.py). Otherwise (no
state yet, an older schema to migrate, a newer one to refuse) :func:`open_sqlite_reads`
answers None and the command opens the full stores, which migrate or refuse.

The versions below must move with the migrations of stores/state.py and stores/audit.py;
tests/state/test_sqlite_reads.py fails when they do not, and checks that both paths read the
same rows.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from pathlib import Path
from types import SimpleNamespace
from typing import Any

from glemsel.pipeline.core.config import Config
from glemsel.pipeline.core.findings import Location
from glemsel.pipeline.core.holds import Hold
from glemsel.pipeline.core.identifiers import Hasher
from glemsel.pipeline.core.statuses import LocationAction
from glemsel.pipeline.stores import index_sqlite_reads as index_reads
from glemsel.pipeline.stores.audit_chain import GENESIS, Chain
from glemsel.pipeline.stores.rows import (
    OutcomeRow,
    RequestRow,
    active_hold,
    arrival,
    key_chunks,
    outcome_row,
    request_row,
)

STATE_VERSION = 6  # len(stores.state.MIGRATIONS)
AUDIT_VERSION = 2  # len(stores.audit.MIGRATIONS)
INDEX_TABLES = frozenset({"findings", "subject_links", "subject_names"})


def _attrs(cursor: sqlite3.Cursor, row: tuple[Any, ...]) -> SimpleNamespace:
    # Columns as attributes, as the decoders read SQLAlchemy's rows.
    return SimpleNamespace(**{d[0]: v for d, v in zip(cursor.description, row, strict=True)})


def _connect(path: Path) -> sqlite3.Connection:
    # mode=rw: an existing file only (a missing one is the full stores' to create, with
    # owner-only permissions); autocommit, so the audit's BEGIN IMMEDIATE is ours to send.
    db = sqlite3.connect(f"file:{path}?mode=rw", uri=True, isolation_level=None)
    db.execute("PRAGMA busy_timeout=10000")  # as stores/sqlite.py: wait for the worker
    db.execute("PRAGMA synchronous=NORMAL")
    return db


def _version(db: sqlite3.Connection, component: str) -> int | None:
    try:
        row = db.execute(
            "SELECT version FROM glemsel_schema WHERE component = ?", (component,)
        ).fetchone()
    except sqlite3.OperationalError:  # no versions table: a state to migrate
        return None
    return row[0] if row else None


class _Requests:
    def __init__(self, db: sqlite3.Connection) -> None:
        self._db = db

    def get(self, request_id: str) -> RequestRow | None:
        r = self._db.execute("SELECT * FROM requests WHERE request_id = ?", (request_id,))
        row = r.fetchone()
        return request_row(row) if row else None

    def all(self) -> list[RequestRow]:
        rows = self._db.execute("SELECT * FROM requests ORDER BY received_at")
        return [request_row(r) for r in rows]

    def naming(self, hashes: set[str]) -> list[RequestRow]:
        found: dict[str, Any] = {}
        for chunk in key_chunks(hashes):  # as the full stores
            rows = self._db.execute(
                "SELECT * FROM requests WHERE request_id IN (SELECT request_id FROM "
                f"request_subjects WHERE hash IN ({', '.join('?' * len(chunk))}))",
                chunk,
            )
            found |= {r.request_id: r for r in rows}
        return [request_row(r) for r in sorted(found.values(), key=arrival)]


class _Outcomes:
    def __init__(self, db: sqlite3.Connection) -> None:
        self._db = db

    def of_request(self, request_id: str) -> list[OutcomeRow]:
        rows = self._db.execute(
            "SELECT * FROM outcomes WHERE request_id = ? AND action != ? "
            "ORDER BY system, record_id",
            (request_id, LocationAction.STARTED.value),
        )
        return [outcome_row(r) for r in rows]

    def with_action(self, action: LocationAction) -> list[OutcomeRow]:
        rows = self._db.execute("SELECT * FROM outcomes WHERE action = ?", (action.value,))
        return [outcome_row(r) for r in rows]


class _Holds:
    def __init__(self, db: sqlite3.Connection) -> None:
        self._db = db

    def active(self) -> list[Hold]:
        return [active_hold(r) for r in self._db.execute("SELECT * FROM holds WHERE active")]


class SqliteStateReads:
    """Requests, outcomes and active holds, as stores/state.py's repositories return them."""

    def __init__(self, db: sqlite3.Connection) -> None:
        db.row_factory = _attrs
        self._db = db
        self.requests = _Requests(db)
        self.outcomes = _Outcomes(db)
        self.holds = _Holds(db)

    def close(self) -> None:
        self._db.close()


class SqliteAuditAppend:
    """Appends to the embedded chain as AuditLog's locked path does (a command appends once:
    it has no entry of its own to guess the next seq after): the write lock first (BEGIN
    IMMEDIATE), then the last entry, then the next, so a worker appending at the same time
    waits instead of taking the same seq."""

    def __init__(self, db: sqlite3.Connection, key: bytes) -> None:
        self._db = db
        self._chain = Chain(key)

    def append(
        self,
        kind: str,
        *,
        request_id: str | None = None,
        system: str | None = None,
        record_id: str | None = None,
        **detail: Any,
    ) -> int:
        db = self._db
        db.execute("BEGIN IMMEDIATE")
        try:
            last = db.execute("SELECT seq, mac FROM audit ORDER BY seq DESC LIMIT 1").fetchone()
            seq, prev = (last[0] + 1, last[1]) if last else (1, GENESIS)
            row = self._chain.entry(seq, prev, kind, request_id, system, record_id, detail)
            db.execute(
                f"INSERT INTO audit ({', '.join(row)}) VALUES ({', '.join('?' * len(row))})",
                list(row.values()),
            )
        except BaseException:
            db.execute("ROLLBACK")
            raise
        db.execute("COMMIT")
        return seq

    def close(self) -> None:
        self._db.close()


class SqliteIndexReads:
    """The subject index's reads (search), on index_sqlite's tables."""

    def __init__(self, db: sqlite3.Connection) -> None:
        self._db = db

    def expand_subject(self, hashes: set[str], shared_names: bool = False) -> set[str]:
        return index_reads.expand_subject(self._db, hashes, shared_names)

    def name_candidates(self, hashes: set[str]) -> dict[str, set[str]]:
        return index_reads.name_candidates(self._db, hashes)

    def locations(self, hashes: set[str]) -> list[Location]:
        return index_reads.locations(self._db, hashes)

    def subject_locations(self, hashes: set[str]) -> tuple[set[str], list[Location]]:
        target = self.expand_subject(hashes)
        return target, self.locations(target)

    def record_hashes(self, system: str, record_id: str) -> set[str]:
        return index_reads.record_hashes(self._db, system, record_id)

    def close(self) -> None:
        self._db.close()


@dataclass
class SqliteReadStores:
    """What read-only commands need (stores/reads.py's ReadStores), without SQLAlchemy."""

    config: Config
    index: SqliteIndexReads
    state: SqliteStateReads
    audit: SqliteAuditAppend
    hasher: Hasher

    def close(self) -> None:
        self.index.close()
        self.state.close()
        self.audit.close()


def open_sqlite_reads(config: Config) -> SqliteReadStores | None:
    """The light stores of an embedded state that is ready to read as it is, else None."""
    key = config.hmac_key()  # first: a missing key is the same error on either path
    root = config.resolve(config.state_dir)
    paths = [root / name for name in ("state.db", "audit.db", "index.db")]
    if not all(p.is_file() for p in paths):
        return None
    opened: list[sqlite3.Connection] = []
    try:
        state, audit, index = (_connect(p) for p in paths)
        opened = [state, audit, index]
        tables = {r[0] for r in index.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        if (
            _version(state, "state") != STATE_VERSION
            or _version(audit, "audit") != AUDIT_VERSION
            or not INDEX_TABLES.issubset(tables)
        ):
            raise LookupError
    except (sqlite3.Error, LookupError):  # not ready as it is: the full stores decide
        for db in opened:
            db.close()
        return None
    return SqliteReadStores(
        config=config,
        index=SqliteIndexReads(index),
        state=SqliteStateReads(state),
        audit=SqliteAuditAppend(audit, key),
        hasher=Hasher(key),
    )
