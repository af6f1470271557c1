"""Real Kafka, Elasticsearch (and PostgreSQL) for the distributed tests, found in this order:

1. endpoints from the environment (GLEMSEL_KAFKA_BOOTSTRAP and GLEMSEL_ES_URL);
2. the local services of docker/local-services.sh (Maven Central artifacts, no Docker);
3. testcontainers, when a Docker engine answers;
4. none: the distributed tests skip with the reason, or fail when
   GLEMSEL_REQUIRE_DISTRIBUTED=1 (CI), so that a skipped suite never passes for a green one.

The state of the distributed tests (requests, holds, outcomes, audit) is PostgreSQL when
GLEMSEL_STATE_URL is set when the tests start or the local services provide it, each test
in its own schema (``pg_state_url``); else SQLite files, as before.
"""

from __future__ import annotations

import os
import subprocess
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
import yaml

from bench.scratch_schema import scratch_schema

if TYPE_CHECKING:
    from sqlalchemy.engine import Engine

ROOT = Path(__file__).resolve().parent.parent
# Read before the tests' own fixtures clear it (so that embedded tests never share a state).
STATE_URL = os.environ.get("GLEMSEL_STATE_URL")


@dataclass(frozen=True)
class Endpoints:
    kafka: str
    elasticsearch: str
    source: str
    state_url: str | None = None  # PostgreSQL for the distributed tests' state, if any


def _from_env() -> Endpoints | None:
    kafka, es = os.environ.get("GLEMSEL_KAFKA_BOOTSTRAP"), os.environ.get("GLEMSEL_ES_URL")
    if not (kafka and es):
        return None
    # The environment may name the local services themselves (CI exports their lines): then
    # the tests that stop and start a service through the script may do so.
    state = Path(os.environ.get("GLEMSEL_SERVICES_STATE", "/tmp/glemsel-services"))
    env_file = state / "env.sh"
    local = env_file.exists() and f"GLEMSEL_ES_URL={es}" in env_file.read_text()
    return Endpoints(kafka, es, "local services" if local else "environment", STATE_URL)


def _from_local_services() -> Endpoints | None:
    script = ROOT / "docker" / "local-services.sh"
    if not script.exists() or os.environ.get("GLEMSEL_LOCAL_SERVICES") == "0":
        return None
    result = subprocess.run(
        ["bash", str(script), "start"], capture_output=True, text=True, timeout=1500, check=False
    )
    if result.returncode != 0:
        return None
    env = dict(
        line.removeprefix("export ").split("=", 1)
        for line in result.stdout.splitlines()
        if line.startswith("export ")
    )
    kafka, es = env.get("GLEMSEL_KAFKA_BOOTSTRAP"), env.get("GLEMSEL_ES_URL")
    state = STATE_URL or env.get("GLEMSEL_STATE_URL")
    return Endpoints(kafka, es, "local services", state) if kafka and es else None


def _from_testcontainers() -> Endpoints | None:  # pragma: no cover - needs a Docker engine
    try:
        from testcontainers.elasticsearch import ElasticSearchContainer
        from testcontainers.kafka import KafkaContainer

        import docker

        docker.from_env().ping()
    except Exception:
        return None
    kafka = KafkaContainer("apache/kafka:4.1.0").with_kraft()
    es = ElasticSearchContainer(
        "docker.elastic.co/elasticsearch/elasticsearch:9.2.4", mem_limit="2G"
    )
    kafka.start()
    es.start()
    return Endpoints(kafka.get_bootstrap_server(), es.get_url(), "testcontainers")


def find_endpoints() -> Endpoints:
    for source in (_from_env, _from_local_services, _from_testcontainers):
        if found := source():
            return found
    reason = (
        "no Kafka/Elasticsearch: set GLEMSEL_KAFKA_BOOTSTRAP and GLEMSEL_ES_URL, run "
        "`bash docker/local-services.sh start`, or start a Docker engine"
    )
    if os.environ.get("GLEMSEL_REQUIRE_DISTRIBUTED") == "1":
        pytest.fail(reason)
    pytest.skip(reason)


@contextmanager
def pg_state_url(endpoints: Endpoints, tag: str) -> Iterator[str | None]:
    """A state URL of its own for one test: a fresh PostgreSQL schema, dropped afterwards;
    None when the tests run without PostgreSQL (the state is then SQLite in the test dir)."""
    if not endpoints.state_url:
        yield None
        return
    with scratch_schema(endpoints.state_url, f"t_{tag}") as url:
        yield url


@contextmanager
def pg_engine(endpoints: Endpoints) -> Iterator[Engine]:
    """An engine on a fresh PostgreSQL schema of its own, dropped afterwards; the test is
    skipped without PostgreSQL (fails instead when it must run, see find_endpoints)."""
    if not endpoints.state_url:
        pytest.skip("no PostgreSQL: set GLEMSEL_STATE_URL or run docker/local-services.sh")
    with pg_state_url(endpoints, uuid.uuid4().hex[:10]) as url:
        assert url
        from glemsel.pipeline.stores.schema import sql_url
        from sqlalchemy import create_engine

        engine = create_engine(sql_url(url))
        try:
            yield engine
        finally:
            engine.dispose()


def make_distributed(
    config_path: Path,
    endpoints: Endpoints,
    prefix: str,
    partitions: int,
    state_url: str | None = None,
    **settings: Any,
) -> None:
    """Rewrite the config at ``config_path`` for the distributed deployment on ``endpoints``
    under names of its own (``prefix``: Kafka topics and consumer group, Elasticsearch
    indices), so that tests never see each other; with ``state_url`` if there is one, and
    further top-level ``settings`` (those under "kafka" join the Kafka settings)."""
    raw = yaml.safe_load(config_path.read_text())
    kafka = {"bootstrap": endpoints.kafka, "topic_prefix": f"{prefix}.", "partitions": partitions}
    raw |= {
        "mode": "distributed",
        "kafka": kafka | settings.pop("kafka", {}),
        "elasticsearch": {"url": endpoints.elasticsearch, "index_prefix": f"glemsel-{prefix}"},
    }
    raw |= settings
    if state_url:
        raw["state_url"] = state_url
    config_path.write_text(yaml.safe_dump(raw, allow_unicode=True))


def state_as_version_4(engine: Engine) -> None:
    """Turn a current state database (SQLite or PostgreSQL) into one as the release before
    stored retries left it: no attempts columns, schema version 4, one failed outcome."""
    from sqlalchemy import text

    with engine.begin() as conn:
        conn.execute(text("ALTER TABLE outcomes DROP COLUMN attempts"))
        conn.execute(text("ALTER TABLE outcomes DROP COLUMN next_attempt_at"))
        conn.execute(text("UPDATE glemsel_schema SET version = 4 WHERE component = 'state'"))
        conn.execute(
            text(
                "INSERT INTO outcomes (request_id, system, record_id, record_type, action, "
                "reason, verified, ts) VALUES ('r', 'crm', '1', 'contact', 'failed', "
                "'ConnectionError in crm sink', :verified, '2026-01-01T00:00:00+00:00')"
            ),
            {"verified": False},  # a boolean in PostgreSQL, 0 in SQLite
        )


@dataclass(frozen=True)
class Imap:
    host: str
    port: int  # IMAP, STARTTLS offered
    ssl_port: int  # IMAPS
    user: str
    password: str
    ca_file: str


def imap_sink(server: Imap, mailbox: str) -> dict[str, Any]:
    """The sink settings for ``mailbox`` on ``server`` over IMAPS, the password from
    GLEMSEL_TEST_IMAP_PASSWORD."""
    return {
        "kind": "imap",
        "host": server.host,
        "port": server.ssl_port,
        "ssl": True,
        "user": server.user,
        "password_env": "GLEMSEL_TEST_IMAP_PASSWORD",
        "mailbox": mailbox,
        "ca_file": server.ca_file,
    }


def find_imap() -> Imap:
    """The real Dovecot of docker/local-services.sh (GLEMSEL_IMAP_* from the environment, or
    started here); skips without one, or fails when GLEMSEL_REQUIRE_DISTRIBUTED=1."""
    env = dict(os.environ)
    if not env.get("GLEMSEL_IMAP_HOST"):
        script = ROOT / "docker" / "local-services.sh"
        if script.exists() and os.environ.get("GLEMSEL_LOCAL_SERVICES") != "0":
            result = subprocess.run(
                ["bash", str(script), "start-imap"],
                capture_output=True,
                text=True,
                timeout=600,
                check=False,
            )
            if result.returncode == 0:
                env.update(
                    line.removeprefix("export ").split("=", 1)
                    for line in result.stdout.splitlines()
                    if line.startswith("export ")
                )
    if env.get("GLEMSEL_IMAP_HOST"):
        return Imap(
            env["GLEMSEL_IMAP_HOST"],
            int(env["GLEMSEL_IMAP_PORT"]),
            int(env["GLEMSEL_IMAP_SSL_PORT"]),
            env["GLEMSEL_IMAP_USER"],
            env["GLEMSEL_IMAP_PASSWORD"],
            env["GLEMSEL_IMAP_CA_FILE"],
        )
    reason = "no IMAP server: run `bash docker/local-services.sh start-imap`"
    if os.environ.get("GLEMSEL_REQUIRE_DISTRIBUTED") == "1":
        pytest.fail(reason)
    pytest.skip(reason)
