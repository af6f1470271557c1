"""Failed locations are retried with back-off by the kind that owns the request."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from company import KARI
from glemsel.pipeline.core.events import TOPIC_ACCESS_REQUESTS, AccessRequest, SubjectIdentifiers
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
