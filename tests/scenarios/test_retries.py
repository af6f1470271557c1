"""Failed locations are retried with back-off by the kind that owns the request."""

from __future__ import annotations

import json
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
    ErasureRequest,
    SubjectIdentifiers,
)
from glemsel.pipeline.interfaces.cli import app
from typer.testing import CliRunner
from world import NEW_PHONE, World, about_kari, new_phone


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
    req = new_phone(SubjectIdentifiers(fnr=KARI["fnr"]), "rett-retry")
    world.submit(TOPIC_RECTIFICATION_REQUESTS, req)
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
    world.submit(TOPIC_ERASURE_REQUESTS, about_kari(ErasureRequest, "slett-retry"))
    assert world.request("slett-retry").status == "failed"
    assert world.outcomes("slett-retry")[("support", "101")] == "failed"

    monkeypatch.setattr(sink, "update", real_update)
    done = world.app.processor.tick(now=datetime.now(UTC) + timedelta(seconds=31))
    assert done.get("failed_retried", 0) >= 1
    assert world.outcomes("slett-retry")[("support", "101")] == "redacted"
    body = world.sql("support.db", "select body from tickets where id = 101")[0][0]
    assert KARI["phone"] not in body


def _cli(world: World, *args: str) -> Any:
    config = str(world.root / "glemsel.yaml")
    result = CliRunner().invoke(app, [*args, "--config", config], env={"COLUMNS": "250"})
    assert result.exit_code == 0, result.output
    return result


def _erasure_failing_in_support(
    world: World, monkeypatch: pytest.MonkeyPatch, request_id: str
) -> tuple[Callable[..., Any], datetime]:
    world.ingest_all()
    real_update = _down(monkeypatch, world.app.processor.sinks["support"], "update")
    before = datetime.now(UTC)
    world.publish(
        TOPIC_ERASURE_REQUESTS,
        ErasureRequest(request_id=request_id, subject=SubjectIdentifiers(fnr=KARI["fnr"])),
    )
    world.run()
    assert world.outcomes(request_id)[("support", "101")] == "failed"
    return real_update, before


def _location(status: dict[str, Any], system: str, record_id: str) -> dict[str, Any]:
    return next(
        o for o in status["outcomes"] if (o["system"], o["record_id"]) == (system, record_id)
    )


def test_a_failed_location_shows_its_attempts_and_next_retry(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    _, before = _erasure_failing_in_support(world, monkeypatch, "slett-vis")
    after = datetime.now(UTC)
    status = json.loads(_cli(world, "status", "slett-vis", "--json").stdout)
    failed = _location(status, "support", "101")
    assert failed["action"] == "failed" and failed["attempts"] == 1
    first_retry = datetime.fromisoformat(failed["next_attempt_at"])
    assert before + timedelta(seconds=30) <= first_retry <= after + timedelta(seconds=30)
    done = [o for o in status["outcomes"] if o["action"] != "failed"]
    assert done and all(o["next_attempt_at"] is None and o["attempts"] == 1 for o in done)
    assert status["retry"] == {
        "failed": 1,
        "attempts": 1,
        "next_attempt_at": failed["next_attempt_at"],
    }

    # Still down at the retry: a second attempt, and the wait doubles.
    second = datetime.now(UTC) + timedelta(seconds=31)
    world.app.processor.tick(now=second)
    status = json.loads(_cli(world, "status", "slett-vis", "--json").stdout)
    failed = _location(status, "support", "101")
    assert failed["attempts"] == 2
    wait = datetime.fromisoformat(failed["next_attempt_at"]) - datetime.now(UTC)
    assert timedelta(seconds=50) < wait <= timedelta(seconds=60)
    listed = json.loads(_cli(world, "requests", "--json").stdout)
    mine = next(r for r in listed if r["request_id"] == "slett-vis")
    assert mine["retry"]["attempts"] == 2 and mine["retry"]["failed"] == 1
    assert mine["retry"]["next_attempt_at"] == failed["next_attempt_at"]
    assert all(r["retry"] is None for r in listed if r["status"] != "failed")
    human = _cli(world, "status", "slett-vis").stdout
    next_at = datetime.fromisoformat(failed["next_attempt_at"])
    assert "next retry" in human and f"{next_at:%Y-%m-%d %H:%M:%S} UTC" in human


def test_a_restarted_worker_keeps_the_back_off(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    _, failed_at = _erasure_failing_in_support(world, monkeypatch, "slett-omstart")
    kinds_before = world.audit_kinds()
    # A new Processor on the same state (a restarted worker), whose sinks work again: the
    # stored back-off holds it off until 30 s after the failure, not "at once".
    world.app.processor.sinks.close()
    world.app._processor = None
    world.app.processor.tick(now=failed_at + timedelta(seconds=5))
    assert world.outcomes("slett-omstart")[("support", "101")] == "failed"
    assert world.audit_kinds().count("erasure.failed") == kinds_before.count("erasure.failed")
    assert "erasure.redacted" not in world.audit_kinds()[len(kinds_before) :]

    done = world.app.processor.tick(now=datetime.now(UTC) + timedelta(seconds=31))
    assert done.get("failed_retried", 0) >= 1
    assert world.outcomes("slett-omstart")[("support", "101")] == "redacted"
    row = world.app.stores.state.outcomes.get("slett-omstart", "support", "101")
    assert row is not None and row.attempts == 2 and row.next_attempt_at is None
