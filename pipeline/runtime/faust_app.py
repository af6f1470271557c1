"""The distributed workers: one Faust app whose agents feed the same Processor as embedded.

Topology (all keys chosen so that what must be ordered shares a partition):

    glemsel.changes            key system:record_id  -> agent `ingest`   (ingest, detect, index;
                                                        batches of up to 500, one bulk write)
    glemsel.erasure.requests   key request_id        -> agent `erasure`  (plan, execute, verify)
    glemsel.access.requests    key request_id        -> agent `access`   (locate; export on ask)
    glemsel.rectification.requests key request_id    -> agent `rectify`  (replace, verify)
    glemsel.legal-holds        key hold_id (compact) -> agent `holds`    (place, release, retry)
    timer (the group's leader only)                  -> `sweep`          (expiry, retention)
    outcomes and dead letters are produced by the Processor to their topics.

Delivery is at-least-once: an event is acknowledged after its handler returned, i.e. after
its effects are durable, and Faust commits acknowledged offsets only. Handlers are
idempotent, so a redelivery after a crash changes nothing. Faust's exactly_once is not used:
it cannot cover effects outside Kafka (sinks, Elasticsearch) anyway.
"""

from __future__ import annotations

import asyncio
import logging
import os
from collections.abc import Awaitable, Callable
from concurrent.futures import ThreadPoolExecutor
from typing import TYPE_CHECKING, Any

import faust
from glemsel.pipeline.core.events import (
    TOPIC_ACCESS_REQUESTS,
    TOPIC_CHANGES,
    TOPIC_ERASURE_REQUESTS,
    TOPIC_LEGAL_HOLDS,
    TOPIC_RECTIFICATION_REQUESTS,
    WorkerStop,
)
from glemsel.pipeline.flow.processor import INPUT_TOPICS
from glemsel.pipeline.runtime.stores import state_dir
from glemsel.pipeline.stores.attempts import Position
from glemsel.pipeline.stores.kafka_bus import FRAMING, consumer_lag, topic_name

if TYPE_CHECKING:
    from glemsel.pipeline.runtime.distributed import DistributedDeployment

log = logging.getLogger("glemsel.faust")

SWEEP_INTERVAL = 60.0
# Change events are indexed in batches (one bulk write); requests and holds one at a time,
# each recorded before the next is read.
BATCH = {
    TOPIC_CHANGES: 500,
    TOPIC_ERASURE_REQUESTS: 1,
    TOPIC_ACCESS_REQUESTS: 1,
    TOPIC_RECTIFICATION_REQUESTS: 1,
    TOPIC_LEGAL_HOLDS: 1,
}
BATCH_WAIT = 0.2  # seconds a lone event waits for company
EXIT_WORKER_STOP = 70  # a dead letter could not be written (EX_SOFTWARE)


def group_id(deployment: DistributedDeployment) -> str:
    return f"{deployment.config.kafka.topic_prefix}glemsel-worker"


def build_app(deployment: DistributedDeployment, until_idle: bool = False) -> faust.App:
    settings = deployment.config.kafka
    app = faust.App(
        group_id(deployment),
        broker=f"kafka://{settings.bootstrap}",
        key_serializer="raw",
        value_serializer="raw",
        store="memory://",
        # Faust makes a data directory even for memory stores; keep it with Glemsel's own
        # state instead of in the working directory.
        datadir=str(state_dir(deployment.config) / "faust"),
        web_enabled=False,
        topic_allow_declare=False,  # topics are created by ensure_topics, with their configs
        topic_partitions=settings.partitions,
        topic_replication_factor=settings.replication,
        consumer_auto_offset_reset="earliest",
        broker_commit_interval=0.5,
        broker_session_timeout=settings.session_timeout,
        # The largest event must fit one fetch (aiokafka's default is 1 MB).
        consumer_max_fetch_size=deployment.config.limits.max_event_bytes + FRAMING,
        producer_max_request_size=deployment.config.limits.max_event_bytes + FRAMING,
        broker_heartbeat_interval=min(3.0, settings.session_timeout / 3),
        stream_wait_empty=False,
    )
    # The Processor is synchronous (SQLAlchemy, sinks, Elasticsearch client); one thread runs
    # it so that the event loop keeps heart-beating and effects stay in arrival order.
    executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="glemsel-processor")
    processor = deployment.processor

    async def in_thread(call: Callable[..., Any], *args: Any) -> Any:
        return await asyncio.get_running_loop().run_in_executor(executor, call, *args)

    def agent_for(topic: str, name: str) -> Callable[[Any], Awaitable[None]]:
        async def agent(stream: faust.StreamT) -> None:
            # take_events acknowledges a batch only when the next one is asked for, i.e.
            # after handle_batch returned and the batch's effects are durable.
            batches = stream.take_events(  # type: ignore[attr-defined]  # faust-streaming API
                BATCH[topic], within=BATCH_WAIT
            )
            async for events in batches:
                try:
                    await in_thread(
                        processor.handle_batch,
                        topic,
                        [e.value for e in events],
                        [
                            Position(e.message.topic, e.message.partition, e.message.offset)
                            for e in events
                        ],
                    )
                except WorkerStop:
                    # Out at once, before Faust acknowledges (and commits) this batch: the
                    # next worker gets it again.
                    logging.shutdown()
                    os._exit(EXIT_WORKER_STOP)

        agent.__name__ = agent.__qualname__ = name
        return agent

    for topic, name in (
        (TOPIC_CHANGES, "ingest"),
        (TOPIC_ERASURE_REQUESTS, "erasure"),
        (TOPIC_ACCESS_REQUESTS, "access"),
        (TOPIC_RECTIFICATION_REQUESTS, "rectify"),
        (TOPIC_LEGAL_HOLDS, "holds"),
    ):
        channel = app.topic(topic_name(settings, topic), key_type=bytes, value_type=bytes)
        app.agent(channel, name=name, concurrency=1)(agent_for(topic, name))

    # One worker of the group sweeps: two sweeping at once would each try every due location.
    @app.timer(interval=SWEEP_INTERVAL, on_leader=True)
    async def sweep() -> None:
        await in_thread(processor.tick)

    if deployment.head_exporter.enabled:

        @app.timer(interval=deployment.config.audit.head_interval_seconds, on_leader=False)
        async def export_audit_head() -> None:
            await in_thread(deployment.head_exporter.export)

    if until_idle:

        @app.task
        async def stop_when_idle() -> None:
            await _wait_idle(deployment, in_thread)
            await in_thread(processor.tick)  # like the embedded run: end with a sweep
            await _wait_idle(deployment, in_thread)
            await in_thread(deployment.head_exporter.export)
            await app._worker.stop()  # type: ignore[attr-defined]  # noqa: SLF001

    return app


async def _wait_idle(deployment: DistributedDeployment, in_thread) -> None:
    """Until every input message is committed by our group, twice in a row."""
    topics = INPUT_TOPICS
    quiet = 0
    while quiet < 2:
        await asyncio.sleep(0.5)
        lag = await asyncio.get_running_loop().run_in_executor(
            None, consumer_lag, deployment.config.kafka, group_id(deployment), topics
        )
        quiet = quiet + 1 if lag == 0 else 0


def run_worker(deployment: DistributedDeployment, until_idle: bool) -> None:
    loop = asyncio.new_event_loop()
    asyncio.set_event_loop(loop)
    app = build_app(deployment, until_idle)
    worker = faust.Worker(app, loop=loop, loglevel="WARNING", quiet=True, override_logging=False)
    app._worker = worker  # type: ignore[attr-defined]  # noqa: SLF001
    try:
        worker.execute_from_commandline()
    except SystemExit as exc:
        if exc.code not in (0, None):
            # Faust turns a failure into exit code 1 and logs it to loggers Glemsel does not
            # configure: say what stopped it. The type and, for an OS error, its message
            # (a path, an address); never other exceptions' text, which may quote data.
            cause = exc.__context__
            if cause is not None:
                what = str(cause) if isinstance(cause, OSError) else ""
                log.error("the worker stopped: %s %s", type(cause).__name__, what)
            raise
