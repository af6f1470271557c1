"""SQL tables through SQLAlchemy Core: SQLite for demos and tests, PostgreSQL by URL."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

from sqlalchemy import MetaData, Table, create_engine, delete, false, func, select, update
from sqlalchemy.engine import make_url

from .spec import SinkSpec


class SqlSink:
    def __init__(self, system: str, spec: SinkSpec, base_dir: Path) -> None:
        assert spec.url and spec.table
        url = make_url(spec.url)
        if url.drivername.startswith("sqlite") and url.database and url.database != ":memory:":
            db = Path(url.database)
            url = url.set(database=str(db if db.is_absolute() else base_dir / db))
        self.system = system
        self._engine = create_engine(url, pool_pre_ping=True)
        self._table = Table(spec.table, MetaData(), autoload_with=self._engine)
        if spec.key not in self._table.c:
            raise ValueError(f"{system}: table {spec.table} has no key column {spec.key!r}")
        self._key = self._table.c[spec.key]
        self._ts = self._table.c[spec.timestamp_field] if spec.timestamp_field else None
        if spec.timestamp_field and self._ts is None:
            raise ValueError(f"{system}: no timestamp column {spec.timestamp_field!r}")

    def _id(self, record_id: str) -> Any:
        # Our record ids are strings; the key column may be an integer.
        try:
            python_type = self._key.type.python_type
        except NotImplementedError:
            return record_id
        return python_type(record_id) if python_type is int else record_id

    def _match(self, record_id: str) -> Any:
        # An id the key column cannot hold ("abc" for an integer key) names no record.
        try:
            return self._key == self._id(record_id)
        except ValueError:
            return false()

    def read(self, record_id: str) -> dict[str, Any] | None:
        with self._engine.connect() as conn:
            row = conn.execute(select(self._table).where(self._match(record_id))).first()
        return _plain(row._mapping) if row else None

    def update(self, record_id: str, changes: dict[str, Any]) -> bool:
        changes = {k: v for k, v in changes.items() if k in self._table.c}
        if not changes:
            return self.read(record_id) is not None
        with self._engine.begin() as conn:
            result = conn.execute(
                update(self._table).where(self._match(record_id)).values(**changes)
            )
        return bool(result.rowcount)

    def delete(self, record_id: str) -> bool:
        with self._engine.begin() as conn:
            result = conn.execute(delete(self._table).where(self._match(record_id)))
        return bool(result.rowcount)

    def record_ids_older_than(self, cutoff: datetime) -> list[str]:
        return self.record_ids_between(None, cutoff)

    def record_ids_between(self, since: datetime | None, cutoff: datetime) -> list[str]:
        """Records whose timestamp is at or after ``since`` (None: any) and before ``cutoff``.

        On SQLite, whose columns hold whatever text a system wrote (ISO text with or without
        a zone, whatever the declared type), SQLite's ``julianday`` (which reads the zone)
        narrows the rows with a second's slack either way, and those it returns are compared
        exactly in Python, as before; values it cannot read are compared in Python too, so
        none is missed. Elsewhere a date or time column is compared by the database (an
        index on it serves), and a text column in Python only: a cast of bad text would fail
        the query."""
        if self._ts is None:
            return []
        query = select(self._key, self._ts).where(self._ts.is_not(None))
        kind = _python_type(self._ts)
        if self._engine.dialect.name == "sqlite":
            jd = func.julianday(self._ts)
            near = jd < func.julianday(_text(cutoff)) + _SLACK_DAYS
            if since is not None:
                near = near & (jd >= func.julianday(_text(since)) - _SLACK_DAYS)
            query = query.where(near | jd.is_(None))
        elif kind is datetime:
            zoned = bool(getattr(self._ts.type, "timezone", False))
            query = query.where(self._ts < _param(cutoff, zoned))
            if since is not None:
                query = query.where(self._ts >= _param(since, zoned))
        elif kind is date:
            # midnight(d) < t  <=>  d < ceil(t): a date stands for the midnight starting it.
            query = query.where(self._ts < _ceil_date(cutoff))
            if since is not None:
                query = query.where(self._ts >= _ceil_date(since))
        with self._engine.connect() as conn:
            rows = conn.execute(query).all()
        return [
            str(key)
            for key, ts in rows
            if _before(ts, cutoff) and (since is None or not _before(ts, since))
        ]

    def iter_records(
        self, after: str | None = None, batch: int = 500
    ) -> Iterator[tuple[str, dict[str, Any]]]:
        last = self._id(after) if after is not None else None
        while True:
            query = select(self._table).order_by(self._key).limit(batch)
            if last is not None:
                query = query.where(self._key > last)
            with self._engine.connect() as conn:
                rows = conn.execute(query).all()
            if not rows:
                return
            for row in rows:
                yield str(row._mapping[self._key.name]), _plain(row._mapping)
            last = rows[-1]._mapping[self._key.name]

    def count(self) -> int:
        with self._engine.connect() as conn:
            return conn.execute(select(func.count()).select_from(self._table)).scalar_one()

    def close(self) -> None:
        self._engine.dispose()


def _plain(row: Any) -> dict[str, Any]:
    """JSON-friendly values, as a change event would carry them."""
    out = {}
    for key, value in row.items():
        if isinstance(value, datetime | date):
            value = value.isoformat()
        elif isinstance(value, Decimal):
            value = str(value)
        elif isinstance(value, bytes):
            value = value.decode("utf-8", errors="replace")
        out[key] = value
    return out


_SLACK_DAYS = 1 / 86_400  # a second, in julianday's unit: its float is exact to a millisecond


def _python_type(column: Any) -> type | None:
    try:
        kind: type = column.type.python_type
    except NotImplementedError:
        return None
    return kind


def _param(when: datetime, zoned: bool) -> datetime:
    """``when`` as the column holds times: aware, or naive UTC (as _before reads naive)."""
    when = when.astimezone(UTC)
    return when if zoned else when.replace(tzinfo=None)


def _ceil_date(when: datetime) -> date:
    when = when.astimezone(UTC)
    return when.date() if when.time() == time.min else when.date() + timedelta(days=1)


def _text(when: datetime) -> str:
    # The form julianday reads: ISO with the zone as +HH:MM.
    return when.astimezone(UTC).isoformat()


def _before(value: Any, cutoff: datetime) -> bool:
    if isinstance(value, str):
        try:
            value = datetime.fromisoformat(value)
        except ValueError:
            return False
    if isinstance(value, date) and not isinstance(value, datetime):
        value = datetime.combine(value, datetime.min.time())
    if not isinstance(value, datetime):
        return False
    if value.tzinfo is None:
        value = value.replace(tzinfo=cutoff.tzinfo)
    return value < cutoff
