"""Durable state of requests, outcomes, holds and tombstones (SQLAlchemy; SQLite embedded,
PostgreSQL when several workers share it).

Only keyed hashes of identifiers are stored. Writes that decide whether an effect already
happened (outcomes, tombstones) are keyed so that a re-delivered event finds them, and
inserts of keyed rows are "insert unless present" in the database itself, so two workers
recording the same thing at once (a rebalance hands a partition over mid-event) both succeed
and leave one row.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
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
from glemsel.pipeline.stores import schema
from sqlalchemy import (
    Boolean,
    Column,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    delete,
    func,
    insert,
    inspect,
    select,
    update,
)
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import IntegrityError

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


MIGRATIONS: list[schema.Migration] = [
    _baseline,
    _index_outcome_actions,
    _request_ids,
    _request_kinds,
]


def _insert_new(conn: Connection, table: Table, rows: list[dict[str, Any]] | dict[str, Any]) -> int:
    """Insert rows whose key is not there yet; returns how many were new (for one row: 1 if
    it was new; for several, only where the driver reports a count)."""
    if not rows:
        return 0
    dialect = conn.dialect.name
    if dialect in ("postgresql", "sqlite"):
        make = pg_insert if dialect == "postgresql" else sqlite_insert
        if isinstance(rows, dict):  # RETURNING: psycopg reports no rowcount for these
            key = next(iter(table.primary_key.columns))
            stmt = make(table).values(**rows).on_conflict_do_nothing().returning(key)
            return len(conn.execute(stmt).all())
        return conn.execute(make(table).on_conflict_do_nothing(), rows).rowcount
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


def _dt(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value) if value else None


class StateStore:
    def __init__(self, engine: Engine) -> None:
        self._engine = engine
        schema.migrate(engine, "state", MIGRATIONS, metadata)

    @property
    def engine(self) -> Engine:
        # For stores with tables of their own in the state database (stores/attempts.py).
        return self._engine

    def close(self) -> None:
        self._engine.dispose()

    # --- requests ---------------------------------------------------------------------------

    def claim_request_id(
        self, request_id: str, requested_by: str, subject_hashes: set[str]
    ) -> str | None:
        """Reserve ``request_id`` for this requester and subject. None if it is theirs (new,
        or the same request again); otherwise why not, in words safe to show."""
        subject = json.dumps(sorted(subject_hashes))
        with self._engine.begin() as conn:
            row = conn.execute(
                select(request_ids).where(request_ids.c.request_id == request_id)
            ).first()
            if row is None:  # requests recorded before ids were claimed count as claims
                row = conn.execute(
                    select(requests.c.requested_by, requests.c.subject_hashes).where(
                        requests.c.request_id == request_id
                    )
                ).first()
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
                    row = conn.execute(
                        select(request_ids).where(request_ids.c.request_id == request_id)
                    ).first()
        assert row is not None  # claimed by someone: the insert collided with its row
        if row.requested_by != requested_by:
            return f"request id {request_id!r} is taken by another requester"
        if row.subject_hashes != subject:
            return f"request id {request_id!r} was used for another subject"
        return None

    def add_request(
        self,
        req: ErasureRequest | AccessRequest | RectificationRequest,
        subject_hashes: set[str],
        kind: str = "erasure",
        detail: dict[str, Any] | None = None,
    ) -> bool:
        """False if the request is known already (a re-delivery)."""
        with self._engine.begin() as conn:
            return bool(
                _insert_new(
                    conn,
                    requests,
                    dict(
                        request_id=req.request_id,
                        received_at=_iso(req.received_at),
                        deadline=_iso(req.deadline),  # type: ignore[arg-type]
                        extended=False,
                        systems=json.dumps(req.systems),
                        requested_by=req.requested_by,
                        subject_hashes=json.dumps(sorted(subject_hashes)),
                        status="received",
                        counts="{}",
                        updated_at=_iso(datetime.now(UTC)),
                        kind=kind,
                        detail=json.dumps(detail) if detail is not None else None,
                    ),
                )
            )

    def request(self, request_id: str) -> dict[str, Any] | None:
        with self._engine.connect() as conn:
            row = conn.execute(select(requests).where(requests.c.request_id == request_id)).first()
        return _request_row(row) if row else None

    def list_requests(self) -> list[dict[str, Any]]:
        with self._engine.connect() as conn:
            rows = conn.execute(select(requests).order_by(requests.c.received_at)).all()
        return [_request_row(r) for r in rows]

    def extend_deadline(self, request_id: str, new_deadline: datetime, reason: str) -> None:
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
                    status=summary.status,
                    counts=json.dumps(summary.counts),
                    updated_at=_iso(summary.ts),
                )
            )

    # --- outcomes ---------------------------------------------------------------------------

    def outcome(self, request_id: str, system: str, record_id: str) -> dict[str, Any] | None:
        with self._engine.connect() as conn:
            row = conn.execute(
                select(outcomes).where(
                    (outcomes.c.request_id == request_id)
                    & (outcomes.c.system == system)
                    & (outcomes.c.record_id == record_id)
                )
            ).first()
        return dict(row._mapping) if row else None

    def mark_started(self, request_id: str, system: str, record_type: str, record_id: str) -> None:
        with self._engine.begin() as conn:
            _insert_new(
                conn,
                outcomes,
                dict(
                    request_id=request_id,
                    system=system,
                    record_id=record_id,
                    record_type=record_type,
                    action="started",
                    reason="",
                    verified=False,
                    ts=_iso(datetime.now(UTC)),
                ),
            )

    def save_outcome(self, out: ErasureOutcome) -> None:
        values = {
            "action": out.action,
            "reason": out.reason,
            "verified": out.verified,
            "ts": _iso(out.ts),
            "retained_until": _iso(out.retained_until) if out.retained_until else None,
        }
        with self._engine.begin() as conn:
            done = conn.execute(
                update(outcomes)
                .where(
                    (outcomes.c.request_id == out.request_id)
                    & (outcomes.c.system == out.system)
                    & (outcomes.c.record_id == out.record_id)
                )
                .values(**values)
            ).rowcount
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
                conn.execute(
                    update(outcomes)
                    .where(
                        (outcomes.c.request_id == out.request_id)
                        & (outcomes.c.system == out.system)
                        & (outcomes.c.record_id == out.record_id)
                    )
                    .values(**values)
                )

    def outcomes(self, request_id: str) -> list[ErasureOutcome]:
        with self._engine.connect() as conn:
            rows = conn.execute(
                select(outcomes)
                .where((outcomes.c.request_id == request_id) & (outcomes.c.action != "started"))
                .order_by(outcomes.c.system, outcomes.c.record_id)
            ).all()
        return [
            ErasureOutcome(
                request_id=r.request_id,
                system=r.system,
                record_id=r.record_id,
                action=r.action,
                reason=r.reason,
                verified=r.verified,
                ts=_dt(r.ts),
                retained_until=_dt(r.retained_until),
                record_type=r.record_type or "",
            )
            for r in rows
        ]

    def unfinished(self, action: str = "held") -> list[dict[str, Any]]:
        """Locations waiting for a second attempt: held ones, or started but never finished."""
        with self._engine.connect() as conn:
            rows = conn.execute(select(outcomes).where(outcomes.c.action == action)).all()
        return [dict(r._mapping) for r in rows]

    # --- holds ------------------------------------------------------------------------------

    def place_hold(self, hold: LegalHold, subject_hashes: set[str] | None) -> bool:
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

    def end_hold(self, hold_id: str, reason: str, when: datetime) -> bool:
        with self._engine.begin() as conn:
            return bool(
                conn.execute(
                    update(holds)
                    .where((holds.c.hold_id == hold_id) & holds.c.active)
                    .values(active=False, ended_at=_iso(when), end_reason=reason)
                ).rowcount
            )

    def active_holds(self) -> list[Hold]:
        with self._engine.connect() as conn:
            rows = conn.execute(select(holds).where(holds.c.active)).all()
        return [_hold(r) for r in rows]

    def list_holds(self) -> list[dict[str, Any]]:
        with self._engine.connect() as conn:
            rows = conn.execute(select(holds).order_by(holds.c.placed_at)).all()
        return [
            {
                "hold_id": r.hold_id,
                "active": r.active,
                "scope": {
                    "subject": bool(r.subject_hashes),
                    "systems": json.loads(r.systems) if r.systems else None,
                    "records": json.loads(r.records) if r.records else None,
                },
                "reason": r.reason,
                "until": r.until,
                "placed_by": r.placed_by,
                "placed_at": r.placed_at,
                "ended_at": r.ended_at,
                "end_reason": r.end_reason,
            }
            for r in rows
        ]

    # --- resurrection guard -----------------------------------------------------------------

    def add_tombstone(self, system: str, record_id: str, request_id: str | None) -> None:
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

    def tombstone(self, system: str, record_id: str) -> str | None:
        """The request that erased this record, '' for a sweep, None if never erased."""
        with self._engine.connect() as conn:
            row = conn.execute(
                select(tombstones.c.request_id).where(
                    (tombstones.c.system == system) & (tombstones.c.record_id == record_id)
                )
            ).first()
        return None if row is None else (row.request_id or "")

    def tombstoned_among(self, system: str, record_ids: set[str]) -> set[str]:
        """Those of ``record_ids`` of ``system`` that an erasure deleted: one query for a
        batch of changes, whose resurrection guard would otherwise ask record by record."""
        found: set[str] = set()
        ordered = sorted(record_ids)
        with self._engine.connect() as conn:
            for i in range(0, len(ordered), 5_000):  # under SQLite's bound-parameter limit
                found |= {
                    r.record_id
                    for r in conn.execute(
                        select(tombstones.c.record_id).where(
                            (tombstones.c.system == system)
                            & tombstones.c.record_id.in_(ordered[i : i + 5_000])
                        )
                    )
                }
        return found

    def add_erased_identifiers(
        self, hashes: set[str], request_id: str, systems: list[str] | None
    ) -> None:
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

    def erased_among(self, hashes: set[str], system: str) -> dict[str, str]:
        """hash -> request id, for those of ``hashes`` that a request erased in ``system``."""
        if not hashes:
            return {}
        with self._engine.connect() as conn:
            rows = conn.execute(
                select(erased_identifiers).where(erased_identifiers.c.hash.in_(hashes))
            ).all()
        return {
            r.hash: r.request_id
            for r in rows
            if r.systems is None or system in json.loads(r.systems)
        }

    # --- retained locations -----------------------------------------------------------------

    def schedule(self, system: str, record_id: str, request_id: str, due: datetime, basis: str):
        with self._engine.begin() as conn:
            conn.execute(
                delete(scheduled).where(
                    (scheduled.c.system == system)
                    & (scheduled.c.record_id == record_id)
                    & (scheduled.c.request_id == request_id)
                )
            )
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

    def due(self, now: datetime) -> list[dict[str, Any]]:
        with self._engine.connect() as conn:
            rows = conn.execute(
                select(scheduled).where(~scheduled.c.done & (scheduled.c.due <= _iso(now)))
            ).all()
        return [dict(r._mapping) for r in rows]

    def schedule_done(self, system: str, record_id: str, request_id: str) -> None:
        with self._engine.begin() as conn:
            conn.execute(
                update(scheduled)
                .where(
                    (scheduled.c.system == system)
                    & (scheduled.c.record_id == record_id)
                    & (scheduled.c.request_id == request_id)
                )
                .values(done=True)
            )

    # --- backfill ---------------------------------------------------------------------------

    def checkpoint(self, system: str) -> tuple[str | None, int]:
        with self._engine.connect() as conn:
            row = conn.execute(select(checkpoints).where(checkpoints.c.system == system)).first()
        return (row.last_id, row.published) if row else (None, 0)

    def save_checkpoint(self, system: str, last_id: str | None, published: int) -> None:
        with self._engine.begin() as conn:
            conn.execute(delete(checkpoints).where(checkpoints.c.system == system))
            conn.execute(
                insert(checkpoints).values(system=system, last_id=last_id, published=published)
            )

    def counts(self) -> dict[str, int]:
        with self._engine.connect() as conn:
            return {
                "requests": conn.execute(select(func.count()).select_from(requests)).scalar_one(),
                "active_holds": conn.execute(
                    select(func.count()).select_from(holds).where(holds.c.active)
                ).scalar_one(),
            }


def _request_row(r) -> dict[str, Any]:
    return {
        "request_id": r.request_id,
        "received_at": _dt(r.received_at),
        "deadline": _dt(r.deadline),
        "extended": r.extended,
        "extension_reason": r.extension_reason,
        "systems": json.loads(r.systems) if r.systems else None,
        "requested_by": r.requested_by,
        "subject_hashes": set(json.loads(r.subject_hashes)),
        "status": r.status,
        "counts": json.loads(r.counts),
        "kind": getattr(r, "kind", None) or "erasure",
        "detail": json.loads(r.detail) if getattr(r, "detail", None) else {},
    }



def _hold(r) -> Hold:
    return Hold(
        hold_id=r.hold_id,
        subject_hashes=set(json.loads(r.subject_hashes)) if r.subject_hashes else None,
        systems=set(json.loads(r.systems)) if r.systems else None,
        records={tuple(x) for x in json.loads(r.records)} if r.records else None,
        reason=r.reason or "",
        until=_dt(r.until),
        placed_by=r.placed_by or "",
    )
