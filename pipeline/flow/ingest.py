"""Bytes from a topic -> validated event. Three shapes share the changes topic:

- native `glemsel.change/1`;
- raw mail `glemsel.mail/1` (base64 RFC 822, parsed into fields by ``glemsel.sinks.message``);
- Debezium envelopes (`before`/`after`/`op`/`source`/`ts_ms`), with or without Kafka
  Connect's `schema`/`payload` wrapper, routed to a system by the `debezium:` config.

Errors name the field or shape that was wrong, never a value: values may be personal data,
and error messages end up in logs and dead letters' reasons.
"""

from __future__ import annotations

import base64
import binascii
import json
import logging
from datetime import UTC, datetime
from typing import Any, TypeVar

from glemsel.pipeline.core.config import Config, DebeziumRoute
from glemsel.pipeline.core.events import ChangeEvent, Event, MailEvent
from glemsel.pipeline.core.reasons import quoted_name, validation_reason
from glemsel.pipeline.telemetry import metrics
from glemsel.sinks.message import parse_message
from glemsel.sinks.spec import AttachmentLimits
from pydantic import ValidationError

log = logging.getLogger("glemsel.ingest")

E = TypeVar("E", bound=Event)


class IngestError(ValueError):
    """An event that cannot be processed; the message is a one-line reason without values."""


def _describe(exc: ValidationError, what: str) -> str:
    return validation_reason(exc, what)


def _load(raw: bytes) -> Any:
    try:
        return json.loads(raw)
    except (ValueError, UnicodeDecodeError):
        raise IngestError("not valid JSON") from None
    except RecursionError:
        raise IngestError("JSON nested too deeply") from None


def parse_event(raw: bytes, model: type[E]) -> E:
    doc = _load(raw)
    if not isinstance(doc, dict):
        raise IngestError(f"{model.SCHEMA}: expected a JSON object")
    if (schema := doc.get("schema")) != model.SCHEMA:
        raise IngestError(f"unknown schema {quoted_name(schema)}, expected {model.SCHEMA!r}")
    try:
        return model.model_validate(doc)
    except ValidationError as exc:
        raise IngestError(_describe(exc, model.SCHEMA)) from None


def parse_change(raw: bytes, config: Config) -> ChangeEvent | None:
    """The change an event describes; None for a Debezium tombstone (nothing to do)."""
    if not raw or raw.strip() in (b"", b"null"):
        return None
    doc = _load(raw)
    if doc is None:
        return None
    if not isinstance(doc, dict):
        raise IngestError("expected a JSON object")
    if "payload" in doc and doc["payload"] is None:  # tombstone, Connect wrapper on
        return None
    schema = doc.get("schema")
    if schema == ChangeEvent.SCHEMA:
        event = _validate(ChangeEvent, doc)
    elif schema == MailEvent.SCHEMA:
        event = _from_mail(_validate(MailEvent, doc), config)
    elif _is_debezium(doc):
        event = _from_debezium(_envelope(doc), config)
    elif isinstance(schema, str) and schema.startswith("glemsel."):
        raise IngestError(f"unknown schema {quoted_name(schema)}")
    else:
        raise IngestError("neither a glemsel event nor a Debezium envelope")
    if event.system not in config.systems:
        raise IngestError(f"unknown system {quoted_name(event.system)}")
    return event


def _validate(model: type[E], doc: dict[str, Any]) -> E:
    try:
        return model.model_validate(doc)
    except ValidationError as exc:
        raise IngestError(_describe(exc, model.SCHEMA)) from None


def _from_mail(mail: MailEvent, config: Config) -> ChangeEvent:
    data = None
    if mail.op != "d":
        try:
            message = base64.b64decode(mail.rfc822, validate=True)
        except (binascii.Error, ValueError):
            raise IngestError(f"{MailEvent.SCHEMA}: field 'rfc822' is not base64") from None
        system = config.systems.get(mail.system)
        data = parse_message(message, system.sink.attachments if system else AttachmentLimits())
        _note_attachments(mail.system, data)
    return ChangeEvent(
        event_id=mail.event_id,
        system=mail.system,
        record_type="message",
        record_id=mail.record_id,
        op=mail.op,
        ts=mail.ts,
        data=data,
    )


def _note_attachments(system: str, data: dict[str, Any]) -> None:
    """An attachment that was not (fully) read is no error: the mail is scanned without it,
    its entry in ``attachments`` says why, and the log and metrics say so too (by position,
    format and reason: a file name may itself name a person)."""
    for number, entry in enumerate(data.get("attachments", []), 1):
        metrics.ATTACHMENTS.labels(entry["format"], entry["scanned"]).inc()
        if entry["scanned"] != "yes" and entry["format"] != "removed":
            log.info(
                "%s mail: attachment %d (%s) %s: %s",
                system,
                number,
                entry["format"],
                "partly scanned" if entry["scanned"] == "partly" else "not scanned",
                entry["note"],
            )


def _envelope(doc: dict[str, Any]) -> dict[str, Any]:
    """The Debezium envelope, inside Kafka Connect's schema/payload wrapper or not."""
    return doc["payload"] if isinstance(doc.get("payload"), dict) else doc


def _is_debezium(doc: dict[str, Any]) -> bool:
    body = _envelope(doc)
    return "op" in body and "source" in body


def _route(source: dict[str, Any], config: Config) -> DebeziumRoute:
    db, schema, table = source.get("db"), source.get("schema"), source.get("table")
    candidates = [
        ".".join(p for p in parts if p)
        for parts in ((db, schema, table), (schema, table), (table,))
        if all(parts)
    ]
    for name in candidates:
        if name in config.debezium:
            return config.debezium[name]
    raise IngestError(f"no debezium route for table {quoted_name((candidates or ['?'])[0])}")


def _from_debezium(body: dict[str, Any], config: Config) -> ChangeEvent:
    op = body.get("op")
    if op not in {"c", "u", "d", "r"}:
        raise IngestError("debezium: field 'op' must be c, u, d or r")
    source = body.get("source")
    if not isinstance(source, dict):
        raise IngestError("debezium: field 'source' must be an object")
    route = _route(source, config)
    before, after = body.get("before"), body.get("after")
    row = after if isinstance(after, dict) else before
    if not isinstance(row, dict) or row.get(route.key) is None:
        raise IngestError(f"debezium: no key column {route.key!r} in before/after")
    ts_ms = body.get("ts_ms") or source.get("ts_ms")
    ts = datetime.fromtimestamp(ts_ms / 1000, UTC) if isinstance(ts_ms, int | float) else None
    return ChangeEvent(
        system=route.system,
        record_type=route.record_type,
        record_id=str(row[route.key]),
        op=op,
        data=None if op == "d" else after,
        **({"ts": ts} if ts else {}),
    )
