from __future__ import annotations

from datetime import UTC, datetime

from glemsel.pipeline.core.findings import Finding
from glemsel.pipeline.core.holds import Hold, covering_hold
from glemsel.pipeline.core.redact import redact_fields, redact_spans


def _f(field: str, start: int, end: int, etype: str) -> Finding:
    return Finding("s", "t", "1", field, start, end, etype, 1.0, "*", "h")


def test_spans_replaced_right_to_left_and_only_touched_fields_returned() -> None:
    data = {"body": "ring 91234567 eller mail a@b.no", "title": "x", "meta": {"n": "Kari"}}
    changed = redact_spans(
        data,
        [
            _f("body", 5, 13, "PHONE_NUMBER"),
            _f("body", 25, 31, "EMAIL_ADDRESS"),
            _f("meta.n", 0, 4, "PERSON"),
        ],
    )
    assert changed == {
        "body": "ring [SLETTET:PHONE_NUMBER] eller mail [SLETTET:EMAIL_ADDRESS]",
        "meta": {"n": "[SLETTET:PERSON]"},
    }
    assert data["body"].startswith("ring 9123"), "input is not modified"


def test_field_redaction() -> None:
    assert redact_fields({"name": "Kari", "phone": None, "x": 1}, {"name", "phone"}) == {
        "name": "[SLETTET]"
    }


def _hold(**scope) -> Hold:
    base = {
        "hold_id": "h",
        "subject_hashes": None,
        "systems": None,
        "records": None,
        "reason": "",
        "until": datetime.now(UTC),
        "placed_by": "",
    }
    return Hold(**{**base, **scope})


def test_hold_scopes_combine_with_and() -> None:
    hold = _hold(subject_hashes={"a"}, systems={"support"})

    def check(system: str, hashes: set[str]):
        return covering_hold([hold], system, "1", lambda: hashes, lambda h: h | {"b"})

    assert check("support", {"a"}) is hold
    assert check("support", {"b"}) is hold, "expanded through identity records"
    assert check("crm", {"a"}) is None
    assert check("support", {"z"}) is None


def test_record_scoped_hold() -> None:
    hold = _hold(records={("chat", "3")})
    assert covering_hold([hold], "chat", "3", set, set) is hold
    assert covering_hold([hold], "chat", "4", set, set) is None
