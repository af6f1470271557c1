"""Sink windows (``record_ids_between``): what became old since the last sweep, the same
records ``record_ids_older_than`` gives in the window, whatever form the timestamps take."""

from __future__ import annotations

import sqlite3
import uuid
from datetime import UTC, date, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest
from glemsel.pipeline.stores.schema import sql_url
from glemsel.sinks import open_sink
from glemsel.sinks.spec import SinkSpec
from services import pg_state_url
from sqlalchemy import Column, Date, DateTime, Integer, MetaData, String, Table, create_engine

CUTOFF = datetime(2026, 6, 1, 12, 0, tzinfo=UTC)
SINCE = CUTOFF - timedelta(days=1)
OSLO = timezone(timedelta(hours=2))

# (id, stored timestamp, in [SINCE, CUTOFF)?): zones, no zone, a space, bad text, edges.
TEXT_ROWS: list[tuple[int, Any, bool]] = [
    (1, (CUTOFF - timedelta(hours=1)).isoformat(), True),
    (2, (CUTOFF - timedelta(hours=1)).astimezone(OSLO).isoformat(), True),
    (3, (CUTOFF + timedelta(minutes=30)).astimezone(OSLO).isoformat(), False),  # 14:30+02
    (4, "2026-06-01T11:59:59.999999", True),  # naive: UTC, a microsecond before the cutoff
    (5, "2026-06-01T12:00:00+00:00", False),  # the cutoff itself is not before it
    (6, "2026-05-31T12:00:00+00:00", True),  # since itself is in
    (7, "2026-05-31T13:59:59.999+02:00", False),  # a millisecond before since
    (8, "2026-05-31 18:00:00", True),  # SQLite's own form
    (9, "not a time", False),
    (10, "20260601T110000+0000", True),  # basic ISO: Python reads it, SQLite does not
    (11, (SINCE - timedelta(days=30)).isoformat(), False),  # long ago: before the window
    (12, None, False),
]


def _sqlite_text(tmp_path: Path):
    with sqlite3.connect(tmp_path / "t.db") as conn:
        conn.execute("create table t (id integer primary key, ts text)")
        conn.executemany("insert into t values (?, ?)", [(i, ts) for i, ts, _ in TEXT_ROWS])
    spec = SinkSpec(kind="sql", url="sqlite:///t.db", table="t", timestamp_field="ts")
    return open_sink("t", spec, tmp_path)


def test_sqlite_text_window_is_exact_across_zones(tmp_path: Path) -> None:
    sink = _sqlite_text(tmp_path)
    try:
        got = sorted(sink.record_ids_between(SINCE, CUTOFF), key=int)
        assert got == [str(i) for i, _, inside in TEXT_ROWS if inside]
        older = set(sink.record_ids_older_than(CUTOFF))
        assert older == set(got) | {"7", "11"}
        assert set(sink.record_ids_between(None, CUTOFF)) == older
    finally:
        sink.close()


def test_windows_partition_what_is_older(tmp_path: Path) -> None:
    """Consecutive sweeps' windows cover every old record once, none twice."""
    sink = _sqlite_text(tmp_path)
    try:
        cuts = [SINCE - timedelta(days=40), SINCE, CUTOFF - timedelta(hours=3), CUTOFF]
        seen: list[str] = list(sink.record_ids_between(None, cuts[0]))
        for since, cutoff in zip(cuts, cuts[1:], strict=False):
            seen += sink.record_ids_between(since, cutoff)
        assert sorted(seen) == sorted(sink.record_ids_older_than(CUTOFF))
    finally:
        sink.close()


def _typed_rows() -> list[dict[str, Any]]:
    return [
        {"id": 1, "at": CUTOFF - timedelta(hours=1), "day": date(2026, 6, 1)},  # in; in
        {"id": 2, "at": CUTOFF, "day": date(2026, 6, 2)},  # out; out (midnight after)
        {"id": 3, "at": SINCE, "day": date(2026, 5, 31)},  # in; out (before since 12:00)
        {"id": 4, "at": SINCE - timedelta(microseconds=1), "day": date(2026, 5, 1)},
    ]


def _typed_table(url: str, zoned: bool) -> None:
    engine = create_engine(url)
    meta = MetaData()
    table = Table(
        "typed",
        meta,
        Column("id", Integer, primary_key=True),
        Column("at", DateTime(timezone=zoned)),
        Column("day", Date),
        Column("note", String),
    )
    meta.create_all(engine)
    rows = _typed_rows()
    if not zoned:  # a naive column holds UTC wall times
        rows = [{**r, "at": r["at"].replace(tzinfo=None)} for r in rows]
    with engine.begin() as conn:
        conn.execute(table.insert(), rows)
    engine.dispose()


def _check_typed(url: str, base: Path) -> None:
    for field, inside in (("at", ["1", "3"]), ("day", ["1"])):
        spec = SinkSpec(kind="sql", url=url, table="typed", timestamp_field=field)
        sink = open_sink("typed", spec, base)
        try:
            assert sorted(sink.record_ids_between(SINCE, CUTOFF)) == inside, field
            assert sorted(sink.record_ids_older_than(CUTOFF)) == ["1", "3", "4"], field
        finally:
            sink.close()


def test_sqlite_typed_columns(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'typed.db'}"
    _typed_table(url, zoned=False)
    _check_typed(url, tmp_path)


@pytest.mark.parametrize("zoned", [True, False])
def test_postgresql_typed_columns_compare_in_the_database(
    endpoints, tmp_path, zoned, monkeypatch
) -> None:
    """The database alone decides: the Python comparison passes whatever it returns."""
    import glemsel.sinks.sql as sql_sink

    monkeypatch.setattr(sql_sink, "_before", lambda value, when: when == CUTOFF)
    if not endpoints.state_url:
        pytest.skip("no PostgreSQL: set GLEMSEL_STATE_URL or run docker/local-services.sh")
    with pg_state_url(endpoints, uuid.uuid4().hex[:10]) as url:
        assert url
        full = sql_url(url).render_as_string(hide_password=False)
        _typed_table(full, zoned)
        _check_typed(full, tmp_path)


def test_maildir_window(tmp_path: Path) -> None:
    import mailbox
    from email.message import EmailMessage
    from email.utils import format_datetime

    box = mailbox.Maildir(tmp_path / "mail", create=True)
    for n, when in enumerate(
        [CUTOFF - timedelta(hours=1), CUTOFF + timedelta(hours=1), SINCE - timedelta(hours=1)]
    ):
        msg = EmailMessage()
        msg["Message-ID"] = f"<m{n}@example.no>"
        msg["Date"] = format_datetime(when.astimezone(OSLO))
        msg.set_content("hei")
        box.add(msg)
    sink = open_sink("mail", SinkSpec(kind="maildir", path="mail"), tmp_path)
    try:
        got = sink.record_ids_between(SINCE, CUTOFF)
        assert [r.split("#")[0] for r in got] == ["<m0@example.no>"]
        assert len(sink.record_ids_older_than(CUTOFF)) == 2
    finally:
        sink.close()
