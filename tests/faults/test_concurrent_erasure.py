"""Two workers on one state and one sink erase the same records at once: a rebalance hands a
request to a second worker while the first is still in it (Faust does not wait), and the
resurrection guard of one worker meets the erasure of another. Each record is deleted once,
and audited once, on SQLite state (flock) and on PostgreSQL state (advisory locks)."""

from __future__ import annotations

import sqlite3
import threading
import uuid
from collections import Counter
from pathlib import Path

import pytest
import yaml
from company import KARI, build, kari_chats
from glemsel.pipeline.core.config import load_config
from glemsel.pipeline.core.events import (
    TOPIC_CHANGES,
    ErasureRequest,
    SubjectIdentifiers,
)
from glemsel.pipeline.runtime.embedded import EmbeddedDeployment
from services import pg_state_url

ROWS = 120


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.distributed)])
def two_workers(request, tmp_path: Path):
    config_path, _ = build(tmp_path)
    if request.param == "postgresql":
        endpoints = request.getfixturevalue("endpoints")
        with pg_state_url(endpoints, uuid.uuid4().hex[:10]) as url:
            if not url:
                pytest.skip("no PostgreSQL")
            raw = yaml.safe_load(config_path.read_text())
            raw["state_url"] = url
            config_path.write_text(yaml.safe_dump(raw, allow_unicode=True))
            yield _open(config_path)
        return
    yield _open(config_path)


def _open(config_path: Path):
    # Two deployments on one state, one index and the same sinks: what two worker processes
    # share (the embedded run's own worker lock is not taken: nothing calls run() on both).
    config = load_config(config_path)
    first, second = EmbeddedDeployment(config), EmbeddedDeployment(config)
    return first, second


def test_the_same_request_on_two_workers_deletes_and_audits_each_record_once(two_workers):
    first, second = two_workers
    try:
        db = first.config.base_dir / "chat.db"
        for raw in kari_chats(db, 1000, ROWS):
            first.publish(TOPIC_CHANGES, raw)
        first.run(until_idle=True)
        request = ErasureRequest(
            request_id="both", subject=SubjectIdentifiers(emails=[KARI["email"]]), systems=["chat"]
        )
        raw = request.to_json()
        barrier = threading.Barrier(2)
        errors: list[BaseException] = []

        def handle(worker: EmbeddedDeployment) -> None:
            barrier.wait()
            try:
                worker.processor.on_erasure_request(raw)
            except BaseException as exc:  # noqa: BLE001 - reported below
                errors.append(exc)

        threads = [threading.Thread(target=handle, args=(w,)) for w in (first, second)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(300)
        assert errors == []
        with sqlite3.connect(db) as conn:
            left = conn.execute("select count(*) from messages where id >= 1000").fetchone()[0]
        assert left == 0
        deleted = Counter(
            e["record_id"]
            for e in first.stores.audit.entries("both")
            if e["kind"] == "erasure.deleted"
        )
        assert set(deleted) >= {str(i) for i in range(1000, 1000 + ROWS)}
        assert max(deleted.values()) == 1, deleted.most_common(3)
        assert first.stores.audit.verify().ok
    finally:
        first.close()
        second.close()


def test_an_erasure_and_another_workers_resurrection_guard_delete_each_record_once(two_workers):
    first, second = two_workers
    try:
        db = first.config.base_dir / "chat.db"
        changes = kari_chats(db, 1000, ROWS)
        for raw in changes:
            first.publish(TOPIC_CHANGES, raw)
        first.run(until_idle=True)
        request = ErasureRequest(
            request_id="guarded", subject=SubjectIdentifiers(emails=[KARI["email"]])
        )
        barrier = threading.Barrier(2)
        errors: list[BaseException] = []

        def erase() -> None:
            barrier.wait()
            try:
                first.processor.on_erasure_request(request.to_json())
            except BaseException as exc:  # noqa: BLE001 - reported below
                errors.append(exc)

        def replay() -> None:  # the same changes delivered again to the other worker
            barrier.wait()
            try:
                for n in range(0, ROWS, 10):
                    second.processor.handle_batch(TOPIC_CHANGES, changes[n : n + 10])
            except BaseException as exc:  # noqa: BLE001 - reported below
                errors.append(exc)

        threads = [threading.Thread(target=erase), threading.Thread(target=replay)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(300)
        assert errors == []
        entries = first.stores.audit.entries()
        deleted = Counter(
            e["record_id"]
            for e in entries
            if e["kind"] == "erasure.deleted"
            or (e["kind"] == "resurrection" and e["detail"].get("effect") == "deleted")
        )
        assert set(deleted) >= {str(i) for i in range(1000, 1000 + ROWS)}
        assert max(deleted.values()) == 1, deleted.most_common(3)
    finally:
        first.close()
        second.close()


def test_a_run_killed_between_its_audit_entry_and_its_outcome_is_audited_once(two_workers):
    worker, other = two_workers
    other.close()
    try:
        db = worker.config.base_dir / "chat.db"
        for raw in kari_chats(db, 1000, 3):
            worker.publish(TOPIC_CHANGES, raw)
        worker.run(until_idle=True)
        # What the killed run left: the location started, the record gone, the entry written.
        worker.stores.state.outcomes.start("killed", "chat", "message", "1001")
        with sqlite3.connect(db) as conn:
            conn.execute("delete from messages where id = 1001")
        worker.stores.audit.append(
            "erasure.deleted", request_id="killed", system="chat", record_id="1001"
        )
        request = ErasureRequest(
            request_id="killed", subject=SubjectIdentifiers(emails=[KARI["email"]])
        )
        worker.processor.on_erasure_request(request.to_json())
        deleted = Counter(
            e["record_id"]
            for e in worker.stores.audit.entries("killed")
            if e["kind"] == "erasure.deleted"
        )
        assert deleted == {"1000": 1, "1001": 1, "1002": 1}
        outcome = worker.stores.state.outcomes.get("killed", "chat", "1001")
        assert outcome is not None and outcome.action == "deleted" and outcome.verified
    finally:
        worker.close()
