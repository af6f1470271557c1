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
    AccessRequest,
    Correction,
    ErasureRequest,
    LegalHold,
    RecordRef,
    RectificationRequest,
    SubjectIdentifiers,
)
from glemsel.pipeline.operations import requests as ops


class GlemselClient:
    def __init__(self, config: Config) -> None:
        if config.mode == "distributed":
            from glemsel.pipeline.stores.kafka_bus import KafkaPublisher, ensure_topics

            ensure_topics(
                config.kafka, config.transport_retention_days, config.limits.max_event_bytes
            )
            bus: Any = KafkaPublisher(config.kafka)
            flush = bus.flush
        else:
            from glemsel.pipeline.runtime.stores import state_dir
            from glemsel.pipeline.stores.bus import EmbeddedBus

            bus = EmbeddedBus(state_dir(config) / "bus.db")
            flush = _nothing
        self._bus = bus
        # No state store: the client only submits; the workers and the API answer reads.
        self._gw = ops.Gateway(config, bus, flush)

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
        options = _options(request_id, systems, received_at)
        subject = SubjectIdentifiers(
            fnr=fnr, emails=emails or [], phones=phones or [], names=names or []
        )
        return ops.submit_erasure(self._gw, subject, requested_by, **options)

    def request_access(
        self,
        request_id: str,
        subject: SubjectIdentifiers,
        *,
        systems: list[str] | None = None,
        requested_by: str = "dsr-client",
        received_at: datetime | None = None,
    ) -> AccessRequest:
        """Innsyn (art. 15): the export is read with `glemsel export` or the API once the
        workers have located the data."""
        options = _options(request_id, systems, received_at)
        return ops.submit_access(self._gw, subject, requested_by, **options)

    def request_rectification(
        self,
        request_id: str,
        subject: SubjectIdentifiers,
        corrections: list[Correction],
        *,
        systems: list[str] | None = None,
        requested_by: str = "dsr-client",
        received_at: datetime | None = None,
    ) -> RectificationRequest:
        options = _options(request_id, systems, received_at)
        return ops.submit_rectification(self._gw, subject, corrections, requested_by, **options)

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
        refs = [RecordRef(system=s, record_id=r) for s, r in records] if records else None
        return ops.place_hold(
            self._gw,
            reason,
            placed_by,
            hold_id=hold_id,
            subject=subject,
            systems=systems,
            records=refs,
            until=until,
        )

    def release_hold(self, hold_id: str, released_by: str = "dsr-client") -> LegalHold:
        return ops.release_hold(self._gw, hold_id, released_by)

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


def _options(
    request_id: str, systems: list[str] | None, received_at: datetime | None
) -> ops.SubmitOptions:
    """What a request of every kind takes besides its subject (and corrections)."""
    return {"request_id": request_id, "systems": systems, "received_at": received_at}


def _nothing() -> None:
    pass
