from __future__ import annotations

import base64
import json
from email.message import EmailMessage
from pathlib import Path

import pytest
from glemsel.pipeline.core.config import parse_config
from glemsel.pipeline.core.events import ErasureRequest, MailEvent
from glemsel.pipeline.flow.ingest import IngestError, parse_change, parse_event

SECRET = "kari.nordmann@example.no"


@pytest.fixture
def config(tmp_path: Path):
    sink = {"kind": "sql", "url": "sqlite:///x.db", "table": "t"}
    return parse_config(
        {
            "systems": {
                "crm": {"sink": sink},
                "support": {"sink": sink},
                "mail": {"sink": {"kind": "maildir", "path": "m"}},
            },
            "debezium": {
                "helpdesk.public.tickets": {"system": "support", "record_type": "ticket"},
                "tickets": {"system": "crm", "record_type": "wrong-route"},
                "contacts": {"system": "crm", "record_type": "contact", "key": "contact_id"},
            },
        },
        tmp_path,
    )


def _j(doc) -> bytes:
    return json.dumps(doc).encode()


def test_native_change(config) -> None:
    event = parse_change(
        _j(
            {
                "schema": "glemsel.change/1",
                "system": "crm",
                "record_type": "contact",
                "record_id": "7",
                "op": "u",
                "data": {"email": SECRET, "nested": {"a": [1, 2]}},
            }
        ),
        config,
    )
    assert (event.system, event.record_id, event.op) == ("crm", "7", "u")
    assert event.data["nested"] == {"a": [1, 2]}


def test_raw_mail(config) -> None:
    msg = EmailMessage()
    msg["From"] = f"Kari <{SECRET}>"
    msg["Message-ID"] = "<m1@example.no>"
    msg.set_content("Hei")
    raw = MailEvent(
        record_id="<m1@example.no>", rfc822=base64.b64encode(msg.as_bytes()).decode()
    ).to_json()
    event = parse_change(raw, config)
    assert (event.system, event.record_type, event.record_id) == (
        "mail",
        "message",
        "<m1@example.no>",
    )
    assert event.data["from"] == f"Kari <{SECRET}>" and event.data["body"] == "Hei"


ENVELOPE = {
    "before": None,
    "after": {"id": 5, "body": SECRET},
    "op": "c",
    "ts_ms": 1764000000000,
    "source": {"db": "helpdesk", "schema": "public", "table": "tickets"},
}


@pytest.mark.parametrize("wrapped", [False, True], ids=["schemas.enable=false", "wrapper"])
def test_debezium(config, wrapped: bool) -> None:
    doc = {"schema": {"type": "struct"}, "payload": ENVELOPE} if wrapped else ENVELOPE
    event = parse_change(_j(doc), config)
    assert (event.system, event.record_type, event.record_id) == ("support", "ticket", "5")
    assert event.ts.year == 2025 and event.data == ENVELOPE["after"]


def test_debezium_delete_and_key_column(config) -> None:
    doc = {
        "before": {"contact_id": 9},
        "after": None,
        "op": "d",
        "source": {"db": "crm", "schema": "public", "table": "contacts"},
    }
    event = parse_change(_j(doc), config)
    assert (event.record_type, event.record_id, event.op, event.data) == ("contact", "9", "d", None)


@pytest.mark.parametrize("raw", [b"", b"null", b'{"schema": {"type": "struct"}, "payload": null}'])
def test_tombstones_are_skipped(config, raw: bytes) -> None:
    assert parse_change(raw, config) is None


@pytest.mark.parametrize(
    ("raw", "reason"),
    [
        (b"{not json", "not valid JSON"),
        (b"[1, 2]", "expected a JSON object"),
        (_j({"schema": "glemsel.change/2", "system": "crm"}), "unknown schema"),
        (
            _j(
                {
                    "schema": "glemsel.change/1",
                    "system": "crm",
                    "record_type": "c",
                    "record_id": "1",
                    "op": "x",
                    "data": {"email": SECRET},
                }
            ),
            "field 'op'",
        ),
        (
            _j(
                {
                    "schema": "glemsel.change/1",
                    "system": "erp",
                    "record_type": "c",
                    "record_id": "1",
                    "op": "c",
                    "data": {"email": SECRET},
                }
            ),
            "unknown system",
        ),
        (_j({**ENVELOPE, "source": {"db": "x", "schema": "y", "table": "z"}}), "no debezium route"),
        (_j({**ENVELOPE, "after": {"body": SECRET}}), "no key column"),
        (
            _j({"schema": "glemsel.mail/1", "system": "mail", "record_id": "<x>", "rfc822": "%%%"}),
            "not base64",
        ),
        (_j({"hello": SECRET}), "neither a glemsel event nor a Debezium envelope"),
    ],
)
def test_malformed_input_has_a_reason_without_values(config, raw: bytes, reason: str) -> None:
    with pytest.raises(IngestError, match=reason) as info:
        parse_change(raw, config)
    assert SECRET not in str(info.value)


def test_parse_event(config) -> None:
    raw = ErasureRequest(request_id="r", subject={"emails": [SECRET]}).to_json()
    assert parse_event(raw, ErasureRequest).request_id == "r"
    with pytest.raises(IngestError, match="no identifier") as info:
        parse_event(
            _j({"schema": "glemsel.erasure-request/1", "request_id": "r", "subject": {}}),
            ErasureRequest,
        )
    assert SECRET not in str(info.value)


@pytest.mark.parametrize("name", [SECRET, "01019012345", "Kari Nordmann"])
def test_names_an_event_claims_are_not_quoted_unless_they_look_configured(config, name) -> None:
    """An unknown system, schema or table comes from the event and may be personal data."""
    change = {"system": name, "record_type": "c", "record_id": "1", "op": "c", "data": {}}
    raws = [
        _j({"schema": "glemsel.change/1", **change}),
        _j({"schema": f"glemsel.{name}"}),
        _j({**ENVELOPE, "source": {"table": name}}),
    ]
    for raw in raws:
        with pytest.raises(IngestError) as info:
            parse_change(raw, config)
        assert name not in str(info.value) and "characters, not shown" in str(info.value)
    with pytest.raises(IngestError, match="unknown system 'erp'"):
        parse_change(_j({"schema": "glemsel.change/1", **change, "system": "erp"}), config)
