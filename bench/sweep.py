"""The time-driven sweep (retention, anonymisation) at two sizes of old data (issue 10).

    python -m bench.sweep [--sizes 1000,10000] [--sweeps 5] [--restart] [--json FILE]

Per size: a web-form log (the test company's ``weblog``: IP addresses truncated after 30
days) of that many posts, every one 40 days old with an IP address, in an embedded
deployment of its own. The first sweep anonymises them all; then ``--sweeps`` sweeps a
minute apart with nothing changed (the steady state, one every 60 s in production) are
timed, and the records they read from the sink counted (``read`` and ``iter_records``,
through a wrapper of the real sink). Printed: per size the first sweep, the steady sweep's
median and the records it read, and the ratio of the steady sweeps of the largest size to
the smallest (1.0: a sweep's cost does not grow with the data). ``--restart``: then a new
deployment on the same state, and its first sweep timed and counted the same way.

Another version of Glemsel (before issue 10): ``git archive REV`` into a folder, a tree
``glemsel/{pipeline,detectors,sinks}`` of links to its folders first on PYTHONPATH; this
file stays the same.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from glemsel.pipeline.core.config import load_config
from glemsel.pipeline.interfaces.demo import SYSTEMS as DEMO_SYSTEMS
from glemsel.pipeline.interfaces.world import write_config, write_table
from glemsel.pipeline.runtime.embedded import EmbeddedDeployment

from bench.world import machine

WEBLOG = DEMO_SYSTEMS["weblog"]  # web-form posts with IP addresses, anonymised after 30 days


class CountingSink:
    """The real sink, counting the records read from it (``read`` and each record of
    ``iter_records``) and the windows asked of it; everything else goes to the real sink.
    (tests/scenarios/test_sweep_work.py counts with it too.)"""

    def __init__(self, real: Any) -> None:
        self.real = real
        self.system = real.system
        self.reads = 0
        self.windows: list[tuple[datetime | None, datetime]] = []

    def read(self, record_id: str) -> dict[str, Any] | None:
        self.reads += 1
        return self.real.read(record_id)

    def iter_records(self, *args: Any, **kwargs: Any) -> Iterator[tuple[str, dict[str, Any]]]:
        for item in self.real.iter_records(*args, **kwargs):
            self.reads += 1
            yield item

    def record_ids_between(self, since: datetime | None, cutoff: datetime) -> list[str]:
        self.windows.append((since, cutoff))
        return self.real.record_ids_between(since, cutoff)

    def __getattr__(self, name: str) -> Any:
        return getattr(self.real, name)


def measure(size: int, sweeps: int, base: Path, restart: bool) -> dict[str, Any]:
    now = datetime.now(UTC)
    root = base / f"n{size}"
    root.mkdir()
    posts = [
        {
            "id": i,
            "created": (now - timedelta(days=40, seconds=i)).isoformat(),
            "ip": f"12.{i // 62500 % 250}.{i // 250 % 250}.{i % 250 + 1}",
            "message": f"Melding {i}",
        }
        for i in range(1, size + 1)
    ]
    write_table(root / "web.db", "form_posts", posts)
    config_path = write_config(root, {"weblog": WEBLOG})
    app = EmbeddedDeployment(load_config(config_path))
    try:
        counter = CountingSink(app.processor.sinks["weblog"])
        app.processor.sinks._open["weblog"] = counter
        start = time.perf_counter()
        first = app.processor.tick(now=now)
        first_s = time.perf_counter() - start
        assert first.get("anonymised") == size, first
        times, reads = [], []
        for n in range(1, sweeps + 1):
            counter.reads = 0
            start = time.perf_counter()
            app.processor.tick(now=now + timedelta(seconds=60 * n))
            times.append(time.perf_counter() - start)
            reads.append(counter.reads)
        result: dict[str, Any] = {
            "old_records": size,
            "first_sweep_s": round(first_s, 3),
            "steady_sweep_ms": round(statistics.median(times) * 1000, 2),
            "steady_reads": max(reads),
        }
        if restart:  # a new deployment on the same state: its first sweep
            app.close()
            app = EmbeddedDeployment(load_config(config_path))
            counter = CountingSink(app.processor.sinks["weblog"])
            app.processor.sinks._open["weblog"] = counter
            start = time.perf_counter()
            app.processor.tick(now=now + timedelta(seconds=60 * (sweeps + 1)))
            result["after_restart_ms"] = round((time.perf_counter() - start) * 1000, 2)
            result["after_restart_reads"] = counter.reads
    finally:
        app.close()
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,10000")
    parser.add_argument("--sweeps", type=int, default=5)
    parser.add_argument("--json", type=Path)
    parser.add_argument(
        "--restart", action="store_true", help="also time the first sweep of a new deployment"
    )
    args = parser.parse_args(argv)
    sizes = [int(s) for s in args.sizes.split(",")]
    print(machine())
    results = []
    with tempfile.TemporaryDirectory(prefix="glemsel-bench-sweep-") as tmp:
        for size in sizes:
            result = measure(size, args.sweeps, Path(tmp), args.restart)
            results.append(result)
            print(
                f"{size:>7} old records: first sweep {result['first_sweep_s']:.2f} s, "
                f"steady sweep {result['steady_sweep_ms']:.1f} ms, "
                f"{result['steady_reads']} records read per steady sweep"
            )
            if args.restart:
                print(
                    f"{'':>7} after a restart: {result['after_restart_ms']:.1f} ms, "
                    f"{result['after_restart_reads']} records read"
                )
    if len(results) > 1:
        small, large = results[0], results[-1]
        ratio = large["steady_sweep_ms"] / max(small["steady_sweep_ms"], 1e-3)
        print(
            f"steady sweep at {large['old_records']} / at {small['old_records']}: {ratio:.2f}x "
            f"(data {large['old_records'] / small['old_records']:.0f}x)"
        )
    if args.json:
        args.json.write_text(json.dumps(results, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
