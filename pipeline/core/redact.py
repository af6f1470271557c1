"""Pure helpers that rewrite a record's fields: span placeholders and field redaction."""

from __future__ import annotations

import copy
from typing import Any

from glemsel.pipeline.core.findings import Finding

FIELD_PLACEHOLDER = "[SLETTET]"


def placeholder(entity_type: str) -> str:
    return f"[SLETTET:{entity_type}]"


def redact_spans(data: dict[str, Any], spans: list[Finding]) -> dict[str, Any]:
    """The changed top-level fields, with each span replaced by its placeholder.

    Spans are applied right to left so earlier offsets stay valid.
    """
    changed = copy.deepcopy(data)
    touched: set[str] = set()
    for f in sorted(spans, key=lambda s: (s.field, s.start), reverse=True):
        text = get_path(changed, f.field)
        if not isinstance(text, str | int) or isinstance(text, bool):
            continue
        text = str(text)
        set_path(changed, f.field, text[: f.start] + placeholder(f.entity_type) + text[f.end :])
        touched.add(f.field.split(".", 1)[0])
    return {key: changed[key] for key in touched}


def redact_fields(data: dict[str, Any], fields: set[str]) -> dict[str, Any]:
    changed = copy.deepcopy(data)
    touched: set[str] = set()
    for path in fields:
        if get_path(changed, path) is not None:
            set_path(changed, path, FIELD_PLACEHOLDER)
            touched.add(path.split(".", 1)[0])
    return {key: changed[key] for key in touched}


def get_path(data: Any, path: str) -> Any:
    for part in path.split("."):
        if isinstance(data, dict):
            data = data.get(part)
        elif isinstance(data, list) and part.isdigit() and int(part) < len(data):
            data = data[int(part)]
        else:
            return None
    return data


def set_path(data: Any, path: str, value: Any) -> None:
    *parents, last = path.split(".")
    for part in parents:
        data = data[int(part)] if isinstance(data, list) else data[part]
    if isinstance(data, list):
        data[int(last)] = value
    else:
        data[last] = value
