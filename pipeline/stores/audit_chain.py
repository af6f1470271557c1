"""The audit chain's arithmetic, apart from any database: how an entry is made and MACed.

Both writers of the chain use it: :class:`~glemsel.pipeline.stores.audit.AuditLog`
(SQLAlchemy, every deployment) and the light path of read-only commands
(``stores/sqlite_reads.py``, the standard library's sqlite3), so an entry that `glemsel
search` appends verifies like any other.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

GENESIS = "0" * 64


class Chain:
    """MACs entries with a secret derived from the HMAC key (never the key itself)."""

    def __init__(self, key: bytes) -> None:
        self._key = hmac.new(key, b"glemsel-audit-chain", hashlib.sha256).digest()

    def mac(self, row: dict[str, Any], prev: str) -> str:
        content = json.dumps(
            [
                row["seq"],
                row["ts"],
                row["kind"],
                row["request_id"],
                row["system"],
                row["record_id"],
                row["detail"],
                prev,
            ],
            ensure_ascii=False,
        )
        return hmac.new(self._key, content.encode(), hashlib.sha256).hexdigest()

    def entry(
        self,
        seq: int,
        prev: str,
        kind: str,
        request_id: str | None,
        system: str | None,
        record_id: str | None,
        detail: dict[str, Any],
    ) -> dict[str, Any]:
        """The row to insert after the entry ``seq - 1`` whose MAC is ``prev``."""
        row: dict[str, Any] = {
            "seq": seq,
            "ts": datetime.now(UTC).isoformat(),
            "kind": kind,
            "request_id": request_id,
            "system": system,
            "record_id": record_id,
            "detail": json.dumps(detail, sort_keys=True, default=str, ensure_ascii=False),
        }
        return {**row, "prev": prev, "mac": self.mac(row, prev)}


@dataclass(frozen=True)
class AuditHead:
    """The chain's last entry: whoever kept a copy can later prove the chain still reaches it."""

    seq: int
    mac: str
    ts: str | None

    def as_dict(self) -> dict[str, Any]:
        return {"seq": self.seq, "mac": self.mac, "ts": self.ts}

    def __str__(self) -> str:
        return f"{self.seq}:{self.mac}"

    @classmethod
    def parse(cls, text: str) -> AuditHead:
        """``SEQ:MAC`` (as `glemsel audit head` prints it)."""
        seq, sep, mac = text.strip().partition(":")
        if not sep or not seq.isdigit() or len(mac) != 64 or not _is_hex(mac):
            raise ValueError("a head is SEQ:MAC, e.g. 42:<64 hex digits>")
        return cls(int(seq), mac.lower(), None)


def _is_hex(text: str) -> bool:
    return all(c in "0123456789abcdefABCDEF" for c in text)


@dataclass(frozen=True)
class VerifyResult:
    ok: bool
    entries: int
    problem: str = ""
    seq: int | None = None
