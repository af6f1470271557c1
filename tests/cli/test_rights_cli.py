"""`glemsel access`, `export`, `rectify`, `status --json` with kind, `publish --kind`."""

from __future__ import annotations

import json
from pathlib import Path

from cli_runner import run
from company import KARI


def test_access_status_and_export_in_both_formats(world: Path, tmp_path: Path) -> None:
    cfg = str(world)
    result = run("access", "--fnr", KARI["fnr"], "--request-id", "a-1", "--json", "--config", cfg)
    assert result.exit_code == 0, result.output
    status = json.loads(run("status", "a-1", "--json", "--config", cfg).stdout)
    assert status["kind"] == "access" and status["status"] == "completed"
    assert {o["action"] for o in status["outcomes"]} == {"exported"}
    assert KARI["fnr"] not in result.stdout, "status shows no raw identifier"

    out = tmp_path / "innsyn.json"
    result = run("export", "a-1", "--format", "json", "--out", str(out), "--config", cfg)
    assert result.exit_code == 0, result.output
    doc = json.loads(out.read_text())
    assert doc["schema"] == "glemsel.access-export/1"
    assert {s["system"] for s in doc["systems"]} == {"crm", "support", "mail", "chat", "orders"}
    assert oct(out.stat().st_mode)[-3:] == "600"
    html = run("export", "a-1", "--format", "html", "--config", cfg)
    assert html.exit_code == 0 and "Innsyn i personopplysninger" in html.stdout

    assert run("export", "nope", "--config", cfg).exit_code == 1
    assert run("export", "a-1", "--format", "pdf", "--config", cfg).exit_code == 2
    kinds = [e["kind"] for e in json.loads(run("audit", "show", "--json", "--config", cfg).stdout)]
    assert kinds.count("access.export") == 2


def test_rectify_and_publish_kinds(world: Path, tmp_path: Path) -> None:
    cfg = str(world)
    new = "+47 987 65 432"
    result = run(
        "rectify", "--fnr", KARI["fnr"], "--type", "PHONE_NUMBER", "--old", KARI["phone"],
        "--new", new, "--request-id", "r-1", "--json", "--config", cfg,
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    status = json.loads(run("status", "r-1", "--json", "--config", cfg).stdout)
    assert status["kind"] == "rectification" and status["status"] == "completed"
    assert {o["action"] for o in status["outcomes"]} == {"rectified"}
    assert run("search", "--phone", KARI["phone"], "--json", "--config", cfg).exit_code == 0
    gone = json.loads(run("search", "--phone", KARI["phone"], "--json", "--config", cfg).stdout)
    assert gone["locations"] == []
    assert run("rectify", "--fnr", KARI["fnr"], "--type", "PHONE_NUMBER", "--old", "1",
               "--config", cfg).exit_code == 2  # fmt: skip

    line = {
        "schema": "glemsel.access-request/1",
        "request_id": "a-2",
        "subject": {"emails": [KARI["email"]]},
    }
    feed = tmp_path / "access.jsonl"
    feed.write_text(json.dumps(line) + "\n")
    assert run("publish", "--kind", "access", str(feed), "--config", cfg).exit_code == 0
    fix = {
        "schema": "glemsel.rectification-request/1",
        "request_id": "r-2",
        "subject": {"emails": [KARI["email"]]},
        "corrections": [{"type": "PHONE_NUMBER", "old": new, "new": "+47 911 11 111"}],
    }
    feed.write_text(json.dumps(fix) + "\n")
    assert run("publish", "--kind", "rectification", str(feed), "--config", cfg).exit_code == 0
    assert run("run", "--until-idle", "--config", cfg).exit_code == 0
    listed = json.loads(run("requests", "--json", "--config", cfg).stdout)
    kinds = {r["request_id"]: r["kind"] for r in listed}
    assert kinds == {"r-1": "rectification", "a-2": "access", "r-2": "rectification"}
    assert all("deadline" in r and "overdue" in r for r in listed)
