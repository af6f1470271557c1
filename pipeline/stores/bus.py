"""The embedded event bus: a durable append-only log in SQLite with consumer offsets.

It plays Kafka's part in the embedded deployment: producers append, the worker reads in
offset order and commits an offset only after the effects of that message are durable, so
a crash re-delivers (at-least-once) and idempotent handlers make that harmless.
"""

from __future__ import annotations

import fcntl
import os
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from glemsel.pipeline.stores.sqlite import sqlite_engine
from sqlalchemy import (
    Column,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    delete,
    func,
    insert,
    select,
    tuple_,
)
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

metadata = MetaData()

# A poll's bounds. A run of changes is one index transaction (embedded/_run): the index's
# B-trees are keyed by hashes, so a commit rewrites about one page per new entry until the
# batch's entries share pages; 500 changes a commit made the time per record of a 100,000-
# contact backfill 1.4 times that of 10,000 (bench/backfill.py), 4,000 keep it near flat.
# The byte bound keeps a poll of large events (mail with attachments) in memory bounds.
POLL_MESSAGES = 4_000
POLL_BYTES = 32 * 1024 * 1024

log_table = Table(
    "log",
    metadata,
    Column("offset", Integer, primary_key=True, autoincrement=True),
    Column("topic", String, nullable=False, index=True),
    Column("key", String),
    Column("value", LargeBinary),  # None = tombstone
    Column("ts", String, nullable=False),
    # AUTOINCREMENT: an offset is never handed out twice, even after expiry or an erasure
    # deleted the newest rows (else a new event could get an offset at or below a group's
    # committed one and never be polled).
    sqlite_autoincrement=True,
)

offsets = Table(
    "offsets",
    metadata,
    Column("group", String, primary_key=True),
    Column("offset", Integer, nullable=False),
)

# Where each processed change message was indexed (system, record id), written with the
# offset commit: a completed erasure looks only at the messages of the locations it acted
# on, not at the whole log. A processed message that located nothing (a dead letter, a
# tombstone) has the row ('', ''), so it is still looked at; messages older than
# ``meta.located_from`` (a log from before this table) are looked at too.
UNLOCATED = ("", "")
locations = Table(
    "log_locations",
    metadata,
    Column("system", String, primary_key=True),
    Column("record_id", String, primary_key=True),
    Column("offset", Integer, primary_key=True, index=True),
    sqlite_with_rowid=False,
)

meta = Table(
    "meta",
    metadata,
    Column("name", String, primary_key=True),
    Column("value", Integer, nullable=False),
)


@dataclass(frozen=True, slots=True)
class Message:
    offset: int
    topic: str
    key: str | None
    value: bytes | None


class EmbeddedBus:
    def __init__(self, path: Path) -> None:
        self._engine = sqlite_engine(path, secure_delete=True)
        metadata.create_all(self._engine)
        self._never_reuse_offsets()
        self._located_from = self._locations_start()

    def _locations_start(self) -> int:
        """The first offset whose location rows are complete: above every message that was
        in the log when the locations table came (those may have been processed without)."""
        with self._engine.begin() as conn:
            start = conn.execute(select(meta.c.value).where(meta.c.name == "located_from"))
            if (value := start.scalar()) is not None:
                return int(value)
            seq = conn.exec_driver_sql("SELECT seq FROM sqlite_sequence WHERE name='log'").scalar()
            high = max(
                int(seq or 0), conn.execute(select(func.max(log_table.c.offset))).scalar() or 0
            )
            conn.execute(insert(meta).values(name="located_from", value=high + 1))
            return high + 1

    def _never_reuse_offsets(self) -> None:
        """A log created before offsets were AUTOINCREMENT is copied into one that is, and
        its counter starts above every offset a group has committed."""
        with self._engine.begin() as conn:
            sql = conn.exec_driver_sql(
                "SELECT sql FROM sqlite_master WHERE type='table' AND name='log'"
            ).scalar()
            if sql is not None and "AUTOINCREMENT" not in sql.upper():
                conn.exec_driver_sql("ALTER TABLE log RENAME TO log_old")
                indexes: list[str] = list(
                    conn.exec_driver_sql(
                        "SELECT name FROM sqlite_master WHERE type='index'"
                        " AND tbl_name='log_old' AND sql IS NOT NULL"
                    ).scalars()
                )
                for name in indexes:  # the new table creates them again under their names
                    conn.exec_driver_sql(f'DROP INDEX "{name}"')
                metadata.create_all(conn, tables=[log_table])
                conn.exec_driver_sql(
                    'INSERT INTO log ("offset", topic, key, value, ts)'
                    ' SELECT "offset", topic, key, value, ts FROM log_old'
                )
                conn.exec_driver_sql("DROP TABLE log_old")
            high = conn.execute(select(func.max(offsets.c.offset))).scalar() or 0
            seq = conn.exec_driver_sql("SELECT seq FROM sqlite_sequence WHERE name='log'").scalar()
            if seq is None:
                conn.exec_driver_sql(
                    "INSERT INTO sqlite_sequence (name, seq) VALUES ('log', ?)", (high,)
                )
            elif seq < high:
                conn.exec_driver_sql("UPDATE sqlite_sequence SET seq = ? WHERE name='log'", (high,))

    def publish(self, topic: str, value: bytes | None, key: str | None = None) -> int:
        with self._engine.begin() as conn:
            result = conn.execute(
                insert(log_table).values(
                    topic=topic, key=key, value=value, ts=datetime.now(UTC).isoformat()
                )
            )
            key_row = result.inserted_primary_key
            assert key_row is not None  # an insert into a table with an integer key
            return int(key_row[0])

    def publish_many(self, topic: str, items: list[tuple[bytes | None, str | None]]) -> None:
        """Append (value, key) pairs in one transaction (a backfill's batch: one commit)."""
        if not items:
            return
        ts = datetime.now(UTC).isoformat()
        with self._engine.begin() as conn:
            conn.execute(
                insert(log_table),
                [{"topic": topic, "key": k, "value": v, "ts": ts} for v, k in items],
            )

    def poll(
        self, group: str, topics: set[str], limit: int = POLL_MESSAGES, max_bytes: int = POLL_BYTES
    ) -> list[Message]:
        """Messages of ``topics`` after the group's committed offset, in append order: at
        most ``limit``, and no more than ``max_bytes`` of values (at least one message)."""
        messages: list[Message] = []
        size = 0
        with self._engine.connect() as conn:
            start = self._committed(conn, group)
            rows = conn.execute(  # read row by row: the byte bound holds in memory too
                select(log_table)
                .where((log_table.c.offset > start) & log_table.c.topic.in_(topics))
                .order_by(log_table.c.offset)
                .limit(limit)
            )
            for r in rows:
                size += len(r.value or b"")
                if messages and size > max_bytes:
                    break
                messages.append(Message(r.offset, r.topic, r.key, r.value))
            rows.close()
        return messages

    def commit(self, group: str, offset: int, located: Iterable[tuple[int, str, str]] = ()) -> None:
        """Move the group's offset; ``located`` (offset, system, record id) says where the
        messages up to it were indexed, in the same transaction."""
        stmt = sqlite_insert(offsets).values(group=group, offset=offset)
        rows = [{"offset": o, "system": s, "record_id": r} for o, s, r in located]
        with self._engine.begin() as conn:
            if rows:
                conn.execute(sqlite_insert(locations).on_conflict_do_nothing(), rows)
            conn.execute(
                stmt.on_conflict_do_update(index_elements=["group"], set_={"offset": offset})
            )

    def pending(self, group: str, topics: set[str]) -> int:
        with self._engine.connect() as conn:
            start = self._committed(conn, group)
            return conn.execute(
                select(func.count())
                .select_from(log_table)
                .where((log_table.c.offset > start) & log_table.c.topic.in_(topics))
            ).scalar_one()

    def read(self, topic: str) -> list[Message]:
        """Every message of a topic (outcomes, dead letters): for tools and tests."""
        with self._engine.connect() as conn:
            rows = conn.execute(
                select(log_table).where(log_table.c.topic == topic).order_by(log_table.c.offset)
            ).all()
        return [Message(r.offset, r.topic, r.key, r.value) for r in rows]

    def forget(
        self,
        holds: Callable[[bytes | None], bool],
        up_to: int,
        inputs: set[str],
        located: tuple[str, set[tuple[str, str]]] | None = None,
    ) -> int:
        """Delete the messages whose value ``holds`` a subject's raw data, of ``inputs``
        only those up to offset ``up_to`` (processed: a pending one is not lost): a
        completed erasure leaves no raw copy in the log. Deleted rows are zeroed
        (secure_delete) and the write-ahead log is truncated, so that not even the file's
        free pages keep them. Returns how many were deleted.

        ``located`` = (topic, locations): of that topic only the messages of those
        locations are looked at (and those that located nothing, or came before the
        locations were kept), so the cost follows the subject, not the log's length."""
        gone: list[int] = []
        with self._engine.connect() as conn:
            where = (log_table.c.offset <= up_to) | log_table.c.topic.not_in(inputs)
            columns = (log_table.c.offset, log_table.c.value)
            queries = []
            if located is None:
                queries.append(select(*columns).where(where))
            else:
                topic, places = located
                # The other topics (requests, holds, dead letters: few), by the topic index.
                queries.append(
                    select(*columns).where(
                        where & ((log_table.c.topic < topic) | (log_table.c.topic > topic))
                    )
                )
                queries.append(  # from before the locations were kept
                    select(*columns).where(
                        (log_table.c.topic == topic)
                        & (log_table.c.offset < self._located_from)
                        & (log_table.c.offset <= up_to)
                    )
                )
                keys = sorted({*places, UNLOCATED})
                for i in range(0, len(keys), 400):
                    chunk = keys[i : i + 400]
                    queries.append(
                        select(*columns)
                        .join(locations, locations.c.offset == log_table.c.offset)
                        .where(
                            (log_table.c.topic == topic)
                            & (log_table.c.offset <= up_to)
                            & tuple_(locations.c.system, locations.c.record_id).in_(chunk)
                        )
                        .distinct()
                    )
            seen: set[int] = set()
            for query in queries:
                for row in conn.execute(query):
                    if row.offset not in seen and holds(row.value):
                        gone.append(row.offset)
                    seen.add(row.offset)
        return self._delete(gone)

    def expire(self, before: datetime, group: str, inputs: set[str]) -> int:
        """Transport retention: messages older than ``before`` go, except input messages
        the worker has not processed yet (nothing is lost by expiry)."""
        with self._engine.connect() as conn:
            done = self._committed(conn, group)
            rows = conn.execute(
                select(log_table.c.offset).where(
                    (log_table.c.ts < before.astimezone(UTC).isoformat())
                    & ((log_table.c.offset <= done) | log_table.c.topic.not_in(inputs))
                )
            ).all()
        return self._delete([r.offset for r in rows])

    def _delete(self, offsets_: list[int]) -> int:
        if not offsets_:
            return 0
        with self._engine.begin() as conn:
            for i in range(0, len(offsets_), 500):
                chunk = offsets_[i : i + 500]
                conn.execute(delete(log_table).where(log_table.c.offset.in_(chunk)))
                conn.execute(delete(locations).where(locations.c.offset.in_(chunk)))
        with self._engine.connect() as conn:
            conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
        return len(offsets_)

    @staticmethod
    def _committed(conn, group: str) -> int:
        row = conn.execute(select(offsets.c.offset).where(offsets.c.group == group)).first()
        return row.offset if row else 0

    def close(self) -> None:
        self._engine.dispose()


class WorkerBusy(RuntimeError):
    """Another embedded worker holds the state directory; the message is one line."""


class WorkerLock:
    """One embedded worker per state directory: an exclusive ``flock`` on ``worker.lock``.

    Two workers on one embedded log would both process every message (the offsets are the
    log's, not a consumer group's), so the second one is refused instead. The kernel drops
    the lock when the process dies, so a crashed worker never leaves a stale lock behind."""

    def __init__(self, directory: Path) -> None:
        self._path = directory / "worker.lock"
        self._fd: int | None = None

    def acquire(self) -> None:
        fd = os.open(self._path, os.O_RDWR | os.O_CREAT, 0o600)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = os.pread(fd, 32, 0).decode(errors="replace").strip() or "?"
            os.close(fd)
            raise WorkerBusy(
                f"another glemsel worker (pid {holder}) is running on state directory "
                f"{self._path.parent}; stop it first or let it process the new events"
            ) from None
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"{os.getpid()}\n".encode(), 0)
        self._fd = fd

    def release(self) -> None:
        if self._fd is not None:
            fcntl.flock(self._fd, fcntl.LOCK_UN)
            os.close(self._fd)
            self._fd = None
