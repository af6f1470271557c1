"""What read-only commands read: the protocols that the full stores (SQLAlchemy, every
backend) and the light SQLite path (``stores/sqlite_reads.py``) both satisfy.

``glemsel search``, ``status`` and ``requests`` are written against these, so they run on
either without knowing which; no module here imports a database library.
"""

from __future__ import annotations

from typing import Any, Protocol

from glemsel.pipeline.core.config import Config
from glemsel.pipeline.core.findings import Location
from glemsel.pipeline.core.holds import Hold
from glemsel.pipeline.core.identifiers import Hasher
from glemsel.pipeline.core.statuses import LocationAction
from glemsel.pipeline.stores.rows import OutcomeRow, RequestRow


class IndexReads(Protocol):
    def expand_subject(self, hashes: set[str], shared_names: bool = False) -> set[str]: ...

    def name_candidates(self, hashes: set[str]) -> dict[str, set[str]]: ...

    def locations(self, hashes: set[str]) -> list[Location]: ...

    def subject_locations(self, hashes: set[str]) -> tuple[set[str], list[Location]]:
        """``expand_subject(hashes)`` and the ``locations`` of it, together."""
        ...

    def record_hashes(self, system: str, record_id: str) -> set[str]: ...


class RequestReads(Protocol):
    def get(self, request_id: str) -> RequestRow | None: ...

    def all(self) -> list[RequestRow]: ...

    def naming(self, hashes: set[str]) -> list[RequestRow]:
        """The requests naming any of ``hashes``, by arrival (a lookup by key)."""
        ...


class OutcomeReads(Protocol):
    def of_request(self, request_id: str) -> list[OutcomeRow]: ...

    def with_action(self, action: LocationAction) -> list[OutcomeRow]: ...


class HoldReads(Protocol):
    def active(self) -> list[Hold]: ...


class StateReads(Protocol):
    # Properties: read-only members, so a repository's own class satisfies them.
    @property
    def requests(self) -> RequestReads: ...

    @property
    def outcomes(self) -> OutcomeReads: ...

    @property
    def holds(self) -> HoldReads: ...


class AuditAppend(Protocol):
    def append(
        self,
        kind: str,
        *,
        request_id: str | None = None,
        system: str | None = None,
        record_id: str | None = None,
        **detail: Any,
    ) -> int: ...


class ReadStores(Protocol):
    @property
    def config(self) -> Config: ...

    @property
    def index(self) -> IndexReads: ...

    @property
    def state(self) -> StateReads: ...

    @property
    def audit(self) -> AuditAppend: ...

    @property
    def hasher(self) -> Hasher: ...

    def close(self) -> None: ...
