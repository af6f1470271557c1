"""`glemsel audit head` and `verify --head`: the head exported by workers outside the state
store catches a cut-off tail, an emptied or dropped table and a chain rewritten with the key."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest
import yaml
from company import build
from glemsel.pipeline.interfaces.cli import app
from typer.testing import CliRunner

runner = CliRunner()


def run(*args: str):
    return runner.invoke(app, list(args))


@pytest.fixture
def world(tmp_path: Path) -> tuple[Path, Path]:
    config, events = build(tmp_path / "w")
    raw = yaml.safe_load(config.read_text())
    head_file = tmp_path / "elsewhere" / "audit-head.jsonl"
    raw["audit"] = {"head_file": str(head_file), "head_interval_seconds": 1}
    config.write_text(yaml.safe_dump(raw, allow_unicode=True))
    changes = tmp_path / "changes.jsonl"
    changes.write_bytes(b"\n".join(raw for _, raw in events) + b"\n")
    assert run("publish", str(changes), "--config", str(config)).exit_code == 0
    assert run("run", "--until-idle", "--config", str(config)).exit_code == 0
    erased = run("erase", "--fnr", "01019012345", "--request-id", "r1", "--config", str(config))
    assert erased.exit_code == 0, erased.output
    return config, head_file


def _audit_db(config: Path) -> Path:
    return config.parent / "state" / "audit.db"


def test_head_json_and_the_worker_export(world: tuple[Path, Path]) -> None:
    config, head_file = world
    head = json.loads(run("audit", "head", "--json", "--config", str(config)).stdout)
    assert set(head) == {"seq", "mac", "ts"} and head["seq"] > 1 and len(head["mac"]) == 64
    exported = [json.loads(line) for line in head_file.read_text().splitlines()]
    assert exported[-1] == head  # the worker's run ended by exporting the head it left
    assert head_file.stat().st_mode & 0o077 == 0
    plain = run("audit", "head", "--config", str(config)).stdout.strip()
    assert plain == f"{head['seq']}:{head['mac']}"
    ok = json.loads(run("audit", "verify", "--json", "--config", str(config)).stdout)
    assert ok["ok"] and ok["head"] == head["seq"]


@pytest.mark.parametrize(
    "tamper",
    [
        "delete from audit where seq = (select max(seq) from audit)",  # truncated tail
        "delete from audit",  # every entry deleted
        "drop table audit",
    ],
)
def test_verify_fails_when_the_chain_no_longer_reaches_the_head(
    world: tuple[Path, Path], tamper: str
) -> None:
    config, _ = world
    head = run("audit", "head", "--config", str(config)).stdout.strip()
    with sqlite3.connect(_audit_db(config)) as conn:
        conn.execute(tamper)
    by_default = run("audit", "verify", "--config", str(config))  # the exported head
    assert by_default.exit_code == 1 and "BROKEN" in by_default.stderr
    given = run("audit", "verify", "--head", head, "--json", "--config", str(config))
    assert given.exit_code == 1 and json.loads(given.stdout)["ok"] is False


def test_verify_head_takes_seq_colon_mac(world: tuple[Path, Path]) -> None:
    config, _ = world
    bad = run("audit", "verify", "--head", "7", "--config", str(config))
    assert bad.exit_code == 2 and "SEQ:MAC" in bad.stderr


@pytest.mark.distributed
def test_head_exported_to_a_kafka_topic(tmp_path: Path, endpoints, monkeypatch) -> None:
    """Distributed: the head goes to the configured topic and verify checks against it."""
    import uuid

    monkeypatch.delenv("GLEMSEL_STATE_URL", raising=False)  # this one tampers with SQLite
    from glemsel.pipeline.core.config import parse_config
    from glemsel.pipeline.runtime.embedded import state_engines
    from glemsel.pipeline.stores.audit_head import HeadExporter, exported_heads

    raw = {
        "hmac_key_file": None,
        "systems": {"crm": {"sink": {"kind": "sql", "url": "sqlite:///crm.db", "table": "t"}}},
        "kafka": {"bootstrap": endpoints.kafka, "topic_prefix": f"t{uuid.uuid4().hex[:8]}."},
        "audit": {"head_topic": "glemsel.audit.head"},
    }
    (tmp_path / "key").write_text("k" * 32)
    raw["hmac_key_file"] = str(tmp_path / "key")
    config = parse_config(raw, base_dir=tmp_path)
    _, audit = state_engines(config)
    exporter = HeadExporter(config, audit)
    for i in range(3):
        audit.append("erasure.deleted", request_id="r", system="crm", record_id=str(i))
    assert exporter.export() == audit.head()
    exporter.close()
    assert [h.seq for h in exported_heads(config)] == [3]
    assert audit.verify(exported_heads(config)).ok
    with sqlite3.connect(tmp_path / "state" / "audit.db") as conn:
        conn.execute("delete from audit where seq = 3")
    assert not audit.verify(exported_heads(config)).ok
