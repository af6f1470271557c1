"""What the detectors found in one record, and where: the unit the subject index stores.

A finding's ``field`` is the dotted path into the record, made only of keys that hold no
personal data: a JSON object key in which something was found, or that looks like an
identifier, is a masked segment ``[KEY:TYPE:<8 hex>]`` (``[KEY:<8 hex>]`` when nothing was
found in it), the hex a keyed hash of the key, so the same record always gives the same
path. A finding in a key itself has the path of its entry followed by ``[key]``
(``participants.[KEY:PERSON:1f3a9c2e].[key]``); its offsets are into the key's text.
Where a finding is in the record as read (the raw keys) rides along in memory only, for
redaction and read-back: never stored, never shown.
"""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass, field
from datetime import datetime

# The last segment of the field of a finding in a key: the key itself, not its value.
KEY_MARK = "[key]"
ATTACHMENT_PREFIX = "attachment:"  # a mail's attachment text: ``attachment:<filename>``
MAX_PLAIN_KEY = 64

_DIGIT_RUN = re.compile(r"\d(?:[ .\-/]?\d){5,}")  # 6+ digits, grouped or not: a number
_FIELD_NAME = re.compile(r"[a-z_][A-Za-z0-9_\-]{0,63}")
# What erasure makes of a key: our own placeholder or pseudonym, with a number if taken.
_OUR_KEY = re.compile(r"\[(?:SLETTET|PSEUDONYM)(?::[A-Z_]+)?(?::[0-9a-f]+)?\](?: #\d+)?")

Segment = str | int  # a key of an object, or an index of a list


@dataclass(frozen=True, slots=True)
class Finding:
    system: str
    record_type: str
    record_id: str
    field: str  # dotted path into the record's fields, identifier keys masked
    start: int
    end: int
    entity_type: str
    score: float
    preview: str  # masked
    hash: str  # keyed hash of the normalised identifier
    # The raw keys and indices to the value (to the entry, for a finding in a key), where
    # the scanner made the finding; None for findings read back from the index.
    path: tuple[Segment, ...] | None = dataclasses.field(default=None, compare=False, repr=False)

    @property
    def in_key(self) -> bool:
        """The finding is in an object key (its offsets are into the key's text)."""
        return self.field == KEY_MARK or self.field.endswith("." + KEY_MARK)

    @property
    def source(self) -> str:
        """The dotted path of raw keys, as :func:`~glemsel.pipeline.flow.scan.flatten`
        gives it (``….[key]`` for a finding in a key, which no value path is): for
        comparisons in memory only, as it may hold personal data."""
        if self.path is None:
            return self.field
        raw = ".".join(str(p) for p in self.path)
        return key_field(raw) if self.in_key else raw


def is_field_name(key: str) -> bool:
    """A key written as a program's field name (``created_at``, ``firstName``, ``kunde-id``):
    a lowercase start, letters, digits, ``_`` and ``-``, no number of 6 digits. The
    detectors find nothing in such a word (names are capitalised, identifiers are longer
    numbers or hold ``@``), so it need not be scanned."""
    return _FIELD_NAME.fullmatch(key) is not None and not _DIGIT_RUN.search(key)


def key_is_plain(key: str, top: bool = False) -> bool:
    """True for a key that can stand in a stored field path as it is: not an e-mail, a
    number, a name or a long text. ``top``: a record's own field (a column, a header),
    which may hold dots (``attachment:cv.pdf``). A key with a finding is never plain; this
    is for keys the detectors found nothing in."""
    if not key or len(key) > MAX_PLAIN_KEY or not key.isprintable():
        return False
    if key.startswith("["):  # the namespace of our own segments and placeholders
        return _OUR_KEY.fullmatch(key) is not None
    if top and key.startswith(ATTACHMENT_PREFIX):
        key = key[len(ATTACHMENT_PREFIX) :]
    if "@" in key or _DIGIT_RUN.search(key) or (not top and "." in key):
        return False
    return not _has_capitalised_pair(key)


def _has_capitalised_pair(key: str) -> bool:
    """Two capitalised words in a row ("Kari Nordmann"): it may be a name."""
    words = key.split()
    return any(a[:1].isupper() and b[:1].isupper() for a, b in zip(words, words[1:], strict=False))


def masked_key(key: str, entity_type: str | None, digest: str, top: bool = False) -> str:
    """The segment that stands for ``key`` in a stored path; ``digest`` is a keyed hash of
    the key (so two keys of one object stay apart and the same key gives the same
    segment). A mail attachment keeps its ``attachment:`` prefix."""
    token = f"[KEY:{entity_type}:{digest}]" if entity_type else f"[KEY:{digest}]"
    if top and key.startswith(ATTACHMENT_PREFIX):
        return ATTACHMENT_PREFIX + token
    return token


def key_field(entry: str) -> str:
    """The field of a finding in the key of the entry at ``entry``."""
    return f"{entry}.{KEY_MARK}" if entry else KEY_MARK


@dataclass(slots=True)
class Location:
    system: str
    record_type: str
    record_id: str
    findings: list[Finding] = field(default_factory=list)
    last_seen: datetime | None = None

    @property
    def key(self) -> tuple[str, str]:
        return (self.system, self.record_id)
