"""Distributed deployment: Kafka topics, Faust workers, Elasticsearch subject index.

Requests, outcomes, holds and the audit trail stay in SQL (``state_url``; PostgreSQL when
several workers run on several machines), because they need transactions and a total order.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING

from glemsel.pipeline.core.clock import utcnow
from glemsel.pipeline.core.config import Config
from glemsel.pipeline.core.events import TOPIC_DLQ, DeadLetter, check_event_size
from glemsel.pipeline.core.identifiers import Hasher
from glemsel.pipeline.runtime.deployment import Deployment
from glemsel.pipeline.runtime.stores import Stores, state_engines
from glemsel.pipeline.stores.index_es import EsSubjectIndex
from glemsel.pipeline.stores.kafka_bus import KafkaPublisher, ensure_topics, read_topic

if TYPE_CHECKING:
    from glemsel.detectors import Detector


def open_distributed_stores(config: Config) -> Stores:
    key = config.hmac_key()
    state, audit = state_engines(config)
    return Stores(
        config=config,
        index=EsSubjectIndex(config.elasticsearch.url, config.elasticsearch.index_prefix),
        state=state,
        audit=audit,
        hasher=Hasher(key),
    )


class DistributedDeployment(Deployment):
    def __init__(
        self,
        config: Config,
        detector: Detector | None = None,
        clock: Callable[[], datetime] = utcnow,
    ) -> None:
        ensure_topics(config.kafka, config.transport_retention_days, config.limits.max_event_bytes)
        super().__init__(config, open_distributed_stores(config), detector, clock)
        self.publisher = KafkaPublisher(config.kafka, config.limits.max_event_bytes)

    def publish(self, topic: str, value: bytes | None, key: str | None = None) -> None:
        check_event_size(value, self.config.limits.max_event_bytes)
        self.publisher.publish(topic, value, key)

    def flush(self) -> None:
        self.publisher.flush()

    def run(self, until_idle: bool = False) -> int:
        from glemsel.pipeline.runtime.faust_app import run_worker

        self.publisher.flush()
        before = self.settled_processor().handled
        run_worker(self, until_idle)
        self.publisher.flush()
        return self.processor.handled - before

    def dead_letters(self) -> list[DeadLetter]:
        self.publisher.flush()
        return [DeadLetter.from_json(v) for v in read_topic(self.config.kafka, TOPIC_DLQ)]

    def close(self) -> None:
        self.publisher.close()
        super().close()
