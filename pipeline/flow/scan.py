"""A record's fields -> findings (keyed hash + masked preview per detected identifier).

Used on ingest, on read-back after an erasure (verification) and to locate spans for
redaction, so all three agree on what a finding is.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from typing import TYPE_CHECKING, Any

from glemsel.pipeline.core.findings import Finding

if TYPE_CHECKING:  # the detector arrives built; importing it here would load Presidio
    from glemsel.detectors import Detector, Entity
from glemsel.pipeline.core.identifiers import Hasher, identity_field_type, mask

_WORD = re.compile(r"[^\W\d_]+(?:-[^\W\d_]+)*")
MAX_NAME_WORDS = 4


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


class KnownNames:
    """Names that identity records tie to a subject (keyed hashes), for name detection.

    Never loaded whole: a record's candidate names are asked of the index (``lookup``: the
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
        self.known_names = known_names or KnownNames()

    def identity_values(self, data: dict[str, Any], fields: list[str]) -> dict[str, str]:
        """hash -> entity type of the identifying fields of an identity record."""
        found: dict[str, str] = {}
        for path, text in flatten(data):
            if path in fields and (etype := identity_field_type(path)):
                found[self._hash(etype, text)] = etype
        return found

    def scan(
        self,
        system: str,
        record_type: str,
        record_id: str,
        data: dict[str, Any] | None,
        identity_fields: list[str] = (),  # type: ignore[assignment]
    ) -> list[Finding]:
        if not data:
            return []
        results: list[Finding] = []
        fields = list(flatten(data))
        # Candidate names of every free-text field, asked of the known names at once.
        candidates = {
            path: self._name_candidates(text)
            for path, text in fields
            if not (path in identity_fields and identity_field_type(path))
        }
        known = self.known_names.among({h for c in candidates.values() for _, _, h in c})
        for path, text in fields:
            if path in identity_fields and (etype := identity_field_type(path)):
                entities = [_entity(etype, 0, len(text), 1.0)]
            else:
                entities = self._with_known_names(
                    self._detector.analyze(text), candidates[path], known
                )
            results.extend(
                Finding(
                    system=system,
                    record_type=record_type,
                    record_id=record_id,
                    field=path,
                    start=e.start,
                    end=e.end,
                    entity_type=e.type,
                    score=round(e.score, 3),
                    preview=mask(e.type, text[e.start : e.end]),
                    hash=self._hash(e.type, text[e.start : e.end]),
                )
                for e in entities
            )
        return results

    def _name_candidates(self, text: str) -> list[tuple[int, int, str]]:
        """(start, end, keyed hash) of every run of 2-4 capitalised words, longest first."""
        return [
            (start, end, self._hash("PERSON", text[start:end]))
            for run in _capitalised_runs(text)
            for start, end in _sub_runs(run)
        ]

    @staticmethod
    def _with_known_names(
        entities: list[Entity], candidates: list[tuple[int, int, str]], known: set[str]
    ) -> list[Entity]:
        """Add names that identity records made known, which no name list may contain."""
        if not known:
            return entities
        taken = [(e.start, e.end) for e in entities]
        extra = []
        for start, end, digest in candidates:
            if digest not in known or any(s < end and start < e for s, e in taken):
                continue
            extra.append(_entity("PERSON", start, end, 0.95))
            taken.append((start, end))
        return sorted([*entities, *extra], key=lambda e: e.start) if extra else entities


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


def _sub_runs(run: list[tuple[int, int]]) -> Iterator[tuple[int, int]]:
    """Every sequence of 2..MAX_NAME_WORDS consecutive words of a run, longest first."""
    for size in range(min(len(run), MAX_NAME_WORDS), 1, -1):
        for i in range(len(run) - size + 1):
            yield run[i][0], run[i + size - 1][1]


def _entity(entity_type: str, start: int, end: int, score: float) -> Entity:
    from glemsel.detectors import Entity  # loaded already: a Scanner has its detector

    return Entity(entity_type, start, end, score)
