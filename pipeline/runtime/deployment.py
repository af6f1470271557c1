"""What the embedded and the distributed deployment share: the stores and one Processor."""

from __future__ import annotations

import gc
from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING

from glemsel.pipeline.core.clock import utcnow
from glemsel.pipeline.core.config import Config
from glemsel.pipeline.core.events import DeadLetter, Event
from glemsel.pipeline.flow.processor import Processor
from glemsel.pipeline.runtime.stores import Stores
from glemsel.pipeline.stores.attempts import AttemptStore
from glemsel.pipeline.stores.audit_head import HeadExporter

if TYPE_CHECKING:
    from glemsel.detectors import Detector


class Deployment:
    """A bus to publish to, stores, and the Processor that the bus's messages go through."""

    def __init__(
        self,
        config: Config,
        stores: Stores,
        detector: Detector | None = None,
        clock: Callable[[], datetime] = utcnow,
    ) -> None:
        self.config = config
        self.stores = stores
        self._detector = detector
        self._clock = clock
        self._processor: Processor | None = None
        # Workers export the audit head outside the state store (config `audit`).
        self.head_exporter = HeadExporter(config, stores.audit)

    def settled_processor(self) -> Processor:
        """The processor, for a run: its detector warmed up and, once per process, what
        start-up built kept out of the garbage collector's walks (see ``_settle``)."""
        processor = self.processor
        _settle(processor)
        return processor

    @property
    def processor(self) -> Processor:
        # Built on first use: loading the detector is the slow part of start-up, and
        # commands that only publish never need it.
        if self._processor is None:
            s = self.stores
            self._processor = Processor(
                self.config,
                index=s.index,
                state=s.state,
                audit=s.audit,
                emit=self.emit,
                detector=self._detector,
                clock=self._clock,
                flush=self.flush,
                attempts=AttemptStore(s.state.engine),
            )
            # A deployment whose bus can drop single messages (embedded) removes the raw
            # copies of an erased subject; Kafka's topics expire them by retention.ms.
            self._processor.eraser.forget = getattr(self, "forget", None)
        return self._processor

    # The interface every deployment implements (one factory per mode: ``open_deployment``).

    def publish(self, topic: str, value: bytes | None, key: str | None = None) -> None:
        """Append to the bus; may be buffered until :meth:`flush`."""
        raise NotImplementedError

    def publish_many(self, topic: str, items: list[tuple[bytes | None, str | None]]) -> None:
        """Append (value, key) pairs in their order; a bus may write them together."""
        for value, key in items:
            self.publish(topic, value, key)

    def flush(self) -> None:
        """Everything published so far is durable on the bus when this returns."""

    def run(self, until_idle: bool = False) -> int:
        """Process the input topics (until nothing is pending); returns messages handled."""
        raise NotImplementedError

    def dead_letters(self) -> list[DeadLetter]:
        raise NotImplementedError

    def emit(self, topic: str, key: str, event: Event) -> None:
        self.publish(topic, event.to_json(), key)

    def close(self) -> None:
        self.head_exporter.close()
        if self._processor:
            self._processor.close()
            self.stores.close_state()
        else:
            self.stores.close()


_settled = False


def _settle(processor: Processor) -> None:
    """Loads what the first event would load (the detector's word lists and tables, the
    public suffix list) and, the first time in a process, freezes the heap: what a worker
    has built before its first event (Presidio, the detector, the stores' engines) lives as
    long as the worker, and each full collection of the garbage collector walked all of it
    again, about a sixth of a CRM backfill's time (bench/backfill.py). Collected first, so
    that only live objects are frozen; once, so that a process building many deployments
    (tests, tools) freezes the first one's only."""
    global _settled
    processor.scanner.warm_up()
    if not _settled:
        _settled = True
        gc.collect()
        gc.freeze()
