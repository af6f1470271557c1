"""Start-up latency of the read-only commands: `glemsel --help`, `search`, `status`, `requests`.

    python -m bench.cli_latency [--runs 10] [--dir DIR] [--glemsel PATH]

Builds a small embedded state (the demo's systems, indexed, one erasure request), then runs
each command ``--runs`` times as a subprocess after one warm-up and prints the median wall
and CPU time (user + sys of the child, from ``os.wait4``). Target: under 0.5 s wall on an
idle core. A busy machine inflates wall time; CPU time says what the command itself costs.

``--glemsel``: the command to time, e.g. the ``glemsel`` script of a venv made with
``pip install .`` (what a user runs: no editable install's import hook); default this
interpreter's ``python -m glemsel.pipeline``. ``python -c pass`` is timed too, the floor
that no Python command goes below.

The children run without PYTHONDONTWRITEBYTECODE, as a user's shell does: with it, every run
compiles Glemsel's modules from source again, which no installed copy does.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

GLEMSEL = [sys.executable, "-m", "glemsel.pipeline"]


def _env() -> dict[str, str]:
    env = dict(os.environ)
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    return env


def build_state(root: Path, glemsel: list[str] = GLEMSEL) -> Path:
    """The demo's systems, published and indexed, and one erasure request ``r1``."""
    from glemsel.pipeline.interfaces.demo import KARI, build

    config, events = build(root)
    changes = root / "changes.jsonl"
    changes.write_bytes(b"\n".join(raw for _, raw in events) + b"\n")
    cfg = ["--config", str(config)]
    for args in (
        ["publish", str(changes)],
        ["run", "--until-idle"],
        ["erase", "--email", KARI["email"], "--request-id", "r1", "--json"],
    ):
        subprocess.run([*glemsel, *args, *cfg], check=True, capture_output=True, env=_env())
    return config


def measure(command: list[str], runs: int) -> tuple[float, float]:
    """Median wall and CPU seconds of ``command`` over ``runs`` runs (one warm-up)."""
    walls, cpus = [], []
    for i in range(runs + 1):
        start = time.perf_counter()
        child = subprocess.Popen(
            command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=_env()
        )
        _, status, usage = os.wait4(child.pid, 0)
        wall = time.perf_counter() - start
        if os.waitstatus_to_exitcode(status) != 0:
            raise SystemExit(f"{' '.join(command)} failed")
        if i:  # the first run writes the bytecode caches
            walls.append(wall)
            cpus.append(usage.ru_utime + usage.ru_stime)
    return statistics.median(walls), statistics.median(cpus)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument("--dir", type=Path, help="Where to build the state (default: temp).")
    parser.add_argument("--glemsel", help="The glemsel command to time (default: python -m).")
    opts = parser.parse_args()
    glemsel = [opts.glemsel] if opts.glemsel else GLEMSEL
    # The floor on the command's own interpreter (a pip-made script names it on line one).
    python = Path(opts.glemsel).read_text().split("\n", 1)[0][2:] if opts.glemsel else glemsel[0]
    root = opts.dir or Path(tempfile.mkdtemp(prefix="glemsel-cli-latency-"))
    try:
        config = build_state(root / "state", glemsel)
        cfg = ["--config", str(config)]
        commands = {
            "--help": ["--help"],
            "search --fnr": ["search", "--fnr", "15038512345", *cfg],
            "search --email --json": [
                "search",
                "--email",
                "kari.nordmann@example.no",
                "--json",
                *cfg,
            ],
            "status r1": ["status", "r1", *cfg],
            "status r1 --json": ["status", "r1", "--json", *cfg],
            "requests": ["requests", *cfg],
            "requests --json": ["requests", "--json", *cfg],
        }
        print(f"{' '.join(glemsel)}: median of {opts.runs} runs")
        print(f"{'command':24} {'wall s':>8} {'cpu s':>8}")
        for label, args in commands.items():
            wall, cpu = measure([*glemsel, *args], opts.runs)
            print(f"{label:24} {wall:8.3f} {cpu:8.3f}")
        wall, cpu = measure([python, "-c", "pass"], opts.runs)
        print(f"{'(python -c pass)':24} {wall:8.3f} {cpu:8.3f}")
    finally:
        if opts.dir is None:
            shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    main()
