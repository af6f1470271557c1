"""Backfill of existing data: snapshot events through the normal pipeline, resumable."""

from __future__ import annotations

import sqlite3
import time
from pathlib import Path

import pytest
from company import build
from glemsel.pipeline.core.config import load_config
from glemsel.pipeline.core.events import SubjectIdentifiers
from glemsel.pipeline.interfaces.cli import app
from glemsel.pipeline.operations.backfill import backfill
from glemsel.pipeline.operations.search import search_subject
from glemsel.pipeline.runtime.embedded import EmbeddedDeployment
from glemsel.pipeline.stores.rows import Checkpoint
from typer.testing import CliRunner

ROWS = 1_200


@pytest.fixture
def deployment(tmp_path: Path):
    config_path, _ = build(tmp_path / "w")
    with sqlite3.connect(tmp_path / "w" / "support.db") as conn:
        conn.executemany(
            "insert into tickets values (?, ?, ?, ?)",
            [
                (
                    1000 + i,
                    "Gammel sak",
                    f"Kunden ringte fra 9{i:07d} om faktura.",
                    "2019-05-01T10:00:00+00:00",
                )
                for i in range(ROWS)
            ],
        )
    d = EmbeddedDeployment(load_config(config_path))
    yield d
    d.close()


def _found(deployment, phone: str) -> set[str]:
    ids = SubjectIdentifiers(phones=[phone])
    result = search_subject(deployment.stores, ids, searched_by="test")
    return {loc["record_id"] for loc in result["locations"] if loc["system"] == "support"}


class Killed(BaseException):
    pass


def test_backfill_is_resumable_and_searchable(deployment) -> None:
    batches = []

    def die_after_two(n: int) -> None:
        batches.append(n)
        if len(batches) == 2:
            raise Killed

    with pytest.raises(Killed):
        backfill(deployment, "support", "ticket", batch=200, rate=None, progress=die_after_two)
    # Ordered by key: the demo's tickets 101 and 102, then 1000, 1001, …: 400th is 1397.
    assert deployment.stores.state.checkpoints.get("support") == Checkpoint("support", "1397", 400)

    result = backfill(deployment, "support", "ticket", batch=200, rate=None)
    assert result.resumed_after == "1397"
    assert result.published == ROWS + 2 - 400
    deployment.run(until_idle=True)
    assert _found(deployment, "90000007") == {"1007"}
    assert _found(deployment, f"9{ROWS - 1:07d}") == {str(1000 + ROWS - 1)}
    counts = deployment.stores.index.counts()
    assert counts["locations"] >= ROWS


def test_backfill_is_throttled(deployment) -> None:
    start = time.monotonic()
    result = backfill(deployment, "support", "ticket", batch=100, rate=2_000)
    assert result.published == ROWS + 2
    assert time.monotonic() - start >= (ROWS + 2) / 2_000 * 0.9


def test_backfill_command(deployment, tmp_path: Path) -> None:
    config = str(tmp_path / "w" / "glemsel.yaml")
    result = CliRunner().invoke(
        app, ["backfill", "--system", "support", "--rate", "0", "--config", config]
    )
    assert result.exit_code == 0, result.output
    assert f"published {ROWS + 2} snapshot event(s) of support" in result.output
    unknown = CliRunner().invoke(app, ["backfill", "--system", "nope", "--config", config])
    assert unknown.exit_code == 2 and "unknown system" in unknown.output
