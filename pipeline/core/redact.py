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
from collections.abc import Callable, Mapping
from typing import Any

from glemsel.pipeline.core.findings import Finding

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
    text = get_path(data, finding.field)
    if not isinstance(text, str | int) or isinstance(text, bool):
        return None
    return str(text)[finding.start : finding.end]


def redact_spans(
    data: dict[str, Any], spans: list[Finding], anonymiser: Anonymiser = PLACEHOLDERS
) -> dict[str, Any]:
    """The changed top-level fields, with each span replaced as its type's strategy says.

    Spans are applied right to left so earlier offsets stay valid; a span already in its
    anonymised form is left as it is.
    """
    changed = copy.deepcopy(data)
    touched: set[str] = set()
    for f in sorted(spans, key=lambda s: (s.field, s.start), reverse=True):
        text = get_path(changed, f.field)
        if not isinstance(text, str | int) or isinstance(text, bool):
            continue
        text = str(text)
        value = text[f.start : f.end]
        new = anonymiser.replacement(f.entity_type, value)
        if new == value:
            continue
        set_path(changed, f.field, text[: f.start] + new + text[f.end :])
        touched.add(_top(changed, f.field))
    return {key: changed[key] for key in touched}


def redact_fields(data: dict[str, Any], fields: set[str]) -> dict[str, Any]:
    changed = copy.deepcopy(data)
    touched: set[str] = set()
    for path in fields:
        if get_path(changed, path) is not None:
            set_path(changed, path, FIELD_PLACEHOLDER)
            touched.add(_top(changed, path))
    return {key: changed[key] for key in touched}


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
