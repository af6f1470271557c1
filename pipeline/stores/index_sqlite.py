"""Embedded subject index: SQLite through SQLAlchemy Core."""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path

from glemsel.pipeline.core.findings import Finding, Location
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
from sqlalchemy.engine import Connection

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

subject_links = Table(
    "subject_links",
    metadata,
    Column("hash", String, primary_key=True),
    Column("subject_id", String, nullable=False, index=True),
    Column("entity_type", String, nullable=False),
)


class SqliteSubjectIndex:
    def __init__(self, path: Path) -> None:
        self._engine = sqlite_engine(path)
        metadata.create_all(self._engine)
        self._batch: Connection | None = None  # the open transaction of batch(), if any

    @contextmanager
    def _write(self) -> Iterator[Connection]:
        if self._batch is not None:
            yield self._batch
        else:
            with self._engine.begin() as conn:
                yield conn

    @contextmanager
    def _read(self) -> Iterator[Connection]:
        if self._batch is not None:  # reads inside a batch see its writes
            yield self._batch
        else:
            with self._engine.connect() as conn:
                yield conn

    def replace_findings(
        self, system: str, record_type: str, record_id: str, found: list[Finding], ts: datetime
    ) -> None:
        with self._write() as conn:
            conn.execute(
                delete(findings).where(
                    (findings.c.system == system) & (findings.c.record_id == record_id)
                )
            )
            if found:
                conn.execute(
                    insert(findings),
                    [
                        {
                            "system": f.system,
                            "record_type": f.record_type,
                            "record_id": f.record_id,
                            "field": f.field,
                            "start": f.start,
                            "end": f.end,
                            "entity_type": f.entity_type,
                            "score": f.score,
                            "preview": f.preview,
                            "hash": f.hash,
                            "last_seen": ts,
                        }
                        for f in found
                    ],
                )

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
            finally:
                self._batch = None

    def refresh(self) -> None:
        pass  # a committed SQLite write is visible to the next read

    def link_identity(self, identifiers: dict[str, str]) -> str:
        with self._write() as conn:
            rows = conn.execute(
                select(subject_links.c.subject_id).where(subject_links.c.hash.in_(identifiers))
            ).all()
            existing = sorted({r.subject_id for r in rows})
            subject_id = existing[0] if existing else uuid.uuid4().hex
            if len(existing) > 1:  # this record proves two subjects are one person: merge
                conn.execute(
                    update(subject_links)
                    .where(subject_links.c.subject_id.in_(existing[1:]))
                    .values(subject_id=subject_id)
                )
            known = {
                r.hash
                for r in conn.execute(
                    select(subject_links.c.hash).where(subject_links.c.hash.in_(identifiers))
                )
            }
            new = [
                {"hash": h, "subject_id": subject_id, "entity_type": t}
                for h, t in identifiers.items()
                if h not in known
            ]
            if new:
                conn.execute(insert(subject_links), new)
        return subject_id

    def expand_subject(self, hashes: set[str]) -> set[str]:
        with self._read() as conn:
            subjects = select(subject_links.c.subject_id).where(subject_links.c.hash.in_(hashes))
            rows = conn.execute(
                select(subject_links.c.hash).where(subject_links.c.subject_id.in_(subjects))
            )
            return set(hashes) | {r.hash for r in rows}

    def locations(self, hashes: set[str]) -> list[Location]:
        with self._read() as conn:
            rows = conn.execute(
                select(findings)
                .where(findings.c.hash.in_(hashes))
                .order_by(
                    findings.c.system, findings.c.record_id, findings.c.field, findings.c.start
                )
            ).all()
        grouped: dict[tuple[str, str], Location] = {}
        for r in rows:
            loc = grouped.setdefault(
                (r.system, r.record_id), Location(r.system, r.record_type, r.record_id)
            )
            loc.findings.append(_finding(r))
            loc.last_seen = max(filter(None, [loc.last_seen, r.last_seen]))
        return list(grouped.values())

    def record_hashes(self, system: str, record_id: str) -> set[str]:
        with self._read() as conn:
            rows = conn.execute(
                select(findings.c.hash).where(
                    (findings.c.system == system) & (findings.c.record_id == record_id)
                )
            )
            return {r.hash for r in rows}

    def known_names_among(self, hashes: set[str]) -> set[str]:
        if not hashes:
            return set()
        with self._read() as conn:
            rows = conn.execute(
                select(subject_links.c.hash).where(
                    subject_links.c.hash.in_(hashes) & (subject_links.c.entity_type == "PERSON")
                )
            )
            return {r.hash for r in rows}

    def known_name_hashes(self) -> set[str]:
        with self._read() as conn:
            rows = conn.execute(
                select(subject_links.c.hash).where(subject_links.c.entity_type == "PERSON")
            )
            return {r.hash for r in rows}

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


def _finding(r) -> Finding:
    return Finding(
        system=r.system,
        record_type=r.record_type,
        record_id=r.record_id,
        field=r.field,
        start=r.start,
        end=r.end,
        entity_type=r.entity_type,
        score=r.score,
        preview=r.preview,
        hash=r.hash,
    )
