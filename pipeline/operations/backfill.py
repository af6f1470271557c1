"""Backfill: existing records of a sink become snapshot (`op: r`) change events.

Resumable: the last record id published is remembered per system after every batch, so an
interrupted backfill continues where it stopped (re-publishing at most one batch, which the
idempotent pipeline absorbs). Throttled: at most ``rate`` events per second, so that live
change events published meanwhile are not stuck behind millions of old ones.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass

from glemsel.pipeline.core.events import TOPIC_CHANGES, ChangeEvent
from glemsel.pipeline.runtime.deployment import Deployment


@dataclass
class BackfillResult:
    system: str
    published: int
    resumed_after: str | None
    seconds: float


def backfill(
    deployment: Deployment,
    system: str,
    record_type: str | None = None,
    batch: int = 500,
    rate: float | None = 2_000.0,
    progress: Callable[[int], None] | None = None,
    restart: bool = False,
) -> BackfillResult:
    config = deployment.config
    spec = config.system(system).sink
    mail = spec.kind in {"maildir", "imap"}
    record_type = record_type or ("message" if mail else spec.table or system)
    state = deployment.stores.state
    if restart:
        state.checkpoints.save(system, None, 0)
    checkpoint = state.checkpoints.get(system)
    after, done = checkpoint.last_id, checkpoint.published
    sink = deployment.processor.sinks[system]
    start, published = time.monotonic(), 0
    last: str | None = after
    # Published a batch at a time (the embedded bus writes it in one transaction), and the
    # checkpoint passes a batch once it is on the bus.
    events: list[tuple[bytes | None, str | None]] = []
    for record_id, data in sink.iter_records(after=after, batch=batch):
        event = ChangeEvent(
            system=system, record_type=record_type, record_id=record_id, op="r", data=data
        )
        events.append((event.to_json(), event.key))
        published, last = published + 1, record_id
        if len(events) == batch or rate:
            deployment.publish_many(TOPIC_CHANGES, events)
            events = []
        if published % batch == 0:
            _commit(deployment, state, system, last, done + published)
            if progress:
                progress(batch)
        if rate:  # sleep off any lead over the allowed rate
            ahead = published / rate - (time.monotonic() - start)
            if ahead > 0:
                time.sleep(ahead)
    deployment.publish_many(TOPIC_CHANGES, events)
    if pending := published % batch:
        _commit(deployment, state, system, last, done + published)
        if progress:
            progress(pending)
    return BackfillResult(system, published, after, time.monotonic() - start)


def _commit(deployment: Deployment, state, system: str, last: str | None, count: int) -> None:
    publisher = getattr(deployment, "publisher", None)
    if publisher is not None:
        publisher.flush()  # the checkpoint may only pass what Kafka has
    state.checkpoints.save(system, last, count)


def count_records(deployment: Deployment, system: str) -> int | None:
    """How many records the sink holds, for the progress bar (None if it cannot tell)."""
    sink = deployment.processor.sinks[system]
    counter = getattr(sink, "count", None)
    return counter() if counter else None
