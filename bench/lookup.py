"""Subject lookup in the distributed stores: `glemsel search`'s search_subject against an
Elasticsearch index of 1,000,000 findings and a PostgreSQL state of 3,000 requests.

    python -m bench.lookup [--findings 1000000] [--people 2000] [--requests 3000]
                           [--lookups 300] [--keep-index NAME]

No workers and no bus: the index is written through its store (``--findings`` findings of
other, synthetic people, 5 per location, bulk-loaded as bench/e2e.py does, then ``--people``
people with an identity record and three locations each: a contact, a ticket, a chat), the
state through StateStore (``--requests`` requests, one in ten naming one of the people, and
two active holds that cover none of their locations), in a PostgreSQL schema of the run's
own (GLEMSEL_STATE_URL). Then ``--lookups`` searches by fødselsnummer, one at a time, as
`glemsel search` runs them. Printed: lookup p50/p99, CPU time of this process per search,
requests to Elasticsearch and SQL statements per search (pool pre-ping on, as `glemsel`
opens PostgreSQL).

``--keep-index NAME``: the index is kept under that prefix and used again by the next run
with the same name (a run loads it only when it is missing), so that runs of two versions
of Glemsel alternate on the same index. Without it, a run's index is dropped at its end. (An
other version: ``git archive REV`` into a folder, a tree ``glemsel/{pipeline,detectors,sinks}``
of links to its folders, and that tree first on PYTHONPATH; this file stays the same.)
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import time
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from glemsel.pipeline.core.events import (
    ErasureRequest,
    LegalHold,
    RecordRef,
    SubjectIdentifiers,
)
from glemsel.pipeline.core.findings import Finding
from glemsel.pipeline.core.identifiers import Hasher
from glemsel.pipeline.operations.search import search_subject

from bench.e2e import PRELOAD_PER_LOCATION, TARGET_LOOKUP_P99, preload_es
from bench.scratch_schema import scratch_schema
from bench.world import STATE_URL, Distributed, Person, load, machine, people, percentile

KEY = b"bench-lookup-key-not-a-secret-01"  # fixed: a kept index is hashed with it
TS = datetime(2026, 1, 1, tzinfo=UTC)


@dataclass
class BenchStores:
    """What search_subject reads (stores/reads.py's ReadStores)."""

    config: Any
    index: Any
    state: Any
    audit: Any
    hasher: Hasher

    def close(self) -> None:
        self.index.close()
        self.state.close()
        self.audit.close()


def identity(hasher: Hasher, p: Person) -> dict[str, str]:
    return {
        hasher("NO_FODSELSNUMMER", p.fnr): "NO_FODSELSNUMMER",
        hasher("EMAIL_ADDRESS", p.email): "EMAIL_ADDRESS",
        hasher("PHONE_NUMBER", p.phone): "PHONE_NUMBER",
        hasher("PERSON", p.name): "PERSON",
    }


def load_people(index: Any, hasher: Hasher, persons: list[Person]) -> None:
    """Each person: an identity record (linked) and three locations naming them."""
    for i in range(0, len(persons), 500):
        with index.batch():
            for p in persons[i : i + 500]:
                ids = identity(hasher, p)
                index.link_identity(ids)
                for system, record_type, types in (
                    ("crm", "contact", set(ids.values())),
                    ("support", "ticket", {"PERSON", "PHONE_NUMBER", "EMAIL_ADDRESS"}),
                    ("chat", "message", {"EMAIL_ADDRESS"}),
                ):
                    found = [
                        Finding(
                            system=system,
                            record_type=record_type,
                            record_id=f"p{p.n}",
                            field=f"f{k}",
                            start=0,
                            end=10,
                            entity_type=t,
                            score=1.0,
                            preview="**********",
                            hash=h,
                        )
                        for k, (h, t) in enumerate(ids.items())
                        if t in types
                    ]
                    index.replace_findings(system, record_type, f"p{p.n}", found, TS)
    index.refresh()


def fill_state(state: Any, hasher: Hasher, persons: list[Person], requests: int) -> None:
    rng = random.Random(7)
    for n in range(requests):
        if n % 10 == 0:  # one in ten names someone searched for
            p = rng.choice(persons)
            subject = SubjectIdentifiers(fnr=p.fnr, emails=[p.email])
        else:
            subject = SubjectIdentifiers(emails=[f"gone{n}@example.no"])
        request = ErasureRequest(request_id=f"bench-{n}", subject=subject)
        state.requests.add(request, hasher.subject(subject))
    other = SubjectIdentifiers(emails=["held@example.no"])
    state.holds.place(
        LegalHold(
            hold_id="h-subject", action="place", subject=other, systems=["legal"], reason="tvist"
        ),
        hasher.subject(other),
    )
    state.holds.place(
        LegalHold(
            hold_id="h-record",
            action="place",
            records=[RecordRef(system="support", record_id="x")],
            reason="revisjon",
        ),
        None,
    )


class Counter:
    """Requests to Elasticsearch and SQL statements (not counted: the pool's pre-ping and
    BEGIN, COMMIT or ROLLBACK around the statements)."""

    def __init__(self, es: Any, engine: Any) -> None:
        from sqlalchemy import event

        self.es = self.sql = 0
        inner = es.perform_request

        def counted(*args: Any, **kwargs: Any) -> Any:
            self.es += 1
            return inner(*args, **kwargs)

        es.perform_request = counted

        def statement(*_: Any) -> None:
            self.sql += 1

        event.listen(engine, "before_cursor_execute", statement)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--findings", type=int, default=1_000_000)
    parser.add_argument("--people", type=int, default=2_000)
    parser.add_argument("--requests", type=int, default=3_000)
    parser.add_argument("--lookups", type=int, default=300)
    parser.add_argument("--keep-index", help="index prefix to keep and use again")
    args = parser.parse_args(argv)
    if not STATE_URL:
        raise SystemExit("needs GLEMSEL_STATE_URL (source /tmp/glemsel-services/env.sh)")
    from elasticsearch import Elasticsearch
    from glemsel.pipeline.stores.audit import AuditLog
    from glemsel.pipeline.stores.index_es import EsSubjectIndex
    from glemsel.pipeline.stores.schema import sql_url
    from glemsel.pipeline.stores.state import StateStore
    from sqlalchemy import create_engine

    dist = Distributed.from_env()
    prefix = f"glemsel-{args.keep_index}" if args.keep_index else f"glemsel-lookup{dist.tag}"
    hasher = Hasher(KEY)
    persons = people(args.people, seed=3)
    print(machine(), flush=True)
    admin = Elasticsearch(dist.es, request_timeout=120)
    expected = args.findings // PRELOAD_PER_LOCATION + 3 * len(persons)
    t0 = time.perf_counter()
    index_name = f"{prefix}-locations"
    present = admin.indices.exists(index=index_name) and (
        admin.count(index=index_name)["count"] == expected
    )
    if not present:
        if admin.indices.exists(index=index_name):
            admin.indices.delete(index=f"{prefix}-*")
        preload_es(dist.es, prefix, args.findings, seed=1)
        loader = EsSubjectIndex(dist.es, prefix)
        load_people(loader, hasher, persons)
        loader.close()
    load_s = time.perf_counter() - t0
    try:
        with scratch_schema(STATE_URL, f"bench_lookup_{uuid.uuid4().hex[:8]}") as url:
            engine = create_engine(sql_url(url), pool_pre_ping=True)  # as runtime/stores.py
            state = StateStore(engine)
            t1 = time.perf_counter()
            fill_state(state, hasher, persons, args.requests)
            state_s = time.perf_counter() - t1
            index = EsSubjectIndex(dist.es, prefix)
            stores = BenchStores(None, index, state, AuditLog(engine, KEY), hasher)
            count = Counter(index._es, engine)
            rng = random.Random(11)
            chosen = [rng.choice(persons) for _ in range(args.lookups)]
            for p in chosen[:5]:  # warm: connections, caches
                search_subject(stores, SubjectIdentifiers(fnr=p.fnr), "bench")
            count.es = count.sql = 0
            walls, cpus, located = [], [], 0
            for p in chosen:
                w, c = time.perf_counter(), time.process_time()
                hit = search_subject(stores, SubjectIdentifiers(fnr=p.fnr), "bench")
                cpus.append(time.process_time() - c)
                walls.append(time.perf_counter() - w)
                located += len(hit["locations"])
                assert hit["locations"], "a loaded person is found"
            stores.close()
    finally:
        if not args.keep_index:
            admin.indices.delete(index=f"{prefix}-*", ignore_unavailable=True)
        admin.close()
    result = {
        "code": str(sys.modules["glemsel.pipeline"].__file__),
        "findings": args.findings + sum(len(identity(hasher, p)) for p in persons) * 2,
        "requests": args.requests,
        "lookups": len(walls),
        "locations_per_lookup": round(located / len(walls), 1),
        "lookup_p50_ms": round(1000 * percentile(walls, 0.50), 1),
        "lookup_p99_ms": round(1000 * percentile(walls, 0.99), 1),
        "cpu_per_lookup_ms": round(1000 * sum(cpus) / len(cpus), 1),
        "es_round_trips_per_lookup": round(count.es / len(walls), 2),
        "sql_statements_per_lookup": round(count.sql / len(walls), 2),
        "index_load_s": round(load_s, 1),
        "state_fill_s": round(state_s, 1),
        "load_after": load(),
    }
    print(json.dumps(result), flush=True)
    print(
        f"lookup p50/p99 {result['lookup_p50_ms']}/{result['lookup_p99_ms']} ms "
        f"(target p99 < {TARGET_LOOKUP_P99 * 1000:.0f} ms), CPU {result['cpu_per_lookup_ms']} ms "
        f"per lookup, {result['es_round_trips_per_lookup']} Elasticsearch round trips and "
        f"{result['sql_statements_per_lookup']} SQL statements per lookup",
        flush=True,
    )


if __name__ == "__main__":
    main()
