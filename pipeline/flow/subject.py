"""The subject as their own identity records say, read from the source systems when needed.

The index keeps keyed hashes only, so the raw names (to redact a lone first name) and the
raw identifiers (to show a person what they are registered with) come from the identity
records themselves, read when a request is handled and kept in memory only.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from typing import Any

from glemsel.pipeline.core.config import Config
from glemsel.pipeline.core.findings import Location
from glemsel.pipeline.core.identifiers import identity_field_type
from glemsel.pipeline.flow.scan import flatten

log = logging.getLogger("glemsel.subject")

# identity field type -> key in the export's "subject" (design.md's SubjectIdentifiers names)
SUBJECT_KEYS = {
    "NO_FODSELSNUMMER": "fnr",
    "EMAIL_ADDRESS": "emails",
    "PHONE_NUMBER": "phones",
    "PERSON": "names",
}


def identity_values(
    config: Config, sinks: Any, locations: Iterable[Location], target: set[str]
) -> dict[str, list[str]]:
    """Raw identifiers of the subject from their identity records: {"names": [...], ...}."""
    found: dict[str, list[str]] = {}
    for loc in locations:
        fields = config.systems.get(loc.system)
        wanted = fields.identity.get(loc.record_type) if fields else None
        if not wanted or not any(f.hash in target for f in loc.findings):
            continue
        try:
            data = sinks[loc.system].read(loc.record_id)
        except Exception as exc:  # one unreachable system must not stop the request
            log.warning(
                "identity record %s/%s unreadable: %s",
                loc.system,
                loc.record_id,
                type(exc).__name__,
            )
            continue
        for path, text in flatten(data or {}):
            etype = identity_field_type(path) if path in wanted else None
            key = SUBJECT_KEYS.get(etype or "")
            if key and text not in found.setdefault(key, []):
                found[key].append(text)
    return found


def known_names(
    config: Config,
    sinks: Any,
    locations: Iterable[Location],
    target: set[str],
    requested: Iterable[str] = (),
) -> list[str]:
    """The subject's names: those the request gives and those their identity records hold."""
    names = list(dict.fromkeys(requested))
    for name in identity_values(config, sinks, locations, target).get("names", []):
        if name not in names:
            names.append(name)
    return names
