"""Schema versions of the SQL state: a database made before versioning adopts it."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from glemsel.pipeline.core.events import ErasureRequest, SubjectIdentifiers
from glemsel.pipeline.core.statuses import LocationAction
from glemsel.pipeline.stores import schema, state
from glemsel.pipeline.stores.sqlite import sqlite_engine
from glemsel.pipeline.stores.state import StateStore
from services import state_as_version_4
from sqlalchemy import text
from sqlalchemy.engine import Engine


def test_an_unversioned_database_is_migrated_and_keeps_its_rows(tmp_path: Path) -> None:
    engine = sqlite_engine(tmp_path / "state.db")
    state.metadata.create_all(engine)  # as Glemsel made it before schema versions
    with engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO tombstones (system, record_id, request_id, ts) "
                "VALUES ('crm', '1', 'r', '2026-01-01')"
            )
        )
    store = StateStore(engine)
    assert schema.version(engine, "state") == len(state.MIGRATIONS)
    stone = store.tombstones.get("crm", "1")
    assert stone is not None and stone.request_id == "r"
    with engine.connect() as conn:
        names = {r[1] for r in conn.execute(text("PRAGMA index_list(outcomes)"))}
    assert "ix_outcomes_action" in names


def test_a_newer_schema_is_refused(tmp_path: Path) -> None:
    engine = sqlite_engine(tmp_path / "state.db")
    StateStore(engine)
    with engine.begin() as conn:
        conn.execute(text("UPDATE glemsel_schema SET version = version + 1"))
    with pytest.raises(schema.SchemaError, match="upgrade Glemsel"):
        StateStore(engine)


def test_stored_retries_are_added_to_a_version_4_file(tmp_path: Path) -> None:
    engine = sqlite_engine(tmp_path / "state.db")
    StateStore(engine)
    state_as_version_4(engine)
    engine.dispose()

    engine = sqlite_engine(tmp_path / "state.db")
    store = StateStore(engine)
    assert schema.version(engine, "state") == len(state.MIGRATIONS) >= 5
    row = store.outcomes.get("r", "crm", "1")
    assert row is not None and row.action == LocationAction.FAILED
    assert row.attempts == 0 and row.next_attempt_at is None  # retried at the next sweep
    later = datetime(2026, 1, 1, 0, 1, tzinfo=UTC)
    store.outcomes.save(row.event(), attempts=1, next_attempt_at=later)
    again = store.outcomes.get("r", "crm", "1")
    assert again is not None and again.attempts == 1 and again.next_attempt_at == later


def as_version_5(engine: Engine) -> None:
    """As the release before requests by subject left the state: no request_subjects."""
    with engine.begin() as conn:
        conn.execute(text("DROP TABLE request_subjects"))
        conn.execute(text("UPDATE glemsel_schema SET version = 5 WHERE component = 'state'"))


def test_requests_by_subject_are_filled_from_a_version_5_file(tmp_path: Path) -> None:
    engine = sqlite_engine(tmp_path / "state.db")
    store = StateStore(engine)
    for n, hashes in enumerate(({"h1", "h2"}, {"h2"}, {"h3"})):
        request = ErasureRequest(
            request_id=f"r-{n}", subject=SubjectIdentifiers(emails=[f"p{n}@b.no"])
        )
        assert store.requests.add(request, hashes)
    as_version_5(engine)
    engine.dispose()

    engine = sqlite_engine(tmp_path / "state.db")
    store = StateStore(engine)
    assert schema.version(engine, "state") == len(state.MIGRATIONS) >= 6
    assert [r.request_id for r in store.requests.naming({"h2"})] == ["r-0", "r-1"]
    assert [r.request_id for r in store.requests.naming({"h1", "h3"})] == ["r-0", "r-2"]
    assert store.requests.naming({"h4"}) == []
    assert store.requests.naming({"h1", "h2", "h3"}) == store.requests.all()
