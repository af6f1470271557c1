"""What the detectors found in one record, and where: the unit the subject index stores."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime


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
