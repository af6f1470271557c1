"""Maildir mailboxes through the standard library's `mailbox`; a record is a message,
identified by its Message-ID header."""

from __future__ import annotations

import email
import email.policy
import mailbox
from collections.abc import Iterator
from datetime import datetime
from email.utils import parsedate_to_datetime
from pathlib import Path
from typing import Any

from .message import parse_message, rewrite_message
from .spec import SinkSpec


class MaildirSink:
    def __init__(self, system: str, spec: SinkSpec, base_dir: Path) -> None:
        assert spec.path
        path = Path(spec.path)
        self.system = system
        self._box = mailbox.Maildir(
            path if path.is_absolute() else base_dir / path, factory=None, create=True
        )
        self._keys: dict[str, str] = {}
        self._limits = spec.attachments

    def _key(self, record_id: str) -> str | None:
        """Mailbox key of a Message-ID; the map is rebuilt when a lookup misses."""
        record_id = record_id.strip()
        key = self._keys.get(record_id)
        if key is not None and key in self._box:
            return key
        self._keys = {}
        for k in self._box.iterkeys():
            header = self._box.get_message(k).get("Message-ID")
            if header:
                self._keys[str(header).strip()] = k
        return self._keys.get(record_id)

    def read(self, record_id: str) -> dict[str, Any] | None:
        key = self._key(record_id)
        return parse_message(self._box.get_bytes(key), self._limits) if key else None

    def attachment_names(self, record_id: str) -> list[str]:
        """File names of the message's attachments (an access export lists them)."""
        key = self._key(record_id)
        if key is None:
            return []
        msg = email.message_from_bytes(self._box.get_bytes(key), policy=email.policy.default)
        return [
            part.get_filename() or "(uten navn)"
            for part in msg.walk()
            if part.get_content_disposition() == "attachment"
        ]

    def update(self, record_id: str, changes: dict[str, Any]) -> bool:
        key = self._key(record_id)
        if key is None:
            return False
        rewritten = rewrite_message(self._box.get_bytes(key), changes)
        # __setitem__ writes the new message to tmp/ and renames it over the old file.
        self._box[key] = mailbox.MaildirMessage(rewritten)
        return True

    def delete(self, record_id: str) -> bool:
        key = self._key(record_id)
        if key is None:
            return False
        self._box.discard(key)
        self._keys.pop(record_id.strip(), None)
        return True

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
                old.append(str(msg["Message-ID"]).strip())
        return old

    def iter_records(
        self, after: str | None = None, batch: int = 500
    ) -> Iterator[tuple[str, dict[str, Any]]]:
        ids = sorted(self._key_map())
        for record_id in ids:
            if after is None or record_id > after:
                yield record_id, parse_message(
                    self._box.get_bytes(self._keys[record_id]), self._limits
                )

    def _key_map(self) -> dict[str, str]:
        self._key("")
        return self._keys

    def close(self) -> None:
        self._box.close()
