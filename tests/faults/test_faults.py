"""Fault tests on the real services: SIGKILLed workers and an Elasticsearch outage.

The worker runs as its own process (`python -m pipeline run`), exactly as deployed.
"""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
import uuid
from collections import Counter
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
import yaml
from company import KARI, build, kari_chats
from glemsel.pipeline.core.config import Config, load_config
from glemsel.pipeline.core.events import (
    TOPIC_CHANGES,
    TOPIC_ERASURE_REQUESTS,
    TOPIC_LEGAL_HOLDS,
    ErasureRequest,
    LegalHold,
    RecordRef,
    SubjectIdentifiers,
)
from services import ROOT, make_distributed, pg_state_url

if TYPE_CHECKING:
    from glemsel.pipeline.runtime.distributed import DistributedDeployment

pytestmark = pytest.mark.distributed


@pytest.fixture
def setup(tmp_path: Path, endpoints) -> Iterator[tuple[Path, DistributedDeployment]]:
    config_path, _ = build(tmp_path)
    tag = uuid.uuid4().hex[:10]
    with pg_state_url(endpoints, tag) as state_url:
        # CI: the workers share PostgreSQL state, as deployed
        make_distributed(config_path, endpoints, f"f{tag}", 4, state_url)
        from glemsel.pipeline.runtime.distributed import DistributedDeployment

        deployment = DistributedDeployment(load_config(config_path))
        yield config_path, deployment
        deployment.close()
    es = _elasticsearch(endpoints.elasticsearch)
    for name in (f"glemsel-f{tag}-{s}" for s in ("locations", "subjects", "names")):
        es.options(ignore_status=404).indices.delete(index=name)
    es.close()


def _chat_rows(config: Config, n: int, start: int = 1000) -> list[bytes]:
    """n chat messages, each naming Kari's e-mail and a distinct phone number."""
    return kari_chats(config.base_dir / "chat.db", start, n)


def _worker(config_path: Path, log: Path) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "glemsel.pipeline", "run", "--config", str(config_path)],
        stdout=log.open("ab"),
        stderr=subprocess.STDOUT,
        cwd=ROOT,
    )


def _wait_for(condition: Callable[[], bool], timeout: float, what: str, poll: float = 0.2) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(poll)
    raise AssertionError(f"timed out waiting for {what}")


def _indexed(deployment: DistributedDeployment) -> int:
    return deployment.stores.index.counts().get("locations", 0)


def test_worker_killed_mid_ingest_loses_nothing(setup, tmp_path: Path) -> None:
    config_path, deployment = setup
    # Enough events that the worker is still busy for seconds after its first batch became
    # searchable (a batch is up to 500 events, and the index shows it after a refresh): with
    # 1,500 a fast worker had finished before the poll saw anything.
    total = 6000
    events = _chat_rows(deployment.config, total)
    for raw in events:
        deployment.publish(TOPIC_CHANGES, raw)
    deployment.publisher.flush()
    worker = _worker(config_path, tmp_path / "worker.log")
    try:
        _wait_for(lambda: _indexed(deployment) >= 1, 180, "ingest to start", poll=0.05)
        os.kill(worker.pid, signal.SIGKILL)
    finally:
        worker.wait(30)
    assert _indexed(deployment) < total, "killed too late to test anything"
    deployment.run(until_idle=True)
    result = deployment.stores.index.locations(
        deployment.stores.index.expand_subject(
            deployment.stores.hasher.subject(SubjectIdentifiers(emails=[KARI["email"]]))
        )
    )
    ids = [loc.record_id for loc in result if loc.system == "chat"]
    assert len(ids) == len(set(ids)) == total
    assert all(len(loc.findings) == 1 for loc in result if loc.system == "chat")
    assert deployment.dead_letters() == []


def test_worker_killed_mid_erasure_ends_consistent(setup, tmp_path: Path) -> None:
    config_path, deployment = setup
    for raw in _chat_rows(deployment.config, 400):
        deployment.publish(TOPIC_CHANGES, raw)
    deployment.run(until_idle=True)
    request = ErasureRequest(
        request_id="kill-1", subject=SubjectIdentifiers(emails=[KARI["email"]])
    )
    deployment.publish(TOPIC_ERASURE_REQUESTS, request.to_json(), request.request_id)
    deployment.publisher.flush()
    chat_db = deployment.config.base_dir / "chat.db"

    def remaining() -> int:
        with sqlite3.connect(chat_db) as conn:
            return conn.execute("select count(*) from messages where id >= 1000").fetchone()[0]

    worker = _worker(config_path, tmp_path / "worker.log")
    try:
        _wait_for(lambda: remaining() <= 350, 180, "erasure to start")
        os.kill(worker.pid, signal.SIGKILL)
    finally:
        worker.wait(30)
    assert remaining() > 0, "killed too late to test anything"
    deployment.run(until_idle=True)
    assert remaining() == 0
    req = deployment.stores.state.requests.get("kill-1")
    outcomes = deployment.stores.state.outcomes.of_request("kill-1")
    assert req.status == "completed"
    keys = [(o.system, o.record_id) for o in outcomes]
    assert len(keys) == len(set(keys)) and sum(req.counts.values()) == len(outcomes)
    assert {o.action for o in outcomes if o.system == "chat"} == {"deleted"}
    assert all(o.verified for o in outcomes if o.action == "deleted")


def test_elasticsearch_outage_workers_back_off_and_catch_up(
    setup, tmp_path: Path, endpoints
) -> None:
    script = ROOT / "docker" / "local-services.sh"
    if endpoints.source != "local services":
        pytest.skip("stopping Elasticsearch needs the local services of docker/local-services.sh")
    config_path, deployment = setup
    first, second = _chat_rows(deployment.config, 300), _chat_rows(deployment.config, 300, 5000)
    worker = _worker(config_path, tmp_path / "worker.log")
    try:
        for raw in first:
            deployment.publish(TOPIC_CHANGES, raw)
        deployment.publisher.flush()
        _wait_for(lambda: _indexed(deployment) >= 100, 180, "ingest to start")
        subprocess.run(["bash", str(script), "stop-es"], check=True, timeout=120)
        try:
            for raw in second:  # events keep arriving while the index is away
                deployment.publish(TOPIC_CHANGES, raw)
            deployment.publisher.flush()
            time.sleep(30)
            assert worker.poll() is None, "the worker must ride out the outage"
        finally:
            subprocess.run(["bash", str(script), "start-es"], check=True, timeout=600)
        _wait_for(lambda: _indexed(deployment) >= 600, 300, "the worker to catch up")
    finally:
        worker.send_signal(signal.SIGTERM)
        worker.wait(60)
    assert _indexed(deployment) == 600
    assert deployment.dead_letters() == []


def _records(*ids: int) -> list[RecordRef]:
    return [RecordRef(system="chat", record_id=str(i)) for i in ids]


def test_two_workers_one_killed_mid_stream_nothing_lost_nothing_doubled(
    setup, tmp_path: Path
) -> None:
    """Two `glemsel run` processes share the partitions (and the PostgreSQL state in CI);
    one is SIGKILLed while changes, holds and a request are in flight. The other takes its
    partitions over: every record is erased once in effect, held ones are kept, the audit
    trail is one verifiable chain."""
    from glemsel.pipeline.runtime.faust_app import group_id
    from glemsel.pipeline.stores.kafka_bus import consumer_lag

    config_path, deployment = setup
    raw = yaml.safe_load(config_path.read_text())
    raw["kafka"]["session_timeout"] = 6  # the survivor takes over within seconds
    config_path.write_text(yaml.safe_dump(raw, allow_unicode=True))
    for event in _chat_rows(deployment.config, 1200):
        deployment.publish(TOPIC_CHANGES, event)
    deployment.publisher.flush()
    workers = [_worker(config_path, tmp_path / f"worker-{n}.log") for n in (1, 2)]
    state = deployment.stores.state
    kept = LegalHold(
        hold_id="keep", action="place", records=_records(*range(1000, 1005)), reason="tvist"
    )
    released = LegalHold(
        hold_id="later", action="place", records=_records(*range(1005, 1010)), reason="revisjon"
    )
    chat_db = deployment.config.base_dir / "chat.db"

    def remaining() -> set[int]:
        with sqlite3.connect(chat_db) as conn:
            return {r[0] for r in conn.execute("select id from messages where id >= 1000")}

    try:
        _wait_for(lambda: _indexed(deployment) >= 150, 240, "ingest to start")
        for hold in (kept, released):
            deployment.publish(TOPIC_LEGAL_HOLDS, hold.to_json(), hold.key)
        deployment.publisher.flush()
        # A worker joining took partitions while a batch was in flight: the batch then goes
        # event by event (the poison-pill guard), and the holds wait behind it.
        _wait_for(lambda: len(state.holds.active()) == 2, 300, "the holds to be placed")
        request = ErasureRequest(
            request_id="two-1", subject=SubjectIdentifiers(emails=[KARI["email"]]), systems=["chat"]
        )
        deployment.publish(TOPIC_ERASURE_REQUESTS, request.to_json(), request.request_id)
        deployment.publisher.flush()
        _wait_for(lambda: len(remaining()) <= 1150, 240, "the erasure to start")
        os.kill(workers[0].pid, signal.SIGKILL)
        workers[0].wait(30)
        assert len(remaining()) > 10, "killed too late to test anything"
        # More changes for the same person while one worker is gone: they must be erased too.
        for event in _chat_rows(deployment.config, 100, start=3000):
            deployment.publish(TOPIC_CHANGES, event)
        release = LegalHold(hold_id="later", action="release", placed_by="jurist")
        deployment.publish(TOPIC_LEGAL_HOLDS, release.to_json(), release.key)
        deployment.publisher.flush()
        _wait_for(lambda: remaining() == set(range(1000, 1005)), 300, "the survivor to finish")
        _wait_for(
            lambda: (
                consumer_lag(
                    deployment.config.kafka,
                    group_id(deployment),
                    {TOPIC_CHANGES, TOPIC_ERASURE_REQUESTS, TOPIC_LEGAL_HOLDS},
                )
                == 0
            ),
            120,
            "every event to be committed",
        )
    finally:
        for worker in workers:
            if worker.poll() is None:
                worker.send_signal(signal.SIGTERM)
                worker.wait(60)
    audit = deployment.stores.audit
    verified = audit.verify()
    assert verified.ok, verified
    entries = audit.entries()
    # Nothing doubled: no record deleted twice in effect, by the request or the guard.
    deleted = Counter(
        e["record_id"]
        for e in entries
        if e["kind"] == "erasure.deleted"
        or (e["kind"] == "resurrection" and e["detail"].get("effect") == "deleted")
    )
    assert deleted and max(deleted.values()) == 1, deleted.most_common(3)
    erased = {int(r) for r in deleted}
    # Nothing lost: every record but the five still held was deleted, the released ones too.
    assert erased == set(range(1005, 2200)) | set(range(3000, 3100))
    outcomes = state.outcomes.of_request("two-1")
    keys = [(o.system, o.record_id) for o in outcomes]
    assert len(keys) == len(set(keys))
    held = {o.record_id for o in outcomes if o.action == "held"}
    assert held == {str(i) for i in range(1000, 1005)}
    assert all(o.verified for o in outcomes if o.action == "deleted")
    # The workers' last writes are searchable after Elasticsearch's next refresh: this
    # process wrote nothing, so its search would not ask for one.
    deployment.stores.index.refresh()
    left = deployment.stores.index.locations(
        deployment.stores.index.expand_subject(
            deployment.stores.hasher.subject(SubjectIdentifiers(emails=[KARI["email"]]))
        )
    )
    assert {loc.record_id for loc in left if loc.system == "chat"} == {
        str(i) for i in range(1000, 1005)
    }
    assert deployment.dead_letters() == []


def _elasticsearch(url: str):
    # Imported here: the suite is collected (and its embedded half run) without the
    # distributed extra installed.
    from elasticsearch import Elasticsearch

    return Elasticsearch(url)
