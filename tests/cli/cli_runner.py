"""The `glemsel` command line as the CLI tests type it (typer's runner, same process)."""

from __future__ import annotations

from click.testing import Result
from glemsel.pipeline.interfaces.cli import app
from typer.testing import CliRunner

runner = CliRunner()


def run(*args: str, stdin: str | None = None) -> Result:
    return runner.invoke(app, list(args), input=stdin)
