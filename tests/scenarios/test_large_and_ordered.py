"""Large and bad input, and holds ordered with requests, in both modes (issue 10)."""

from __future__ import annotations

import base64
import hashlib
import json

import pytest
from company import KARI
from glemsel.pipeline.core.events import (
    TOPIC_CHANGES,
    TOPIC_LEGAL_HOLDS,
    EventTooLarge,
    LegalHold,
    SubjectIdentifiers,
)
from glemsel.pipeline.operations import requests as ops
from world import World

MB = 1024 * 1024


def _chat(record_id: int, text: str) -> bytes:
    return json.dumps(
        {
            "schema": "glemsel.change/1",
            "system": "chat",
            "record_type": "message",
            "record_id": str(record_id),
            "op": "c",
            "data": {"id": record_id, "text": text},
        }
    ).encode()


def test_an_event_of_5_mb_is_indexed(world: World) -> None:
    filler = "Kunden spurte om leveringstid og pris på varen. " * (5 * MB // 48)
    raw = _chat(7001, filler + f" Svar til {KARI['email']}")
    assert len(raw) > 5 * MB
    world.publish(TOPIC_CHANGES, raw)
    world.run()
    assert world.app.dead_letters() == []
    idx = world.app.stores.index
    locations = idx.locations(
        idx.expand_subject(
            world.app.stores.hasher.subject(SubjectIdentifiers(emails=[KARI["email"]]))
        )
    )
    assert ("chat", "7001") in {loc.key for loc in locations}


def test_an_event_over_the_limit_is_refused_naming_the_limit(world: World) -> None:
    too_big = _chat(7002, "x" * (world.config.limits.max_event_bytes + 1))
    with pytest.raises(EventTooLarge, match="over the limit of 10,485,760 bytes") as caught:
        world.publish(TOPIC_CHANGES, too_big)
    assert "\n" not in str(caught.value)


def test_an_oversized_dead_letter_is_kept_and_its_batch_indexed(world: World) -> None:
    # Invalid (unterminated) JSON of 9 MB: as a dead letter in base64 it would be 12 MB.
    bad = b'{"schema": "glemsel.change/1", "data": "' + b"x" * (9 * MB)
    good = [_chat(7100 + i, f"hei, ring meg på 9{i:07d}, {KARI['email']}") for i in range(10)]
    for raw in good[:5] + [bad] + good[5:]:
        world.publish(TOPIC_CHANGES, raw)
    world.run()
    [letter] = world.app.dead_letters()
    assert letter.error == "not valid JSON" and letter.stage == "ingest"
    assert letter.truncated and letter.original_size == len(bad)
    assert letter.original_sha256 == hashlib.sha256(bad).hexdigest()
    kept = base64.b64decode(letter.original)
    assert bad.startswith(kept) and len(kept) > 5 * MB
    assert len(letter.to_json()) <= world.config.limits.max_event_bytes
    idx = world.app.stores.index
    chat = {
        loc.record_id
        for loc in idx.locations(
            idx.expand_subject(
                world.app.stores.hasher.subject(SubjectIdentifiers(emails=[KARI["email"]]))
            )
        )
        if loc.system == "chat"
    }
    assert {str(7100 + i) for i in range(10)} <= chat  # every good event of the batch


def test_a_hold_acknowledged_before_a_request_is_honoured_whatever_the_backlog(
    world: World,
) -> None:
    world.ingest_all()
    # 10,000 events wait on the holds topic (releases of holds nobody placed).
    for i in range(10_000):
        world.publish(TOPIC_LEGAL_HOLDS, LegalHold(hold_id=f"noise-{i}", action="release"))
    gw = ops.gateway(world.app)
    kari = SubjectIdentifiers(fnr=KARI["fnr"])
    ops.place_hold(
        gw, "tvist 2026-17", "jurist", hold_id="h-order", subject=kari, systems=["support"]
    )
    ops.submit_erasure(gw, kari, "dsr", request_id="r-held")
    world.run()
    outcomes = world.outcomes("r-held")
    support = {k: v for k, v in outcomes.items() if k[0] == "support"}
    assert support and set(support.values()) == {"held"}
    assert world.audit_kinds().count("hold.placed") == 1  # once, by the acknowledgement
    # And a release acknowledged before the next request is honoured by it as well.
    for i in range(2_000):
        world.publish(TOPIC_LEGAL_HOLDS, LegalHold(hold_id=f"noise-b{i}", action="release"))
    ops.release_hold(gw, "h-order", "jurist")
    ops.submit_erasure(gw, kari, "dsr", request_id="r-after")
    world.run()
    assert set(world.outcomes("r-held").values()) - {"held"}
    after = {k: v for k, v in world.outcomes("r-after").items() if k[0] == "support"}
    assert "held" not in after.values()
    assert world.audit_kinds().count("hold.released") == 1
