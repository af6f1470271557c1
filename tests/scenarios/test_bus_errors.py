"""Clear errors on the bus (issue 9, item 11), both modes: bad dates, lone surrogates, holds
on unknown systems and hold ids that break URLs are dead letters with a reason that quotes
no value; digits in any script name the same fødselsnummer."""

from __future__ import annotations

import json

import pytest
from company import KARI
from glemsel.pipeline.core.events import (
    TOPIC_CHANGES,
    TOPIC_ERASURE_REQUESTS,
    TOPIC_LEGAL_HOLDS,
    SubjectIdentifiers,
)
from world import World


def _request(**fields) -> bytes:
    doc = {
        "schema": "glemsel.erasure-request/1",
        "request_id": "r-bad",
        "subject": {"fnr": KARI["fnr"]},
        **fields,
    }
    return json.dumps(doc).encode()


def _hold(**fields) -> bytes:
    doc = {"schema": "glemsel.legal-hold/1", "hold_id": "h1", "action": "place", "reason": "x"}
    return json.dumps({**doc, **fields}).encode()


@pytest.mark.parametrize(
    ("topic", "raw", "reason"),
    [
        (TOPIC_ERASURE_REQUESTS, _request(received_at="9999-12-31T00:00:00Z"), "out of range"),
        (
            TOPIC_ERASURE_REQUESTS,
            _request(received_at="0001-01-01T00:00:00+14:00"),
            "out of range",
        ),
        (TOPIC_ERASURE_REQUESTS, _request(request_id="r-\ud800"), "not valid Unicode"),
        (TOPIC_ERASURE_REQUESTS, _request(subject={"names": ["Kari \udc00"]}), "Unicode"),
        (TOPIC_LEGAL_HOLDS, _hold(systems=["nope"]), "unknown systems: nope"),
        (TOPIC_LEGAL_HOLDS, _hold(records=[{"system": "nope", "record_id": "1"}]), "unknown"),
        (TOPIC_LEGAL_HOLDS, _hold(hold_id="a/b", systems=["crm"]), "a hold id is"),
    ],
)
def test_bad_input_is_a_dead_letter_with_its_reason(world: World, topic, raw, reason) -> None:
    world.app.publish(topic, raw, "k")  # a key: the holds topic is compacted
    world.run()
    [letter] = world.app.dead_letters()
    assert reason in letter.error and letter.stage == "ingest"
    assert "Error at" not in letter.error  # a reason, not an exception's place
    assert KARI["fnr"] not in letter.error and "input_value" not in letter.error
    assert world.app.stores.state.requests.get("r-bad") is None
    assert world.app.stores.state.holds.all() == []


def test_dead_letter_reason_never_quotes_a_value(world: World, monkeypatch) -> None:
    def fails(raw):  # a validation deep in a handler, on a personal value
        SubjectIdentifiers(fnr=int(KARI["fnr"]))  # type: ignore[arg-type]

    monkeypatch.setattr(world.app.processor, "on_change", fails)
    world.publish(TOPIC_CHANGES, b'{"schema": "glemsel.change/1"}')
    world.run()
    [letter] = world.app.dead_letters()
    assert "fnr" in letter.error and "string_type" in letter.error
    assert KARI["fnr"] not in letter.error and "input_value" not in letter.error


def test_fullwidth_and_arabic_indic_digits_name_the_same_person(world: World) -> None:
    world.ingest_all()
    fullwidth = KARI["fnr"].translate({ord(d): 0xFF10 + int(d) for d in "0123456789"})
    arabic = KARI["fnr"].translate({ord(d): 0x0660 + int(d) for d in "0123456789"})
    ascii_hits = world.search(fnr=KARI["fnr"])["locations"]
    assert ascii_hits
    assert world.search(fnr=arabic)["locations"] == ascii_hits
    req = world.erase("r-wide", fnr=fullwidth)
    assert req.status in {"completed", "partially_held"} and req.counts.get("deleted")
    assert world.search(fnr=KARI["fnr"])["locations"] != ascii_hits
