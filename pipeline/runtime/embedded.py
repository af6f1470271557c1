"""Embedded deployment: one process, SQLite for the log, the index, the state and the audit."""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from datetime import datetime, timedelta
from itertools import groupby
from typing import TYPE_CHECKING

from glemsel.pipeline.core.clock import utcnow
from glemsel.pipeline.core.config import Config
from glemsel.pipeline.core.events import TOPIC_CHANGES, TOPIC_DLQ, DeadLetter, check_event_size
from glemsel.pipeline.core.identifiers import RawValues
from glemsel.pipeline.flow.processor import INPUT_TOPICS
from glemsel.pipeline.runtime.deployment import Deployment
from glemsel.pipeline.runtime.stores import open_stores, state_dir
from glemsel.pipeline.runtime.stores import state_engines as state_engines  # re-exported
from glemsel.pipeline.stores.attempts import Position
from glemsel.pipeline.stores.bus import UNLOCATED, EmbeddedBus, Message, WorkerLock

if TYPE_CHECKING:
    from glemsel.detectors import Detector

log = logging.getLogger("glemsel.embedded")

GROUP = "glemsel-worker"


def _position(message: Message) -> Position:
    # One log, one partition: an offset is unique across the log's topics.
    return Position(f"embedded:{message.topic}", 0, message.offset)


class EmbeddedDeployment(Deployment):
    def __init__(
        self,
        config: Config,
        detector: Detector | None = None,
        clock: Callable[[], datetime] = utcnow,
    ) -> None:
        super().__init__(config, open_stores(config), detector, clock)
        self.bus = EmbeddedBus(state_dir(config) / "bus.db")
        self._lock = WorkerLock(state_dir(config))
        self._current = 0  # offset of the message being handled

    def forget(self, raw: RawValues) -> int:
        located = (TOPIC_CHANGES, raw.locations)
        return self.bus.forget(raw.found_in, self._current, INPUT_TOPICS, located)

    def expire_transport(self, now: datetime) -> int:
        cutoff = now - timedelta(days=self.config.transport_retention_days)
        return self.bus.expire(cutoff, GROUP, INPUT_TOPICS)

    def publish(self, topic: str, value: bytes | None, key: str | None = None) -> None:
        check_event_size(value, self.config.limits.max_event_bytes)
        self.bus.publish(topic, value, key)

    def publish_many(self, topic: str, items: list[tuple[bytes | None, str | None]]) -> None:
        for value, _ in items:
            check_event_size(value, self.config.limits.max_event_bytes)
        self.bus.publish_many(topic, items)

    def dead_letters(self) -> list[DeadLetter]:
        return [DeadLetter.from_json(m.value) for m in self.bus.read(TOPIC_DLQ) if m.value]

    def pending(self) -> int:
        return self.bus.pending(GROUP, INPUT_TOPICS)

    def run(
        self,
        until_idle: bool = False,
        stop: threading.Event | None = None,
        idle_sleep: float = 0.5,
        tick_every: float = 60.0,
    ) -> int:
        """Process input topics in append order; returns how many messages were handled.

        Raises :class:`WorkerBusy` if another worker runs on the same state directory."""
        self._lock.acquire()
        try:
            self.settled_processor()
            return self._run(until_idle, stop or threading.Event(), idle_sleep, tick_every)
        finally:
            self._lock.release()

    def _run(
        self, until_idle: bool, stop: threading.Event, idle_sleep: float, tick_every: float
    ) -> int:
        handled, last_tick = 0, float("-inf")
        while not stop.is_set():
            batch = self.bus.poll(GROUP, INPUT_TOPICS)
            # Runs of changes, in append order, go through the Processor as one batch (one
            # index transaction, like the distributed ingest's bulk write); the offset moves
            # past a run once its effects are durable. Requests and holds go one by one: a
            # completed erasure forgets the raw copies behind it, never a pending message.
            for topic, run in groupby(batch, key=lambda m: m.topic):
                messages = list(run)
                if topic == TOPIC_CHANGES:
                    self._current = messages[0].offset - 1
                    self.processor.handle_batch(
                        topic, [m.value for m in messages], [_position(m) for m in messages]
                    )
                    where = self.processor.located
                    located = [
                        (m.offset, *place)
                        for m in messages
                        for place in where.get(id(m.value)) or [UNLOCATED]
                    ]
                    self.bus.commit(GROUP, messages[-1].offset, located)
                    handled += len(messages)
                    continue
                for message in messages:
                    self._current = message.offset
                    self.processor.handle(message.topic, message.value, _position(message))
                    self.bus.commit(GROUP, message.offset)
                    handled += 1
            idle = not batch
            if (idle and until_idle) or time.monotonic() - last_tick >= tick_every:
                self.processor.tick()
                self.expire_transport(self._clock())
                last_tick = time.monotonic()
            self.head_exporter.maybe_export()
            if idle:
                if until_idle:
                    break
                stop.wait(idle_sleep)
        self.head_exporter.export()  # the head as this run leaves it
        return handled

    def close(self) -> None:
        super().close()
        self.bus.close()
