"""The poison-pill guard: an event that kills the worker (here it SIGKILLs itself, as on an
out-of-memory kill or a segfault in a parser) is dead-lettered after ``limits.max_attempts``
deaths, its offset committed, and every other event indexed. Both modes, `glemsel run` as a
real process; the distributed one on the real Kafka, Elasticsearch and PostgreSQL.

The kill comes from tests/faults/poison_hook/sitecustomize.py, active only in the workers
started here (its directory on PYTHONPATH, the marker in GLEMSEL_TEST_POISON_MARKER).
"""

from __future__ import annotations

import base64
import os
import signal
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
from company import KARI, add_chats, build
from glemsel.pipeline.core.config import Config, load_config
from glemsel.pipeline.core.events import TOPIC_CHANGES, DeadLetter, SubjectIdentifiers
from glemsel.pipeline.runtime.deployment import Deployment
from glemsel.pipeline.stores.attempts import AttemptStore
from services import ROOT, make_distributed, pg_state_url

HOOK = Path(__file__).parent / "poison_hook"


def _chats(config: Config, n: int, poison_at: int, marker: str) -> list[bytes]:
    """n chat messages naming Kari's e-mail; the one at ``poison_at`` carries the marker."""
    texts = (
        (i, f"hei, {KARI['email']} her" + (f" {marker}" if i == 1000 + poison_at else ""))
        for i in range(1000, 1000 + n)
    )
    return add_chats(config.base_dir / "chat.db", texts, record_id=lambda i: f"p{i - 1000}")


def _run_until_survived(config_path: Path, marker: str, log: Path, most: int) -> list[int]:
    """`glemsel run --until-idle` again and again (a supervisor restarting the worker) until
    a run ends by itself; the exit codes of the runs."""
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join([str(HOOK), os.environ.get("PYTHONPATH", "")]),
        "GLEMSEL_TEST_POISON_MARKER": marker,
    }
    codes: list[int] = []
    for _ in range(most):
        with log.open("ab") as out:
            done = subprocess.run(
                [sys.executable, "-m", "glemsel.pipeline", "run", "--until-idle"]
                + ["--config", str(config_path)],
                stdout=out,
                stderr=subprocess.STDOUT,
                cwd=ROOT,
                env=env,
                timeout=600,
                check=False,
            )
        codes.append(done.returncode)
        if done.returncode != -signal.SIGKILL:
            break
    return codes


def _check(deployment: Deployment, n: int, poison_at: int, marker: str, limit: int) -> None:
    letters: list[DeadLetter] = deployment.dead_letters()
    assert len(letters) == 1, [x.error for x in letters]
    [letter] = letters
    assert letter.stage == "attempts"
    assert f"limits.max_attempts={limit}" in letter.error
    assert marker not in letter.error and KARI["email"] not in letter.error  # never values
    assert marker.encode() in base64.b64decode(letter.original)  # kept whole, to replay
    index = deployment.stores.index
    index.refresh()
    hashes = index.expand_subject(
        deployment.stores.hasher.subject(SubjectIdentifiers(emails=[KARI["email"]]))
    )
    chats = sorted(loc.record_id for loc in index.locations(hashes) if loc.system == "chat")
    # Every neighbour once; the poison pill never got through.
    assert chats == sorted(f"p{i}" for i in range(n) if i != poison_at)


def test_embedded_worker_killed_by_an_event_dead_letters_it(tmp_path: Path) -> None:
    from glemsel.pipeline.runtime.embedded import EmbeddedDeployment

    config_path, _ = build(tmp_path)
    config = load_config(config_path)
    marker = f"GIFTPILLE-{uuid.uuid4().hex}"
    n, poison_at = 40, 17
    app = EmbeddedDeployment(config)
    for raw in _chats(config, n, poison_at, marker):
        app.publish(TOPIC_CHANGES, raw)
    app.close()

    codes = _run_until_survived(config_path, marker, tmp_path / "worker.log", most=6)
    limit = config.limits.max_attempts  # the default: 3
    # Killed in its batch once, then alone until the limit; the next run dead-letters it.
    assert codes == [-signal.SIGKILL] * limit + [0], (tmp_path / "worker.log").read_text()
    app = EmbeddedDeployment(load_config(config_path))
    try:
        _check(app, n, poison_at, marker, limit)
        assert app.pending() == 0  # the offset is committed past it
        assert AttemptStore(app.stores.state.engine).recorded() == []  # cleared when done
    finally:
        app.close()


@pytest.mark.distributed
def test_distributed_worker_killed_by_an_event_dead_letters_it(tmp_path: Path, endpoints) -> None:
    from elasticsearch import Elasticsearch
    from glemsel.pipeline.runtime.distributed import DistributedDeployment

    config_path, _ = build(tmp_path)
    tag = uuid.uuid4().hex[:10]
    limit = 2  # configured: fewer restarts of a distributed worker to wait for
    marker = f"GIFTPILLE-{uuid.uuid4().hex}"
    n, poison_at = 60, 23
    with pg_state_url(endpoints, f"pp{tag}") as state_url:
        # PostgreSQL state, as deployed (the attempts are counted there), if there is one
        make_distributed(
            config_path,
            endpoints,
            f"pp{tag}",
            4,
            state_url,
            kafka={"session_timeout": 6},  # a killed member leaves the group within seconds
            limits={"max_attempts": limit},
        )
        deployment = DistributedDeployment(load_config(config_path))
        try:
            for event in _chats(deployment.config, n, poison_at, marker):
                deployment.publish(TOPIC_CHANGES, event)
            deployment.flush()
            codes = _run_until_survived(config_path, marker, tmp_path / "worker.log", most=5)
            assert codes[-1] == 0, (tmp_path / "worker.log").read_text()[-3000:]
            assert 1 <= codes.count(-signal.SIGKILL) <= limit
            _check(deployment, n, poison_at, marker, limit)
        finally:
            deployment.close()
            es = Elasticsearch(endpoints.elasticsearch)
            es.options(ignore_status=404).indices.delete(index=f"glemsel-pp{tag}-*")
            es.close()
