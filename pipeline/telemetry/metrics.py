"""Prometheus metrics for workers and the API. Labels name stages, types and systems only."""

from __future__ import annotations

from functools import cache
from typing import TYPE_CHECKING

from prometheus_client import (
    CONTENT_TYPE_LATEST,
    REGISTRY,
    Counter,
    Gauge,
    Histogram,
    generate_latest,
)

if TYPE_CHECKING:
    from glemsel.pipeline.runtime.stores import Stores

EVENTS = Counter("glemsel_events_total", "Events handled, by topic and result", ["topic", "result"])
DETECT_SECONDS = Histogram(
    "glemsel_detect_seconds",
    "Detection time per record",
    buckets=(0.0005, 0.001, 0.002, 0.005, 0.01, 0.05, 0.1, 0.5, 2),
)
FINDINGS = Counter("glemsel_findings_total", "Findings indexed, by entity type", ["type"])
ATTACHMENTS = Counter(
    "glemsel_mail_attachments_total",
    "Mail attachments seen on ingest, by format and whether they were scanned (yes/partly/no)",
    ["format", "scanned"],
)
DEAD_LETTERS = Counter(
    "glemsel_dead_letters_total", "Events sent to the dead-letter topic", ["topic", "stage"]
)
OUTCOMES = Counter(
    "glemsel_erasure_outcomes_total", "Erasure outcomes per location", ["system", "action"]
)
REQUESTS = Gauge("glemsel_requests", "Requests by kind and status", ["kind", "status"])
OVERDUE = Gauge("glemsel_requests_overdue", "Requests past their deadline, not completed")
HOLDS = Gauge("glemsel_active_holds", "Active legal holds")
API_REQUESTS = Counter("glemsel_api_requests_total", "API requests", ["route", "code"])


@cache
def findings(entity_type: str) -> Counter:
    """FINDINGS' child for one entity type, kept: counted for every record ingested, and a
    label lookup (validation, a lock) cost more than the count. Entity types are few."""
    return FINDINGS.labels(entity_type)


def observe_state(stores: Stores) -> None:
    """Gauges read from the state store when scraped."""
    from glemsel.pipeline.core.clock import utcnow

    rows = stores.state.requests.all()
    counts: dict[tuple[str, str], int] = {}
    for r in rows:
        key = (r.kind, r.status)
        counts[key] = counts.get(key, 0) + 1
    for kind in ("erasure", "access", "rectification"):
        for status in ("received", "completed", "partially_held", "failed"):
            REQUESTS.labels(kind, status).set(counts.get((kind, status), 0))
    now = utcnow()
    OVERDUE.set(sum(1 for r in rows if r.status != "completed" and r.deadline < now))
    HOLDS.set(len(stores.state.holds.active()))


def render() -> tuple[bytes, str]:
    return generate_latest(REGISTRY), CONTENT_TYPE_LATEST
