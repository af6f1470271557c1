"""Fixtures shared by the CLI tests."""

from __future__ import annotations

from pathlib import Path

import pytest
from cli_runner import run
from company import build


@pytest.fixture
def world(tmp_path: Path) -> Path:
    """The test company, its change events published and worked through by the CLI; returns
    the config path."""
    config, events = build(tmp_path / "w")
    changes = tmp_path / "changes.jsonl"
    changes.write_bytes(b"\n".join(raw for _, raw in events) + b"\n")
    assert run("publish", str(changes), "--config", str(config)).exit_code == 0
    assert run("run", "--until-idle", "--config", str(config)).exit_code == 0
    return config
