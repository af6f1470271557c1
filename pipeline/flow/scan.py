"""A record's fields -> findings (keyed hash + masked preview per detected identifier).

Used on ingest, on read-back after an erasure (verification) and to locate spans for
redaction, so all three agree on what a finding is.
"""

from __future__ import annotations

import bisect
import re
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from glemsel.pipeline.core.findings import (
    Finding,
    Segment,
    is_field_name,
    key_field,
    key_is_plain,
    masked_key,
)

if TYPE_CHECKING:  # the detector arrives built; importing it here would load Presidio
    from glemsel.detectors import Detector, Entity
from glemsel.pipeline.core.identifiers import Hasher, identity_field_type, mask

_WORD = re.compile(r"[^\W\d_]+(?:-[^\W\d_]+)*")
MAX_NAME_WORDS = 4
MAX_NAME_CHARS = 120  # longer than any full name: not a candidate
# Texts longer than this are detected in windows of this size (plus context on both sides),
# so that the time budget is checked between windows and memory stays bounded.
WINDOW = 200_000
WINDOW_CONTEXT = 2_000
CLEAN_KEYS = 4096  # keys remembered as holding nothing (column names, form fields)
# What the detector found in a short text at a field, remembered for the next record with
# the same text there (a job title, a company, a status): the detector's result depends on
# the text and the field only. In memory, bounded (two generations of MEMO_SIZE), and keyed
# by a keyed hash of the two: the worker keeps no copy of a text after its event (a name
# erased today would otherwise stay in a long-running worker's memory until it churned out).
MEMO_CHARS = 200
MEMO_SIZE = 8192


class OverLimit(ValueError):
    """An event over a configured size or time limit; the message names the limit."""


class Budget:
    """The time an event may take (config ``limits.event_seconds``), checked between steps."""

    def __init__(self, seconds: float, clock: Callable[[], float] = time.monotonic) -> None:
        self.seconds = seconds
        self._clock = clock
        self._deadline = clock() + seconds

    def check(self) -> None:
        if self._clock() > self._deadline:
            raise OverLimit(f"event over the time budget of limits.event_seconds={self.seconds:g}")


def flatten(data: Any, prefix: str = "") -> Iterator[tuple[str, str]]:
    """(dotted path, text) for every scalar that could hold an identifier."""
    if isinstance(data, dict):
        for key, value in data.items():
            yield from flatten(value, f"{prefix}.{key}" if prefix else str(key))
    elif isinstance(data, list):
        for i, value in enumerate(data):
            yield from flatten(value, f"{prefix}.{i}" if prefix else str(i))
    elif isinstance(data, str):
        if data:
            yield prefix, data
    elif isinstance(data, int | float) and not isinstance(data, bool):
        yield prefix, str(data)  # an 11-digit fnr column is often an integer


@dataclass(slots=True)
class _Item:
    """A key or a scalar of a record, as the scanner looks at it."""

    text: str
    source: str  # the dotted path of raw keys: context for the detector, identity fields
    field: str  # the path stored with its findings
    path: tuple[Segment, ...]  # raw keys and indices (to the entry, for a key)
    entities: list[Entity]  # a key's, found while walking
    key: bool = False


def _scalar_text(node: Any) -> str | None:
    """A scalar's text (an 11-digit fnr column is often an integer); None for others."""
    if isinstance(node, str):
        return node
    if isinstance(node, int | float) and not isinstance(node, bool):
        return str(node)
    return None


def _check_size(text: str, max_field_bytes: int | None) -> None:
    # len * 4 bounds the UTF-8 size: most fields need no encoding to be measured.
    if (
        max_field_bytes is not None
        and len(text) * 4 > max_field_bytes
        and (size := len(text.encode("utf-8", "surrogatepass"))) > max_field_bytes
    ):
        raise OverLimit(f"a field of {size} bytes is over limits.max_field_bytes={max_field_bytes}")


class KnownNames:
    """Names that identity records tie to a subject (keyed hashes), for name detection.

    Never loaded whole: a text's candidate names are asked of the index (``lookup``: the
    subset of the given hashes that are known), so the cost per record does not grow with
    the number of subjects. A name once known stays known here; a name found unknown is
    asked again in the next batch, so a name another worker linked meanwhile is seen.
    """

    def __init__(self, lookup: Callable[[set[str]], set[str]] | None = None) -> None:
        self._lookup = lookup
        self._known: set[str] = set()
        self._absent: set[str] = set()

    def add(self, hashes: Iterable[str]) -> None:
        self._known.update(hashes)
        self._absent.difference_update(self._known)

    def new_batch(self) -> None:
        self._absent.clear()

    def among(self, hashes: set[str]) -> set[str]:
        ask = hashes - self._known - self._absent
        if ask and self._lookup is not None:
            found = self._lookup(ask)
            self._known |= found
            self._absent |= ask - found
        return hashes & self._known


class Scanner:
    def __init__(
        self, detector: Detector, hasher: Hasher, known_names: KnownNames | None = None
    ) -> None:
        self._detector = detector
        self._hash = hasher
        self._known_names = known_names or KnownNames()
        self._clean_keys: set[str] = set()
        # (key, top) -> its segment in a stored path, for keys the detector finds nothing in.
        self._segments: dict[tuple[str, bool], str] = {}
        # (text, field) -> the detector's entities and the candidate names they leave
        # (see _candidates); the known names are asked every time, as they change.
        # Two generations: when the memo is full it becomes the old one, and what is met
        # again moves back, so texts that repeat stay while those that do not (ids) go.
        self._memo: dict[str, tuple[list[Entity], _Candidates]] = {}
        self._memo_old: dict[str, tuple[list[Entity], _Candidates]] = {}
        self._memo_of = detector
        # (entity type, value) -> hash of the identity values of the change batch being
        # handled: its scan hashes them again (a phone number's parse is the costly part).
        # In memory for the batch only (``forget_identities`` at its start and its end).
        self._identity_hashes: dict[tuple[str, str], str] = {}

    def warm_up(self) -> None:
        """Has the detector load what it loads on first use (a detector without a warm-up,
        a test's fake, is left as it is)."""
        warm_up = getattr(self._detector, "warm_up", None)
        if warm_up is not None:
            warm_up()

    def forget_identities(self) -> None:
        self._identity_hashes = {}

    @property
    def known_names(self) -> KnownNames:
        return self._known_names

    @known_names.setter
    def known_names(self, value: KnownNames | Iterable[str]) -> None:
        # A plain set of hashes (tests, tools) is a fixed list of known names.
        if isinstance(value, KnownNames):
            self._known_names = value
        else:
            self._known_names = KnownNames()
            self._known_names.add(value)

    def identity_values(
        self, data: dict[str, Any], fields: list[str], remember: bool = False
    ) -> dict[str, str]:
        """hash -> entity type of the identifying fields of an identity record.
        ``remember``: kept for the record's scan, until ``forget_identities``."""
        found: dict[str, str] = {}
        for path, text in self._identity_candidates(data, fields):
            if path in fields and (etype := identity_field_type(path)):
                digest = self._hash(etype, text)
                found[digest] = etype
                if remember:
                    self._identity_hashes[(etype, text)] = digest
        return found

    @staticmethod
    def _identity_candidates(data: dict[str, Any], fields: list[str]) -> Iterable[tuple[str, str]]:
        """What ``flatten`` gives of ``data`` that can be one of ``fields``. A field without
        a dot is a top-level scalar's (every path below the top has a dot, as long as no
        top-level key is empty): those alone, without walking what is below them."""
        if "" in data or any("." in f for f in fields):
            return flatten(data)
        return ((str(key), text) for key, value in data.items() if (text := _scalar_text(value)))

    def _digest(self, entity_type: str, value: str) -> str:
        known = self._identity_hashes.get((entity_type, value)) if self._identity_hashes else None
        return known or self._hash(entity_type, value)

    def scan(
        self,
        system: str,
        record_type: str,
        record_id: str,
        data: dict[str, Any] | None,
        identity_fields: list[str] = (),  # type: ignore[assignment]
        *,
        budget: Budget | None = None,
        max_field_bytes: int | None = None,
    ) -> list[Finding]:
        """``budget`` and ``max_field_bytes`` bound the work (ingest sets them): over either,
        :class:`OverLimit` is raised, naming the limit and never the content.

        Object keys are scanned like values (a key may be a name or an e-mail address);
        the findings' fields are paths whose keys hold no personal data (core/findings)."""
        if not data:
            return []
        results: list[Finding] = []
        add = results.append
        for item in self._items(data, budget, max_field_bytes):
            text = item.text
            if item.key:
                entities = item.entities
            elif item.source in identity_fields and (etype := identity_field_type(item.source)):
                # typed by its field: the whole value (its hash was made for the link)
                add(
                    Finding(
                        system,
                        record_type,
                        record_id,
                        item.field,
                        0,
                        len(text),
                        etype,
                        1.0,
                        mask(etype, text),
                        self._digest(etype, text),
                        item.path,
                    )
                )
                continue
            else:
                # the field's path is context: "kunde.etternavn" says its value is a name
                entities = self._detected(text, budget, field=item.source)
            for e in entities:
                value = text[e.start : e.end]
                # positional: the fields in Finding's order (keywords cost more per finding)
                add(
                    Finding(
                        system,
                        record_type,
                        record_id,
                        item.field,
                        e.start,
                        e.end,
                        e.type,
                        round(e.score, 3),
                        mask(e.type, value),
                        self._digest(e.type, value),
                        item.path,
                    )
                )
        return results

    def _items(
        self, data: Any, budget: Budget | None, max_field_bytes: int | None
    ) -> Iterator[_Item]:
        """Every key and every scalar that could hold an identifier, with its stored field
        (keys with personal data masked) and its raw path. A key is scanned before what it
        holds, so the paths below it can be masked."""
        stack: list[tuple[Any, tuple[Segment, ...], str, str]] = [(data, (), "", "")]
        while stack:
            node, path, source, stored = stack.pop()
            if isinstance(node, dict):
                children = []
                for key, value in node.items():
                    text = str(key)
                    _check_size(text, max_field_bytes)
                    if budget:
                        budget.check()
                    entities = self._key_entities(text, budget)
                    top = not path
                    if entities:
                        digest = self._hash.opaque(f"key:{text}")[:8]
                        segment = masked_key(text, entities[0].type, digest, top)
                    else:
                        segment = self._segment(text, top)
                    here = (*path, key)
                    entry = f"{stored}.{segment}" if stored else segment
                    if entities:
                        yield _Item(text, source, key_field(entry), here, entities, key=True)
                    raw = f"{source}.{text}" if source else text
                    children.append((value, here, raw, entry))
                # The scalars before the first object or list are yielded here, in order,
                # the rest go on the stack: the same order, without a stack entry per value.
                for n, child in enumerate(children):
                    value = child[0]
                    if isinstance(value, dict | list):
                        stack.extend(reversed(children[n:]))
                        break
                    if scalar := _scalar_text(value):
                        _check_size(scalar, max_field_bytes)
                        if budget:
                            budget.check()
                        yield _Item(scalar, child[2], child[3], child[1], [])
            elif isinstance(node, list):
                stack.extend(
                    (
                        value,
                        (*path, i),
                        f"{source}.{i}" if source else str(i),
                        f"{stored}.{i}" if stored else str(i),
                    )
                    for i, value in reversed(list(enumerate(node)))
                )
            elif (scalar := _scalar_text(node)) and path:
                _check_size(scalar, max_field_bytes)
                if budget:
                    budget.check()
                yield _Item(scalar, source, stored, path, [])

    def _segment(self, key: str, top: bool) -> str:
        """The segment of a key the detector found nothing in: the key itself if plain, else
        masked. Keys repeat (every record of a table has its columns): remembered."""
        segment = self._segments.get((key, top))
        if segment is None:
            if key_is_plain(key, top):
                segment = key
            else:
                segment = masked_key(key, None, self._hash.opaque(f"key:{key}")[:8], top)
            if len(self._segments) >= CLEAN_KEYS:
                self._segments.clear()
            self._segments[(key, top)] = segment
        return segment

    def _key_entities(self, key: str, budget: Budget | None) -> list[Entity]:
        """What a key holds. Keys repeat (column names, a form's fields): one that holds
        nothing and is plain is remembered, so it costs no detection the next time."""
        if key in self._clean_keys or is_field_name(key):
            return []
        found = self._detected(key, budget)
        if not found and key_is_plain(key):
            if len(self._clean_keys) >= CLEAN_KEYS:
                self._clean_keys.clear()
            self._clean_keys.add(key)
        return found

    def _detected(self, text: str, budget: Budget | None, field: str | None = None) -> list[Entity]:
        """The detector's entities and the known names in ``text``. A short text's entities
        and candidate names are remembered (they depend on the text and field only)."""
        if len(text) > MEMO_CHARS:
            found = self._analyze(text, budget, field)
            return self._known_among(found, self._candidates(text, found, budget))
        if self._memo_of is not self._detector:  # another detector: others' results
            self._memo, self._memo_old, self._memo_of = {}, {}, self._detector
        # "\x00" cannot be in a field path; a key (field None) is its own domain.
        where = "\x01" if field is None else field
        key = self._hash.opaque(f"{where}\x00{text}".encode("utf-8", "surrogatepass"))
        memo = self._memo.get(key)
        if memo is None:
            memo = self._memo_old.get(key)
            if memo is None:
                found = self._analyze(text, budget, field)
                memo = (found, self._candidates(text, found, budget))
            if len(self._memo) >= MEMO_SIZE:
                self._memo_old, self._memo = self._memo, {}
            self._memo[key] = memo
        return self._known_among(list(memo[0]), memo[1])

    def _analyze(self, text: str, budget: Budget | None, field: str | None = None) -> list[Entity]:
        """The detector's entities; a long text window by window (each with context on
        both sides, keeping the entities that start in its own part). The field's path is
        context for a text of one window."""
        if len(text) <= WINDOW:
            if field is None:  # a key: no path is context for it
                return self._detector.analyze(text)
            return self._detector.analyze(text, field=field)
        found: list[Entity] = []
        for begin in range(0, len(text), WINDOW):
            if budget:
                budget.check()
            lo = max(0, begin - WINDOW_CONTEXT)
            chunk = text[lo : begin + WINDOW + WINDOW_CONTEXT]
            for e in self._detector.analyze(chunk):
                start = e.start + lo
                if begin <= start < begin + WINDOW:
                    found.append(_entity(e.type, start, e.end + lo, e.score))
        return found

    def _candidates(
        self, text: str, entities: list[Entity], budget: Budget | None = None
    ) -> _Candidates:
        """The spans of ``text`` that could be a known name, with their hashes.

        Linear in the text: the detector's spans are merged once and looked up by bisection,
        and no candidate is longer than a name can be."""
        taken = _Spans((e.start, e.end) for e in entities)
        runs = list(_capitalised_runs(text))
        candidates: list[tuple[int, int, int, int, int, str]] = []
        for n, run in enumerate(runs):
            if budget and n % 1024 == 0:
                budget.check()
            for i, size in _sub_runs(len(run)):
                start, end = run[i][0], run[i + size - 1][1]
                if end - start > MAX_NAME_CHARS or taken.overlaps(start, end):
                    continue
                candidates.append((n, i, size, start, end, self._hash("PERSON", text[start:end])))
        return _Candidates([len(run) for run in runs], candidates)

    def _known_among(self, entities: list[Entity], found: _Candidates) -> list[Entity]:
        """``entities`` and the candidates that are known names, marked per word of their
        run (a longer name first). The candidates are asked of the known names at once (one
        lookup in the index, never a load of every name)."""
        if not found.candidates:
            return entities
        known = self.known_names.among({c[5] for c in found.candidates})
        if not known:
            return entities
        extra = []
        used: dict[int, bytearray] = {}
        for n, i, size, start, end, digest in found.candidates:
            if digest not in known:
                continue
            marks = used.setdefault(n, bytearray(found.run_words[n]))
            if any(marks[i : i + size]):
                continue
            extra.append(_entity("PERSON", start, end, 0.95))
            marks[i : i + size] = b"\x01" * size
        return sorted([*entities, *extra], key=lambda e: e.start) if extra else entities


@dataclass(frozen=True, slots=True)
class _Candidates:
    """Candidate known names of a text: (run, first word, words, start, end, hash) each,
    and the number of words of every run."""

    run_words: list[int]
    candidates: list[tuple[int, int, int, int, int, str]]


class _Spans:
    """Character spans, merged, for overlap tests by bisection."""

    def __init__(self, spans: Iterable[tuple[int, int]]) -> None:
        merged: list[list[int]] = []
        for start, end in sorted(spans):
            if merged and start <= merged[-1][1]:
                merged[-1][1] = max(merged[-1][1], end)
            else:
                merged.append([start, end])
        self._starts = [m[0] for m in merged]
        self._ends = [m[1] for m in merged]

    def overlaps(self, start: int, end: int) -> bool:
        i = bisect.bisect_right(self._starts, start) - 1
        if i >= 0 and self._ends[i] > start:
            return True
        return i + 1 < len(self._starts) and self._starts[i + 1] < end


def _capitalised_runs(text: str) -> Iterator[list[tuple[int, int]]]:
    """Runs of capitalised words separated only by blanks: candidate full names."""
    run: list[tuple[int, int]] = []
    for m in _WORD.finditer(text):
        joined = run and text[run[-1][1] : m.start()].strip(" \t") == ""
        if m.group()[0].isupper() and (joined or not run):
            run.append(m.span())
            continue
        if len(run) > 1:
            yield run
        run = [m.span()] if m.group()[0].isupper() else []
    if len(run) > 1:
        yield run


def _sub_runs(words: int) -> Iterator[tuple[int, int]]:
    """(first word, size) of every 2..MAX_NAME_WORDS consecutive words of a run of
    ``words`` words, longest first."""
    for size in range(min(words, MAX_NAME_WORDS), 1, -1):
        for i in range(words - size + 1):
            yield i, size


_ENTITY: list[type[Entity]] = []  # the class, once imported (an import per entity cost)


def _entity(entity_type: str, start: int, end: int, score: float) -> Entity:
    if not _ENTITY:
        from glemsel.detectors import Entity  # loaded already: a Scanner has its detector

        _ENTITY.append(Entity)
    return _ENTITY[0](entity_type, start, end, score)
