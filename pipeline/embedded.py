"""Embedded deployment: one process, SQLite for the log, the index, the state and the audit."""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

from sqlalchemy import URL, create_engine, make_url

from detectors import Detector
from pipeline.audit import AuditLog
from pipeline.bus import EmbeddedBus
from pipeline.config import Config
from pipeline.deployment import Deployment, Stores
from pipeline.events import TOPIC_DLQ, DeadLetter, utcnow
from pipeline.flow import INPUT_TOPICS
from pipeline.identifiers import Hasher
from pipeline.index_sqlite import SqliteSubjectIndex, sqlite_engine
from pipeline.state import StateStore

log = logging.getLogger("glemsel.embedded")

GROUP = "glemsel-worker"


def state_dir(config: Config) -> Path:
    path = config.resolve(config.state_dir)
    path.mkdir(parents=True, exist_ok=True)
    return path


def sql_url(url: str) -> URL:
    """``postgresql://`` means psycopg 3, the driver the distributed extra installs
    (SQLAlchemy's own default would be psycopg2)."""
    parsed = make_url(url)
    if parsed.drivername in ("postgresql", "postgres"):
        parsed = parsed.set(drivername="postgresql+psycopg")
    return parsed


def state_engines(config: Config) -> tuple[StateStore, AuditLog]:
    """Requests, holds and outcomes, and the audit trail: SQLite files, or ``state_url``."""
    key = config.hmac_key()
    if config.state_url:
        engine = create_engine(sql_url(config.state_url), pool_pre_ping=True)
        return StateStore(engine), AuditLog(engine, key)
    root = state_dir(config)
    return StateStore(sqlite_engine(root / "state.db")), AuditLog(
        sqlite_engine(root / "audit.db"), key
    )


def open_stores(config: Config) -> Stores:
    state, audit = state_engines(config)
    return Stores(
        config=config,
        index=SqliteSubjectIndex(state_dir(config) / "index.db"),
        state=state,
        audit=audit,
        hasher=Hasher(config.hmac_key()),
    )


class EmbeddedDeployment(Deployment):
    def __init__(
        self,
        config: Config,
        detector: Detector | None = None,
        clock: Callable[[], datetime] = utcnow,
    ) -> None:
        super().__init__(config, open_stores(config), detector, clock)
        self.bus = EmbeddedBus(state_dir(config) / "bus.db")

    def publish(self, topic: str, value: bytes | None, key: str | None = None) -> None:
        self.bus.publish(topic, value, key)

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
        """Process input topics in append order; returns how many messages were handled."""
        stop = stop or threading.Event()
        handled, last_tick = 0, float("-inf")
        while not stop.is_set():
            batch = self.bus.poll(GROUP, INPUT_TOPICS)
            for message in batch:
                self.processor.handle(message.topic, message.value)
                # Effects (index, sinks, state, dead letter) are durable: now move on.
                self.bus.commit(GROUP, message.offset)
                handled += 1
            idle = not batch
            if (idle and until_idle) or time.monotonic() - last_tick >= tick_every:
                self.processor.tick()
                last_tick = time.monotonic()
            if idle:
                if until_idle:
                    break
                stop.wait(idle_sleep)
        return handled

    def close(self) -> None:
        super().close()
        self.bus.close()
