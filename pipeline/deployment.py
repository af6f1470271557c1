"""What the embedded and the distributed deployment share: the stores and one Processor."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from detectors import Detector
from pipeline.audit import AuditLog
from pipeline.config import Config
from pipeline.events import Event, utcnow
from pipeline.flow import Processor
from pipeline.identifiers import Hasher
from pipeline.index import SubjectIndex
from pipeline.state import StateStore


@dataclass
class Stores:
    """What read-only commands (search, requests, audit) need: no detector, no sinks."""

    config: Config
    index: SubjectIndex
    state: StateStore
    audit: AuditLog
    hasher: Hasher

    def close(self) -> None:
        self.index.close()
        self.close_state()

    def close_state(self) -> None:
        self.state.close()
        self.audit.close()


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
            )
        return self._processor

    def publish(self, topic: str, value: bytes | None, key: str | None = None) -> None:
        raise NotImplementedError

    def emit(self, topic: str, key: str, event: Event) -> None:
        self.publish(topic, event.to_json(), key)

    def close(self) -> None:
        if self._processor:
            self._processor.close()
            self.stores.close_state()
        else:
            self.stores.close()
