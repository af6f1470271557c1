"""End to end with a realistic mix, on 1 and 2 workers, against an index of 1,000,000 findings.

    python -m bench.e2e [--events 20000] [--requests 50] [--lookups 500] [--findings 1000000]
                        [--modes embedded,distributed] [--workers 1,2]

The mix: about 30 % CRM contacts (identity records), 30 % support tickets, 15 % mails of
2-50 KB (RFC 822, in a Maildir) and 25 % chat messages, shuffled, naming the CRM's people.
Before a run, the index is loaded with ``--findings`` findings of other (synthetic) people
directly through the index store (bulk writes, 5 findings per location), so that ingest,
erasure and lookup run against an index of that size: this is said in the output.

Each configuration runs `glemsel run` worker processes (separate processes, as deployed):
embedded (one worker: SQLite bus, index and state) as the baseline, then distributed
(Kafka, Elasticsearch, PostgreSQL state from GLEMSEL_STATE_URL) on 1 and on 2 workers
sharing the partitions. Printed per configuration: events/s from the first event produced
to the last one searchable; erasure latency (request published to completed, one at a
time) p50/p95; subject lookup (`search`, by fødselsnummer, from this process) p50/p99; the
CPU time of the workers, of this process and of the services.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import sqlite3
import subprocess
import sys
import tempfile
import time
import uuid
from mailbox import Maildir
from pathlib import Path
from typing import Any

from glemsel.pipeline.core.config import load_config
from glemsel.pipeline.core.events import (
    TOPIC_CHANGES,
    TOPIC_ERASURE_REQUESTS,
    ErasureRequest,
    SubjectIdentifiers,
)
from glemsel.pipeline.core.statuses import RequestStatus
from glemsel.pipeline.operations.search import search_subject

from bench.world import (
    Clock,
    Distributed,
    Person,
    change,
    chat_row,
    contact_row,
    load,
    machine,
    mail_bytes,
    mail_event,
    people,
    percentile,
    proc_cpu,
    services_cpu,
    services_delta,
    ticket_row,
    write_config,
)

TARGET_EVENTS = 2_500.0
TARGET_ERASURE_P95 = 3.0
TARGET_LOOKUP_P99 = 0.050
PRELOAD_PER_LOCATION = 5
MIX = (("crm", 0.30), ("support", 0.30), ("mail", 0.15), ("chat", 0.25))


def make_events(
    root: Path, events: int, base_id: int, seed: int
) -> tuple[list[bytes], list[Person]]:
    """The mix, written to the systems (so that erasures act on them) and as change events
    in a shuffled order; returns the events and the CRM's people."""
    rng = random.Random(seed)
    counts = {system: int(events * share) for system, share in MIX}
    counts["crm"] += events - sum(counts.values())
    persons = people(counts["crm"], seed=seed)
    lines: list[bytes] = []
    contacts = [contact_row(p) | {"id": base_id + p.n} for p in persons]
    with sqlite3.connect(root / "crm.db") as conn:
        conn.executemany(
            "insert into contacts values (:id, :name, :email, :phone, :fnr, :title, :company)",
            contacts,
        )
    lines += [change("crm", "contact", row) for row in contacts]
    tickets = [ticket_row(base_id + i, rng.choice(persons), rng) for i in range(counts["support"])]
    with sqlite3.connect(root / "support.db") as conn:
        conn.executemany("insert into tickets values (:id, :subject, :body, :created_at)", tickets)
    lines += [change("support", "ticket", row) for row in tickets]
    chats = [chat_row(base_id + i, rng.choice(persons), rng) for i in range(counts["chat"])]
    for row in chats:  # every chat names someone: each event becomes a location
        if "@" not in row["text"] and "+47" not in row["text"]:
            row["text"] += f" (kunde {rng.choice(persons).email})"
    with sqlite3.connect(root / "chat.db") as conn:
        conn.executemany(
            "insert into messages values (:id, :channel, :author, :text, :sent_at)", chats
        )
    lines += [change("chat", "message", row) for row in chats]
    box = Maildir(root / "mail", create=True)
    for i in range(counts["mail"]):
        message_id, raw = mail_bytes(base_id + i, rng.choice(persons), rng)
        key = box.add(raw)
        # A Maildir watcher knows where it found the mail: the location id names the copy.
        lines.append(mail_event(f"{message_id}#{key}", raw))
    rng.shuffle(lines)
    return lines, persons


def preload_rows(findings: int, seed: int) -> list[dict[str, Any]]:
    """Locations of other people, ``PRELOAD_PER_LOCATION`` findings each (random hashes:
    nobody the benchmark searches for)."""
    rng = random.Random(seed)
    types = ("NO_FODSELSNUMMER", "EMAIL_ADDRESS", "PHONE_NUMBER", "PERSON", "ADDRESS")
    rows = []
    for n in range(findings // PRELOAD_PER_LOCATION):
        rows.append(
            {
                "record_id": f"pre-{seed}-{n}",
                "findings": [
                    (f"body.{k}", types[k], rng.getrandbits(128).to_bytes(16).hex())
                    for k in range(PRELOAD_PER_LOCATION)
                ],
            }
        )
    return rows


def preload_sqlite(path: Path, findings: int, seed: int) -> None:
    from glemsel.pipeline.stores.index_sqlite import SqliteSubjectIndex

    SqliteSubjectIndex(path).close()  # the schema
    with sqlite3.connect(path) as conn:
        conn.executemany(
            'insert into findings (system, record_type, record_id, field, start, "end", '
            "entity_type, score, preview, hash, last_seen) "
            "values ('support', 'ticket', ?, ?, 0, 11, ?, 1.0, '*********01', ?, "
            "'2026-01-01 00:00:00.000000')",
            (
                (row["record_id"], field, etype, digest)
                for row in preload_rows(findings, seed)
                for field, etype, digest in row["findings"]
            ),
        )


def preload_es(url: str, prefix: str, findings: int, seed: int) -> None:
    from elasticsearch import Elasticsearch, helpers
    from glemsel.pipeline.stores.index_es import EsSubjectIndex

    EsSubjectIndex(url, prefix).close()  # the indices, with their mappings
    es = Elasticsearch(url, request_timeout=120)
    index = f"{prefix}-locations"
    actions = (
        {
            "_index": index,
            "_id": f"support:{row['record_id']}",
            "_source": {
                "system": "support",
                "record_type": "ticket",
                "record_id": row["record_id"],
                "hashes": sorted(h for _, _, h in row["findings"]),
                "entity_types": sorted({t for _, t, _ in row["findings"]}),
                "last_seen": "2026-01-01T00:00:00+00:00",
                "findings": [
                    {
                        "field": f,
                        "start": 0,
                        "end": 11,
                        "type": t,
                        "score": 1.0,
                        "preview": "*********01",
                        "hash": h,
                    }
                    for f, t, h in row["findings"]
                ],  # fmt: skip
            },
        }
        for row in preload_rows(findings, seed)
    )
    for ok, _ in helpers.streaming_bulk(es, actions, chunk_size=5_000, raise_on_error=True):
        assert ok
    es.indices.refresh(index=index)
    es.close()


class Run:
    """One configuration: its world, its workers, and what this process watches."""

    def __init__(self, mode: str, workers: int, root: Path, dist: Distributed | None) -> None:
        self.mode, self.workers, self.root, self.dist = mode, workers, root, dist
        self.procs: list[subprocess.Popen] = []
        self.logs: list[Any] = []

    def start(self, config_path: Path) -> None:
        env = {k: v for k, v in os.environ.items() if k != "GLEMSEL_STATE_URL"}
        for w in range(self.workers):
            log = open(self.root / f"worker{w}.log", "wb")  # noqa: SIM115
            self.logs.append(log)
            self.procs.append(
                subprocess.Popen(
                    [sys.executable, "-m", "glemsel.pipeline", "run", "--config", str(config_path)],
                    stdout=log,
                    stderr=subprocess.STDOUT,
                    env=env,
                )  # fmt: skip
            )

    def alive(self) -> None:
        for p in self.procs:
            if p.poll() is not None:
                raise SystemExit(f"worker exited with {p.returncode}: {self.root}/worker*.log")

    def cpu(self) -> float:
        return sum(proc_cpu(p.pid) for p in self.procs)

    def stop(self) -> None:
        for p in self.procs:
            p.terminate()
        for p in self.procs:
            try:
                p.wait(60)
            except subprocess.TimeoutExpired:
                p.kill()
        for log in self.logs:
            log.close()


def until(condition, run: Run, timeout: float = 3600.0, every: float = 0.1) -> float:
    deadline = time.perf_counter() + timeout
    while not condition():
        run.alive()
        if time.perf_counter() > deadline:
            raise TimeoutError("benchmark timed out")
        time.sleep(every)
    return time.perf_counter()


def measure(mode: str, workers: int, args: argparse.Namespace, seed: int) -> dict[str, Any]:
    dist = Distributed.from_env() if mode == "distributed" else None
    os.environ.pop("GLEMSEL_STATE_URL", None) if dist is None else None
    with tempfile.TemporaryDirectory(prefix="glemsel-bench-e2e-") as tmp:
        root = Path(tmp)
        if dist is None:
            return _measure(mode, workers, args, seed, root, None, None)
        with dist.state() as url:
            try:
                return _measure(mode, workers, args, seed, root, dist, url)
            finally:
                dist.drop()


def _measure(mode, workers, args, seed, root, dist, url) -> dict[str, Any]:
    if dist is None:
        from glemsel.pipeline.runtime.embedded import EmbeddedDeployment as Deployment
    else:
        from glemsel.pipeline.runtime.distributed import DistributedDeployment as Deployment
    extra = (
        {} if dist is None else dist.settings(partitions=4) | ({"state_url": url} if url else {})
    )
    config_path = write_config(root, extra)
    os.environ.pop("GLEMSEL_STATE_URL", None)  # the config names the run's own state
    lines, persons = make_events(root, args.events, 1_000_000, seed)
    t0 = time.perf_counter()
    if dist is None:
        preload_sqlite(root / "state" / "index.db", args.findings, seed)
    else:
        preload_es(dist.es, f"glemsel-bench{dist.tag}", args.findings, seed)
    preload_s = time.perf_counter() - t0
    app = Deployment(load_config(config_path))
    run = Run(mode, workers, root, dist)
    es = None
    if dist is not None:
        from elasticsearch import Elasticsearch

        es = Elasticsearch(dist.es)
        index = f"glemsel-bench{dist.tag}-locations"

        def indexed() -> int:
            return int(es.count(index=index)["count"])
    else:

        def indexed() -> int:  # embedded: committed means searchable
            return 1 + len(lines) if app.pending() == 0 else 0

    try:
        run.start(config_path)
        # Warm-up: one contact through every worker's detector before the clock starts.
        warm = people(1, seed=seed + 1000)[0]
        app.publish(TOPIC_CHANGES, change("crm", "contact", contact_row(warm) | {"id": 1}))
        app.flush()
        base = (args.findings // PRELOAD_PER_LOCATION + 1) if dist is not None else 1
        until(lambda: indexed() >= base, run, every=0.2)
        time.sleep(2.0 if workers > 1 else 0.0)  # the second worker has its partitions
        services_before, workers_before = services_cpu(), run.cpu()
        clock = Clock()
        for i in range(0, len(lines), 500):
            app.publish_many(TOPIC_CHANGES, [(line, None) for line in lines[i : i + 500]])
        app.flush()
        produce_s = clock.elapsed()[0]
        target = base + len(lines)
        time.sleep(0.2)  # embedded: the worker's poll sees the first batch
        until(lambda: indexed() >= target, run, every=0.1)
        ingest_s, _ = clock.elapsed()
        ingest_cpu = {
            "workers": run.cpu() - workers_before,
            "producer": clock.elapsed()[1],
            **services_delta(services_before),
        }
        if dist is None:
            ingest_cpu = {k: v for k, v in ingest_cpu.items() if k in {"workers", "producer"}}

        rng = random.Random(seed)
        erase_rng = rng.sample(persons, min(args.requests, len(persons)))
        latencies, located = [], []
        for n, person in enumerate(erase_rng):
            request = ErasureRequest(
                request_id=f"bench-{uuid.uuid4().hex[:8]}-{n}",
                subject=SubjectIdentifiers(fnr=person.fnr, emails=[person.email]),
            )
            t1 = time.perf_counter()
            app.publish(TOPIC_ERASURE_REQUESTS, request.to_json(), request.request_id)
            app.flush()

            def completed(rid: str = request.request_id) -> bool:
                row = app.stores.state.requests.get(rid)
                return row is not None and row.status == RequestStatus.COMPLETED

            latencies.append(until(completed, run, every=0.02) - t1)
            located.append(len(app.stores.state.outcomes.of_request(request.request_id)))

        gone = {p.n for p in erase_rng}
        lookups = []
        left = [p for p in persons if p.n not in gone]
        app.stores.index.refresh()
        for person in rng.sample(left, min(args.lookups, len(left))):
            t1 = time.perf_counter()
            hit = search_subject(
                app.stores, SubjectIdentifiers(fnr=person.fnr), searched_by="bench"
            )
            lookups.append(time.perf_counter() - t1)
            assert hit["locations"], "a backfilled person is found"
        counts = app.stores.index.counts() if dist is not None else {}
    finally:
        run.stop()
        if es is not None:
            es.close()
        app.close()
    findings_total = (
        sum(v for k, v in counts.items() if k not in {"locations", "subjects"})
        if counts
        else _sqlite_findings(root / "state" / "index.db")
    )
    return {
        "mode": mode,
        "workers": workers,
        "state": "postgresql" if url else "sqlite",
        "events": len(lines),
        "produce_s": round(produce_s, 2),
        "produce_to_searchable_s": round(ingest_s, 2),
        "events_per_s": round(len(lines) / ingest_s, 1),
        "ingest_cpu_s": {k: None if v is None else round(v, 1) for k, v in ingest_cpu.items()},
        "erasures": len(latencies),
        "locations_per_erasure": round(sum(located) / max(len(located), 1), 1),
        "erasure_p50_s": round(percentile(latencies, 0.50), 3),
        "erasure_p95_s": round(percentile(latencies, 0.95), 3),
        "lookups": len(lookups),
        "lookup_p50_ms": round(1000 * percentile(lookups, 0.50), 1),
        "lookup_p99_ms": round(1000 * percentile(lookups, 0.99), 1),
        "findings_in_index": findings_total,
        "findings_bulk_loaded": args.findings,
        "bulk_load_s": round(preload_s, 1),
        "load_after": load(),
    }


def _sqlite_findings(path: Path) -> int:
    with sqlite3.connect(path) as conn:
        return int(conn.execute("select count(*) from findings").fetchone()[0])


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=20_000)
    parser.add_argument("--requests", type=int, default=50)
    parser.add_argument("--lookups", type=int, default=500)
    parser.add_argument("--findings", type=int, default=1_000_000, help="bulk-loaded first")
    parser.add_argument("--modes", default="embedded,distributed")
    parser.add_argument("--workers", default="1,2", help="worker counts (distributed)")
    parser.add_argument("--json", type=Path, help="also write the results here")
    args = parser.parse_args(argv)
    print(machine(), flush=True)
    print(
        f"end to end: {args.events} events (30 % CRM contacts, 30 % tickets, 15 % mails of "
        f"2-50 KB, 25 % chats); {args.findings} findings of other people bulk-loaded into the "
        f"index through its store before each run; targets: >= {TARGET_EVENTS:.0f} events/s, "
        f"erasure p95 < {TARGET_ERASURE_P95:g} s, lookup p99 < {TARGET_LOOKUP_P99 * 1000:.0f} ms",
        flush=True,
    )
    results: list[dict[str, Any]] = []
    for mode in args.modes.split(","):
        counts = [1] if mode == "embedded" else [int(w) for w in args.workers.split(",")]
        for workers in counts:
            result = measure(mode, workers, args, seed=len(results) + 1)
            print(json.dumps(result), flush=True)
            verdicts = [
                ("events/s", result["events_per_s"] >= TARGET_EVENTS),
                ("erasure p95", result["erasure_p95_s"] < TARGET_ERASURE_P95),
                ("lookup p99", result["lookup_p99_ms"] < TARGET_LOOKUP_P99 * 1000),
            ]
            print(
                f"{mode}, {workers} worker(s): {result['events_per_s']:.0f} events/s, erasure "
                f"p50/p95 {result['erasure_p50_s']}/{result['erasure_p95_s']} s, lookup "
                f"p50/p99 {result['lookup_p50_ms']}/{result['lookup_p99_ms']} ms at "
                f"{result['findings_in_index']} findings; "
                + ", ".join(f"{name} {'met' if ok else 'MISSED'}" for name, ok in verdicts),
                flush=True,
            )
            results.append(result)
    if args.json:
        args.json.write_text(json.dumps(results, indent=2))
    print(f"load average at the end: {load()}")


if __name__ == "__main__":
    main()
