from __future__ import annotations

from datetime import UTC, datetime

import pytest
from glemsel.pipeline.core.events import (
    ChangeEvent,
    DeadLetter,
    ErasureOutcome,
    ErasureRequest,
    ErasureSummary,
    LegalHold,
    MailEvent,
)
from pydantic import ValidationError

EXAMPLES = [
    ChangeEvent(system="crm", record_type="contact", record_id="1", op="c", data={"a": {"b": 1}}),
    MailEvent(record_id="<m@x>", rfc822="aGVp"),
    ErasureRequest(request_id="r", subject={"emails": ["a@b.no"]}),
    LegalHold(hold_id="h", action="place", systems=["crm"], reason="tvist"),
    ErasureOutcome(request_id="r", system="crm", record_id="1", action="deleted", verified=True),
    ErasureSummary(request_id="r", status="completed", counts={"deleted": 1}),
    DeadLetter(topic="t", original="", error="bad", stage="ingest"),
]


@pytest.mark.parametrize("event", EXAMPLES, ids=lambda e: type(e).__name__)
def test_json_round_trip(event) -> None:
    again = type(event).from_json(event.to_json())
    assert again == event
    assert again.to_json().startswith(b'{"schema":"glemsel.')


@pytest.mark.parametrize("event", EXAMPLES, ids=lambda e: type(e).__name__)
def test_other_schema_versions_refused(event) -> None:
    raw = event.to_json().replace(b'/1"', b'/2"', 1)
    with pytest.raises(ValidationError, match="expected schema"):
        type(event).from_json(raw)


def test_deadline_is_one_calendar_month() -> None:
    req = ErasureRequest(
        request_id="r", subject={"fnr": "1"}, received_at=datetime(2026, 1, 31, tzinfo=UTC)
    )
    assert req.deadline == datetime(2026, 2, 28, tzinfo=UTC)


def test_request_without_identifiers_refused() -> None:
    with pytest.raises(ValidationError, match="no identifier"):
        ErasureRequest(request_id="r", subject={})


def test_hold_without_scope_refused() -> None:
    with pytest.raises(ValidationError, match="scope"):
        LegalHold(hold_id="h", action="place")


def test_unknown_fields_are_kept_so_schemas_can_grow() -> None:
    raw = (
        b'{"schema":"glemsel.change/1","system":"s","record_type":"t","record_id":"1",'
        b'"op":"u","new_field":7}'
    )
    assert ChangeEvent.from_json(raw).model_extra == {"new_field": 7}
