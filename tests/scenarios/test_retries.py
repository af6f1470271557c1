"""Failed locations are retried with back-off by the kind that owns the request."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from company import KARI
from glemsel.pipeline.core.events import (
    TOPIC_ACCESS_REQUESTS,
    TOPIC_ERASURE_REQUESTS,
    TOPIC_RECTIFICATION_REQUESTS,
    AccessRequest,
    Correction,
    ErasureRequest,
    RectificationRequest,
    SubjectIdentifiers,
)
from world import World


def test_a_failed_access_location_is_read_again_after_its_back_off_and_never_erased(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    world.ingest_all()
    sink = world.app.processor.sinks["crm"]
    real_read = sink.read

    def unreachable(record_id: str):
        raise ConnectionError("crm is down")

    monkeypatch.setattr(sink, "read", unreachable)
    req = AccessRequest(
        request_id="innsyn-retry", subject=SubjectIdentifiers(fnr=KARI["fnr"]), requested_by="t"
    )
    world.publish(TOPIC_ACCESS_REQUESTS, req)
    world.run()
    assert world.request("innsyn-retry").status == "failed"
    failed = {key for key, action in world.outcomes("innsyn-retry").items() if action == "failed"}
    assert failed and {system for system, _ in failed} == {"crm"}

    monkeypatch.setattr(sink, "read", real_read)
    soon = datetime.now(UTC) + timedelta(seconds=5)
    world.app.processor.tick(now=soon)  # within the back-off: not yet
    assert world.request("innsyn-retry").status == "failed"
    done = world.app.processor.tick(now=datetime.now(UTC) + timedelta(seconds=31))
    assert done.get("failed_retried", 0) >= 1
    assert world.request("innsyn-retry").status == "completed"
    assert all(world.outcomes("innsyn-retry")[key] == "exported" for key in failed)
    # Retried as access: read, not erased.
    assert all(sink.read(record_id) is not None for _, record_id in failed)
    kinds = [e["kind"] for e in world.app.stores.audit.entries("innsyn-retry")]
    assert not any(k.startswith("erasure.") for k in kinds)


NEW_PHONE = "+47 987 65 432"


def _down(monkeypatch: pytest.MonkeyPatch, sink: object, method: str) -> Callable[..., Any]:
    real = getattr(sink, method)

    def unreachable(*args: object, **kwargs: object) -> None:
        raise ConnectionError("the system is down")

    monkeypatch.setattr(sink, method, unreachable)
    return real


def test_a_failed_rectification_location_is_rectified_again_after_its_back_off(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    world.ingest_all()
    sink = world.app.processor.sinks["support"]
    real_update = _down(monkeypatch, sink, "update")
    req = RectificationRequest(
        request_id="rett-retry",
        subject=SubjectIdentifiers(fnr=KARI["fnr"]),
        corrections=[Correction(type="PHONE_NUMBER", old=KARI["phone"], new=NEW_PHONE)],
    )
    world.publish(TOPIC_RECTIFICATION_REQUESTS, req)
    world.run()
    assert world.request("rett-retry").status == "failed"
    assert world.outcomes("rett-retry")[("support", "101")] == "failed"

    monkeypatch.setattr(sink, "update", real_update)
    world.app.processor.tick(now=datetime.now(UTC) + timedelta(seconds=5))  # not yet
    assert world.outcomes("rett-retry")[("support", "101")] == "failed"
    done = world.app.processor.tick(now=datetime.now(UTC) + timedelta(seconds=31))
    assert done.get("failed_retried", 0) >= 1
    assert world.request("rett-retry").status == "completed"
    assert world.outcomes("rett-retry")[("support", "101")] == "rectified"
    body = world.sql("support.db", "select body from tickets where id = 101")[0][0]
    assert NEW_PHONE in body and KARI["phone"] not in body
    kinds = [e["kind"] for e in world.app.stores.audit.entries("rett-retry")]
    assert not any(k.startswith("erasure.") for k in kinds)


def test_a_failed_erasure_location_is_still_erased_after_its_back_off(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    world.ingest_all()
    sink = world.app.processor.sinks["support"]
    real_update = _down(monkeypatch, sink, "update")
    req = ErasureRequest(request_id="slett-retry", subject=SubjectIdentifiers(fnr=KARI["fnr"]))
    world.publish(TOPIC_ERASURE_REQUESTS, req)
    world.run()
    assert world.request("slett-retry").status == "failed"
    assert world.outcomes("slett-retry")[("support", "101")] == "failed"

    monkeypatch.setattr(sink, "update", real_update)
    done = world.app.processor.tick(now=datetime.now(UTC) + timedelta(seconds=31))
    assert done.get("failed_retried", 0) >= 1
    assert world.outcomes("slett-retry")[("support", "101")] == "redacted"
    body = world.sql("support.db", "select body from tickets where id = 101")[0][0]
    assert KARI["phone"] not in body
