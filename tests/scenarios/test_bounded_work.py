"""Bounded work per event (issue 9, item 5), both modes: an event over the size limit, a field
over the field limit and an event over its time budget are each dead-lettered with the limit
named, the erasure request queued behind them completes, and nothing is replayed afterwards."""

from __future__ import annotations

from company import KARI, OLA
from glemsel.pipeline.core.events import TOPIC_CHANGES, ChangeEvent
from glemsel.pipeline.flow import scan
from world import World


def _chat(record_id: str, text: str) -> ChangeEvent:
    return ChangeEvent(
        system="chat", record_type="message", record_id=record_id, op="c", data={"text": text}
    )


def test_oversized_and_slow_events_are_dead_lettered_and_do_not_stall(world: World) -> None:
    world.ingest_all()
    limits = world.config.limits
    before = len(world.app.dead_letters())

    # Published under the default limit (as another producer, Debezium say, might), then
    # the worker's limit is lowered: the worker's own check, not the publisher's, is tested.
    world.publish(TOPIC_CHANGES, _chat("big", f"Ring {KARI['phone']} " + "x" * 300_000))
    limits.max_event_bytes = 200_000
    world.run()
    limits.max_event_bytes = 10 * 1024 * 1024

    limits.max_field_bytes = 50_000
    world.publish(TOPIC_CHANGES, _chat("wide", f"fnr {KARI['fnr']} " + "Per Olsen " * 10_000))
    world.run()
    limits.max_field_bytes = 10 * 1024 * 1024

    # Long digit and hex runs with names and no whitespace: more windows than the budget allows.
    limits.event_seconds = 0.001  # below one window of detection, on any machine
    adversarial = ("0123456789abcdef" * 8 + "PerOlsen" + "9" * 64) * (3 * scan.WINDOW // 208)
    world.publish(TOPIC_CHANGES, _chat("slow", adversarial))
    # Ola: an erasure of Kari would remove the dead letters quoting her (issue 9, item 3).
    req = world.erase("behind", fnr=OLA["fnr"])
    limits.event_seconds = 120

    assert req.status in {"completed", "partially_held"}
    letters = world.app.dead_letters()[before:]
    reasons = sorted(letter.error for letter in letters)
    assert len(reasons) == 3, reasons
    for limit in (
        "limits.max_event_bytes=200000",
        "limits.max_field_bytes=50000",
        "limits.event_seconds=0.001",
    ):
        assert sum(limit in r for r in reasons) == 1, (limit, reasons)
    assert all(KARI["fnr"] not in r and KARI["phone"] not in r for r in reasons)
    # Dead-lettered is done: a restarted worker finds nothing to replay.
    world.run()
    assert len(world.app.dead_letters()) == before + 3
