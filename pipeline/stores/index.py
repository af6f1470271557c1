"""The subject index: where do we hold data about this person?

Two stores implement :class:`SubjectIndex`: SQLite (embedded, ``index_sqlite``) and
Elasticsearch (distributed, ``index_es``). Both hold keyed hashes and masked previews only.
"""

from __future__ import annotations

import random
import time
from contextlib import AbstractContextManager
from datetime import datetime
from typing import Protocol

from glemsel.pipeline.core.findings import Finding, Location


def new_subject_id() -> str:
    """A new subject's id: 32 hex digits, the first 12 the milliseconds since the epoch and
    the rest random (UUIDv7's order, without its version bits). The links and names are
    indexed by subject: ids in the order they are made are appended to those B-trees,
    where random ones (uuid4) had each new subject rewrite a page of each as the index
    grew."""
    # Unique, not secret (a subject's id grants nothing): the process's generator, not a
    # system call per subject as os.urandom (uuid4) made.
    return f"{time.time_ns() // 1_000_000:012x}{random.getrandbits(80):020x}"


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

    def unlink_identifiers(self, hashes: set[str]) -> None:
        """Identifiers that no longer belong to anyone (a rectified old value) leave their
        subject, so that searching by them finds nothing."""

    def expand_subject(self, hashes: set[str], shared_names: bool = False) -> set[str]:
        """What to look for when ``hashes`` name a person: see :func:`expansion`.
        ``shared_names`` adds the subject's names that namesakes share too (to redact them
        inside records already found by a strong identifier, never to find records)."""

    def name_candidates(self, hashes: set[str]) -> dict[str, set[str]]:
        """Subjects that have one of ``hashes`` as a name: subject id -> its strong
        identifiers. More than one means a name alone cannot say whom it means."""

    def locations(self, hashes: set[str]) -> list[Location]:
        """Locations holding any of ``hashes``, each with the matching findings only."""

    def subject_locations(self, hashes: set[str]) -> tuple[set[str], list[Location]]:
        """``expand_subject(hashes)`` and the ``locations`` of it, together: in fewer round
        trips where the index can (Elasticsearch)."""

    def record_hashes(self, system: str, record_id: str) -> set[str]: ...

    def known_names_among(self, hashes: set[str]) -> set[str]:
        """Those of ``hashes`` that identity records tie to a subject as names (a lookup by
        key: its cost does not grow with the index)."""

    def known_name_hashes(self) -> set[str]:
        """Hashes of names that identity records tie to a subject (for name detection)."""

    def counts(self) -> dict[str, int]: ...

    def close(self) -> None: ...


def expansion(
    hashes: set[str],
    members: set[str],
    name_owners: dict[str, set[str]],
    subjects: set[str],
    shared_names: bool,
) -> set[str]:
    """The subject model, the same for every index. Fødselsnummer, e-mail and phone link:
    ``subjects`` are those any of ``hashes`` reaches through them (or the one subject a name
    alone belongs to), ``members`` their strong identifiers. A name is an attribute: it is
    looked for only when no subject outside ``subjects`` has it, so a namesake's records are
    never found through a shared name (``shared_names`` lifts that for redaction)."""

    def ours(h: str) -> bool:
        return shared_names or name_owners.get(h, set()) <= subjects

    names = {h for h, owners in name_owners.items() if owners & subjects}
    given = {h for h in hashes if h not in name_owners or ours(h)}
    return given | members | {h for h in names if ours(h)}
