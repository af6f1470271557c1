"""The subject index: where do we hold data about this person?

Two stores implement :class:`SubjectIndex`: SQLite (embedded, ``index_sqlite``) and
Elasticsearch (distributed). Both hold keyed hashes and masked previews only.
"""

from __future__ import annotations

from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from datetime import datetime
from typing import Protocol


@dataclass(frozen=True, slots=True)
class Finding:
    system: str
    record_type: str
    record_id: str
    field: str  # dotted path into the record's fields
    start: int
    end: int
    entity_type: str
    score: float
    preview: str  # masked
    hash: str  # keyed hash of the normalised identifier


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


class SubjectIndex(Protocol):
    def replace_findings(
        self, system: str, record_type: str, record_id: str, findings: list[Finding], ts: datetime
    ) -> None:
        """A record's findings are exactly ``findings`` from now on (empty = forget it)."""

    def remove_record(self, system: str, record_id: str) -> None: ...

    def batch(self) -> AbstractContextManager[None]:
        """Writes inside may reach the store together, on exit at the latest; reads inside
        see them. Leaving the block without an error means they are durable."""

    def refresh(self) -> None:
        """Make every write acknowledged so far, by any worker, visible to the next read."""

    def link_identity(self, identifiers: dict[str, str]) -> str:
        """Identifiers (hash -> entity type) found together in one identity record are one
        subject; merges subjects they already belong to and returns the subject's id."""

    def expand_subject(self, hashes: set[str]) -> set[str]:
        """``hashes`` plus every identifier of every subject any of them belongs to."""

    def locations(self, hashes: set[str]) -> list[Location]:
        """Locations holding any of ``hashes``, each with the matching findings only."""

    def record_hashes(self, system: str, record_id: str) -> set[str]: ...

    def known_name_hashes(self) -> set[str]:
        """Hashes of names that identity records tie to a subject (for name detection)."""

    def counts(self) -> dict[str, int]: ...

    def close(self) -> None: ...
