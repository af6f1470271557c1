"""Read-only commands (search, status, requests) load only what they use: no typer (their
own argparse parser, interfaces/queries.py), no detector, no Presidio, no Faust, no Kafka or
Elasticsearch client in embedded mode, no Processor, and on an embedded state that needs no
migration no SQLAlchemy at all (stores/sqlite_reads.py).
A functional property (what a command depends on), so it is asserted on the modules a fresh
interpreter holds after the command, not on time."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from company import KARI, published_world
from glemsel.pipeline.interfaces.cli import app
from typer.testing import CliRunner

runner = CliRunner()

# A prefix matches the module and its submodules.
FORBIDDEN = (
    "presidio_analyzer",
    "spacy",
    "faust",
    "kafka",
    "elasticsearch",
    "glemsel.detectors",
    "glemsel.pipeline.flow.processor",
    "glemsel.pipeline.runtime.deployment",
    "glemsel.pipeline.runtime.embedded",
    "glemsel.sinks.sql",
    "glemsel.sinks.maildir",
    "sqlalchemy",
    "glemsel.pipeline.flow",
    "glemsel.pipeline.operations.requests",
    "typer",
    "click",
)

# Runs the command as `glemsel` does (its entry point, in a fresh interpreter), then reports
# its exit code, its output and every forbidden module it loaded.
PROBE = """
import contextlib, io, json, sys
forbidden = tuple(json.loads(sys.argv[1]))
from glemsel.pipeline.interfaces.entry import main
out = io.StringIO()
code = 0
with contextlib.redirect_stdout(out):
    try:
        main(sys.argv[2:])
    except SystemExit as exc:
        code = exc.code or 0
loaded = sorted(
    m for m in sys.modules if any(m == f or m.startswith(f + ".") for f in forbidden)
)
print(json.dumps({"code": code, "out": out.getvalue(), "loaded": loaded}))
"""


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("read-only")
    return published_world(root, ["erase", "--email", KARI["email"], "--request-id", "r1"])


def _probe(args: list[str]) -> dict:
    done = subprocess.run(
        [sys.executable, "-c", PROBE, json.dumps(FORBIDDEN), *args],
        input="",
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    return json.loads(done.stdout.splitlines()[-1])


@pytest.mark.parametrize(
    ("args", "expect"),
    [
        (["search", "--email", KARI["email"]], "Locations"),
        (["search", "--fnr", KARI["fnr"], "--json"], '"systems"'),
        (["status", "r1"], "r1"),
        (["status", "r1", "--json"], '"request_id"'),
        (["requests"], "r1"),
        (["requests", "--json"], '"r1"'),
    ],
    ids=lambda v: " ".join(v) if isinstance(v, list) else None,
)
def test_read_only_command_loads_no_detector_and_no_other_mode(
    world: Path, args: list[str], expect: str
) -> None:
    result = _probe([*args, "--config", str(world)])
    assert result["code"] == 0, result["out"]
    assert expect in result["out"]  # the command ran its whole path
    assert result["loaded"] == []


def test_the_probe_sees_what_a_command_loads(world: Path) -> None:
    # The same probe after `detect` (which needs them) reports the detectors: the empty
    # lists above are a finding, not a probe that cannot see.
    result = _probe(["detect", "--jsonl"])
    assert result["code"] == 0
    assert any(m.startswith("glemsel.detectors") for m in result["loaded"])
    assert "typer" in result["loaded"]  # every other command is the typer app's


@pytest.mark.parametrize(
    "args",
    [
        ["search", "--email", KARI["email"], "--json"],
        ["status", "r1", "--json"],
        ["requests", "--json"],
    ],
    ids=" ".join,
)
def test_the_typer_app_hands_a_query_on_unchanged(world: Path, args: list[str]) -> None:
    # `glemsel --help` lists the queries through the typer app, and code that drives the app
    # (typer's runner) reaches them there: the same output as the entry point's own path.
    direct = _probe([*args, "--config", str(world)])
    through_app = runner.invoke(app, [*args, "--config", str(world)])
    assert through_app.exit_code == direct["code"] == 0, through_app.output
    assert json.loads(through_app.stdout) == json.loads(direct["out"])


def test_query_help_and_usage_errors_come_from_its_parser() -> None:
    listed = runner.invoke(app, ["--help"])
    assert all(name in listed.stdout for name in ("search", "status", "requests"))
    helped = runner.invoke(app, ["search", "--help"])
    assert helped.exit_code == 0 and "--fnr" in helped.stdout and "--email" in helped.stdout
    wrong = runner.invoke(app, ["status", "--no-such-option", "x"])
    assert wrong.exit_code == 2 and "--no-such-option" in wrong.stderr
