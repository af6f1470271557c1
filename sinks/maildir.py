"""Maildir mailboxes through the standard library's `mailbox`; a record is a message.

A mail's Message-ID is chosen by its sender, so it cannot say on its own which message is
meant: a later mail may reuse it, and one mail may be stored twice. A location is therefore
``<Message-ID>#<Maildir key>`` (where it is stored as well as what it claims to be); every
copy is a location of its own. A bare Message-ID (a mail event that arrived before the
message was found in the Maildir) means every message with that Message-ID.
"""

from __future__ import annotations

import mailbox
from collections.abc import Iterator
from datetime import datetime
from email.utils import parsedate_to_datetime
from pathlib import Path
from typing import Any

from .message import parse_message, rewrite_message
from .spec import SinkSpec

SEPARATOR = "#"  # Maildir keys never hold it: they are time, a unique part and a hostname


def location_id(message_id: str, key: str) -> str:
    return f"{message_id.strip()}{SEPARATOR}{key}"


def split_location(record_id: str) -> tuple[str, str | None]:
    """(Message-ID, Maildir key or None for a bare Message-ID)."""
    record_id = record_id.strip()
    message_id, sep, key = record_id.rpartition(SEPARATOR)
    if sep and message_id.endswith(">") and key:
        return message_id, key
    return record_id, None


class MaildirSink:
    def __init__(self, system: str, spec: SinkSpec, base_dir: Path) -> None:
        assert spec.path
        path = Path(spec.path)
        self.system = system
        self._box = mailbox.Maildir(
            path if path.is_absolute() else base_dir / path, factory=None, create=True
        )
        self._limits = spec.attachments

    def _message_id(self, key: str) -> str | None:
        try:
            header = self._box.get_message(key).get("Message-ID")
        except KeyError:
            return None
        return str(header).strip() if header else None

    def _keys(self, record_id: str) -> list[str]:
        """Maildir keys of a location: the one copy it names, or every copy of a bare id."""
        message_id, key = split_location(record_id)
        if key is not None:
            return [key] if self._message_id(key) == message_id else []
        return sorted(k for k in self._box.iterkeys() if self._message_id(k) == message_id)

    def _parse(self, key: str) -> dict[str, Any]:
        return parse_message(self._box.get_bytes(key), self._limits)

    def locate(self, record_id: str, data: dict[str, Any] | None) -> list[str]:
        """The locations holding the message a mail event describes: copies with its
        Message-ID whose content is the event's (another mail reusing the id is not)."""
        message_id, key = split_location(record_id)
        if key is not None:
            return [record_id]
        return [
            location_id(message_id, k)
            for k in self._keys(message_id)
            if data is None or self._parse(k) == data
        ]

    def read(self, record_id: str) -> dict[str, Any] | None:
        keys = self._keys(record_id)
        return self._parse(keys[0]) if keys else None

    def attachment_names(self, record_id: str) -> list[str]:
        """File names of the message's attachments (an access export lists them), as
        ``parse_message`` names them in the record's ``attachments`` entries."""
        fields = self.read(record_id) or {}
        return [entry["filename"] for entry in fields.get("attachments", [])]

    def update(self, record_id: str, changes: dict[str, Any]) -> bool:
        keys = self._keys(record_id)
        for key in keys:
            rewritten = rewrite_message(self._box.get_bytes(key), changes)
            # __setitem__ writes the new message to tmp/ and renames it over the old file.
            self._box[key] = mailbox.MaildirMessage(rewritten)
        return bool(keys)

    def delete(self, record_id: str) -> bool:
        keys = self._keys(record_id)
        for key in keys:
            self._box.discard(key)
        return bool(keys)

    def record_ids_older_than(self, cutoff: datetime) -> list[str]:
        old = []
        for key in self._box.iterkeys():
            msg = self._box.get_message(key)
            try:
                sent = parsedate_to_datetime(str(msg.get("Date", "")))
            except (TypeError, ValueError):
                continue
            if sent.tzinfo is None:
                sent = sent.replace(tzinfo=cutoff.tzinfo)
            if sent < cutoff and msg.get("Message-ID"):
                old.append(location_id(str(msg["Message-ID"]), key))
        return old

    def iter_records(
        self, after: str | None = None, batch: int = 500
    ) -> Iterator[tuple[str, dict[str, Any]]]:
        ids = sorted(
            location_id(mid, k) for k in self._box.iterkeys() if (mid := self._message_id(k))
        )
        for record_id in ids:
            if after is None or record_id > after:
                yield record_id, self._parse(split_location(record_id)[1] or "")

    def close(self) -> None:
        self._box.close()
