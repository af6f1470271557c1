"""`glemsel publish` takes every line on its own; a dead letter that cannot be written stops
the worker before it commits; distributed commands exit 0 once the broker has them."""

from __future__ import annotations

import json
import uuid
from pathlib import Path

import pytest
import yaml
from company import KARI, build, chat_change
from glemsel.pipeline.core.config import load_config
from glemsel.pipeline.core.events import TOPIC_CHANGES, TOPIC_DLQ, WorkerStop
from glemsel.pipeline.interfaces.cli import app
from glemsel.pipeline.runtime.embedded import EmbeddedDeployment
from services import make_distributed
from typer.testing import CliRunner

runner = CliRunner()


def _change(i: int) -> str:
    return chat_change({"id": i, "text": f"ring {KARI['email']}"}).decode()


def test_a_bad_line_in_the_middle_does_not_stop_the_good_ones(tmp_path: Path) -> None:
    config, _ = build(tmp_path / "w")
    raw = yaml.safe_load(config.read_text())
    raw["limits"] = {"max_event_bytes": 64 * 1024}
    config.write_text(yaml.safe_dump(raw, allow_unicode=True))
    deep = "[" * 20_000 + "]" * 20_000  # RecursionError for json.loads
    too_big = json.dumps({"schema": "glemsel.change/1", "blob": "x" * 70_000})
    lines = [_change(1), deep, _change(2), too_big, "not json", _change(3)]
    source = tmp_path / "mixed.jsonl"
    source.write_text("\n".join(lines) + "\n")
    result = runner.invoke(app, ["publish", str(source), "--config", str(config)])
    assert result.exit_code == 1, result.output
    assert "line 4: not published: event of" in result.stderr
    assert "65,536 bytes (limits.max_event_bytes" in result.stderr
    assert "published 5 event(s)" in result.stderr
    assert runner.invoke(app, ["run", "--until-idle", "--config", str(config)]).exit_code == 0
    app_ = EmbeddedDeployment(load_config(config))
    letters = sorted(letter.error for letter in app_.dead_letters())
    assert letters == ["JSON nested too deeply", "not valid JSON"]
    assert app_.stores.index.record_hashes("chat", "3")  # the line after the bad ones
    app_.close()


def test_a_dead_letter_that_cannot_be_written_stops_the_worker_uncommitted(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    config, _ = build(tmp_path / "w")
    app_ = EmbeddedDeployment(load_config(config))
    app_.publish(TOPIC_CHANGES, _change(1).encode())
    app_.publish(TOPIC_CHANGES, b"not json")
    app_.publish(TOPIC_CHANGES, _change(2).encode())
    real = app_.bus.publish

    def full_disk(topic: str, value: bytes | None, key: str | None = None) -> int:
        if topic == TOPIC_DLQ:
            raise OSError(28, "No space left on device")
        return real(topic, value, key)

    monkeypatch.setattr(app_.bus, "publish", full_disk)
    with pytest.raises(WorkerStop, match="dead letter not written: OSError"):
        app_.run(until_idle=True)
    assert app_.pending() == 3  # nothing committed past the event
    monkeypatch.setattr(app_.bus, "publish", real)
    assert app_.run(until_idle=True) == 3
    assert [letter.error for letter in app_.dead_letters()] == ["not valid JSON"]
    app_.close()


@pytest.mark.distributed
def test_distributed_erase_exits_0_once_acknowledged_and_doctor_sees_es(
    tmp_path: Path, endpoints
) -> None:
    config, _ = build(tmp_path / "w")
    tag = uuid.uuid4().hex[:10]
    make_distributed(config, endpoints, f"c{tag}", 1)
    result = runner.invoke(
        app, ["erase", "--email", KARI["email"], "--request-id", "r-ack", "--config", str(config)]
    )
    assert result.exit_code == 0, result.output
    assert "r-ack submitted" in result.stdout
    doctor = runner.invoke(app, ["doctor", "--json", "--config", str(config)])
    checks = {c["name"]: c for c in json.loads(doctor.stdout)}
    assert checks["elasticsearch"]["ok"], checks["elasticsearch"]
    assert checks["elasticsearch"]["detail"].startswith("cluster ")
