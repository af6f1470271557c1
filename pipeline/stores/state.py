"""Durable state of requests, outcomes, holds and tombstones (SQLAlchemy; SQLite embedded,
PostgreSQL when several workers share it).

Only keyed hashes of identifiers are stored. Writes that decide whether an effect already
happened (outcomes, tombstones) are keyed so that a re-delivered event finds them, and
inserts of keyed rows are "insert unless present" in the database itself, so two workers
recording the same thing at once (a rebalance hands a partition over mid-event) both succeed
and leave one row.

Each table has a repository that returns typed rows (stores/rows.py); :class:`StateStore`
holds them on one engine, so a deployment passes one object around.
"""

from __future__ import annotations

import fcntl
import json
import os
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from glemsel.pipeline.core.events import (
    AccessRequest,
    ErasureOutcome,
    ErasureRequest,
    ErasureSummary,
    LegalHold,
    RectificationRequest,
)
from glemsel.pipeline.core.holds import Hold
from glemsel.pipeline.core.statuses import (
    LocationAction,
    RequestKind,
    RequestStatus,
)
from glemsel.pipeline.stores import schema
from glemsel.pipeline.stores.rows import (
    Checkpoint,
    ClaimRow,
    HoldRow,
    OutcomeRow,
    RequestRow,
    ScheduledRow,
    TombstoneRow,
    active_hold,
    arrival,
    at,
    hold_row,
    key_chunks,
    outcome_row,
    request_row,
)
from glemsel.pipeline.stores.sweeps import SweepStore
from sqlalchemy import (
    ARRAY,
    Boolean,
    Column,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    any_,
    bindparam,
    delete,
    func,
    insert,
    inspect,
    select,
    text,
    update,
)
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import IntegrityError
from sqlalchemy.sql.elements import ColumnElement

metadata = MetaData()

requests = Table(
    "requests",
    metadata,
    Column("request_id", String, primary_key=True),
    Column("received_at", String, nullable=False),
    Column("deadline", String, nullable=False),
    Column("extended", Boolean, nullable=False, default=False),
    Column("extension_reason", Text),
    Column("systems", Text),  # JSON list or null
    Column("requested_by", String),
    Column("subject_hashes", Text, nullable=False),  # JSON list of keyed hashes
    Column("status", String, nullable=False),  # received | completed | partially_held | failed
    Column("counts", Text, nullable=False, default="{}"),
    Column("updated_at", String, nullable=False),
    # Added with access and rectification (migration _request_kinds).
    Column("kind", String, nullable=False, server_default="erasure"),
    Column("detail", Text),  # JSON, kind-specific, keyed hashes only (e.g. corrections)
)

request_ids = Table(  # who a request id belongs to: claimed on submission, never shared
    "request_ids",
    metadata,
    Column("request_id", String, primary_key=True),
    Column("requested_by", String, nullable=False),
    Column("subject_hashes", Text, nullable=False),  # JSON list of keyed hashes
    Column("claimed_at", String, nullable=False),
)

request_subjects = Table(  # which requests name a keyed hash: a search reads its subject's
    "request_subjects",  # requests by key, not every request (migration _request_subjects)
    metadata,
    Column("hash", String, primary_key=True),
    Column("request_id", String, primary_key=True),
)

outcomes = Table(
    "outcomes",
    metadata,
    Column("request_id", String, primary_key=True),
    Column("system", String, primary_key=True),
    Column("record_id", String, primary_key=True),
    Column("record_type", String, nullable=False, default=""),
    Column("action", String, nullable=False),  # "started" until a final outcome is written
    Column("reason", Text, nullable=False, default=""),
    Column("verified", Boolean, nullable=False, default=False),
    Column("ts", String, nullable=False),
    Column("retained_until", String),
    # Added with persisted retries (migration _outcome_attempts): how often the kind's effect
    # ran on the location, and while it is failed, when it is tried again.
    Column("attempts", Integer, nullable=False, default=0, server_default="0"),
    Column("next_attempt_at", String),
)

holds = Table(
    "holds",
    metadata,
    Column("hold_id", String, primary_key=True),
    Column("active", Boolean, nullable=False),
    Column("subject_hashes", Text),  # JSON list or null
    Column("systems", Text),
    Column("records", Text),
    Column("reason", Text),
    Column("until", String),
    Column("placed_by", String),
    Column("placed_at", String, nullable=False),
    Column("ended_at", String),
    Column("end_reason", String),
)

tombstones = Table(  # records erased by deletion: must not come back
    "tombstones",
    metadata,
    Column("system", String, primary_key=True),
    Column("record_id", String, primary_key=True),
    Column("request_id", String),
    Column("ts", String, nullable=False),
)

erased_identifiers = Table(  # strong identifiers of erased subjects: must not come back
    "erased_identifiers",
    metadata,
    Column("hash", String, primary_key=True),
    Column("request_id", String, primary_key=True),
    Column("systems", Text),  # JSON list the request was limited to, or null for all
)

scheduled = Table(  # retained locations, erased when their legal basis ends
    "scheduled",
    metadata,
    Column("system", String, primary_key=True),
    Column("record_id", String, primary_key=True),
    Column("request_id", String, primary_key=True),
    Column("due", String, nullable=False),
    Column("basis", Text, nullable=False),
    Column("done", Boolean, nullable=False, default=False),
)


checkpoints = Table(  # where a backfill stopped, per system
    "backfill_checkpoints",
    metadata,
    Column("system", String, primary_key=True),
    Column("last_id", String),
    Column("published", Integer, nullable=False),
)


def _baseline(conn: Connection) -> None:
    metadata.create_all(conn)


def _index_outcome_actions(conn: Connection) -> None:
    # unfinished() looks outcomes up by action on every request and release.
    conn.exec_driver_sql("CREATE INDEX IF NOT EXISTS ix_outcomes_action ON outcomes (action)")


def _request_ids(conn: Connection) -> None:
    # Request ids belong to their requester (issue 9): claimed before a request is published.
    request_ids.create(conn, checkfirst=True)


def _request_kinds(conn: Connection) -> None:
    # Access and rectification requests share the requests table with erasure; a baseline
    # made by this version has the columns already.
    present = {c["name"] for c in inspect(conn).get_columns("requests")}
    if "kind" not in present:
        conn.exec_driver_sql(
            "ALTER TABLE requests ADD COLUMN kind VARCHAR NOT NULL DEFAULT 'erasure'"
        )
    if "detail" not in present:
        conn.exec_driver_sql("ALTER TABLE requests ADD COLUMN detail TEXT")


def _outcome_attempts(conn: Connection) -> None:
    # A failed location's back-off outlives the worker (issue 11): a restart keeps it instead
    # of retrying every failed location at once. Rows from before count no attempts and are
    # retried at the next sweep, as a restart did then.
    present = {c["name"] for c in inspect(conn).get_columns("outcomes")}
    if "attempts" not in present:
        conn.exec_driver_sql("ALTER TABLE outcomes ADD COLUMN attempts INTEGER NOT NULL DEFAULT 0")
    if "next_attempt_at" not in present:
        conn.exec_driver_sql("ALTER TABLE outcomes ADD COLUMN next_attempt_at VARCHAR")


def _request_subjects(conn: Connection) -> None:
    # A search read every request to keep those naming its subject: 87 % of a search at
    # 3,000 requests (issue 10). The table is filled from the requests stored before it;
    # from now on Requests.add writes it in the request's own transaction.
    request_subjects.create(conn, checkfirst=True)
    stored = conn.execute(select(requests.c.request_id, requests.c.subject_hashes))
    while chunk := stored.fetchmany(1_000):
        _insert_new(conn, request_subjects, _subject_rows(chunk))


def _subject_rows(rows: Iterable[Any]) -> list[dict[str, str]]:
    """``request_subjects`` rows of requests (rows with ``request_id`` and the stored JSON
    ``subject_hashes``)."""
    return [
        {"hash": h, "request_id": r.request_id}
        for r in rows
        for h in sorted(set(json.loads(r.subject_hashes)))
    ]


MIGRATIONS: list[schema.Migration] = [
    _baseline,
    _index_outcome_actions,
    _request_ids,
    _request_kinds,
    _outcome_attempts,
    _request_subjects,
]


def _one_of(conn: Connection, column: Any, keys: list[str]) -> ColumnElement[bool]:
    """``column`` is one of ``keys``. On PostgreSQL one array parameter (``= ANY``): the
    statement's text is the same for any number of keys, so it is compiled and converted
    once; an IN list of a change batch's 2,000 hashes was rendered and parsed again for each
    batch, a tenth of a distributed worker's time. IN elsewhere."""
    if conn.dialect.name == "postgresql":
        return column == any_(bindparam(None, keys, type_=ARRAY(String)))
    return column.in_(keys)


def _insert_new(conn: Connection, table: Table, rows: list[dict[str, Any]] | dict[str, Any]) -> int:
    """Insert rows whose key is not there yet; returns how many were new (for one row: 1 if
    it was new; for several, only where the driver reports a count)."""
    if not rows:
        return 0
    if conn.dialect.name in ("postgresql", "sqlite"):
        if isinstance(rows, dict):  # RETURNING: psycopg reports no rowcount for these
            key = next(iter(table.primary_key.columns))
            stmt = schema.dialect_insert(conn, table).values(**rows)
            return len(conn.execute(stmt.on_conflict_do_nothing().returning(key)).all())
        stmt = schema.dialect_insert(conn, table).on_conflict_do_nothing()
        return conn.execute(stmt, rows).rowcount
    new = 0
    for row in rows if isinstance(rows, list) else [rows]:
        try:
            with conn.begin_nested():
                conn.execute(insert(table).values(**row))
            new += 1
        except IntegrityError:
            pass
    return new


def _iso(value: datetime) -> str:
    return value.astimezone(UTC).isoformat()


# --- repositories, one per table ------------------------------------------------------------


class _Repository:
    def __init__(self, engine: Engine) -> None:
        self._engine = engine
        self._single = schema.single_statements(engine)  # for the reads of a lookup


class RequestIds(_Repository):
    """``request_ids``: who a request id belongs to, claimed before it is published."""

    def claim(self, request_id: str, requested_by: str, subject_hashes: set[str]) -> str | None:
        """Reserve ``request_id`` for this requester and subject. None if it is theirs (new,
        or the same request again); otherwise why not, in words safe to show."""
        subject = json.dumps(sorted(subject_hashes))
        with self._engine.begin() as conn:
            row = self._claim_of(conn, request_id)
            if row is None:
                try:
                    with conn.begin_nested():
                        conn.execute(
                            insert(request_ids).values(
                                request_id=request_id,
                                requested_by=requested_by,
                                subject_hashes=subject,
                                claimed_at=_iso(datetime.now(UTC)),
                            )
                        )
                    return None
                except IntegrityError:  # another client claimed it in between
                    row = self._claim_of(conn, request_id)
        assert row is not None  # claimed by someone: the insert collided with its row
        if row.requested_by != requested_by:
            return f"request id {request_id!r} is taken by another requester"
        if row.subject_hashes != subject:
            return f"request id {request_id!r} was used for another subject"
        return None

    @staticmethod
    def _claim_of(conn: Connection, request_id: str) -> ClaimRow | None:
        row = conn.execute(
            select(request_ids.c.requested_by, request_ids.c.subject_hashes).where(
                request_ids.c.request_id == request_id
            )
        ).first()
        if row is None:  # requests recorded before ids were claimed count as claims
            row = conn.execute(
                select(requests.c.requested_by, requests.c.subject_hashes).where(
                    requests.c.request_id == request_id
                )
            ).first()
        if row is None:
            return None
        return ClaimRow(request_id, row.requested_by, row.subject_hashes)


class Requests(_Repository):
    """``requests``: every request of every kind, with its deadline and last summary."""

    def add(
        self,
        req: ErasureRequest | AccessRequest | RectificationRequest,
        subject_hashes: set[str],
        kind: RequestKind = RequestKind.ERASURE,
        detail: dict[str, Any] | None = None,
    ) -> bool:
        """False if the request is known already (a re-delivery)."""
        assert req.deadline is not None  # the request models set it from received_at
        with self._engine.begin() as conn:
            new = _insert_new(
                conn,
                requests,
                dict(
                    request_id=req.request_id,
                    received_at=_iso(req.received_at),
                    deadline=_iso(req.deadline),
                    extended=False,
                    systems=json.dumps(req.systems),
                    requested_by=req.requested_by,
                    subject_hashes=json.dumps(sorted(subject_hashes)),
                    status=RequestStatus.RECEIVED.value,
                    counts="{}",
                    updated_at=_iso(datetime.now(UTC)),
                    kind=str(kind),
                    detail=json.dumps(detail) if detail is not None else None,
                ),
            )
            if new:  # in the same transaction: a stored request is always found by subject
                _insert_new(
                    conn,
                    request_subjects,
                    [{"hash": h, "request_id": req.request_id} for h in sorted(subject_hashes)],
                )
            return bool(new)

    def get(self, request_id: str) -> RequestRow | None:
        with self._engine.connect() as conn:
            row = conn.execute(select(requests).where(requests.c.request_id == request_id)).first()
        return request_row(row) if row else None

    def all(self) -> list[RequestRow]:
        with self._engine.connect() as conn:
            rows = conn.execute(select(requests).order_by(requests.c.received_at)).all()
        return [request_row(r) for r in rows]

    def naming(self, hashes: set[str]) -> list[RequestRow]:
        """The requests naming any of ``hashes``, by received_at: found by key in
        ``request_subjects``, so that a search does not read every request."""
        found: dict[str, Any] = {}
        with self._single.connect() as conn:
            for chunk in key_chunks(hashes):
                named = select(request_subjects.c.request_id).where(
                    request_subjects.c.hash.in_(chunk)
                )
                for r in conn.execute(select(requests).where(requests.c.request_id.in_(named))):
                    found[r.request_id] = r
        return [request_row(r) for r in sorted(found.values(), key=arrival)]

    def extend(self, request_id: str, new_deadline: datetime, reason: str) -> None:
        with self._engine.begin() as conn:
            conn.execute(
                update(requests)
                .where(requests.c.request_id == request_id)
                .values(deadline=_iso(new_deadline), extended=True, extension_reason=reason)
            )

    def save_summary(self, summary: ErasureSummary) -> None:
        with self._engine.begin() as conn:
            conn.execute(
                update(requests)
                .where(requests.c.request_id == summary.request_id)
                .values(
                    status=str(summary.status),
                    counts=json.dumps({str(k): v for k, v in summary.counts.items()}),
                    updated_at=_iso(summary.ts),
                )
            )

    def count(self) -> int:
        with self._engine.connect() as conn:
            return conn.execute(select(func.count()).select_from(requests)).scalar_one()


class Outcomes(_Repository):
    """``outcomes``: one row per location of a request, ``started`` until decided."""

    def get(self, request_id: str, system: str, record_id: str) -> OutcomeRow | None:
        with self._engine.connect() as conn:
            row = conn.execute(
                select(outcomes).where(_location(request_id, system, record_id))
            ).first()
        return outcome_row(row) if row else None

    def start(self, request_id: str, system: str, record_type: str, record_id: str) -> None:
        """Written before the sink is touched, so a crash resumes the location."""
        with self._engine.begin() as conn:
            _insert_new(
                conn,
                outcomes,
                dict(
                    request_id=request_id,
                    system=system,
                    record_id=record_id,
                    record_type=record_type,
                    action=LocationAction.STARTED.value,
                    reason="",
                    verified=False,
                    ts=_iso(datetime.now(UTC)),
                    attempts=0,
                ),
            )

    def save(
        self, out: ErasureOutcome, attempts: int = 0, next_attempt_at: datetime | None = None
    ) -> None:
        """The location's outcome, with how often its effect ran and (failed) when it runs
        again."""
        values = {
            "action": str(out.action),
            "reason": out.reason,
            "verified": out.verified,
            "ts": _iso(out.ts),
            "retained_until": _iso(out.retained_until) if out.retained_until else None,
            "attempts": attempts,
            "next_attempt_at": _iso(next_attempt_at) if next_attempt_at else None,
        }
        where = _location(out.request_id, out.system, out.record_id)
        with self._engine.begin() as conn:
            done = conn.execute(update(outcomes).where(where).values(**values)).rowcount
            if not done and not _insert_new(
                conn,
                outcomes,
                dict(
                    request_id=out.request_id,
                    system=out.system,
                    record_id=out.record_id,
                    record_type="",
                    **values,
                ),
            ):  # another worker inserted it in between: ours is the later word
                conn.execute(update(outcomes).where(where).values(**values))

    def of_request(self, request_id: str) -> list[OutcomeRow]:
        """The request's decided locations (not those only started), by system and record."""
        with self._engine.connect() as conn:
            rows = conn.execute(
                select(outcomes)
                .where(
                    (outcomes.c.request_id == request_id)
                    & (outcomes.c.action != LocationAction.STARTED.value)
                )
                .order_by(outcomes.c.system, outcomes.c.record_id)
            ).all()
        return [outcome_row(r) for r in rows]

    def with_action(self, action: LocationAction) -> list[OutcomeRow]:
        """Locations of every request in one state (held, failed, started: to resume)."""
        with self._engine.connect() as conn:
            rows = conn.execute(select(outcomes).where(outcomes.c.action == action.value)).all()
        return [outcome_row(r) for r in rows]


class Holds(_Repository):
    """``holds``: legal holds, active and ended."""

    def place(self, hold: LegalHold, subject_hashes: set[str] | None) -> bool:
        with self._engine.begin() as conn:
            return bool(
                _insert_new(
                    conn,
                    holds,
                    dict(
                        hold_id=hold.hold_id,
                        active=True,
                        subject_hashes=json.dumps(sorted(subject_hashes))
                        if subject_hashes
                        else None,
                        systems=json.dumps(hold.systems) if hold.systems else None,
                        records=json.dumps([[r.system, r.record_id] for r in hold.records])
                        if hold.records
                        else None,
                        reason=hold.reason,
                        until=_iso(hold.until) if hold.until else None,
                        placed_by=hold.placed_by,
                        placed_at=_iso(hold.ts),
                    ),
                )
            )

    def end(self, hold_id: str, reason: str, when: datetime) -> bool:
        with self._engine.begin() as conn:
            return bool(
                conn.execute(
                    update(holds)
                    .where((holds.c.hold_id == hold_id) & holds.c.active)
                    .values(active=False, ended_at=_iso(when), end_reason=reason)
                ).rowcount
            )

    def active(self) -> list[Hold]:
        """The active holds as the hold check takes them."""
        with self._single.connect() as conn:
            rows = conn.execute(select(holds).where(holds.c.active)).all()
        return [active_hold(r) for r in rows]

    def get(self, hold_id: str) -> HoldRow | None:
        with self._engine.connect() as conn:
            row = conn.execute(select(holds).where(holds.c.hold_id == hold_id)).first()
        return hold_row(row) if row else None

    def all(self) -> list[HoldRow]:
        with self._engine.connect() as conn:
            rows = conn.execute(select(holds).order_by(holds.c.placed_at)).all()
        return [hold_row(r) for r in rows]

    def count_active(self) -> int:
        with self._engine.connect() as conn:
            return conn.execute(
                select(func.count()).select_from(holds).where(holds.c.active)
            ).scalar_one()


class Tombstones(_Repository):
    """``tombstones``: records erased by deletion, which must not come back."""

    def add(self, system: str, record_id: str, request_id: str | None) -> None:
        with self._engine.begin() as conn:
            _insert_new(
                conn,
                tombstones,
                dict(
                    system=system,
                    record_id=record_id,
                    request_id=request_id,
                    ts=_iso(datetime.now(UTC)),
                ),
            )

    def get(self, system: str, record_id: str) -> TombstoneRow | None:
        """The tombstone of this record, None if it was never erased by deletion."""
        with self._engine.connect() as conn:
            row = conn.execute(
                select(tombstones).where(
                    (tombstones.c.system == system) & (tombstones.c.record_id == record_id)
                )
            ).first()
        if row is None:
            return None
        return TombstoneRow(row.system, row.record_id, row.request_id or None, at(row.ts))

    def among(self, system: str, record_ids: set[str]) -> set[str]:
        """Those of ``record_ids`` of ``system`` that an erasure deleted: one query for a
        batch of changes, whose resurrection guard would otherwise ask record by record."""
        found: set[str] = set()
        with self._engine.connect() as conn:
            for chunk in key_chunks(record_ids):
                found |= {
                    r.record_id
                    for r in conn.execute(
                        select(tombstones.c.record_id).where(
                            (tombstones.c.system == system)
                            & _one_of(conn, tombstones.c.record_id, chunk)
                        )
                    )
                }
        return found


class ErasedIdentifiers(_Repository):
    """``erased_identifiers``: strong identifiers of erased subjects (resurrection guard)."""

    def add(self, hashes: set[str], request_id: str, systems: list[str] | None) -> None:
        with self._engine.begin() as conn:
            known = {
                r.hash
                for r in conn.execute(
                    select(erased_identifiers.c.hash).where(
                        erased_identifiers.c.hash.in_(hashes)
                        & (erased_identifiers.c.request_id == request_id)
                    )
                )
            }
            scope = json.dumps(sorted(systems)) if systems is not None else None
            new = [{"hash": h, "request_id": request_id, "systems": scope} for h in hashes - known]
            _insert_new(conn, erased_identifiers, new)

    def among(self, hashes: set[str], system: str) -> dict[str, str]:
        """hash -> request id, for those of ``hashes`` that a request erased in ``system``."""
        if not hashes:
            return {}
        with self._engine.connect() as conn:
            rows = conn.execute(
                select(erased_identifiers).where(
                    _one_of(conn, erased_identifiers.c.hash, sorted(hashes))
                )
            ).all()
        return {
            r.hash: r.request_id
            for r in rows
            if r.systems is None or system in json.loads(r.systems)
        }


class Schedules(_Repository):
    """``scheduled``: retained locations, erased when their legal basis ends."""

    def add(self, system: str, record_id: str, request_id: str, due: datetime, basis: str) -> None:
        with self._engine.begin() as conn:
            conn.execute(delete(scheduled).where(_scheduled(system, record_id, request_id)))
            conn.execute(
                insert(scheduled).values(
                    system=system,
                    record_id=record_id,
                    request_id=request_id,
                    due=_iso(due),
                    basis=basis,
                    done=False,
                )
            )

    def due(self, now: datetime) -> list[ScheduledRow]:
        with self._engine.connect() as conn:
            rows = conn.execute(
                select(scheduled).where(~scheduled.c.done & (scheduled.c.due <= _iso(now)))
            ).all()
        return [
            ScheduledRow(r.system, r.record_id, r.request_id, at(r.due), r.basis, r.done)
            for r in rows
        ]

    def done(self, system: str, record_id: str, request_id: str) -> None:
        with self._engine.begin() as conn:
            conn.execute(
                update(scheduled).where(_scheduled(system, record_id, request_id)).values(done=True)
            )


class Checkpoints(_Repository):
    """``backfill_checkpoints``: where a backfill stopped, per system."""

    def get(self, system: str) -> Checkpoint:
        with self._engine.connect() as conn:
            row = conn.execute(select(checkpoints).where(checkpoints.c.system == system)).first()
        if row is None:
            return Checkpoint(system, None, 0)
        return Checkpoint(system, row.last_id, row.published)

    def save(self, system: str, last_id: str | None, published: int) -> None:
        with self._engine.begin() as conn:
            conn.execute(delete(checkpoints).where(checkpoints.c.system == system))
            conn.execute(
                insert(checkpoints).values(system=system, last_id=last_id, published=published)
            )


class RecordLocks:
    """One worker at a time changes a record. An erasure and the resurrection guard (or two
    workers given one request by a rebalance, which Faust does not wait for) would otherwise
    both read a record, both delete it and both audit the deletion. On PostgreSQL a session
    advisory lock per record, freed by the server when a killed worker's connection drops;
    on a SQLite file, an ``flock`` of a file beside it (SQLite's writers share one machine and
    take turns anyway; the kernel frees it when a process dies); in memory, one process."""

    _LOCK = "SELECT pg_advisory_lock(hashtext(current_schema() || :name))"
    _UNLOCK = "SELECT pg_advisory_unlock(hashtext(current_schema() || :name))"

    def __init__(self, engine: Engine) -> None:
        self._engine = engine
        database = engine.url.database
        self._file = (
            Path(f"{database}.locks")
            if engine.dialect.name == "sqlite" and database and database != ":memory:"
            else None
        )

    @contextmanager
    def hold(self, system: str, record_id: str) -> Iterator[None]:
        if self._engine.dialect.name == "postgresql":
            name = {"name": f"record:{len(system)}:{system}:{record_id}"}
            engine = self._engine.execution_options(isolation_level="AUTOCOMMIT")
            with engine.connect() as conn:
                conn.execute(text(self._LOCK), name)
                try:
                    yield
                finally:
                    conn.execute(text(self._UNLOCK), name)
            return
        if self._file is None:
            yield
            return
        # A new open file description each time: flock then also excludes other threads.
        # Owner-only, like every file of the state.
        fd = os.open(self._file, os.O_RDWR | os.O_CREAT, 0o600)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX)
            yield
        finally:
            os.close(fd)  # frees the lock


class StateStore:
    """The state as one object the deployment passes around: a repository per table on
    one engine (``state.requests.get(id)``, ``state.holds.active()``, ...)."""

    def __init__(self, engine: Engine) -> None:
        self._engine = engine
        schema.migrate(engine, "state", MIGRATIONS, metadata)
        self.request_ids = RequestIds(engine)
        self.requests = Requests(engine)
        self.outcomes = Outcomes(engine)
        self.holds = Holds(engine)
        self.tombstones = Tombstones(engine)
        self.erased = ErasedIdentifiers(engine)
        self.schedules = Schedules(engine)
        self.checkpoints = Checkpoints(engine)
        self.record_locks = RecordLocks(engine)
        # What the retention and anonymisation sweeps covered (a component of its own).
        self.sweeps = SweepStore(engine)

    @property
    def engine(self) -> Engine:
        # For stores with tables of their own in the state database (stores/attempts.py).
        return self._engine

    def close(self) -> None:
        self._engine.dispose()

    def counts(self) -> dict[str, int]:
        return {"requests": self.requests.count(), "active_holds": self.holds.count_active()}


# --- rows -----------------------------------------------------------------------------------


def _location(request_id: str, system: str, record_id: str) -> ColumnElement[bool]:
    return (
        (outcomes.c.request_id == request_id)
        & (outcomes.c.system == system)
        & (outcomes.c.record_id == record_id)
    )


def _scheduled(system: str, record_id: str, request_id: str) -> ColumnElement[bool]:
    return (
        (scheduled.c.system == system)
        & (scheduled.c.record_id == record_id)
        & (scheduled.c.request_id == request_id)
    )
