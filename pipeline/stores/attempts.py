"""Attempts per bus position (topic, partition, offset), in the SQL state: the poison-pill guard.

An event that kills the worker (out of memory, SIGKILL, a crashing parser) leaves no dead
letter and no committed offset, so without a count it would be replayed after every restart,
for ever. Before a batch is handled, its span of offsets per partition is recorded here in
one write; a batch that finds a record of an earlier attempt (the worker died in it, or
handed its partitions over mid-batch) is handled in pieces, each recorded, and a piece that
finds its own earlier record in smaller pieces again, down to events alone: so the one that
kills the worker is known and counted, and a batch that was only interrupted (a rebalance)
costs a few pieces, not an event at a time. Records stay until the next batch of the same
partition clears them (offsets below it are done), so the happy path costs one write per
batch, not two per event.

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
    most attempts any record covering it counts, whether one of them was alone, and the
    narrowest span (offsets) of a record covering it."""

    suspect: bool
    counts: dict[Position, int]
    alone: frozenset[Position]
    widths: dict[Position, int]


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
            return Earlier(False, {}, frozenset(), {})
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
                    _record(conn, t, p, lo, hi, 1, now, add=True)
                return Earlier(False, {}, frozenset(), {})
        counts: dict[Position, int] = {}
        alone: set[Position] = set()
        widths: dict[Position, int] = {}
        for pos in positions:
            for r in rows:
                if (r.topic, r.partition) == (pos.topic, pos.partition) and (
                    r.first_offset <= pos.offset <= r.last_offset
                ):
                    counts[pos] = max(counts.get(pos, 0), int(r._mapping["count"]))
                    width = r.last_offset - r.first_offset + 1
                    widths[pos] = min(widths.get(pos, width), width)
                    if width == 1:
                        alone.add(pos)
        return Earlier(True, counts, frozenset(alone), widths)

    def attempt(self, piece: Sequence[Position], count: int) -> None:
        """Record that the ``piece`` of a suspect batch (consecutive positions of it, one
        alone or several) is attempted for the ``count``-th time."""
        now = _now()
        with self._engine.begin() as conn:
            for (t, p), (lo, hi) in spans(piece).items():
                _record(conn, t, p, lo, hi, count, now, add=False)

    def succeeded(self, piece: Sequence[Position]) -> None:
        """The ``piece`` returned: its own records go (the batch's record, if any, stays until
        the batch is done), so that events that get through are never counted towards the
        limit by later deaths of their batch."""
        c = attempts.c
        with self._engine.begin() as conn:
            for (t, p), (lo, hi) in spans(piece).items():
                conn.execute(
                    delete(attempts).where(
                        (c.topic == t)
                        & (c.partition == p)
                        & (c.first_offset == lo)
                        & (c.last_offset == hi)
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


def _record(
    conn: Connection, topic: str, partition: int, lo: int, hi: int, n: int, now: str, add: bool
) -> None:
    """Insert a record of ``n`` attempts of the span, or set its count to ``n`` (``add``: add
    ``n`` to it: another worker recorded the same batch, a partition handed over mid-batch)."""
    stmt = _upsert(conn).values(
        topic=topic, partition=partition, first_offset=lo, last_offset=hi, count=n, updated_at=now
    )
    conn.execute(
        stmt.on_conflict_do_update(
            index_elements=list(attempts.primary_key.columns),
            set_={"count": attempts.c.count + n if add else n, "updated_at": now},
        )
    )
