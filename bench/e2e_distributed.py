"""End-to-end benchmark on the real services: Kafka -> Faust worker -> Elasticsearch.

    python -m bench.e2e_distributed [--events 100000] [--requests 100]

Needs GLEMSEL_KAFKA_BOOTSTRAP and GLEMSEL_ES_URL (e.g. from `docker/local-services.sh start`).
Prints (1) change events per second from produce to searchable, and (2) erasure latency from
request to verified summary, p50/p95, with the embedded deployment measured in the same run
on the same data as the baseline.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import yaml
from glemsel.pipeline.core.config import load_config
from glemsel.pipeline.core.events import (
    TOPIC_CHANGES,
    TOPIC_ERASURE_REQUESTS,
    ErasureRequest,
    SubjectIdentifiers,
)
from glemsel.pipeline.interfaces.demo import build

TEMPLATES = [
    "hei, dette er {name}. mailen min er {email}",
    "Kunden ringte fra {phone} angående levering til Storgata {n}, 0155 Oslo",
    "Hilsen {name}, tlf {phone}",
    "Ordre {n} er sendt. Kontakt {email} ved spørsmål.",
    "takk for hjelpen! 👍",
]


def make_world(root: Path, events: int, subjects: int, mode: str) -> tuple[Path, list[bytes]]:
    config_path, _ = build(root)
    raw = yaml.safe_load(config_path.read_text())
    if mode == "distributed":
        tag = uuid.uuid4().hex[:8]
        raw |= {
            "mode": "distributed",
            "kafka": {
                "bootstrap": os.environ["GLEMSEL_KAFKA_BOOTSTRAP"],
                "topic_prefix": f"bench{tag}.",
                "partitions": 4,
            },
            "elasticsearch": {
                "url": os.environ["GLEMSEL_ES_URL"],
                "index_prefix": f"glemsel-bench{tag}",
            },
        }
    config_path.write_text(yaml.safe_dump(raw, allow_unicode=True))
    now = datetime.now(UTC).isoformat()
    rows, lines = [], []
    for i in range(events):
        s = i % subjects
        text = TEMPLATES[i % len(TEMPLATES)].format(
            name="Kari Nordmann", email=f"person{s}@example.no", phone=f"9{s:07d}", n=i
        )
        row = {
            "id": 10_000 + i,
            "channel": "kundechat",
            "author": "kunde",
            "text": text,
            "sent_at": now,
        }
        rows.append(tuple(row.values()))
        lines.append(
            json.dumps(
                {
                    "schema": "glemsel.change/1",
                    "system": "chat",
                    "record_type": "message",
                    "record_id": str(row["id"]),
                    "op": "c",
                    "data": row,
                }
            ).encode()
        )
    with sqlite3.connect(root / "chat.db") as conn:
        conn.executemany("insert into messages values (?, ?, ?, ?, ?)", rows)
    return config_path, lines


def _until(condition, timeout: float = 3600.0, every: float = 0.05) -> float:
    deadline = time.perf_counter() + timeout
    while not condition():
        if time.perf_counter() > deadline:
            raise TimeoutError("benchmark timed out")
        time.sleep(every)
    return time.perf_counter()


def measure(mode: str, events: int, requests: int) -> dict[str, Any]:
    """One long-running worker process (`glemsel run`), as deployed; this process produces
    and watches the index and the request state."""
    if mode == "distributed":
        from glemsel.pipeline.runtime.distributed import DistributedDeployment as Deployment
    else:
        from glemsel.pipeline.runtime.embedded import EmbeddedDeployment as Deployment
    with tempfile.TemporaryDirectory(prefix=f"glemsel-bench-{mode}-") as tmp:
        # Coprime with the number of templates, so that every person appears in all of them.
        subjects = requests * 2 + 1
        config_path, lines = make_world(Path(tmp), events, subjects, mode)
        app = Deployment(load_config(config_path))
        worker = subprocess.Popen(
            [sys.executable, "-m", "glemsel.pipeline", "run", "--config", str(config_path)],
            stderr=subprocess.DEVNULL,
        )
        try:
            index = app.stores.index
            start = time.perf_counter()
            for line in lines:
                app.publish(TOPIC_CHANGES, line)
            if hasattr(app, "publisher"):
                app.publisher.flush()
            produced = time.perf_counter()
            done = _until(
                lambda: index.counts().get("locations", 0) >= events - (events + 1) // 5, every=0.5
            )
            searchable_s = done - start

            latencies, sizes = [], []
            for r in range(requests):
                req = ErasureRequest(
                    request_id=f"bench-{r}",
                    subject=SubjectIdentifiers(
                        emails=[f"person{r}@example.no"], phones=[f"9{r:07d}"]
                    ),
                )
                t0 = time.perf_counter()
                app.publish(TOPIC_ERASURE_REQUESTS, req.to_json(), req.request_id)
                if hasattr(app, "publisher"):
                    app.publisher.flush()
                t1 = _until(
                    lambda rid=req.request_id: (
                        getattr(app.stores.state.requests.get(rid), "status", None) == "completed"
                    )
                )
                latencies.append(t1 - t0)
                sizes.append(len(app.stores.state.outcomes.of_request(req.request_id)))
        finally:
            worker.terminate()
            worker.wait(60)
            app.close()
    latencies.sort()
    return {
        "mode": mode,
        "events": events,
        "produce_seconds": round(produced - start, 2),
        "produce_to_searchable_seconds": round(searchable_s, 2),
        "events_per_second": round(events / searchable_s, 1),
        "erasures": requests,
        "locations_per_erasure": round(statistics.mean(sizes), 1),
        "erasure_p50_s": round(statistics.median(latencies), 3),
        "erasure_p95_s": round(latencies[int(0.95 * (len(latencies) - 1))], 3),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=100_000)
    parser.add_argument("--requests", type=int, default=100)
    parser.add_argument(
        "--baseline-events",
        type=int,
        default=None,
        help="events for the embedded baseline (default: same)",
    )
    args = parser.parse_args()
    print(
        f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}"
    )
    base = measure("embedded", args.baseline_events or args.events, args.requests)
    print(json.dumps(base), flush=True)
    dist = measure("distributed", args.events, args.requests)
    print(json.dumps(dist), flush=True)
    print(
        f"distributed/embedded ingest throughput ratio: "
        f"{dist['events_per_second'] / base['events_per_second']:.2f}"
    )


if __name__ == "__main__":
    main()
