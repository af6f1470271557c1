"""Backfill of a CRM whose contacts are identity records, embedded and distributed.

    python -m bench.backfill [--records 100000] [--baseline 10000] [--modes embedded,distributed]
                             [--repeat 1]

Each contact (name, e-mail, phone, fødselsnummer with valid control digits) is linked to a
subject, its name becomes a known name, and its fields are detected and indexed. Per mode,
two runs on fresh stores: ``--baseline`` contacts, then ``--records`` contacts; printed are
records/s from the first published record to the last one indexed, the CPU time of the
worker (and, distributed, of Elasticsearch, Kafka and PostgreSQL), and the time per record
of the large run against the small one (flat cost: 1.0). Within the large run, the time per
record of its last tenth against its first tenth says the same from one run.

Embedded: one process per run (SQLite bus, index and state), its worker in that process
after the backfill published, as `glemsel backfill` then `glemsel run` would.
Distributed: the backfill publishes to Kafka from this process while one `glemsel run`
worker process consumes; Elasticsearch index; PostgreSQL state when
GLEMSEL_STATE_URL is set (`source /tmp/glemsel-services/env.sh`), in a schema of the run's
own. Both start timing after a warm-up record went through (the detector is loaded, the
worker has its partitions).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

from glemsel.pipeline.core.config import load_config
from glemsel.pipeline.core.events import TOPIC_CHANGES, SubjectIdentifiers
from glemsel.pipeline.operations.backfill import backfill
from glemsel.pipeline.operations.search import search_subject

from bench.world import (
    Clock,
    Distributed,
    contact_row,
    insert_contacts,
    load,
    machine,
    people,
    proc_cpu,
    services_cpu,
    services_delta,
    write_config,
)
from bench.world import change as change_event

TARGET_RATE = 3_000.0  # records/s, issue 10
TARGET_RATIO = 1.2


def _tenths(samples: list[tuple[float, int]], total: int) -> float | None:
    """Time per record of the last tenth of the run over that of its first tenth."""

    def at(count: float) -> float | None:
        for (t0, n0), (t1, n1) in zip(samples, samples[1:], strict=False):
            if n1 >= count:
                return t0 + (t1 - t0) * ((count - n0) / max(n1 - n0, 1))
        return None

    # The start: the last sample before the first record was handled (the run's clock
    # starts before the backfill publishes; that time is no record's).
    a = max((t for t, n in samples if n == 0), default=None)
    b, c, d = (at(total * q) for q in (0.1, 0.9, 1.0))
    if a is None or b is None or c is None or d is None or b == a:
        return None
    return (d - c) / (b - a)


def run_embedded(records: int) -> dict[str, Any]:
    """In a process of its own, as a worker is: nothing of an earlier run in its heap."""
    out = subprocess.run(
        [sys.executable, "-m", "bench.backfill", "--embedded-run", str(records)],
        check=True,
        stdout=subprocess.PIPE,
    )
    return dict(json.loads(out.stdout.decode().splitlines()[-1]))


def _run_embedded(records: int) -> dict[str, Any]:
    from glemsel.pipeline.runtime.embedded import EmbeddedDeployment

    os.environ.pop("GLEMSEL_STATE_URL", None)  # embedded: SQLite state, as deployed alone
    with tempfile.TemporaryDirectory(prefix="glemsel-bench-backfill-") as tmp:
        root = Path(tmp)
        config_path = write_config(root)
        persons = people(records + 1)
        app = EmbeddedDeployment(load_config(config_path))
        # Warm-up: the detector loads and one identity record goes through.
        app.publish(TOPIC_CHANGES, change_event("crm", "contact", contact_row(persons[-1])))
        app.run(until_idle=True)
        insert_contacts(root, persons[:records])
        samples: list[tuple[float, int]] = []
        stop = threading.Event()
        base = app.processor.handled

        def sample() -> None:
            while not stop.wait(0.25):
                samples.append((time.perf_counter(), app.processor.handled - base))

        clock = Clock()
        samples.append((clock.wall, 0))
        published = backfill(app, "crm", "contact", rate=None)
        publish_s = clock.elapsed()[0]
        samples.append((time.perf_counter(), 0))  # the worker starts: the first tenth's start
        sampler = threading.Thread(target=sample, daemon=True)
        sampler.start()
        app.run(until_idle=True)
        wall, cpu = clock.elapsed()
        stop.set()
        samples.append((time.perf_counter(), app.processor.handled - base))
        assert published.published == records
        _check(app.stores, persons[records // 2])
        counts = app.stores.index.counts()
        app.close()
    return _result("embedded", records, wall, publish_s, {"worker+publisher": cpu}, samples, counts)


def run_distributed(records: int, workers: int = 1) -> dict[str, Any]:
    from elasticsearch import Elasticsearch
    from glemsel.pipeline.runtime.distributed import DistributedDeployment

    dist = Distributed.from_env()
    with tempfile.TemporaryDirectory(prefix="glemsel-bench-backfill-") as tmp, dist.state() as url:
        root = Path(tmp)
        extra = dist.settings() | ({"state_url": url} if url else {})
        config_path = write_config(root, extra)
        env = {k: v for k, v in os.environ.items() if k != "GLEMSEL_STATE_URL"}
        os.environ.pop("GLEMSEL_STATE_URL", None)  # the config names the run's own schema
        persons = people(records + 1)
        app = DistributedDeployment(load_config(config_path))
        es = Elasticsearch(dist.es)
        index = f"glemsel-bench{dist.tag}-locations"
        logs = [open(root / f"worker{w}.log", "wb") for w in range(workers)]  # noqa: SIM115
        procs = [
            subprocess.Popen(
                [sys.executable, "-m", "glemsel.pipeline", "run", "--config", str(config_path)],
                stdout=logs[w],
                stderr=subprocess.STDOUT,
                env=env,
            )
            for w in range(workers)
        ]

        def indexed() -> int:
            try:
                return int(es.count(index=index)["count"])
            except Exception:
                return 0

        try:
            app.publish(TOPIC_CHANGES, change_event("crm", "contact", contact_row(persons[-1])))
            app.flush()
            _until(lambda: indexed() >= 1, procs)
            insert_contacts(root, persons[:records])
            before = services_cpu()
            workers_before = sum(proc_cpu(p.pid) for p in procs)
            samples: list[tuple[float, int]] = []
            clock = Clock()
            samples.append((clock.wall, 0))
            result = backfill(app, "crm", "contact", rate=None)
            publish_s, publish_cpu = clock.elapsed()

            def progress() -> bool:
                n = indexed() - 1
                samples.append((time.perf_counter(), n))
                return n >= records

            _until(progress, procs, every=0.25)
            wall, _ = clock.elapsed()
            cpu = {
                "workers": sum(proc_cpu(p.pid) for p in procs) - workers_before,
                "publisher": publish_cpu,
                **services_delta(before),
            }
            assert result.published == records
            app.stores.index.refresh()
            _check(app.stores, persons[records // 2])
            counts = app.stores.index.counts()
        finally:
            for p in procs:
                p.terminate()
            for p in procs:
                try:
                    p.wait(60)
                except subprocess.TimeoutExpired:
                    p.kill()
            for f in logs:
                f.close()
            es.close()
            app.close()
            dist.drop()
    mode = "distributed" + (f" ({workers} workers)" if workers > 1 else "")
    return _result(mode, records, wall, publish_s, cpu, samples, counts)


def _until(condition, procs: list[subprocess.Popen], timeout: float = 7200.0, every=0.2) -> None:
    deadline = time.perf_counter() + timeout
    while not condition():
        if dead := [p for p in procs if p.poll() is not None]:
            raise SystemExit(f"worker exited with {dead[0].returncode}: see its log")
        if time.perf_counter() > deadline:
            raise TimeoutError("benchmark timed out")
        time.sleep(every)


def _check(stores, person) -> None:
    """The backfilled subject is found, by fødselsnummer, at its contact."""
    hit = search_subject(stores, SubjectIdentifiers(fnr=person.fnr), searched_by="bench")
    found = {(loc["system"], loc["record_id"]) for loc in hit["locations"]}
    assert ("crm", str(person.n + 1)) in found, found


def _result(mode, records, wall, publish_s, cpu, samples, counts) -> dict[str, Any]:
    return {
        "mode": mode,
        "records": records,
        "wall_s": round(wall, 2),
        "publish_s": round(publish_s, 2),
        "records_per_s": round(records / wall, 1),
        "ms_per_record": round(1000 * wall / records, 3),
        "cpu_s": {k: None if v is None else round(v, 1) for k, v in cpu.items()},
        "last_tenth_over_first_tenth": (
            round(r, 2) if (r := _tenths(samples, records)) is not None else None
        ),
        "subjects": counts.get("subjects"),
        "findings": sum(v for k, v in counts.items() if k not in {"locations", "subjects"}),
        "load_after": load(),
    }


def _median(runs: list[dict[str, Any]]) -> dict[str, Any]:
    """The run of median records/s (the lower middle one of an even number)."""
    return sorted(runs, key=lambda r: r["records_per_s"])[(len(runs) - 1) // 2]


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=100_000)
    parser.add_argument("--baseline", type=int, default=10_000, help="records of the small run")
    parser.add_argument("--modes", default="embedded,distributed")
    parser.add_argument("--json", type=Path, help="also write the results here")
    parser.add_argument("--repeat", type=int, default=1, help="runs of each size (medians)")
    parser.add_argument("--embedded-run", type=int, help=argparse.SUPPRESS)  # run_embedded's
    args = parser.parse_args(argv)
    if args.embedded_run:
        print(json.dumps(_run_embedded(args.embedded_run)))
        return
    print(machine(), flush=True)
    print(
        f"backfill of CRM identity records; targets: >= {TARGET_RATE:.0f} records/s, time per "
        f"record at {args.records} within {TARGET_RATIO}x of that at {args.baseline}",
        flush=True,
    )
    results = []
    for mode in args.modes.split(","):
        run = run_embedded if mode == "embedded" else run_distributed
        # Pairs, small then large: a drift of the machine's speed (a shared host) weighs on
        # both sizes of a pair alike; the medians are quoted.
        smalls, larges = [], []
        for _ in range(args.repeat):
            smalls.append(run(args.baseline))
            print(json.dumps(smalls[-1]), flush=True)
            larges.append(run(args.records))
            print(json.dumps(larges[-1]), flush=True)
        small, large = _median(smalls), _median(larges)
        ratios = sorted(
            b["ms_per_record"] / a["ms_per_record"] for a, b in zip(smalls, larges, strict=True)
        )
        ratio = large["ms_per_record"] / small["ms_per_record"]
        ok = ratio <= TARGET_RATIO and large["records_per_s"] >= TARGET_RATE
        spread = (
            f" (median of {args.repeat}: {min(r['records_per_s'] for r in larges):.0f}-"
            f"{max(r['records_per_s'] for r in larges):.0f} records/s, pair ratios "
            f"{ratios[0]:.2f}-{ratios[-1]:.2f}x)"
            if args.repeat > 1
            else ""
        )
        print(
            f"{mode}: {large['records_per_s']:.0f} records/s at {args.records}, "
            f"{small['records_per_s']:.0f} at {args.baseline}; time per record "
            f"{args.records} vs {args.baseline}: {ratio:.2f}x{spread} "
            f"[{'meets' if ok else 'misses'} the targets]",
            flush=True,
        )
        results.append({"mode": mode, "small": small, "large": large, "ratio": round(ratio, 3)})
    if args.json:
        args.json.write_text(json.dumps(results, indent=2))
    print(f"load average at the end: {load()}")


if __name__ == "__main__":
    main()
