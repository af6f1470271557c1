"""The benchmarks run at a tiny size, so that they do not rot. No timing is asserted here:
speed targets live in the benchmarks themselves (bench/)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def _run(module: str, *args: str, env: dict[str, str] | None = None) -> str:
    result = subprocess.run(
        [sys.executable, "-m", module, *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
        env=env or {k: v for k, v in os.environ.items() if not k.startswith("GLEMSEL_")},
        check=False,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    return result.stdout


def test_backfill_bench_runs_embedded(tmp_path: Path) -> None:
    out = _run(
        "bench.backfill", "--records", "200", "--baseline", "50", "--modes", "embedded",
        "--json", str(tmp_path / "r.json"),
    )  # fmt: skip
    assert out.startswith("machine: ")
    (result,) = json.loads((tmp_path / "r.json").read_text())
    assert result["large"]["records"] == 200
    assert result["large"]["subjects"] == 201  # every contact a subject (and the warm-up)
    assert result["large"]["cpu_s"]


def test_e2e_bench_runs_embedded(tmp_path: Path) -> None:
    out = _run(
        "bench.e2e", "--events", "200", "--requests", "3", "--lookups", "20",
        "--findings", "2000", "--modes", "embedded", "--json", str(tmp_path / "r.json"),
    )  # fmt: skip
    assert out.startswith("machine: ")
    (result,) = json.loads((tmp_path / "r.json").read_text())
    assert result["events"] == 200
    assert result["findings_in_index"] >= 2000
    assert result["erasure_p95_s"] > 0


@pytest.mark.distributed
def test_e2e_bench_runs_distributed(tmp_path: Path, endpoints) -> None:
    env = dict(os.environ)
    env |= {"GLEMSEL_KAFKA_BOOTSTRAP": endpoints.kafka, "GLEMSEL_ES_URL": endpoints.elasticsearch}
    if endpoints.state_url:
        env["GLEMSEL_STATE_URL"] = endpoints.state_url
    _run(
        "bench.e2e", "--events", "200", "--requests", "2", "--lookups", "10",
        "--findings", "2000", "--modes", "distributed", "--workers", "1",
        "--json", str(tmp_path / "r.json"),
        env=env,
    )  # fmt: skip
    (result,) = json.loads((tmp_path / "r.json").read_text())
    assert result["events"] == 200


def test_sweep_bench_runs(tmp_path: Path) -> None:
    out = _run(
        "bench.sweep", "--sizes", "20,40", "--sweeps", "2", "--restart",
        "--json", str(tmp_path / "r.json"),
    )  # fmt: skip
    assert out.startswith("machine: ")
    small, large = json.loads((tmp_path / "r.json").read_text())
    assert (small["old_records"], large["old_records"]) == (20, 40)
    assert large["steady_reads"] == 0 and large["after_restart_reads"] == 0
