"""Attempts per bus position (topic, partition, offset), in the SQL state: the poison-pill guard.

An event that kills the worker (out of memory, SIGKILL, a crashing parser) leaves no dead
letter and no committed offset, so without a count it would be replayed after every restart,
for ever. Before a batch is handled, its span of offsets per partition is recorded here in
one write; a batch that finds a record of an earlier attempt (the worker died in it) is
handled event by event, each event recorded alone, so the one that kills the worker is known
and counted. Records stay until the next batch of the same partition clears them (offsets
below it are done), so the happy path costs one write per batch, not two per event.

A row covers ``first_offset..last_offset`` of one partition; a row whose span is one offset
records an attempt of that event alone. The table is a component of its own in the schema
versions (stores/schema.py), next to ``state`` and ``audit``.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from glemsel.pipeline.stores import schema
from sqlalchemy import (
    BigInteger,
    Column,
    Integer,
    MetaData,
    String,
    Table,
    and_,
    delete,
    or_,
    select,
)
from sqlalchemy.engine import Connection, Engine

metadata = MetaData()

attempts = Table(
    "event_attempts",
    metadata,
    Column("topic", String, primary_key=True),  # the bus's topic name (with Kafka's prefix)
    Column("partition", Integer, primary_key=True),
    Column("first_offset", BigInteger, primary_key=True),
    Column("last_offset", BigInteger, primary_key=True),
    Column("count", Integer, nullable=False),
    Column("updated_at", String, nullable=False),
)


def _baseline(conn: Connection) -> None:
    metadata.create_all(conn)


MIGRATIONS: list[schema.Migration] = [_baseline]


@dataclass(frozen=True, slots=True, order=True)
class Position:
    """Where a message sits on its bus."""

    topic: str
    partition: int
    offset: int


@dataclass(frozen=True, slots=True)
class Earlier:
    """What earlier attempts of a batch left: none (``suspect`` False) or, per position, the
    most attempts any record covering it counts, and whether one of them was alone."""

    suspect: bool
    counts: dict[Position, int]
    alone: frozenset[Position]


def spans(positions: Iterable[Position]) -> dict[tuple[str, int], tuple[int, int]]:
    """(topic, partition) -> (first, last) offset of the positions."""
    found: dict[tuple[str, int], tuple[int, int]] = {}
    for p in positions:
        key = (p.topic, p.partition)
        lo, hi = found.get(key, (p.offset, p.offset))
        found[key] = (min(lo, p.offset), max(hi, p.offset))
    return found


class AttemptStore:
    def __init__(self, engine: Engine) -> None:
        self._engine = engine
        schema.migrate(engine, "attempts", MIGRATIONS, metadata)

    def begin(self, positions: Sequence[Position]) -> Earlier:
        """Record an attempt of the batch at ``positions``, in one transaction, unless an
        earlier attempt of any of them is recorded: then nothing is written and the caller
        goes event by event (:meth:`attempt` each). Records of offsets below the batch's,
        on its partitions, are done (their batch returned) and are cleared here."""
        by_partition = spans(positions)
        if not by_partition:
            return Earlier(False, {}, frozenset())
        c = attempts.c
        with self._engine.begin() as conn:
            conn.execute(
                delete(attempts).where(
                    or_(
                        *(
                            and_(c.topic == t, c.partition == p, c.last_offset < lo)
                            for (t, p), (lo, _) in by_partition.items()
                        )
                    )
                )
            )
            rows = conn.execute(
                select(attempts).where(
                    or_(
                        *(
                            and_(
                                c.topic == t,
                                c.partition == p,
                                c.first_offset <= hi,
                                c.last_offset >= lo,
                            )
                            for (t, p), (lo, hi) in by_partition.items()
                        )
                    )
                )
            ).all()
            if not rows:
                now = _now()
                for (t, p), (lo, hi) in by_partition.items():
                    _bump(conn, t, p, lo, hi, 1, now)
                return Earlier(False, {}, frozenset())
        counts: dict[Position, int] = {}
        alone: set[Position] = set()
        for pos in positions:
            for r in rows:
                if (r.topic, r.partition) == (pos.topic, pos.partition) and (
                    r.first_offset <= pos.offset <= r.last_offset
                ):
                    counts[pos] = max(counts.get(pos, 0), int(r._mapping["count"]))
                    if r.first_offset == r.last_offset:
                        alone.add(pos)
        return Earlier(True, counts, frozenset(alone))

    def attempt(self, position: Position, count: int) -> None:
        """Record that ``position`` is attempted alone, for the ``count``-th time."""
        with self._engine.begin() as conn:
            _set(conn, position, count)

    def succeeded(self, position: Position) -> None:
        """``position``, attempted alone, returned: its own record goes (the batch's record,
        if any, stays until the batch is done), so that an event that gets through is never
        counted towards the limit by later deaths of its batch."""
        c = attempts.c
        with self._engine.begin() as conn:
            conn.execute(
                delete(attempts).where(
                    (c.topic == position.topic)
                    & (c.partition == position.partition)
                    & (c.first_offset == position.offset)
                    & (c.last_offset == position.offset)
                )
            )

    def done(self, positions: Sequence[Position]) -> None:
        """Every offset up to the batch's last, on its partitions, is done."""
        by_partition = spans(positions)
        if not by_partition:
            return
        c = attempts.c
        with self._engine.begin() as conn:
            conn.execute(
                delete(attempts).where(
                    or_(
                        *(
                            and_(c.topic == t, c.partition == p, c.last_offset <= hi)
                            for (t, p), (_, hi) in by_partition.items()
                        )
                    )
                )
            )

    def recorded(self) -> list[tuple[str, int, int, int, int]]:
        """Every record (topic, partition, first, last, count): for tools and tests."""
        with self._engine.connect() as conn:
            rows = conn.execute(select(attempts).order_by(*attempts.primary_key.columns)).all()
        return [
            (r.topic, r.partition, r.first_offset, r.last_offset, int(r._mapping["count"]))
            for r in rows
        ]

    def close(self) -> None:
        pass  # the engine is the state store's


def _now() -> str:
    return datetime.now(UTC).isoformat()


def _upsert(conn: Connection) -> Any:  # a dialect's insert, with on_conflict_do_update
    return schema.dialect_insert(conn, attempts)


def _bump(conn: Connection, topic: str, partition: int, lo: int, hi: int, n: int, now: str) -> None:
    """Insert a record, or add ``n`` to it (another worker recorded the same span: a
    partition handed over mid-batch)."""
    stmt = _upsert(conn).values(
        topic=topic, partition=partition, first_offset=lo, last_offset=hi, count=n, updated_at=now
    )
    conn.execute(
        stmt.on_conflict_do_update(
            index_elements=list(attempts.primary_key.columns),
            set_={"count": attempts.c.count + n, "updated_at": now},
        )
    )


def _set(conn: Connection, pos: Position, count: int) -> None:
    now = _now()
    stmt = _upsert(conn).values(
        topic=pos.topic,
        partition=pos.partition,
        first_offset=pos.offset,
        last_offset=pos.offset,
        count=count,
        updated_at=now,
    )
    conn.execute(
        stmt.on_conflict_do_update(
            index_elements=list(attempts.primary_key.columns),
            set_={"count": count, "updated_at": now},
        )
    )
