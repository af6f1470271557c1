"""The subject index: where do we hold data about this person?

Two stores implement :class:`SubjectIndex`: SQLite (embedded, ``index_sqlite``) and
Elasticsearch (distributed, ``index_es``). Both hold keyed hashes and masked previews only.
"""

from __future__ import annotations

from contextlib import AbstractContextManager
from datetime import datetime
from typing import Protocol

from glemsel.pipeline.core.findings import Finding, Location


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

    def known_names_among(self, hashes: set[str]) -> set[str]:
        """Those of ``hashes`` that identity records tie to a subject as names (a lookup by
        key: its cost does not grow with the index)."""

    def known_name_hashes(self) -> set[str]:
        """Hashes of names that identity records tie to a subject (for name detection)."""

    def counts(self) -> dict[str, int]: ...

    def close(self) -> None: ...
