"""`glemsel doctor`: check configuration, key, sinks, Kafka and Elasticsearch; say how to fix."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from glemsel.pipeline.core.config import Config, ConfigError, load_config


@dataclass
class Check:
    name: str
    ok: bool
    detail: str
    fix: str = ""


def diagnose(config_path: str | Path | None) -> list[Check]:
    try:
        config = load_config(config_path)
    except ConfigError as exc:
        return [
            Check(
                "configuration",
                False,
                str(exc),
                "pass --config FILE or set GLEMSEL_CONFIG; see the README",
            )
        ]
    checks = [Check("configuration", True, f"{len(config.systems)} system(s), {config.mode}")]
    checks.extend(_run(name, probe, fix) for name, probe, fix in _probes(config))
    return checks


def _run(name: str, probe: Callable[[], str], fix: str) -> Check:
    try:
        return Check(name, True, probe())
    except Exception as exc:  # report every failure; the message names no personal data
        return Check(
            name,
            False,
            f"{type(exc).__name__}: {str(exc).splitlines()[0][:200]}"
            if str(exc)
            else type(exc).__name__,
            fix,
        )


def _probes(config: Config) -> Iterator[tuple[str, Callable[[], str], str]]:
    def key() -> str:
        config.hmac_key()
        return "present"

    yield (
        "hmac key",
        key,
        "write 32+ random bytes to hmac_key_file (e.g. "
        "`openssl rand -hex 32 > secrets/hmac.key`) or set GLEMSEL_HMAC_KEY",
    )

    def state() -> str:
        path = config.resolve(config.state_dir)
        path.mkdir(parents=True, exist_ok=True)
        probe = path / ".doctor"
        probe.write_text("ok")
        probe.unlink()
        return str(path)

    yield "state directory", state, "make state_dir writable for the user running glemsel"

    for name, system in config.systems.items():

        def sink(name: str = name) -> str:
            from glemsel.sinks import open_sink

            opened = open_sink(name, config.system(name).sink, config.base_dir)
            try:
                first = next(iter(opened.iter_records(batch=1)), None)
                return "reachable, " + ("has records" if first else "empty")
            finally:
                opened.close()

        yield (
            f"sink {name} ({system.sink.kind})",
            sink,
            "check the sink's url/table/path and that the key column exists",
        )

    if config.mode == "distributed":

        def kafka() -> str:
            from kafka import KafkaAdminClient

            admin = KafkaAdminClient(
                bootstrap_servers=config.kafka.bootstrap, request_timeout_ms=5000
            )
            try:
                return f"{len(admin.list_topics())} topic(s) at {config.kafka.bootstrap}"
            finally:
                admin.close()

        yield (
            "kafka",
            kafka,
            "start Kafka (docker compose up, or "
            "`bash docker/local-services.sh start`) and set GLEMSEL_KAFKA_BOOTSTRAP",
        )

        def elasticsearch() -> str:
            from elasticsearch import Elasticsearch

            es = Elasticsearch(config.elasticsearch.url, request_timeout=5)
            try:
                # _cluster/health, not GET /: every build answers it (the stripped local
                # build answers GET / with 405), and it says whether the index can be used.
                health = es.cluster.health()
                if health["status"] == "red":
                    raise RuntimeError(
                        f"cluster {health['cluster_name']} is red at {config.elasticsearch.url}"
                    )
                return (
                    f"cluster {health['cluster_name']} {health['status']}, "
                    f"{health['number_of_nodes']} node(s) at {config.elasticsearch.url}"
                )
            finally:
                es.close()

        yield ("elasticsearch", elasticsearch, "start Elasticsearch and set GLEMSEL_ES_URL")

    def audit() -> str:
        from glemsel.pipeline.runtime.stores import state_engines
        from glemsel.pipeline.stores.audit_head import exported_heads

        _, log = state_engines(config)
        result = log.verify(exported_heads(config))
        if not result.ok:
            raise RuntimeError(f"broken at entry {result.seq}: {result.problem}")
        return f"{result.entries} entries, chain intact"

    yield "audit chain", audit, "restore the audit database from backup and investigate"

    def api() -> str:
        if not config.api.tokens:
            raise RuntimeError("no api.tokens: `glemsel serve` would admit nobody")
        return ", ".join(sorted({t.role for t in config.api.tokens}))

    yield "api tokens", api, "add api.tokens entries (name, role, token of 16+ characters)"
