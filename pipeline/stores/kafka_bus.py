"""Kafka side of the distributed deployment: topic administration and producers (kafka-python).

Keys decide partitions and so ordering: changes are keyed `system:record_id`, so events of
one record are processed in order; requests by `request_id`, holds by `hold_id`.
"""

from __future__ import annotations

import logging
from contextlib import suppress

from glemsel.pipeline.core.config import KafkaSettings
from glemsel.pipeline.core.events import (
    TOPIC_ACCESS_REQUESTS,
    TOPIC_CHANGES,
    TOPIC_DLQ,
    TOPIC_ERASURE_REQUESTS,
    TOPIC_LEGAL_HOLDS,
    TOPIC_OUTCOMES,
    TOPIC_RECTIFICATION_REQUESTS,
)
from kafka import KafkaAdminClient, KafkaConsumer, KafkaProducer
from kafka.admin import NewTopic
from kafka.errors import TopicAlreadyExistsError
from kafka.structs import TopicPartition

log = logging.getLogger("glemsel.kafka")

# Holds are state, not history: compaction keeps the latest place/release per hold_id.
TOPIC_CONFIGS = {
    TOPIC_CHANGES: {},
    TOPIC_ERASURE_REQUESTS: {},
    TOPIC_ACCESS_REQUESTS: {},
    TOPIC_RECTIFICATION_REQUESTS: {},
    TOPIC_LEGAL_HOLDS: {"cleanup.policy": "compact,delete"},
    TOPIC_OUTCOMES: {},
    TOPIC_DLQ: {},
}


def topic_name(settings: KafkaSettings, topic: str) -> str:
    return f"{settings.topic_prefix}{topic}"


def ensure_topics(settings: KafkaSettings, retention_days: int = 7) -> None:
    """Create Glemsel's topics. Every one keeps its raw events for ``retention_days`` at
    most (transport_retention_days): they may hold personal data, and the state, not the
    topics, is the record. Holds are compacted and expire too: their state is in SQL."""
    retention = {"retention.ms": str(retention_days * 24 * 3600 * 1000)}
    admin = KafkaAdminClient(bootstrap_servers=settings.bootstrap, client_id="glemsel-admin")
    try:
        existing = set(admin.list_topics())
        new = [
            NewTopic(
                name=topic_name(settings, topic),
                num_partitions=settings.partitions,
                replication_factor=settings.replication,
                topic_configs={**configs, **retention},
            )
            for topic, configs in TOPIC_CONFIGS.items()
            if topic_name(settings, topic) not in existing
        ]
        if new:
            with suppress(TopicAlreadyExistsError):  # another process won the race
                admin.create_topics(new)
    finally:
        admin.close()


def ensure_topic(settings: KafkaSettings, topic: str, partitions: int) -> None:
    """One more topic outside the fixed set (e.g. the configured audit head topic)."""
    admin = KafkaAdminClient(bootstrap_servers=settings.bootstrap, client_id="glemsel-admin")
    try:
        name = topic_name(settings, topic)
        if name not in set(admin.list_topics()):
            with suppress(TopicAlreadyExistsError):
                admin.create_topics([NewTopic(name, partitions, settings.replication)])
    finally:
        admin.close()


class KafkaPublisher:
    def __init__(self, settings: KafkaSettings) -> None:
        self._settings = settings
        # acks=all + idempotence: a publish that returned is on the broker, exactly once.
        self._producer = KafkaProducer(
            bootstrap_servers=settings.bootstrap,
            acks="all",
            enable_idempotence=True,
            linger_ms=5,
            client_id="glemsel-producer",
        )

    def publish(self, topic: str, value: bytes | None, key: str | None = None) -> None:
        self._producer.send(
            topic_name(self._settings, topic),
            value=value,
            key=key.encode() if key is not None else None,
        )

    def flush(self) -> None:
        self._producer.flush()

    def close(self) -> None:
        self._producer.flush()
        self._producer.close()


def read_topic(settings: KafkaSettings, topic: str, timeout_ms: int = 2000) -> list[bytes]:
    """Every message of a topic from the start (dead letters, outcomes): for tools and tests."""
    consumer = KafkaConsumer(
        bootstrap_servers=settings.bootstrap,
        enable_auto_commit=False,
        consumer_timeout_ms=timeout_ms,
    )
    try:
        name = topic_name(settings, topic)
        partitions = consumer.partitions_for_topic(name) or set()
        tps = [TopicPartition(name, p) for p in sorted(partitions)]
        if not tps:
            return []
        consumer.assign(tps)
        consumer.seek_to_beginning(*tps)
        ends = consumer.end_offsets(tps)
        values: list[bytes] = []
        while any(consumer.position(tp) < ends[tp] for tp in tps):
            for records in consumer.poll(timeout_ms=timeout_ms).values():
                values.extend(r.value for r in records if r.value is not None)
        return values
    finally:
        consumer.close()


def consumer_lag(settings: KafkaSettings, group: str, topics: set[str]) -> int:
    """Messages on ``topics`` not yet committed by ``group``."""
    admin = KafkaAdminClient(bootstrap_servers=settings.bootstrap, client_id="glemsel-lag")
    consumer = KafkaConsumer(bootstrap_servers=settings.bootstrap, enable_auto_commit=False)
    try:
        committed = admin.list_group_offsets(group).get(group, {})
        tps = [
            TopicPartition(topic_name(settings, t), p)
            for t in topics
            for p in sorted(consumer.partitions_for_topic(topic_name(settings, t)) or set())
        ]
        ends = consumer.end_offsets(tps) if tps else {}
        return sum(
            max(end - (committed[tp].offset if tp in committed else 0), 0)
            for tp, end in ends.items()
        )
    finally:
        consumer.close()
        admin.close()
