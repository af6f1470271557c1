"""A small client for a DSR tool: submit erasure requests and legal holds to Glemsel.

    from glemsel.pipeline.interfaces.client import GlemselClient
    with GlemselClient.from_config("glemsel.yaml") as glemsel:
        glemsel.request_erasure("dsr-1", fnr="15038512345", requested_by="dsr-tool")

It publishes to the configured bus (Kafka in distributed mode, the embedded log otherwise);
the workers do the rest. Requests are keyed by request_id, so re-submitting is harmless.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from types import TracebackType
from typing import Any

from glemsel.pipeline.core.config import Config, load_config
from glemsel.pipeline.core.events import (
    TOPIC_ERASURE_REQUESTS,
    TOPIC_LEGAL_HOLDS,
    ErasureRequest,
    LegalHold,
    RecordRef,
    SubjectIdentifiers,
)


class GlemselClient:
    def __init__(self, config: Config) -> None:
        if config.mode == "distributed":
            from glemsel.pipeline.stores.kafka_bus import KafkaPublisher, ensure_topics

            ensure_topics(config.kafka)
            self._bus: Any = KafkaPublisher(config.kafka)
        else:
            from glemsel.pipeline.runtime.embedded import state_dir
            from glemsel.pipeline.stores.bus import EmbeddedBus

            self._bus = EmbeddedBus(state_dir(config) / "bus.db")

    @classmethod
    def from_config(cls, path: str | Path | None = None) -> GlemselClient:
        return cls(load_config(path))

    def request_erasure(
        self,
        request_id: str,
        *,
        fnr: str | None = None,
        emails: list[str] | None = None,
        phones: list[str] | None = None,
        names: list[str] | None = None,
        systems: list[str] | None = None,
        requested_by: str = "dsr-client",
        received_at: datetime | None = None,
    ) -> ErasureRequest:
        extra = {"received_at": received_at} if received_at else {}
        request = ErasureRequest(
            request_id=request_id,
            subject=SubjectIdentifiers(
                fnr=fnr, emails=emails or [], phones=phones or [], names=names or []
            ),
            systems=systems,
            requested_by=requested_by,
            **extra,
        )
        self._bus.publish(TOPIC_ERASURE_REQUESTS, request.to_json(), request.request_id)
        return request

    def place_hold(
        self,
        hold_id: str,
        reason: str,
        *,
        subject: SubjectIdentifiers | None = None,
        systems: list[str] | None = None,
        records: list[tuple[str, str]] | None = None,
        until: datetime | None = None,
        placed_by: str = "dsr-client",
    ) -> LegalHold:
        hold = LegalHold(
            hold_id=hold_id,
            action="place",
            subject=subject,
            systems=systems,
            records=[RecordRef(system=s, record_id=r) for s, r in records] if records else None,
            reason=reason,
            until=until,
            placed_by=placed_by,
        )
        self._bus.publish(TOPIC_LEGAL_HOLDS, hold.to_json(), hold_id)
        return hold

    def release_hold(self, hold_id: str, released_by: str = "dsr-client") -> LegalHold:
        hold = LegalHold(hold_id=hold_id, action="release", placed_by=released_by)
        self._bus.publish(TOPIC_LEGAL_HOLDS, hold.to_json(), hold_id)
        return hold

    def close(self) -> None:
        self._bus.close()

    def __enter__(self) -> GlemselClient:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()
