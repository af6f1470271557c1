"""The wire form of the three data-subject requests (erasure, access, rectification), pinned
byte for byte: producers outside Glemsel (DSR tools, the client, replayed dead letters) write
these, so their field names, order, aliases, defaults and JSON schema are a contract
(docs/contracts.md, "Events"), whatever the models share in code."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest
from glemsel.pipeline.core.events import (
    REQUEST_MODELS,
    AccessRequest,
    ErasureRequest,
    Event,
    RectificationRequest,
    SubjectRequest,
)

AT = datetime(2026, 1, 31, 9, 30, tzinfo=UTC)
SUBJECT = {"emails": ["kari@example.no"]}
SUBJECT_JSON = '{"fnr":null,"emails":["kari@example.no"],"phones":[],"names":[]}'
CORRECTIONS = [{"type": "PHONE_NUMBER", "old": "1", "new": "2"}]
CORRECTIONS_JSON = '[{"type":"PHONE_NUMBER","old":"1","new":"2"}]'
# The deadline is one calendar month after receipt (31 January: the last day of February).
TAIL_JSON = (
    '"systems":null,"received_at":"2026-01-31T09:30:00Z",'
    '"deadline":"2026-02-28T09:30:00Z","requested_by":"unknown"}'
)

MINIMAL: list[tuple[type[Event], dict[str, Any], str]] = [
    (
        ErasureRequest,
        {},
        '{"schema":"glemsel.erasure-request/1","request_id":"r-1",'
        f'"subject":{SUBJECT_JSON},{TAIL_JSON}',
    ),
    (
        AccessRequest,
        {},
        '{"schema":"glemsel.access-request/1","request_id":"r-1",'
        f'"subject":{SUBJECT_JSON},{TAIL_JSON}',
    ),
    (
        RectificationRequest,
        {"corrections": CORRECTIONS},
        '{"schema":"glemsel.rectification-request/1","request_id":"r-1",'
        f'"subject":{SUBJECT_JSON},"corrections":{CORRECTIONS_JSON},{TAIL_JSON}',
    ),
]
NAMES = [m.__name__ for m, _, _ in MINIMAL]


@pytest.mark.parametrize(("model", "fields", "wire"), MINIMAL, ids=NAMES)
def test_serialised_form_is_pinned(model: type[Event], fields: dict[str, Any], wire: str) -> None:
    req = model(request_id="r-1", subject=SUBJECT, received_at=AT, **fields)
    assert req.to_json() == wire.encode()
    assert req.model_dump_json(by_alias=True) == wire
    again = model.from_json(req.to_json())
    assert again == req
    assert again.model_dump_json(by_alias=True) == wire


@pytest.mark.parametrize(("model", "fields", "wire"), MINIMAL, ids=NAMES)
def test_every_field_given_round_trips(
    model: type[Event], fields: dict[str, Any], wire: str
) -> None:
    req = model(
        request_id="r-2",
        subject={"fnr": "15038512345", "names": ["Kari Nordmann"]},
        systems=["crm", "support"],
        received_at=AT,
        deadline=datetime(2026, 4, 30, tzinfo=UTC),
        requested_by="dsr-tool",
        ticket="T-7",  # unknown fields are kept: schemas may grow
        **fields,
    )
    raw = req.to_json()
    tail = (
        '"systems":["crm","support"],"received_at":"2026-01-31T09:30:00Z",'
        '"deadline":"2026-04-30T00:00:00Z","requested_by":"dsr-tool","ticket":"T-7"}'
    )
    assert raw.endswith(tail.encode())
    assert (
        b'"subject":{"fnr":"15038512345","emails":[],"phones":[],"names":["Kari Nordmann"]}' in raw
    )
    again = model.from_json(raw)
    assert again == req
    assert again.to_json() == raw


def _schema_field(title: str, type_: str, **more: Any) -> dict[str, Any]:
    return {"title": title, "type": type_, **more}


SHARED_HEAD = {
    "schema": _schema_field("Schema", "string", default=""),
    "request_id": _schema_field("Request Id", "string"),
    "subject": {"$ref": "#/$defs/SubjectIdentifiers"},
}
SHARED_TAIL = {
    "systems": {
        "anyOf": [{"items": {"type": "string"}, "type": "array"}, {"type": "null"}],
        "default": None,
        "title": "Systems",
    },
    "received_at": _schema_field("Received At", "string", format="date-time"),
    "deadline": {
        "anyOf": [{"format": "date-time", "type": "string"}, {"type": "null"}],
        "default": None,
        "title": "Deadline",
    },
    "requested_by": _schema_field("Requested By", "string", default="unknown"),
}
CORRECTIONS_SCHEMA = {
    "corrections": _schema_field(
        "Corrections", "array", items={"$ref": "#/$defs/Correction"}, minItems=1
    )
}
SCHEMAS: list[tuple[type[Event], str | None, list[str], dict[str, Any]]] = [
    (ErasureRequest, None, ["request_id", "subject"], {**SHARED_HEAD, **SHARED_TAIL}),
    (
        AccessRequest,
        "Innsyn (GDPR art. 15) and portability (art. 20): what is stored about the subject.",
        ["request_id", "subject"],
        {**SHARED_HEAD, **SHARED_TAIL},
    ),
    (
        RectificationRequest,
        "Rectification (GDPR art. 16): every location holding ``old`` gets ``new``.",
        ["request_id", "subject", "corrections"],
        {**SHARED_HEAD, **CORRECTIONS_SCHEMA, **SHARED_TAIL},
    ),
]


@pytest.mark.parametrize(("model", "description", "required", "properties"), SCHEMAS, ids=NAMES)
def test_json_schema_is_pinned(
    model: type[Event], description: str | None, required: list[str], properties: dict[str, Any]
) -> None:
    schema = model.model_json_schema(by_alias=True)
    assert schema["title"] == model.__name__
    assert schema.get("description") == description
    assert schema["required"] == required
    assert schema["additionalProperties"] is True  # unknown fields are kept
    assert list(schema["properties"]) == list(properties)  # the order is the wire's
    assert schema["properties"] == properties
    defs = (
        ["Correction", "SubjectIdentifiers"]
        if "corrections" in properties
        else ["SubjectIdentifiers"]
    )
    assert sorted(schema["$defs"]) == defs


def test_every_request_kind_is_pinned() -> None:
    assert set(REQUEST_MODELS.values()) == {m for m, _, _ in MINIMAL}


@pytest.mark.parametrize("model", sorted(REQUEST_MODELS.values(), key=lambda m: m.__name__))
@pytest.mark.parametrize("field", ["request_id", "requested_by", "systems"])
def test_every_kind_refuses_a_lone_surrogate(model: type[SubjectRequest], field: str) -> None:
    # One would pass validation and fail only when the event is written to the bus.
    bad: Any = ["crm\ud800"] if field == "systems" else "r\ud800"
    fields: dict[str, Any] = {"request_id": "r1", "subject": {"fnr": "15038512345"}}
    if model.__name__ == "RectificationRequest":
        fields["corrections"] = [{"type": "PHONE_NUMBER", "old": "91234567", "new": "98765432"}]
    model.model_validate(fields)  # the sample itself is valid
    with pytest.raises(ValueError):
        model.model_validate({**fields, field: bad})
