"""The bus contract, for the embedded log and Kafka alike: what is published (and flushed)
is read back once, and messages with one key keep their order (a record's changes, a
request's events)."""

from __future__ import annotations

import uuid
from collections import defaultdict

import pytest
from glemsel.pipeline.core.events import TOPIC_DLQ


class EmbeddedSide:
    def __init__(self, tmp_path):
        from glemsel.pipeline.stores.bus import EmbeddedBus

        self.bus = EmbeddedBus(tmp_path / "bus.db")

    def publish(self, topic: str, value: bytes, key: str) -> None:
        self.bus.publish(topic, value, key)

    def read(self, topic: str) -> list[bytes]:
        return [m.value for m in self.bus.read(topic) if m.value is not None]

    def close(self) -> None:
        self.bus.close()


class KafkaSide:
    def __init__(self, bootstrap: str):
        from glemsel.pipeline.core.config import KafkaSettings
        from glemsel.pipeline.stores.kafka_bus import KafkaPublisher, ensure_topics

        self.settings = KafkaSettings(
            bootstrap=bootstrap, partitions=3, topic_prefix=f"contract-{uuid.uuid4().hex[:8]}."
        )
        ensure_topics(self.settings)
        self.publisher = KafkaPublisher(self.settings)

    def publish(self, topic: str, value: bytes, key: str) -> None:
        self.publisher.publish(topic, value, key)

    def read(self, topic: str) -> list[bytes]:
        from glemsel.pipeline.stores.kafka_bus import read_topic

        self.publisher.flush()
        return read_topic(self.settings, topic)

    def close(self) -> None:
        self.publisher.close()


@pytest.fixture(params=["embedded", pytest.param("kafka", marks=pytest.mark.distributed)])
def bus(request, tmp_path):
    if request.param == "embedded":
        side = EmbeddedSide(tmp_path)
    else:
        side = KafkaSide(request.getfixturevalue("endpoints").kafka)
    yield side
    side.close()


def test_published_messages_are_read_back_once_in_key_order(bus):
    sent = [(f"k{i % 5}", f"{i % 5}:{i}".encode()) for i in range(50)]
    for key, value in sent:
        bus.publish(TOPIC_DLQ, value, key)
    got = bus.read(TOPIC_DLQ)
    assert sorted(got) == sorted(v for _, v in sent)
    per_key: dict[bytes, list[int]] = defaultdict(list)
    for value in got:
        key, _, n = value.partition(b":")
        per_key[key].append(int(n))
    assert all(seq == sorted(seq) for seq in per_key.values())


def test_topics_are_apart(bus):
    from glemsel.pipeline.core.events import TOPIC_CHANGES

    bus.publish(TOPIC_CHANGES, b"change", "a")
    assert bus.read(TOPIC_DLQ) == []
    assert bus.read(TOPIC_CHANGES) == [b"change"]
