"""Clear CLI errors for holds (issue 9, item 11): an unknown system, an id that breaks URLs."""

from __future__ import annotations

from pathlib import Path

import pytest
from company import build
from glemsel.pipeline.interfaces.cli import app
from typer.testing import CliRunner

runner = CliRunner()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--system", "nope"], "unknown systems: nope"),
        (["--record", "nope:1"], "unknown systems: nope"),
        (["--system", "crm", "--hold-id", "a/b"], "a hold id is"),
    ],
)
def test_hold_place_refuses_with_a_clear_error(tmp_path: Path, args, message) -> None:
    config, _ = build(tmp_path / "w")
    result = runner.invoke(
        app, ["hold", "place", "--reason", "tvist", *args, "--config", str(config)]
    )
    assert result.exit_code != 0 and message in result.output, result.output
    assert "Traceback" not in result.output
    listed = runner.invoke(app, ["hold", "list", "--json", "--config", str(config)])
    assert listed.stdout.strip() == "[]"
