"""Maildir mailboxes through the standard library's `mailbox`; a record is a message.

A mail's Message-ID is chosen by its sender, so it cannot say on its own which message is
meant: a later mail may reuse it, and one mail may be stored twice. A location is therefore
``<Message-ID>#<Maildir key>`` (where it is stored as well as what it claims to be); every
copy is a location of its own. A bare Message-ID (a mail event that arrived before the
message was found in the Maildir) means every message with that Message-ID.

Mail events carry the bare Message-ID, so every one of them asks which files hold it. The sink
answers from a Message-ID index instead of opening every message (which made a mail backfill
quadratic): the folders are listed again only when their modification time says they changed,
and only the headers of files not seen before are read.
"""

from __future__ import annotations

import mailbox
import os
import time
from collections.abc import Iterator
from datetime import datetime
from email.parser import BytesHeaderParser
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


class MessageIds:
    """Message-ID (and Date) of every message in a Maildir, by key, and the keys of every
    Message-ID.

    A message file is never rewritten in place: a new message is a new key, and a rewrite
    (``update``) keeps the Message-ID. So a key's Message-ID, once read, stays true while the
    key exists, and the index only has to learn which keys came and went. That is seen in the
    listing of ``new/`` and ``cur/``, which is read again only when one of them changed.
    """

    # A listing made within this many seconds of a folder's last change may have missed a
    # second change with the same mtime (coarse timestamps, another machine's clock): such a
    # listing is not trusted, and the next lookup lists again (the standard library's Maildir
    # waits the same way).
    SETTLE_SECONDS = 2.1

    def __init__(self, root: Path) -> None:
        self._dirs = [root / "new", root / "cur"]
        self._seen: tuple[int, ...] | None = None  # folder mtimes of a settled listing
        self._paths: dict[str, Path] = {}  # key -> file
        self._ids: dict[str, str | None] = {}  # key -> Message-ID (None: the mail has none)
        self._dates: dict[str, str] = {}  # key -> Date header ("" when absent)
        self._keys: dict[str, set[str]] = {}  # Message-ID -> keys

    def refresh(self) -> None:
        mtimes = tuple(os.stat(d).st_mtime_ns for d in self._dirs)
        if mtimes == self._seen:
            return
        settled = time.time() - max(mtimes) / 1e9 > self.SETTLE_SECONDS
        self._seen = mtimes if settled else None
        paths: dict[str, Path] = {}
        for folder in self._dirs:
            with os.scandir(folder) as entries:
                for entry in entries:
                    if not entry.name.startswith(".") and entry.is_file():
                        paths[entry.name.split(":")[0]] = Path(entry.path)
        for gone in self._paths.keys() - paths.keys():
            self.forget(gone)
        self._paths = paths
        for key in paths.keys() - self._ids.keys():
            self._learn(key, paths[key])

    def _learn(self, key: str, path: Path) -> None:
        try:
            with open(path, "rb") as fp:
                headers = BytesHeaderParser().parse(fp)
        except FileNotFoundError:  # moved (new/ to cur/) or deleted since the listing
            self._seen = None
            return
        header = headers.get("Message-ID")
        message_id = str(header).strip() if header else None
        self._ids[key] = message_id
        self._dates[key] = str(headers.get("Date", ""))
        if message_id:
            self._keys.setdefault(message_id, set()).add(key)

    def forget(self, key: str) -> None:
        message_id = self._ids.pop(key, None)
        self._paths.pop(key, None)
        self._dates.pop(key, None)
        if message_id and (keys := self._keys.get(message_id)):
            keys.discard(key)
            if not keys:
                del self._keys[message_id]

    def message_id(self, key: str) -> str | None:
        self.refresh()
        return self._ids.get(key)

    def keys_of(self, message_id: str) -> list[str]:
        self.refresh()
        return sorted(self._keys.get(message_id, ()))

    def all(self) -> dict[str, str | None]:
        self.refresh()
        return dict(self._ids)

    def dates(self) -> dict[str, str]:
        self.refresh()
        return dict(self._dates)


class MaildirSink:
    def __init__(self, system: str, spec: SinkSpec, base_dir: Path) -> None:
        assert spec.path
        path = Path(spec.path)
        root = path if path.is_absolute() else base_dir / path
        self.system = system
        self._box = mailbox.Maildir(root, factory=None, create=True)
        self._ids = MessageIds(root)
        self._limits = spec.attachments

    def _message_id(self, key: str) -> str | None:
        return self._ids.message_id(key)

    def _keys(self, record_id: str) -> list[str]:
        """Maildir keys of a location: the one copy it names, or every copy of a bare id."""
        message_id, key = split_location(record_id)
        if key is not None:
            return [key] if self._message_id(key) == message_id else []
        return self._ids.keys_of(message_id)

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
            self._ids.forget(key)
        return bool(keys)

    def record_ids_older_than(self, cutoff: datetime) -> list[str]:
        return self.record_ids_between(None, cutoff)

    def record_ids_between(self, since: datetime | None, cutoff: datetime) -> list[str]:
        """Locations of messages dated at or after ``since`` (None: any) and before
        ``cutoff``, from the Message-ID index (no message is opened)."""
        old = []
        ids = self._ids.all()
        for key, date in self._ids.dates().items():
            try:
                sent = parsedate_to_datetime(date)
            except (TypeError, ValueError):
                continue
            if sent.tzinfo is None:
                sent = sent.replace(tzinfo=cutoff.tzinfo)
            in_window = sent < cutoff and (since is None or sent >= since)
            if in_window and (message_id := ids.get(key)):
                old.append(location_id(message_id, key))
        return old

    def iter_records(
        self, after: str | None = None, batch: int = 500
    ) -> Iterator[tuple[str, dict[str, Any]]]:
        ids = sorted(location_id(mid, k) for k, mid in self._ids.all().items() if mid)
        for record_id in ids:
            if after is None or record_id > after:
                yield record_id, self._parse(split_location(record_id)[1] or "")

    def close(self) -> None:
        self._box.close()
