"""Pure helpers that rewrite a record's fields: span replacements and field redaction.

What a span becomes is a masking strategy chosen per entity type (Fides calls them masking
strategies): ``placeholder`` (the default, ``[SLETTET:TYPE]``), ``truncate_ip`` (the address
with its host part zeroed, as Google Analytics anonymises: IPv4 keeps /24, IPv6 /48) and
``hmac`` (a keyed pseudonym: the same value always gives the same token, nobody without the
key can tell which value it was). Each strategy is idempotent on its own output, so an
anonymisation that runs again finds nothing left to do.
"""

from __future__ import annotations

import copy
import ipaddress
from collections.abc import Callable, Iterable, Mapping
from typing import Any

from glemsel.pipeline.core.findings import Finding, Segment

FIELD_PLACEHOLDER = "[SLETTET]"

# (entity type, value) -> the keyed pseudonym's hex digits; the Hasher provides it.
Pseudonym = Callable[[str, str], str]


def placeholder(entity_type: str) -> str:
    return f"[SLETTET:{entity_type}]"


def _placeholder(entity_type: str, value: str, pseudonym: Pseudonym | None) -> str:
    return placeholder(entity_type)


def truncate_ip(value: str) -> str | None:
    """12.214.31.144 -> 12.214.31.0; 2001:db8:85a3:8d3::1 -> 2001:db8:85a3::. None if
    ``value`` is not an IP address."""
    try:
        address = ipaddress.ip_address(value.strip())
    except ValueError:
        return None
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped:
        address = address.ipv4_mapped  # ::ffff:12.214.31.144 is an IPv4 client
    prefix = 24 if address.version == 4 else 48
    return str(ipaddress.ip_network(f"{address}/{prefix}", strict=False).network_address)


def _truncate_ip(entity_type: str, value: str, pseudonym: Pseudonym | None) -> str:
    # Whatever is not an address (a detector's odd span) is replaced whole: never kept.
    return truncate_ip(value) or placeholder(entity_type)


def _hmac(entity_type: str, value: str, pseudonym: Pseudonym | None) -> str:
    if value.startswith("[PSEUDONYM:"):
        return value  # already a pseudonym: hashing it again would change it every run
    if pseudonym is None:
        raise ValueError("the hmac strategy needs the configured HMAC key")
    return f"[PSEUDONYM:{entity_type}:{pseudonym(entity_type, value)}]"


# The registry: strategy name -> (entity type, raw value, pseudonym) -> replacement.
STRATEGIES: dict[str, Callable[[str, str, Pseudonym | None], str]] = {
    "placeholder": _placeholder,
    "truncate_ip": _truncate_ip,
    "hmac": _hmac,
}
DEFAULT_STRATEGY = "placeholder"


class Anonymiser:
    """A system's strategies per entity type (``redact: {IP_ADDRESS: truncate_ip}``)."""

    def __init__(
        self, strategies: Mapping[str, str] | None = None, pseudonym: Pseudonym | None = None
    ) -> None:
        unknown = set((strategies or {}).values()) - set(STRATEGIES)
        if unknown:
            raise ValueError(f"unknown masking strategy: {', '.join(sorted(unknown))}")
        self._strategies = dict(strategies or {})
        self._pseudonym = pseudonym

    def strategy(self, entity_type: str) -> str:
        return self._strategies.get(entity_type, DEFAULT_STRATEGY)

    def replacement(self, entity_type: str, value: str) -> str:
        return STRATEGIES[self.strategy(entity_type)](entity_type, value, self._pseudonym)

    def done(self, entity_type: str, value: str) -> bool:
        """True if ``value`` is already what its strategy makes of it (a truncated IP)."""
        return self.replacement(entity_type, value) == value


PLACEHOLDERS = Anonymiser()


def span_text(data: dict[str, Any], finding: Finding) -> str | None:
    """The text of a finding in ``data`` (in its key, for a finding in a key)."""
    if finding.in_key:
        entry = _entry(data, finding)
        return None if entry is None else str(entry[1])[finding.start : finding.end]
    segments = _segments(data, finding)
    text = None if segments is None else _at(data, segments)
    if not isinstance(text, str | int) or isinstance(text, bool):
        return None
    return str(text)[finding.start : finding.end]


def redact_spans(
    data: dict[str, Any], spans: list[Finding], anonymiser: Anonymiser = PLACEHOLDERS
) -> dict[str, Any]:
    """The changed top-level fields, with each span replaced as its type's strategy says.

    Spans are applied right to left so earlier offsets stay valid; a span already in its
    anonymised form is left as it is; spans that overlap (a name found whole and by its
    parts) are replaced as one. A span in an object key renames the key (its value stays);
    keys are renamed after the values, deepest first, so every raw path stays valid.
    """
    changed = copy.deepcopy(data)
    touched: set[Any] = set()
    values: dict[tuple[Segment, ...], list[Finding]] = {}
    keys: dict[tuple[Segment, ...], list[Finding]] = {}
    for f in spans:
        segments = f.path if f.in_key else _segments(changed, f)
        if segments:
            (keys if f.in_key else values).setdefault(tuple(segments), []).append(f)
    for segments, here in values.items():
        text = _at(changed, segments)
        if not isinstance(text, str | int) or isinstance(text, bool):
            continue
        new = _replaced(str(text), here, anonymiser)
        if new != str(text):
            _set(changed, segments, new)
            touched.add(segments[0])
    for segments, here in sorted(keys.items(), key=lambda item: -len(item[0])):
        parent = _at(changed, segments[:-1])
        key = segments[-1]
        if not isinstance(parent, dict) or key not in parent:
            continue
        new_key = _replaced(str(key), here, anonymiser)
        if new_key != str(key):
            renamed = _rename(parent, key, new_key)
            touched.add(renamed if len(segments) == 1 else segments[0])
    return {key: changed[key] for key in touched}


def _replaced(text: str, spans: list[Finding], anonymiser: Anonymiser) -> str:
    """``text`` with ``spans`` replaced (overlapping ones merged, the first one's type)."""
    merged: list[list[Any]] = []  # [start, end, entity type]
    for f in sorted(spans, key=lambda s: (s.start, -s.end)):
        if merged and f.start < merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], f.end)
        else:
            merged.append([f.start, f.end, f.entity_type])
    for start, end, entity_type in reversed(merged):
        value = text[start:end]
        new = anonymiser.replacement(entity_type, value)
        if new != value:
            text = text[:start] + new + text[end:]
    return text


def _rename(parent: dict[Any, Any], key: Any, new_key: str) -> str:
    """Rename ``key`` in place, keeping the order of the keys and the value. A name already
    taken (two e-mail keys both become ``[SLETTET:EMAIL_ADDRESS]``) gets a number: a rename
    never overwrites another entry."""
    base, n = new_key, 1
    while new_key in parent and new_key != key:
        n += 1
        new_key = f"{base} #{n}"
    items = [(new_key if k == key else k, v) for k, v in parent.items()]
    parent.clear()
    parent.update(items)
    return new_key


def redact_fields(
    data: dict[str, Any], fields: set[str], findings: Iterable[Finding] = ()
) -> dict[str, Any]:
    """Each field replaced whole by ``[SLETTET]``. A field that ``findings`` name (their
    stored fields, keys masked) is found by their raw path; a finding in a key renames
    the key to ``[SLETTET]`` instead (its value stays)."""
    changed = copy.deepcopy(data)
    touched: set[Any] = set()
    located = {f.field: f for f in findings if f.path}
    renames = []
    for path in fields:
        f = located.get(path)
        if f is not None and f.in_key:
            renames.append(f)
            continue
        segments = f.path if f is not None else _segments(changed, path)
        if segments and _at(changed, segments) is not None:
            _set(changed, segments, FIELD_PLACEHOLDER)
            touched.add(segments[0])
    for f in sorted(renames, key=lambda f: -len(f.path or ())):
        assert f.path is not None
        parent = _at(changed, f.path[:-1])
        if isinstance(parent, dict) and f.path[-1] in parent:
            renamed = _rename(parent, f.path[-1], FIELD_PLACEHOLDER)
            touched.add(renamed if len(f.path) == 1 else f.path[0])
    return {key: changed[key] for key in touched}


def value_at(data: dict[str, Any], finding: Finding) -> Any:
    """The value a finding is in (None for a finding in a key, or when it is gone)."""
    if finding.in_key:
        return None
    segments = _segments(data, finding)
    return None if segments is None else _at(data, segments)


def set_value(data: dict[str, Any], finding: Finding, value: Any) -> Any:
    """Set the value a finding is in; returns the top-level field it changed (or None)."""
    segments = None if finding.in_key else _segments(data, finding)
    if not segments or _at(data, segments) is None:
        return None
    _set(data, segments, value)
    return segments[0]


def _segments(data: Any, where: Finding | str) -> tuple[Segment, ...] | None:
    """The raw path of a finding (or of a dotted path of raw keys) in ``data``. A stored
    field with a masked key names no raw path: None."""
    if isinstance(where, Finding):
        if where.path is not None:
            return where.path
        where = where.field
    if isinstance(data, dict) and where in data:
        return (where,)
    segments: list[Segment] = []
    for part in where.split("."):
        if isinstance(data, dict) and part in data:
            segments.append(part)
            data = data[part]
        elif isinstance(data, list) and part.isdigit() and int(part) < len(data):
            segments.append(int(part))
            data = data[int(part)]
        else:
            return None
    return tuple(segments)


def _entry(data: Any, finding: Finding) -> tuple[dict[Any, Any], Any] | None:
    """(object, key) of a finding in a key, if the key is still there."""
    if not finding.path:
        return None
    parent = _at(data, finding.path[:-1])
    key = finding.path[-1]
    return (parent, key) if isinstance(parent, dict) and key in parent else None


def _at(data: Any, segments: tuple[Segment, ...]) -> Any:
    for part in segments:
        in_list = isinstance(data, list) and isinstance(part, int) and 0 <= part < len(data)
        if not (in_list or (isinstance(data, dict) and part in data)):
            return None
        data = data[part]
    return data


def _set(data: Any, segments: tuple[Segment, ...], value: Any) -> None:
    *parents, last = segments
    for part in parents:
        data = data[part]
    data[last] = value


def _top(data: Any, path: str) -> str:
    """The top-level field a path is in. A top-level key may itself hold dots: a mail
    attachment's field is ``attachment:<filename>``, e.g. ``attachment:cv.pdf``."""
    return path if isinstance(data, dict) and path in data else path.split(".", 1)[0]


def get_path(data: Any, path: str) -> Any:
    if isinstance(data, dict) and path in data:
        return data[path]
    for part in path.split("."):
        if isinstance(data, dict):
            data = data.get(part)
        elif isinstance(data, list) and part.isdigit() and int(part) < len(data):
            data = data[int(part)]
        else:
            return None
    return data


def set_path(data: Any, path: str, value: Any) -> None:
    if isinstance(data, dict) and path in data:
        data[path] = value
        return
    *parents, last = path.split(".")
    for part in parents:
        data = data[int(part)] if isinstance(data, list) else data[part]
    if isinstance(data, list):
        data[int(last)] = value
    else:
        data[last] = value
