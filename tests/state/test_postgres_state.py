"""The state store and the audit trail on a real PostgreSQL, as several workers share it."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from datetime import UTC, datetime

import pytest
from glemsel.pipeline.core.events import ErasureRequest, SubjectIdentifiers
from glemsel.pipeline.core.statuses import LocationAction
from glemsel.pipeline.stores import audit, schema, state
from glemsel.pipeline.stores.audit import AuditLog
from glemsel.pipeline.stores.state import StateStore
from services import pg_engine, state_as_version_4
from sqlalchemy import create_engine, text
from sqlalchemy.engine import Engine

KEY = b"k" * 32


@pytest.fixture
def engine(endpoints) -> Iterator[Engine]:
    with pg_engine(endpoints) as eng:
        yield eng


def test_schema_is_versioned_and_migrated_once(engine: Engine) -> None:
    StateStore(engine)
    AuditLog(engine, KEY)
    assert schema.version(engine, "state") == len(state.MIGRATIONS)
    assert schema.version(engine, "audit") == len(audit.MIGRATIONS)
    with engine.connect() as conn:
        indexes = conn.execute(
            text("SELECT indexname FROM pg_indexes WHERE schemaname = current_schema()")
        ).scalars()
        assert "ix_outcomes_action" in set(indexes)
    StateStore(engine)  # a second start changes nothing
    assert schema.version(engine, "state") == len(state.MIGRATIONS)
    with engine.begin() as conn:
        conn.execute(text("UPDATE glemsel_schema SET version = 99 WHERE component = 'state'"))
    with pytest.raises(schema.SchemaError, match="version 99, newer"):
        StateStore(engine)


def test_workers_starting_together_migrate_without_conflict(engine: Engine) -> None:
    errors: list[BaseException] = []

    def start() -> None:
        try:
            own = create_engine(engine.url)
            StateStore(own)
            AuditLog(own, KEY)
            own.dispose()
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    threads = [threading.Thread(target=start) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert schema.version(engine, "state") == len(state.MIGRATIONS)


def test_concurrent_appends_from_several_workers_make_one_chain(engine: Engine) -> None:
    # Each "worker" has its own engine and AuditLog (so no lock in Python is shared).
    logs = [AuditLog(create_engine(engine.url), KEY) for _ in range(4)]
    barrier = threading.Barrier(len(logs))

    def work(log: AuditLog, n: int) -> None:
        barrier.wait()
        for i in range(50):
            log.append("test.entry", worker=n, i=i)

    threads = [threading.Thread(target=work, args=(log, n)) for n, log in enumerate(logs)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    result = logs[0].verify()
    assert result.ok, result
    assert result.entries == 200
    seqs = [e["seq"] for e in logs[0].entries()]
    assert seqs == list(range(1, 201))
    for log in logs:
        log.close()


def test_a_stale_guess_of_the_next_seq_falls_back_to_the_locked_append(engine: Engine) -> None:
    # Each log guesses seq + 1 after the entry it wrote last; the other log's entries in
    # between make that guess stale, the primary key refuses it, and the locked path appends.
    first, second = (AuditLog(create_engine(engine.url), KEY) for _ in range(2))
    assert first.append("test.entry", n=1) == 1  # no guess yet: locked
    assert first.append("test.entry", n=2) == 2  # the guess
    assert second.append("test.entry", n=3) == 3
    assert second.append("test.entry", n=4) == 4
    assert first.append("test.entry", n=5) == 5  # guessed 3: taken
    assert second.append("test.entry", n=6) == 6  # guessed 5: taken
    result = first.verify()
    assert result.ok and result.entries == 6, result
    assert [e["detail"]["n"] for e in first.entries()] == [1, 2, 3, 4, 5, 6]
    for log in (first, second):
        log.close()


def test_guessing_and_locked_appends_at_once_make_one_chain(engine: Engine) -> None:
    # Logs that alternate with each other guess stale most of the time: the locked path of
    # one meets the guesses of the others, and every entry still finds its own seq.
    logs = [AuditLog(create_engine(engine.url), KEY) for _ in range(3)]
    barrier = threading.Barrier(len(logs))
    seqs: list[int] = []

    def work(log: AuditLog, n: int) -> None:
        barrier.wait()
        for i in range(40):
            seqs.append(log.append("test.entry", worker=n, i=i))
            if i % 3 == n:  # runs of guesses that hold, between others' appends
                seqs.append(log.append("test.entry", worker=n, i=i, again=True))

    threads = [threading.Thread(target=work, args=(log, n)) for n, log in enumerate(logs)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(seqs) == list(range(1, len(seqs) + 1))
    result = logs[0].verify()
    assert result.ok and result.entries == len(seqs), result
    for log in logs:
        log.close()


def test_requests_by_subject_are_filled_from_a_version_5_schema(engine: Engine) -> None:
    store = StateStore(engine)
    for n, hashes in enumerate(({"h1", "h2"}, {"h2"}, {"h3"})):
        request = ErasureRequest(request_id=f"r-{n}", subject=SubjectIdentifiers(emails=["a@b.no"]))
        assert store.requests.add(request, hashes)
    with engine.begin() as conn:  # as the release before requests by subject left it
        conn.execute(text("DROP TABLE request_subjects"))
        conn.execute(text("UPDATE glemsel_schema SET version = 5 WHERE component = 'state'"))
    store = StateStore(create_engine(engine.url))
    assert schema.version(engine, "state") == len(state.MIGRATIONS) >= 6
    assert [r.request_id for r in store.requests.naming({"h2"})] == ["r-0", "r-1"]
    assert [r.request_id for r in store.requests.naming({"h1", "h3"})] == ["r-0", "r-2"]
    assert store.requests.naming({"h4"}) == []
    store.close()


def test_the_same_request_recorded_by_two_workers_at_once_is_one_row(engine: Engine) -> None:
    stores = [StateStore(create_engine(engine.url)) for _ in range(2)]
    request = ErasureRequest(request_id="r-1", subject=SubjectIdentifiers(emails=["a@b.no"]))
    barrier = threading.Barrier(2)
    results: list[bool] = []

    def add(store: StateStore) -> None:
        barrier.wait()
        results.append(store.requests.add(request, {"h1"}))
        store.outcomes.start("r-1", "crm", "contact", "1")

    threads = [threading.Thread(target=add, args=(s,)) for s in stores]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(results) == [False, True]
    assert len(stores[0].requests.all()) == 1
    assert [r.request_id for r in stores[0].requests.naming({"h1"})] == ["r-1"]
    assert len(stores[0].outcomes.with_action(LocationAction.STARTED)) == 1
    for s in stores:
        s.close()


def test_stored_retries_are_added_to_a_version_4_schema(engine: Engine) -> None:
    StateStore(engine)
    state_as_version_4(engine)  # as the release before stored retries left it
    store = StateStore(create_engine(engine.url))
    assert schema.version(engine, "state") == len(state.MIGRATIONS) >= 5
    row = store.outcomes.get("r", "crm", "1")
    assert row is not None and row.action == LocationAction.FAILED
    assert row.attempts == 0 and row.next_attempt_at is None
    later = datetime(2026, 1, 1, 0, 1, tzinfo=UTC)
    store.outcomes.save(row.event(), attempts=1, next_attempt_at=later)
    again = store.outcomes.get("r", "crm", "1")
    assert again is not None and again.attempts == 1 and again.next_attempt_at == later
    store.close()
