"""What the time-driven sweeps (retention, anonymisation) already covered, in the SQL state.

A sweep used to read every old record of a system on every run, so its cost grew with the
data for ever (issue 10). Now each rule of a system keeps:

- a **watermark**: the cutoff the last completed sweep covered. The next sweep asks the sink
  only for records whose timestamp lies in [watermark, new cutoff); a missing watermark (a
  new deployment on old data, or a rule whose fields or types changed) covers everything.
- **record rows**, few: records to look at again and what was decided about them.
  ``due`` is when to look (a change event of an old record, a record whose retention field
  is set but not yet old, a retry of a failed effect); ``hold_id`` is the hold that kept it
  (looked at again once that hold is no longer active, not on every sweep); ``kept_noted``
  and ``held_noted`` say that the decision was audited, so it is audited once, across
  restarts too. A row without any of these is deleted.

The tables are a component of their own in the schema versions (stores/schema.py), next to
``state``, ``audit`` and ``attempts``. Only system names and record ids are stored.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime

from glemsel.pipeline.stores import schema
from glemsel.pipeline.stores.rows import key_chunks
from sqlalchemy import (
    Boolean,
    Column,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    and_,
    case,
    delete,
    or_,
    select,
)
from sqlalchemy.engine import Connection, Engine

metadata = MetaData()

watermarks = Table(
    "sweep_watermarks",
    metadata,
    Column("system", String, primary_key=True),
    Column("rule", String, primary_key=True),  # "retention" or "anonymise"
    # What the rule looks at (its fields, types): a changed rule starts from no watermark.
    Column("fingerprint", String, nullable=False),
    Column("cutoff", String, nullable=False),  # fixed-width UTC text (_text), compared as text
    Column("updated_at", String, nullable=False),
)

records = Table(
    "sweep_records",
    metadata,
    Column("system", String, primary_key=True),
    Column("rule", String, primary_key=True),
    Column("record_id", String, primary_key=True),
    Column("due", String),  # look again at this time (fixed-width UTC text); null: no need
    Column("hold_id", String),  # kept by this hold at the last look; looked at once it ends
    Column("kept_noted", Boolean, nullable=False, default=False),
    Column("held_noted", Boolean, nullable=False, default=False),
    # Change events that marked it: a sweep clears only the marks it saw, so a change that
    # comes while the sweep looks at the record is looked at by the next one.
    Column("marks", Integer, nullable=False, default=0),
    Index("ix_sweep_records_due", "system", "rule", "due"),
    Index("ix_sweep_records_hold", "hold_id"),
)


def _baseline(conn: Connection) -> None:
    metadata.create_all(conn)


MIGRATIONS: list[schema.Migration] = [_baseline]


def _text(when: datetime) -> str:
    # Fixed width, so that text order is time order (isoformat drops zero microseconds).
    return when.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%f+00:00")


def _time(text: str) -> datetime:
    return datetime.fromisoformat(text)


@dataclass(frozen=True, slots=True)
class SweepRow:
    """What a sweep keeps about one record of one rule (see the module's text)."""

    record_id: str
    due: datetime | None = None
    hold_id: str | None = None
    kept_noted: bool = False
    held_noted: bool = False
    marks: int = field(default=0, compare=False)  # as read: what a settle may clear

    @property
    def empty(self) -> bool:
        return (
            self.due is None
            and self.hold_id is None
            and not self.kept_noted
            and not self.held_noted
        )


def _row(r: object) -> SweepRow:
    m = r._mapping  # type: ignore[attr-defined]
    return SweepRow(
        m["record_id"],
        _time(m["due"]) if m["due"] else None,
        m["hold_id"],
        bool(m["kept_noted"]),
        bool(m["held_noted"]),
        int(m["marks"] or 0),
    )


class SweepStore:
    def __init__(self, engine: Engine) -> None:
        self._engine = engine
        self._single = schema.single_statements(engine)
        schema.migrate(engine, "sweeps", MIGRATIONS, metadata)

    # --- watermarks -------------------------------------------------------------------------

    def start(self, system: str, rule: str, fingerprint: str) -> datetime | None:
        """The watermark of the rule, None if there is none. A watermark of another
        fingerprint (the rule changed) is dropped with the rule's record rows: the sweep
        covers everything again, as the first did."""
        with self._engine.begin() as conn:
            row = conn.execute(
                select(watermarks).where(
                    (watermarks.c.system == system) & (watermarks.c.rule == rule)
                )
            ).first()
            if row is None:
                return None
            if row.fingerprint == fingerprint:
                return _time(row.cutoff)
            conn.execute(
                delete(watermarks).where(
                    (watermarks.c.system == system) & (watermarks.c.rule == rule)
                )
            )
            conn.execute(
                delete(records).where((records.c.system == system) & (records.c.rule == rule))
            )
        return None

    def advance(self, system: str, rule: str, fingerprint: str, cutoff: datetime) -> None:
        """The sweep covered everything before ``cutoff``: record it (never backwards)."""
        now = _text(datetime.now(UTC))
        with self._engine.begin() as conn:
            schema.serialise(conn, f"sweep:{system}:{rule}")
            row = conn.execute(
                select(watermarks.c.cutoff, watermarks.c.fingerprint).where(
                    (watermarks.c.system == system) & (watermarks.c.rule == rule)
                )
            ).first()
            if row is not None and row.fingerprint == fingerprint:
                cutoff = max(cutoff, _time(row.cutoff))
            values = dict(fingerprint=fingerprint, cutoff=_text(cutoff), updated_at=now)
            stmt = schema.dialect_insert(conn, watermarks).values(
                system=system, rule=rule, **values
            )
            conn.execute(stmt.on_conflict_do_update(index_elements=["system", "rule"], set_=values))

    def cutoffs(self) -> dict[tuple[str, str], datetime]:
        """(system, rule) -> watermark, of every rule (the change hook's threshold)."""
        with self._single.connect() as conn:
            rows = conn.execute(select(watermarks.c.system, watermarks.c.rule, watermarks.c.cutoff))
            return {(r.system, r.rule): _time(r.cutoff) for r in rows}

    # --- record rows ------------------------------------------------------------------------

    def due(
        self, system: str, rule: str, now: datetime, active_holds: Iterable[str]
    ) -> list[SweepRow]:
        """Rows to look at now: due, or kept by a hold that is no longer active."""
        c = records.c
        active = sorted(set(active_holds))
        with self._single.connect() as conn:
            rows = conn.execute(
                select(records)
                .where(
                    (c.system == system)
                    & (c.rule == rule)
                    & or_(
                        and_(c.due.is_not(None), c.due <= _text(now)),
                        and_(c.hold_id.is_not(None), c.hold_id.not_in(active)),
                    )
                )
                .order_by(c.record_id)
            ).all()
        return [_row(r) for r in rows]

    def rows_of(self, system: str, rule: str, record_ids: Iterable[str]) -> dict[str, SweepRow]:
        """The rows there are of ``record_ids`` (records a window brought, most without)."""
        c = records.c
        found: dict[str, SweepRow] = {}
        with self._single.connect() as conn:
            for chunk in key_chunks(record_ids):
                for r in conn.execute(
                    select(records).where(
                        (c.system == system) & (c.rule == rule) & c.record_id.in_(chunk)
                    )
                ):
                    found[r.record_id] = _row(r)
        return found

    def settle(self, system: str, rule: str, row: SweepRow, seen: SweepRow | None) -> None:
        """Store what was decided about a record (an empty row is deleted), unless a change
        event marked it again since the row ``seen`` was read: then its due time stays."""
        c = records.c
        marks = seen.marks if seen is not None else 0
        key = (c.system == system) & (c.rule == rule) & (c.record_id == row.record_id)
        with self._engine.begin() as conn:
            if row.empty:
                conn.execute(delete(records).where(key & (c.marks == marks)))
                return
            due = _text(row.due) if row.due else None
            values = dict(hold_id=row.hold_id, kept_noted=row.kept_noted, held_noted=row.held_noted)
            stmt = schema.dialect_insert(conn, records).values(
                system=system, rule=rule, record_id=row.record_id, due=due, marks=0, **values
            )
            again = case((c.marks == marks, due), else_=c.due)
            conn.execute(
                stmt.on_conflict_do_update(
                    index_elements=["system", "rule", "record_id"], set_={**values, "due": again}
                )
            )

    def mark(self, system: str, rule: str, due: dict[str, datetime]) -> None:
        """Look at these records again at these times (record id -> due): a change event
        said they changed. What was noted about them (and their hold) stays."""
        if not due:
            return
        with self._engine.begin() as conn:
            for record_id, when in sorted(due.items()):
                stmt = schema.dialect_insert(conn, records).values(
                    system=system,
                    rule=rule,
                    record_id=record_id,
                    due=_text(when),
                    kept_noted=False,
                    held_noted=False,
                    marks=1,
                )
                conn.execute(
                    stmt.on_conflict_do_update(
                        index_elements=["system", "rule", "record_id"],
                        set_={"due": _text(when), "marks": records.c.marks + 1},
                    )
                )

    def count(self, system: str | None = None) -> int:
        """Record rows (of ``system``): what the sweeps keep, for tests and the benchmark."""
        query = select(records.c.record_id)
        if system is not None:
            query = query.where(records.c.system == system)
        with self._engine.connect() as conn:
            return len(conn.execute(query).all())
