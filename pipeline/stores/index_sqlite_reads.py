"""The SQLite subject index's reads, in SQL on a DB-API connection (the standard library's
sqlite3).

One implementation for both callers: :class:`~glemsel.pipeline.stores.index_sqlite.
SqliteSubjectIndex` runs them on the driver connection under its SQLAlchemy engine, and the
light path of read-only commands (``stores/sqlite_reads.py``) on a plain ``sqlite3``
connection, so `glemsel search` needs no SQLAlchemy and finds exactly what the worker's index
finds. The tables are index_sqlite's; the subject model is stores/index.py's ``expansion``.
"""

from __future__ import annotations

import sqlite3
from collections import defaultdict
from collections.abc import Iterable, Sequence

from glemsel.pipeline.core.findings import Finding, Location
from glemsel.pipeline.stores.index import expansion
from glemsel.pipeline.stores.rows import at_or_none


def _among(column: str, values: Sequence[str]) -> str:
    """``column IN (?, ?, …)``: SQLite binds each value, as SQLAlchemy's ``in_`` does."""
    return f"{column} IN ({', '.join('?' * len(values))})"


def _column(db: sqlite3.Connection, sql: str, values: Iterable[str]) -> set[str]:
    return {r[0] for r in db.execute(sql, list(values))}


def name_owners(db: sqlite3.Connection, hashes: set[str]) -> dict[str, set[str]]:
    owners: dict[str, set[str]] = defaultdict(set)
    ordered = list(hashes)
    sql = f"SELECT hash, subject_id FROM subject_names WHERE {_among('hash', ordered)}"
    for h, subject in db.execute(sql, ordered):
        owners[h].add(subject)
    return dict(owners)


def expand_subject(db: sqlite3.Connection, hashes: set[str], shared_names: bool) -> set[str]:
    if not hashes:
        return set()
    given = list(hashes)
    subjects = _column(
        db, f"SELECT subject_id FROM subject_links WHERE {_among('hash', given)}", given
    )
    by_name = name_owners(db, hashes)
    if not subjects:  # a name alone reaches its subject only if exactly one has it
        owners = set().union(*by_name.values()) if by_name else set()
        subjects = owners if len(owners) == 1 else set()
    ids = list(subjects)
    members = _column(db, f"SELECT hash FROM subject_links WHERE {_among('subject_id', ids)}", ids)
    their_names = _column(
        db, f"SELECT hash FROM subject_names WHERE {_among('subject_id', ids)}", ids
    )
    names = name_owners(db, their_names)
    return expansion(hashes, members, {**by_name, **names}, subjects, shared_names)


def name_candidates(db: sqlite3.Connection, hashes: set[str]) -> dict[str, set[str]]:
    owners = list(set().union(*name_owners(db, hashes).values()))
    found: dict[str, set[str]] = {s: set() for s in owners}
    sql = f"SELECT hash, subject_id FROM subject_links WHERE {_among('subject_id', owners)}"
    for h, subject in db.execute(sql, owners):
        found[subject].add(h)
    return found


def locations(db: sqlite3.Connection, hashes: set[str]) -> list[Location]:
    given = list(hashes)
    rows = db.execute(
        'SELECT system, record_type, record_id, field, start, "end", entity_type, score, '
        f"preview, hash, last_seen FROM findings WHERE {_among('hash', given)} "
        "ORDER BY system, record_id, field, start",
        given,
    )
    grouped: dict[tuple[str, str], Location] = {}
    for r in rows:
        loc = grouped.setdefault((r[0], r[2]), Location(r[0], r[1], r[2]))
        loc.findings.append(Finding(*r[:10]))
        # last_seen as SQLAlchemy's SQLite DateTime stored it: "YYYY-MM-DD HH:MM:SS.ffffff"
        # (naive), which fromisoformat reads back as SQLAlchemy does.
        loc.last_seen = max(filter(None, [loc.last_seen, at_or_none(r[10])]))
    return list(grouped.values())


def record_hashes(db: sqlite3.Connection, system: str, record_id: str) -> set[str]:
    sql = "SELECT hash FROM findings WHERE system = ? AND record_id = ?"
    return _column(db, sql, [system, record_id])
