"""The audit head kept outside the state store (config ``audit.head_file`` / ``head_topic``).

The chain proves that no entry between the first and the last was edited, but whoever can
write to the state store can cut off its tail or empty it, and whoever also holds the HMAC
key can rewrite it consistently. A copy of the head (last seq and MAC) exported at an
interval to somewhere else turns all three into a failed `glemsel audit verify`: the chain
must still reach every exported head, with the same MAC.

The file gets one JSON line per new head (append-only, so older heads stay checkable too);
the topic one message per new head, on a single partition.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import time
from pathlib import Path
from typing import Any

from glemsel.pipeline.core.config import Config
from glemsel.pipeline.stores.audit import AuditHead, AuditLog

log = logging.getLogger("glemsel.audit")


class HeadExporter:
    def __init__(self, config: Config, audit: AuditLog) -> None:
        settings = config.audit
        self._audit = audit
        self._file = config.resolve(settings.head_file) if settings.head_file else None
        self._topic = settings.head_topic
        self._kafka = config.kafka
        self._interval = settings.head_interval_seconds
        self._last_export = float("-inf")
        self._last: AuditHead | None = None
        self._producer: Any = None  # a KafkaProducer once the first head is sent

    @property
    def enabled(self) -> bool:
        return bool(self._file or self._topic)

    def maybe_export(self) -> AuditHead | None:
        """Export the head if the interval passed since the last export (worker loops)."""
        if not self.enabled or time.monotonic() - self._last_export < self._interval:
            return None
        return self.export()

    def export(self) -> AuditHead | None:
        """Export the current head unless it is the one exported last."""
        if not self.enabled:
            return None
        self._last_export = time.monotonic()
        head = self._audit.head()
        if head.seq == 0 or (self._last and head.seq == self._last.seq):
            return None
        line = json.dumps(head.as_dict())
        if self._file:
            self._file.parent.mkdir(parents=True, exist_ok=True)
            fd = os.open(self._file, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
            try:
                os.write(fd, line.encode() + b"\n")
                os.fsync(fd)
            finally:
                os.close(fd)
        if self._topic:
            self._send(line.encode())
        self._last = head
        log.info("audit head exported: seq %d", head.seq)
        return head

    def _send(self, value: bytes) -> None:
        assert self._topic is not None  # only called with a head topic configured
        from glemsel.pipeline.stores.kafka_bus import ensure_topic, topic_name
        from kafka import KafkaProducer

        if self._producer is None:
            ensure_topic(self._kafka, self._topic, partitions=1)
            self._producer = KafkaProducer(
                bootstrap_servers=self._kafka.bootstrap,
                acks="all",
                enable_idempotence=True,
                client_id="glemsel-audit-head",
            )
        self._producer.send(topic_name(self._kafka, self._topic), value=value, key=b"head")
        self._producer.flush()

    def close(self) -> None:
        if self._producer is not None:
            self._producer.close()
            self._producer = None


def exported_heads(config: Config) -> list[AuditHead]:
    """Every head exported so far (file lines and topic messages); empty when unconfigured."""
    settings = config.audit
    raw: list[bytes] = []
    if settings.head_file:
        path = config.resolve(settings.head_file)
        with contextlib.suppress(FileNotFoundError):
            raw.extend(path.read_bytes().splitlines())
    if settings.head_topic:
        from glemsel.pipeline.stores.kafka_bus import read_topic

        raw.extend(read_topic(config.kafka, settings.head_topic))
    heads = []
    for line in raw:
        if not line.strip():
            continue
        try:
            data = json.loads(line)
            heads.append(AuditHead(int(data["seq"]), str(data["mac"]), data.get("ts")))
        except (ValueError, KeyError, TypeError):
            log.warning("unreadable audit head line skipped")
    return heads


def head_file_path(config: Config) -> Path | None:
    return config.resolve(config.audit.head_file) if config.audit.head_file else None
