"""Embedded subject index: SQLite through SQLAlchemy Core; its reads are plain SQL in
``index_sqlite_reads`` (shared with the light path of read-only commands)."""

from __future__ import annotations

import sqlite3
from collections import defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path

from glemsel.pipeline.core.findings import Finding, Location
from glemsel.pipeline.stores import index_sqlite_reads as reads
from glemsel.pipeline.stores.index import new_subject_id
from glemsel.pipeline.stores.sqlite import sqlite_engine
from sqlalchemy import (
    Column,
    DateTime,
    Float,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    delete,
    func,
    insert,
    select,
    update,
)
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.engine import Connection
from sqlalchemy.engine.interfaces import DBAPICursor

metadata = MetaData()

findings = Table(
    "findings",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("system", String, nullable=False),
    Column("record_type", String, nullable=False),
    Column("record_id", String, nullable=False),
    Column("field", String, nullable=False),
    Column("start", Integer, nullable=False),
    Column("end", Integer, nullable=False),
    Column("entity_type", String, nullable=False),
    Column("score", Float, nullable=False),
    Column("preview", String, nullable=False),
    Column("hash", String, nullable=False),
    Column("last_seen", DateTime(timezone=True), nullable=False),
    Index("ix_findings_hash", "hash"),
    Index("ix_findings_record", "system", "record_id"),
)

# Strong identifiers (fødselsnummer, e-mail, phone) link: each belongs to one subject.
subject_links = Table(
    "subject_links",
    metadata,
    Column("hash", String, primary_key=True),
    Column("subject_id", String, nullable=False, index=True),
    Column("entity_type", String, nullable=False),
)

# A name is an attribute of subjects, never a link: many subjects may share one.
subject_names = Table(
    "subject_names",
    metadata,
    Column("hash", String, primary_key=True),
    Column("subject_id", String, primary_key=True, index=True),
)

NAME = "PERSON"


class SqliteSubjectIndex:
    def __init__(self, path: Path) -> None:
        self._engine = sqlite_engine(path)
        self._batch: Connection | None = None  # the open transaction of batch(), if any
        self._locked = False  # batch() holds the write lock (taken by a write in it)
        # In a batch, under its lock (no other linker writes until it commits): the subject
        # of every strong identifier asked or linked in it (None: none), and the links and
        # names its identity records made, written together when it ends or before a read.
        self._subjects: dict[str, str | None] = {}
        self._new_links: list[tuple[str, str, str]] = []
        self._new_names: dict[tuple[str, str], None] = {}
        # Findings written in the batch, per record, not yet sent (reads of findings send them).
        self._pending: dict[tuple[str, str], list[tuple]] = {}
        # last_seen as SQLAlchemy stores it, for the rows written on the driver's cursor.
        bind = findings.c.last_seen.type.bind_processor(self._engine.dialect)
        self._datetime = bind or _adapted
        metadata.create_all(self._engine)
        with self._engine.begin() as conn:  # indices from before names stopped linking
            old = conn.execute(
                select(subject_links.c.hash, subject_links.c.subject_id).where(
                    subject_links.c.entity_type == NAME
                )
            ).all()
            if old:
                conn.execute(
                    sqlite_insert(subject_names).on_conflict_do_nothing(),
                    [{"hash": r.hash, "subject_id": r.subject_id} for r in old],
                )
                conn.execute(delete(subject_links).where(subject_links.c.entity_type == NAME))

    def replace_findings(
        self, system: str, record_type: str, record_id: str, found: list[Finding], ts: datetime
    ) -> None:
        last_seen = self._datetime(ts)
        rows = [
            (
                f.system,
                f.record_type,
                f.record_id,
                f.field,
                f.start,
                f.end,
                f.entity_type,
                f.score,
                f.preview,
                f.hash,
                last_seen,
            )
            for f in found
        ]
        if self._batch is not None:  # written together when the batch ends (last one wins)
            self._pending[(system, record_id)] = rows
            return
        with self._write() as conn:
            self._put(conn, {(system, record_id): rows})

    @staticmethod
    def _put(conn: Connection, records: dict[tuple[str, str], list[tuple]]) -> None:
        """Replace the findings of ``records`` in two statements for all of them, on the
        driver's cursor: SQLAlchemy's per-statement work was most of an ingest's time."""
        if not records:
            return
        cursor = conn.connection.cursor()
        try:
            cursor.executemany(
                "DELETE FROM findings WHERE system = ? AND record_id = ?", list(records)
            )
            cursor.executemany(
                'INSERT INTO findings (system, record_type, record_id, field, start, "end", '
                "entity_type, score, preview, hash, last_seen) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [row for rows in records.values() for row in rows],
            )
        finally:
            cursor.close()

    def _flush(self) -> None:
        if self._batch is not None and self._pending:
            pending, self._pending = self._pending, {}
            self._put(self._batch, pending)

    def _flush_links(self) -> None:
        """Write the batch's new links and names (two statements for all its records)."""
        if self._batch is None or not (self._new_links or self._new_names):
            return
        links, self._new_links = self._new_links, []
        names, self._new_names = list(self._new_names), {}
        cursor = self._batch.connection.cursor()
        try:
            if links:
                cursor.executemany(
                    "INSERT INTO subject_links (hash, subject_id, entity_type) VALUES (?, ?, ?)",
                    links,
                )
            if names:
                cursor.executemany(
                    "INSERT OR IGNORE INTO subject_names (hash, subject_id) VALUES (?, ?)", names
                )
        finally:
            cursor.close()

    def remove_record(self, system: str, record_id: str) -> None:
        self.replace_findings(system, "", record_id, [], datetime.now())

    @contextmanager
    def batch(self) -> Iterator[None]:
        """One transaction for the writes inside: one commit per ingest batch, not one per
        record. Rolled back whole if the block fails."""
        if self._batch is not None:
            yield
            return
        with self._engine.begin() as conn:
            self._batch = conn
            try:
                yield
                self._flush_links()
                self._flush()
            finally:
                self._batch = None
                self._locked = False
                self._pending = {}
                self._subjects, self._new_links, self._new_names = {}, [], {}

    @contextmanager
    def _write(self) -> Iterator[Connection]:
        if self._batch is not None:
            self._flush_links()
            yield self._batch
        else:
            with self._engine.begin() as conn:
                yield conn

    @contextmanager
    def _read(self, findings: bool = True) -> Iterator[Connection]:
        if self._batch is not None:  # reads inside a batch see its writes
            self._flush_links()
            if findings:
                self._flush()
            yield self._batch
        else:
            with self._engine.connect() as conn:
                yield conn

    def refresh(self) -> None:
        pass  # a committed SQLite write is visible to the next read

    def prefetch_links(self, hashes: set[str]) -> None:
        """Inside ``batch()``: the subjects of ``hashes``, asked at once under the batch's
        write lock, are what its ``link_identity`` calls use (one query per batch instead
        of one per identity record). Forgotten when the batch ends."""
        if self._batch is None or not hashes:
            return
        cursor = self._batch.connection.cursor()
        try:
            self._lock(cursor)
            self._ask_subjects(cursor, sorted(hashes - self._subjects.keys()))
        finally:
            cursor.close()

    def _lock(self, cursor: DBAPICursor) -> None:
        """The write lock before a read of the links (a no-op write makes the driver begin
        the transaction): linkers on one file take turns, as a read made stale by another's
        write would split a subject or half-merge two. Once per batch: its transaction keeps
        the lock until it commits."""
        if not self._locked:
            cursor.execute("UPDATE subject_links SET subject_id = subject_id WHERE 0")
            self._locked = self._batch is not None

    def _ask_subjects(self, cursor: DBAPICursor, hashes: list[str]) -> None:
        for i in range(0, len(hashes), 5_000):  # under SQLite's bound-parameter limit
            chunk = hashes[i : i + 5_000]
            rows = cursor.execute(
                "SELECT hash, subject_id FROM subject_links WHERE hash IN "
                f"({', '.join('?' * len(chunk))})",
                chunk,
            ).fetchall()
            self._subjects.update(dict.fromkeys(chunk))
            self._subjects.update(rows)

    def link_identity(self, identifiers: dict[str, str]) -> str:
        strong = {h: t for h, t in identifiers.items() if t != NAME}
        names = [h for h, t in identifiers.items() if t == NAME]
        if not strong:  # a name alone makes no subject: it would join every namesake
            return ""
        if self._batch is None:
            with self._write() as conn:
                return self._link_now(conn, strong, names)
        # In a batch: the subjects asked for at its start (prefetch_links) or linked in it
        # are known; only the others are asked here. The new links and names are written
        # when the batch ends (or before a read), all records' in one statement each.
        cursor = self._batch.connection.cursor()
        try:
            self._lock(cursor)
            self._ask_subjects(cursor, [h for h in strong if h not in self._subjects])
        finally:
            cursor.close()
        existing = sorted({s for h in strong if (s := self._subjects[h]) is not None})
        if len(existing) > 1:  # a merge moves members: written now, the batch's first
            self._flush_links()
            self._subjects.clear()
            return self._link_now(self._batch, strong, names)
        subject_id = existing[0] if existing else new_subject_id()
        for h, t in strong.items():
            if self._subjects[h] is None:
                self._new_links.append((h, subject_id, t))
                self._subjects[h] = subject_id
        self._new_names.update(dict.fromkeys((h, subject_id) for h in names))
        return subject_id

    def _link_now(self, conn: Connection, strong: dict[str, str], names: list[str]) -> str:
        # On the driver's cursor, one query and two inserts: an identity record is linked
        # for every contact of a backfill, and SQLAlchemy's per-statement work dominated.
        cursor = conn.connection.cursor()
        try:
            self._lock(cursor)
            rows = cursor.execute(
                "SELECT hash, subject_id FROM subject_links WHERE hash IN "
                f"({', '.join('?' * len(strong))})",
                list(strong),
            ).fetchall()
            existing = sorted({subject for _, subject in rows})
            if len(existing) <= 1:
                subject_id = existing[0] if existing else new_subject_id()
                known = {h for h, _ in rows}
                added = [(h, subject_id, t) for h, t in strong.items() if h not in known]
                if added:
                    cursor.executemany(
                        "INSERT INTO subject_links (hash, subject_id, entity_type) "
                        "VALUES (?, ?, ?)",
                        added,
                    )
                if names:
                    cursor.executemany(
                        "INSERT OR IGNORE INTO subject_names (hash, subject_id) VALUES (?, ?)",
                        [(h, subject_id) for h in set(names)],
                    )
                return subject_id
        finally:
            cursor.close()
        subject_id = existing[0]
        if len(existing) > 1:  # one record's strong identifiers prove them one person
            conn.execute(
                update(subject_links)
                .where(subject_links.c.subject_id.in_(existing[1:]))
                .values(subject_id=subject_id)
            )
            merged = conn.execute(
                select(subject_names.c.hash).where(subject_names.c.subject_id.in_(existing[1:]))
            ).all()
            conn.execute(delete(subject_names).where(subject_names.c.subject_id.in_(existing[1:])))
            names = [*names, *(r.hash for r in merged)]
        known = {
            r.hash
            for r in conn.execute(
                select(subject_links.c.hash).where(subject_links.c.hash.in_(strong))
            )
        }
        new = [
            {"hash": h, "subject_id": subject_id, "entity_type": t}
            for h, t in strong.items()
            if h not in known
        ]
        if new:
            conn.execute(insert(subject_links), new)
        if names:
            conn.execute(
                sqlite_insert(subject_names).on_conflict_do_nothing(),
                [{"hash": h, "subject_id": subject_id} for h in set(names)],
            )
        return subject_id

    def unlink_identifiers(self, hashes: set[str]) -> None:
        if hashes:
            with self._write() as conn:
                conn.execute(delete(subject_links).where(subject_links.c.hash.in_(hashes)))
            self._subjects.update((h, None) for h in hashes if h in self._subjects)

    def expand_subject(self, hashes: set[str], shared_names: bool = False) -> set[str]:
        with self._read(findings=False) as conn:
            return reads.expand_subject(_driver(conn), hashes, shared_names)

    def name_candidates(self, hashes: set[str]) -> dict[str, set[str]]:
        with self._read(findings=False) as conn:
            return reads.name_candidates(_driver(conn), hashes)

    def locations(self, hashes: set[str]) -> list[Location]:
        with self._read() as conn:
            return reads.locations(_driver(conn), hashes)

    def subject_locations(self, hashes: set[str]) -> tuple[set[str], list[Location]]:
        target = self.expand_subject(hashes)
        return target, self.locations(target)

    def record_hashes(self, system: str, record_id: str) -> set[str]:
        with self._read() as conn:
            return reads.record_hashes(_driver(conn), system, record_id)

    def known_names_among(self, hashes: set[str]) -> set[str]:
        found: set[str] = set()
        ordered = sorted(hashes)
        with self._read(findings=False) as conn:
            for i in range(0, len(ordered), 5_000):  # under SQLite's bound-parameter limit
                rows = conn.execute(
                    select(subject_names.c.hash)
                    .where(subject_names.c.hash.in_(ordered[i : i + 5_000]))
                    .distinct()
                )
                found |= {r.hash for r in rows}
        return found

    def known_name_hashes(self) -> set[str]:
        with self._read(findings=False) as conn:
            return {r.hash for r in conn.execute(select(subject_names.c.hash).distinct())}

    def counts(self) -> dict[str, int]:
        with self._read() as conn:
            by_type: dict[str, int] = defaultdict(int)
            for r in conn.execute(
                select(findings.c.entity_type, func.count()).group_by(findings.c.entity_type)
            ):
                by_type[r[0]] = r[1]
            by_type["locations"] = conn.execute(
                select(func.count()).select_from(
                    select(findings.c.system, findings.c.record_id).distinct().subquery()
                )
            ).scalar_one()
            by_type["subjects"] = conn.execute(
                select(func.count(func.distinct(subject_links.c.subject_id)))
            ).scalar_one()
        return dict(by_type)

    def close(self) -> None:
        self._engine.dispose()


def _adapted(value: datetime) -> object:
    """``value`` as the driver would adapt it when the row is written (its registered
    adapter), once per record instead of once per finding row."""
    adapt = sqlite3.adapters.get((type(value), sqlite3.PrepareProtocol))
    return adapt(value) if adapt is not None else value


def _driver(conn: Connection) -> sqlite3.Connection:
    """The sqlite3 connection under SQLAlchemy's: the reads are plain SQL (index_sqlite_reads)."""
    driver = conn.connection.driver_connection
    assert isinstance(driver, sqlite3.Connection)
    return driver
