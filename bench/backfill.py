"""Backfill throughput: a 100,000-record SQL table through the whole embedded pipeline.

    python -m bench.backfill [--rows 100000]

Prints the publish rate of `backfill` (unthrottled) and the end-to-end rate until every
record is detected and indexed, and checks that a record is searchable afterwards.
"""

from __future__ import annotations

import argparse
import sqlite3
import tempfile
import time
from pathlib import Path

from glemsel.pipeline.core.config import load_config
from glemsel.pipeline.core.events import SubjectIdentifiers
from glemsel.pipeline.interfaces.demo import build
from glemsel.pipeline.operations.backfill import backfill
from glemsel.pipeline.operations.search import search_subject
from glemsel.pipeline.runtime.embedded import EmbeddedDeployment


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="glemsel-backfill-") as tmp:
        config_path, _ = build(Path(tmp))
        with sqlite3.connect(Path(tmp) / "support.db") as conn:
            conn.executemany(
                "insert into tickets values (?, ?, ?, ?)",
                [
                    (
                        10_000 + i,
                        "Sak",
                        f"Kunden person{i}@example.no ringte fra 9{i:07d} om "
                        f"levering til Storgata {i % 90 + 1}, 0155 Oslo.",
                        "2020-01-01T00:00:00",
                    )
                    for i in range(args.rows)
                ],
            )
        app = EmbeddedDeployment(load_config(config_path))
        app.processor  # noqa: B018 - detector loaded before the clock starts
        start = time.perf_counter()
        result = backfill(app, "support", "ticket", rate=None)
        published = time.perf_counter()
        app.run(until_idle=True)
        done = time.perf_counter()
        hit = search_subject(
            app.stores, SubjectIdentifiers(emails=["person77@example.no"]), searched_by="bench"
        )
        assert {loc["record_id"] for loc in hit["locations"]} == {"10077"}
        app.close()
    print(
        f"{result.published} records: published in {published - start:.1f}s "
        f"({result.published / (published - start):.0f}/s), detected and indexed in "
        f"{done - start:.1f}s end to end ({result.published / (done - start):.0f} records/s)"
    )


if __name__ == "__main__":
    main()
