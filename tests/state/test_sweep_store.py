"""The sweeps' watermarks and record rows (stores/sweeps.py), on SQLite and PostgreSQL."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from glemsel.pipeline.stores import schema, sweeps
from glemsel.pipeline.stores.sqlite import sqlite_engine
from glemsel.pipeline.stores.state import StateStore
from glemsel.pipeline.stores.sweeps import SweepRow, SweepStore
from services import pg_engine
from sqlalchemy.engine import Engine

T = datetime(2026, 6, 1, 12, 0, tzinfo=UTC)


@pytest.fixture(params=["sqlite", "postgresql"])
def engine(request, tmp_path: Path) -> Iterator[Engine]:
    if request.param == "sqlite":
        eng = sqlite_engine(tmp_path / "state.db")
        yield eng
        eng.dispose()
        return
    with pg_engine(request.getfixturevalue("endpoints")) as eng:
        yield eng


def test_the_state_store_migrates_the_sweeps_component(engine: Engine) -> None:
    store = StateStore(engine)
    assert schema.version(engine, "sweeps") == len(sweeps.MIGRATIONS)
    assert store.sweeps.start("weblog", "anonymise", "types=IP_ADDRESS") is None
    StateStore(engine)  # a second start changes nothing


def test_watermarks_move_forward_only_and_a_changed_rule_starts_again(engine: Engine) -> None:
    store = SweepStore(engine)
    assert store.start("chat", "retention", "a") is None, "no sweep yet: cover everything"
    store.advance("chat", "retention", "a", T)
    assert store.start("chat", "retention", "a") == T
    store.advance("chat", "retention", "a", T - timedelta(days=1))  # a longer period now
    assert store.start("chat", "retention", "a") == T, "never backwards"
    store.advance("chat", "retention", "a", T + timedelta(microseconds=1))
    assert store.cutoffs() == {("chat", "retention"): T + timedelta(microseconds=1)}

    store.mark("chat", "retention", {"1": T})
    assert store.start("chat", "retention", "b") is None, "another rule: everything again"
    assert store.count("chat") == 0, "with its rows"


def test_rows_come_due_by_time_and_when_their_hold_ends(engine: Engine) -> None:
    store = SweepStore(engine)
    store.mark("s", "anonymise", {"1": T, "2": T + timedelta(days=1)})
    store.settle("s", "anonymise", SweepRow("3", hold_id="h1", held_noted=True), None)
    store.settle("s", "anonymise", SweepRow("4", kept_noted=True), None)
    due = store.due("s", "anonymise", T, {"h1"})
    assert [r.record_id for r in due] == ["1"]
    assert [r.record_id for r in store.due("s", "anonymise", T, set())] == ["1", "3"]
    assert store.due("s", "retention", T, set()) == [], "rows are per rule"
    rows = store.rows_of("s", "anonymise", {"3", "4", "5"})
    assert rows == {
        "3": SweepRow("3", None, "h1", False, True),
        "4": SweepRow("4", None, None, True),
    }


def test_a_change_while_the_sweep_looks_is_not_cleared(engine: Engine) -> None:
    store = SweepStore(engine)
    store.mark("s", "retention", {"1": T, "2": T})
    seen = {r.record_id: r for r in store.due("s", "retention", T, set())}
    store.mark("s", "retention", {"2": T})  # a change event of 2 meanwhile (same due time)
    store.settle("s", "retention", SweepRow("1"), seen["1"])
    store.settle("s", "retention", SweepRow("2"), seen["2"])
    assert [r.record_id for r in store.due("s", "retention", T, set())] == ["2"]
    # A decision to keep a row (consent) keeps the due time of a change since, too.
    again = store.due("s", "retention", T, set())[0]
    store.mark("s", "retention", {"2": T})
    store.settle("s", "retention", SweepRow("2", kept_noted=True), again)
    [row] = store.due("s", "retention", T, set())
    assert row.kept_noted and row.due == T
    store.settle("s", "retention", SweepRow("2", kept_noted=True), row)
    assert store.due("s", "retention", T, set()) == []
    assert store.rows_of("s", "retention", {"2"})["2"].kept_noted
