"""A mailbox on an IMAP server, through the standard library's `imaplib`; a record is a message,
identified by its Message-ID header.

- TLS always: IMAPS (``ssl: true``, the default), or STARTTLS on the plain port; a password is
  sent in the clear only to a server on this machine that offers no STARTTLS.
- The password comes from the environment variable ``password_env``, never from the config.
- Reading uses BODY.PEEK, so Glemsel never marks a message as read.
- Delete: flag ``\\Deleted``, then UID EXPUNGE of those messages only (UIDPLUS), so messages a
  user flagged for deletion are left to the user.
- Redact: APPEND the rewritten message (same flags and date), then delete the original: a crash
  between the two leaves a copy too many, never a message lost.
- Several copies of one Message-ID (a message filed twice) are one record here: delete and
  redact act on every copy, and read gives the oldest.
"""

from __future__ import annotations

import base64
import contextlib
import imaplib
import os
import re
import ssl
from collections.abc import Callable, Iterator
from datetime import datetime, timedelta
from email.parser import BytesHeaderParser
from email.utils import parsedate_to_datetime
from functools import partial
from pathlib import Path
from typing import Any, TypeVar

from .message import parse_message, rewrite_message
from .spec import SinkSpec

T = TypeVar("T")
LOOPBACK = {"127.0.0.1", "::1", "localhost"}
_UID = re.compile(rb"\bUID (\d+)")
_FLAGS = re.compile(rb"\bFLAGS \(([^)]*)\)")
_DATE = re.compile(rb'\bINTERNALDATE ("[^"]+")')


class ImapError(RuntimeError):
    """The server refused a command; the message names the command, never a mail's content."""


class ImapSink:
    def __init__(self, system: str, spec: SinkSpec, base_dir: Path) -> None:
        assert spec.host and spec.user and spec.password_env
        self.system = system
        self._spec = spec
        self._ca_file = None
        if spec.ca_file:
            ca = Path(spec.ca_file).expanduser()
            self._ca_file = ca if ca.is_absolute() else base_dir / ca
        if not os.environ.get(spec.password_env):
            raise ValueError(f"{system}: the IMAP password variable {spec.password_env} is not set")
        self._conn: imaplib.IMAP4 | None = None
        self._limits = spec.attachments

    # --- connection -------------------------------------------------------------------------

    def _context(self) -> ssl.SSLContext:
        context = ssl.create_default_context()
        if self._ca_file:
            context.load_verify_locations(cafile=str(self._ca_file))
        return context

    def _connect(self) -> imaplib.IMAP4:
        spec = self._spec
        assert spec.host
        if spec.ssl:
            conn: imaplib.IMAP4 = imaplib.IMAP4_SSL(
                spec.host,
                spec.port or 993,
                ssl_context=self._context(),
                timeout=spec.timeout_seconds,
            )
        else:
            conn = imaplib.IMAP4(spec.host, spec.port or 143, timeout=spec.timeout_seconds)
            if "STARTTLS" in conn.capabilities:
                conn.starttls(ssl_context=self._context())
            elif spec.host not in LOOPBACK:
                conn.shutdown()
                raise ImapError(f"{self.system}: {spec.host} offers no TLS; not sending a password")
        try:
            conn.login(spec.user or "", os.environ.get(spec.password_env or "", ""))
            typ, _ = conn.select(_quote(mailbox_name(spec.mailbox)))
        except imaplib.IMAP4.error as exc:
            conn.shutdown()
            # The server's text may echo the user name; the error names the step only.
            raise ImapError(f"{self.system}: IMAP login or SELECT failed") from exc
        if typ != "OK":
            conn.logout()
            raise ImapError(f"{self.system}: no mailbox {spec.mailbox!r}")
        return conn

    def _call(self, operation: Callable[[imaplib.IMAP4], T]) -> T:
        """Run an operation, reconnecting once when the connection has dropped."""
        for attempt in (1, 2):
            if self._conn is None:
                self._conn = self._connect()
            try:
                return operation(self._conn)
            except (imaplib.IMAP4.abort, OSError):
                self._drop()
                if attempt == 2:
                    raise
        raise AssertionError("unreachable")

    def _drop(self) -> None:
        conn, self._conn = self._conn, None
        if conn is not None:
            with contextlib.suppress(OSError):
                conn.shutdown()

    # --- lookups ----------------------------------------------------------------------------

    @staticmethod
    def _ok(typ: str, what: str) -> None:
        if typ != "OK":
            raise ImapError(f"IMAP {what} failed")

    def _headers(self, conn: imaplib.IMAP4, uids: str = "1:*") -> dict[int, Any]:
        """uid -> the Message-ID and Date headers of those messages."""
        typ, data = conn.uid("FETCH", uids, "(UID BODY.PEEK[HEADER.FIELDS (MESSAGE-ID DATE)])")
        self._ok(typ, "FETCH")
        return {uid: BytesHeaderParser().parsebytes(raw) for uid, raw in _literals(data).items()}

    def _uids(self, conn: imaplib.IMAP4, record_id: str) -> list[int]:
        record_id = record_id.strip()
        if not record_id:
            return []
        typ, data = conn.uid("SEARCH", "HEADER", "Message-ID", _quote(record_id))
        self._ok(typ, "SEARCH")
        found = sorted(int(u) for u in (data[0] or b"").split())
        if not found:
            return []
        # SEARCH HEADER matches substrings: keep the exact Message-ID only.
        headers = self._headers(conn, _uid_set(found))
        return [
            u for u in found if str(headers.get(u, {}).get("Message-ID", "")).strip() == record_id
        ]

    def _fetch_ids(
        self, by_id: dict[str, int], ids: list[str], conn: imaplib.IMAP4
    ) -> dict[int, bytes]:
        return self._fetch(conn, [by_id[m] for m in ids])

    def _fetch(self, conn: imaplib.IMAP4, uids: list[int]) -> dict[int, bytes]:
        typ, data = conn.uid("FETCH", _uid_set(uids), "(UID BODY.PEEK[])")
        self._ok(typ, "FETCH")
        return _literals(data)

    def _expunge(self, conn: imaplib.IMAP4, uids: list[int]) -> None:
        typ, _ = conn.uid("STORE", _uid_set(uids), "+FLAGS.SILENT", r"(\Deleted)")
        self._ok(typ, "STORE")
        if "UIDPLUS" in conn.capabilities:
            typ, _ = conn.uid("EXPUNGE", _uid_set(uids))
        else:  # RFC 3501 alone can only expunge every \Deleted message of the mailbox
            typ, _ = conn.expunge()
        self._ok(typ, "EXPUNGE")

    # --- the sink operations ----------------------------------------------------------------

    def read(self, record_id: str) -> dict[str, Any] | None:
        def op(conn: imaplib.IMAP4) -> bytes | None:
            uids = self._uids(conn, record_id)
            return self._fetch(conn, uids[:1]).get(uids[0]) if uids else None

        raw = self._call(op)
        return parse_message(raw, self._limits) if raw is not None else None

    def attachment_names(self, record_id: str) -> list[str]:
        """File names of the message's attachments (an access export lists them)."""
        fields = self.read(record_id) or {}
        return [entry["filename"] for entry in fields.get("attachments", [])]

    def update(self, record_id: str, changes: dict[str, Any]) -> bool:
        def op(conn: imaplib.IMAP4) -> bool:
            uids = self._uids(conn, record_id)
            if not uids:
                return False
            typ, data = conn.uid("FETCH", _uid_set(uids), "(UID FLAGS INTERNALDATE)")
            self._ok(typ, "FETCH")
            meta = {}
            for line in data:
                line = line[0] if isinstance(line, tuple) else line
                if isinstance(line, bytes) and (found := _UID.search(line)):
                    flag_match = _FLAGS.search(line)
                    date_match = _DATE.search(line)
                    meta[int(found.group(1))] = (
                        " ".join(
                            f
                            for f in (flag_match.group(1).decode() if flag_match else "").split()
                            if f.lower() != "\\recent"
                        ),
                        date_match.group(1).decode() if date_match else None,
                    )
            for uid, raw in self._fetch(conn, uids).items():
                flags, date = meta.get(uid, ("", None))
                typ, _ = conn.append(
                    _quote(mailbox_name(self._spec.mailbox)),
                    f"({flags})" if flags else None,
                    date,
                    rewrite_message(raw, changes),
                )
                self._ok(typ, "APPEND")
            self._expunge(conn, uids)  # only once every rewritten copy is stored
            return True

        return self._call(op)

    def delete(self, record_id: str) -> bool:
        def op(conn: imaplib.IMAP4) -> bool:
            uids = self._uids(conn, record_id)
            if uids:
                self._expunge(conn, uids)
            return bool(uids)

        return self._call(op)

    def record_ids_older_than(self, cutoff: datetime) -> list[str]:
        return self.record_ids_between(None, cutoff)

    def record_ids_between(self, since: datetime | None, cutoff: datetime) -> list[str]:
        """Message-IDs of messages dated at or after ``since`` (None: any) and before
        ``cutoff``. By the Date header, the server narrows the search first (SENTSINCE and
        SENTBEFORE, whole days in the sender's zone, so two days of slack either way) and
        only those messages' headers are fetched; the exact comparison is ours. Another
        header is fetched for every message."""
        header = self._spec.timestamp_field or "Date"
        criteria: list[str] = []
        if header.lower() == "date":
            criteria = ["SENTBEFORE", _imap_date(cutoff + timedelta(days=2))]
            if since is not None:
                criteria += ["SENTSINCE", _imap_date(since - timedelta(days=2))]
        found = self._call(lambda conn: self._all_headers(conn, header, criteria))
        old = set()
        for headers in found.values():
            try:
                sent = parsedate_to_datetime(str(headers.get(header, "")))
            except (TypeError, ValueError):
                continue
            if sent.tzinfo is None:
                sent = sent.replace(tzinfo=cutoff.tzinfo)
            in_window = sent < cutoff and (since is None or sent >= since)
            if in_window and (mid := str(headers.get("Message-ID", "")).strip()):
                old.add(mid)
        return sorted(old)

    def _all_headers(
        self, conn: imaplib.IMAP4, header: str, criteria: list[str] | None = None
    ) -> dict[int, Any]:
        # A long-lived session may not see messages delivered since its last command until
        # the server is asked for news: a listing that missed one would not list it again.
        conn.noop()
        typ, data = conn.uid("SEARCH", *(criteria or ["ALL"]))
        self._ok(typ, "SEARCH")
        uids = sorted(int(u) for u in (data[0] or b"").split())
        if not uids:
            return {}
        fields = "MESSAGE-ID DATE" + ("" if header.lower() == "date" else f" {header.upper()}")
        which = "1:*" if not criteria else _uid_set(uids)
        typ, data = conn.uid("FETCH", which, f"(UID BODY.PEEK[HEADER.FIELDS ({fields})])")
        self._ok(typ, "FETCH")
        return {uid: BytesHeaderParser().parsebytes(raw) for uid, raw in _literals(data).items()}

    def iter_records(
        self, after: str | None = None, batch: int = 500
    ) -> Iterator[tuple[str, dict[str, Any]]]:
        """Every message by Message-ID order (the oldest copy of each), resumable after one."""
        by_id: dict[str, int] = {}
        for uid, headers in sorted(self._call(lambda c: self._all_headers(c, "Date")).items()):
            mid = str(headers.get("Message-ID", "")).strip()
            if mid and mid not in by_id:
                by_id[mid] = uid
        ids = [mid for mid in sorted(by_id) if after is None or mid > after]
        for start in range(0, len(ids), batch):
            chunk = ids[start : start + batch]
            raws = self._call(partial(self._fetch_ids, by_id, chunk))
            for mid in chunk:
                if (raw := raws.get(by_id[mid])) is not None:  # expunged meanwhile: skipped
                    yield mid, parse_message(raw, self._limits)

    def count(self) -> int:
        """Messages in the mailbox (copies counted), for a backfill's progress bar."""

        def op(conn: imaplib.IMAP4) -> int:
            typ, data = conn.uid("SEARCH", "ALL")
            self._ok(typ, "SEARCH")
            return len((data[0] or b"").split())

        return self._call(op)

    def close(self) -> None:
        conn, self._conn = self._conn, None
        if conn is not None:
            with contextlib.suppress(imaplib.IMAP4.error, OSError):
                conn.logout()


def mailbox_name(name: str) -> str:
    """A mailbox name as IMAP spells it: modified UTF-7 (RFC 3501 5.1.3), so "Søknader"
    becomes "S&APg-knader"."""
    out: list[str] = []
    pending: list[str] = []

    def flush() -> None:
        if pending:
            packed = base64.b64encode("".join(pending).encode("utf-16-be")).decode()
            out.append("&" + packed.rstrip("=").replace("/", ",") + "-")
            pending.clear()

    for char in name:
        if 0x20 <= ord(char) <= 0x7E:
            flush()
            out.append("&-" if char == "&" else char)
        else:
            pending.append(char)
    flush()
    return "".join(out)


_MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]


def _imap_date(when: datetime) -> str:
    """An IMAP search date (RFC 3501 date: 1-Feb-1994), English whatever the locale."""
    return f"{when.day}-{_MONTHS[when.month - 1]}-{when.year}"


def _quote(value: str) -> str:
    """An IMAP quoted string (mailbox names and search keys may hold spaces)."""
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _uid_set(uids: list[int]) -> str:
    return ",".join(str(u) for u in uids)


def _literals(data: list[Any]) -> dict[int, bytes]:
    """uid -> the literal of each FETCH response (imaplib gives (prefix, literal) tuples)."""
    out: dict[int, bytes] = {}
    for i, item in enumerate(data):
        if not isinstance(item, tuple):
            continue
        prefix, literal = item
        uid = _UID.search(prefix)
        if uid is None and i + 1 < len(data) and isinstance(data[i + 1], bytes):
            uid = _UID.search(data[i + 1])  # the server put UID after the literal
        if uid is not None:
            out[int(uid.group(1))] = literal
    return out
