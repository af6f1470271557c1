"""Adapters for the systems Glemsel erases in: read, update, delete, list by age.

Each adapter works on the live system (SQL through SQLAlchemy, Maildir through `mailbox`,
IMAP through `imaplib`); erasure logic (what to redact, verification) stays in the pipeline,
so a new kind of system needs only these few operations.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from importlib import import_module
from pathlib import Path
from typing import Any, Protocol

from .spec import SinkSpec


class Sink(Protocol):
    system: str

    def read(self, record_id: str) -> dict[str, Any] | None:
        """The record's current fields, None if it does not exist."""

    def update(self, record_id: str, changes: dict[str, Any]) -> bool:
        """Overwrite fields; False if the record does not exist."""

    def delete(self, record_id: str) -> bool:
        """Delete; False if it was already gone (so a repeated erasure is harmless)."""

    def record_ids_older_than(self, cutoff: datetime) -> list[str]:
        """Records whose timestamp field is before ``cutoff`` ([] without such a field)."""

    def record_ids_between(self, since: datetime | None, cutoff: datetime) -> list[str]:
        """Records whose timestamp field is at or after ``since`` (None: any) and before
        ``cutoff``: what became old since the last sweep, without listing the older ones
        where the system can tell (a sweep's work follows what changed, not the data)."""

    def iter_records(
        self, after: str | None = None, batch: int = 500
    ) -> Iterator[tuple[str, dict[str, Any]]]:
        """Every record in a stable order, resumable after the id ``after``."""

    def close(self) -> None: ...


# Sink kinds by the `kind:` of a system's sink spec, as "module:class" (imported on use, so
# a deployment without IMAP, say, never loads it). A new kind is one line here.
SINK_KINDS: dict[str, str] = {
    "sql": ".sql:SqlSink",
    "maildir": ".maildir:MaildirSink",
    "imap": ".imap:ImapSink",
}


def open_sink(system: str, spec: SinkSpec, base_dir: Path) -> Sink:
    try:
        module, _, cls = SINK_KINDS[spec.kind].partition(":")
    except KeyError:
        raise ValueError(f"{system}: no sink of kind {spec.kind!r}") from None
    sink: Sink = getattr(import_module(module, __name__), cls)(system, spec, base_dir)
    return sink
