"""The `glemsel` command line, as a user types it (typer's runner, same process)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from cli_runner import run
from company import KARI, build


def test_demo_runs_end_to_end(tmp_path: Path) -> None:
    result = run("demo", "--dir", str(tmp_path / "demo"))
    assert result.exit_code == 0, result.output
    assert "demo completed" in result.output
    assert "partially_held" in result.output and "completed" in result.output
    assert KARI["fnr"] not in result.output and KARI["email"] not in result.output


def test_detect_jsonl_contract() -> None:
    lines = [{"id": "a", "text": "Ring meg på +47 912 34 567"}, {"id": "b", "text": "ingenting"}]
    result = run("detect", "--jsonl", stdin="\n".join(json.dumps(x) for x in lines) + "\n")
    assert result.exit_code == 0, result.output
    out = [json.loads(line) for line in result.stdout.splitlines()]
    assert [o["id"] for o in out] == ["a", "b"]
    [phone] = out[0]["entities"]
    assert phone["type"] == "PHONE_NUMBER"
    assert lines[0]["text"][phone["start"] : phone["end"]] == "+47 912 34 567"
    assert out[1]["entities"] == []


def test_detect_jsonl_bad_line_keeps_order_and_fails() -> None:
    result = run("detect", "--jsonl", stdin='not json\n{"id": "x", "text": "hei"}\n')
    assert result.exit_code == 1
    out = [json.loads(line) for line in result.stdout.splitlines()]
    assert "line 1" in out[0]["error"] and out[1]["id"] == "x"


def test_search_erase_status_audit(world: Path) -> None:
    cfg = str(world)
    found = json.loads(run("search", "--email", KARI["email"], "--json", "--config", cfg).stdout)
    assert {"crm", "support", "mail", "chat", "orders"} <= set(found["systems"])
    assert (
        run(
            "hold",
            "place",
            "--system",
            "support",
            "--reason",
            "tvist",
            "--hold-id",
            "h1",
            "--config",
            cfg,
        ).exit_code
        == 0
    )
    erased = run("erase", "--fnr", KARI["fnr"], "--request-id", "r1", "--json", "--config", cfg)
    assert json.loads(erased.stdout)["status"] == "partially_held"
    assert run("hold", "release", "h1", "--config", cfg).exit_code == 0
    status = json.loads(run("status", "r1", "--json", "--config", cfg).stdout)
    assert status["status"] == "completed" and status["days_left"] >= 27
    listed = json.loads(run("requests", "--json", "--config", cfg).stdout)
    assert listed[0]["request_id"] == "r1" and listed[0]["overdue"] is False
    extended = run("extend", "r1", "--reason", "komplekst", "--config", cfg)
    assert extended.exit_code == 0
    assert run("extend", "r1", "--reason", "igjen", "--config", cfg).exit_code == 1
    verify = json.loads(run("audit", "verify", "--json", "--config", cfg).stdout)
    assert verify["ok"] and verify["entries"] > 5
    holds = json.loads(run("hold", "list", "--json", "--config", cfg).stdout)
    assert holds[0]["hold_id"] == "h1" and holds[0]["active"] is False


def test_dead_letters_command(world: Path, tmp_path: Path) -> None:
    bad = tmp_path / "bad.jsonl"
    bad.write_text("not json\n")
    run("publish", str(bad), "--config", str(world))
    run("run", "--until-idle", "--config", str(world))
    letters = json.loads(run("dead-letters", "--json", "--config", str(world)).stdout)
    assert [x["error"] for x in letters] == ["not valid JSON"]

    # Replayed, the original goes through the worker again (and fails again, for its reason).
    replayed = run("dead-letters", "--replay", "--stage", "ingest", "--config", str(world))
    assert replayed.exit_code == 0 and "published 1 dead letter(s) again" in replayed.stderr
    none = run("dead-letters", "--replay", "--stage", "index", "--config", str(world))
    assert "published 0 dead letter(s) again" in none.stderr
    run("run", "--until-idle", "--config", str(world))
    letters = json.loads(run("dead-letters", "--json", "--config", str(world)).stdout)
    assert [x["original"] for x in letters] == [letters[0]["original"]] * 2


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["search", "--config", "/nonexistent.yaml", "--email", "a@b.no"], "cannot read config"),
        (["search", "--email", "a@b.no"], "no configuration"),
        (["publish", "x", "--kind", "nope", "--config", "/x.yaml"], "--kind must be one of"),
    ],
)
def test_clear_one_line_errors(args: list[str], message: str) -> None:
    result = run(*args)
    assert result.exit_code == 2
    assert message in result.output
    assert "Traceback" not in result.output


def test_refuses_to_run_without_hmac_key(tmp_path: Path) -> None:
    config, _ = build(tmp_path / "w")
    text = config.read_text().replace("hmac_key_file: secrets/hmac.key\n", "")
    config.write_text(text)
    result = run("search", "--email", "a@b.no", "--config", str(config))
    assert result.exit_code == 2 and "no HMAC key" in result.output


def test_doctor_reports_what_is_wrong_and_how_to_fix(tmp_path: Path) -> None:
    config, _ = build(tmp_path / "w")
    result = run("doctor", "--json", "--config", str(config))
    checks = {c["name"]: c for c in json.loads(result.stdout)}
    assert checks["hmac key"]["ok"] and checks["sink crm (sql)"]["ok"]
    assert checks["audit chain"]["ok"]
    assert not checks["api tokens"]["ok"] and "api.tokens" in checks["api tokens"]["fix"]
    assert result.exit_code == 1
    (tmp_path / "w" / "secrets" / "hmac.key").unlink()
    broken = json.loads(run("doctor", "--json", "--config", str(config)).stdout)
    key = next(c for c in broken if c["name"] == "hmac key")
    assert not key["ok"] and "GLEMSEL_HMAC_KEY" in key["fix"]
