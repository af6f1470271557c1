from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from glemsel.pipeline.stores.audit import AuditHead, AuditLog
from glemsel.pipeline.stores.audit_chain import Chain
from glemsel.pipeline.stores.sqlite import sqlite_engine

KEY = b"k" * 32


@pytest.fixture
def audit(tmp_path: Path) -> AuditLog:
    log = AuditLog(sqlite_engine(tmp_path / "audit.db"), KEY)
    for i in range(5):
        log.append("erasure.deleted", request_id="r1", system="crm", record_id=str(i), n=i)
    return log


def _sql(tmp_path: Path, query: str, *args) -> None:
    with sqlite3.connect(tmp_path / "audit.db") as conn:
        conn.execute(query, args)


def test_intact_chain_verifies(audit: AuditLog) -> None:
    result = audit.verify()
    assert result.ok and result.entries == 5


def test_edited_entry_is_detected(audit: AuditLog, tmp_path: Path) -> None:
    _sql(tmp_path, "update audit set detail = '{\"n\": 99}' where seq = 3")
    result = audit.verify()
    assert not result.ok and result.seq == 3 and "edited" in result.problem


def test_removed_entry_is_detected(audit: AuditLog, tmp_path: Path) -> None:
    _sql(tmp_path, "delete from audit where seq = 2")
    result = audit.verify()
    assert not result.ok and result.seq == 2


def test_reordered_entries_are_detected(audit: AuditLog, tmp_path: Path) -> None:
    _sql(tmp_path, "update audit set seq = 100 where seq = 2")
    _sql(tmp_path, "update audit set seq = 2 where seq = 4")
    _sql(tmp_path, "update audit set seq = 4 where seq = 100")
    assert not audit.verify().ok


def test_forged_chain_without_the_key_is_detected(audit: AuditLog, tmp_path: Path) -> None:
    # Whoever rewrites the chain with another key cannot make it verify.
    forged = AuditLog(sqlite_engine(tmp_path / "forged.db"), b"x" * 32)
    forged.append("erasure.deleted", request_id="r1", system="crm", record_id="0", n=0)
    other = AuditLog(sqlite_engine(tmp_path / "forged.db"), KEY)
    assert not other.verify().ok


def test_appends_continue_the_chain(audit: AuditLog) -> None:
    audit.append("hold.placed", hold_id="h")
    assert audit.verify().entries == 6
    assert audit.entries()[-1]["detail"] == {"hold_id": "h"}


# --- the head kept elsewhere (glemsel audit head / verify --head) ---------------------------


def test_head_is_the_last_entry(audit: AuditLog) -> None:
    head = audit.head()
    last = audit.entries()[-1]
    assert (head.seq, head.mac, head.ts) == (5, last["mac"], last["ts"])
    assert AuditHead.parse(str(head)).mac == head.mac
    assert audit.verify([head]).ok


def test_truncated_tail_fails_against_the_head(audit: AuditLog, tmp_path: Path) -> None:
    head = audit.head()
    _sql(tmp_path, "delete from audit where seq >= 4")
    assert audit.verify().ok  # the chain alone cannot tell
    result = audit.verify([head])
    assert not result.ok and "truncated" in result.problem and result.entries == 3


def test_every_entry_deleted_fails_against_the_head(audit: AuditLog, tmp_path: Path) -> None:
    head = audit.head()
    _sql(tmp_path, "delete from audit")
    assert not audit.verify([head]).ok


def test_dropped_table_fails_against_the_head(audit: AuditLog, tmp_path: Path) -> None:
    head = audit.head()
    _sql(tmp_path, "drop table audit")
    reopened = AuditLog(sqlite_engine(tmp_path / "audit.db"), KEY)  # recreates it empty
    result = reopened.verify([head])
    assert not result.ok and result.entries == 0


def test_chain_rewritten_with_the_key_fails_against_the_head(
    audit: AuditLog, tmp_path: Path
) -> None:
    # The attacker holds the key: they rewrite entry 2 and recompute every MAC after it.
    head = audit.head()
    with sqlite3.connect(tmp_path / "audit.db") as conn:
        conn.row_factory = sqlite3.Row
        rows = [dict(r) for r in conn.execute("select * from audit order by seq")]
        rows[1]["kind"] = "erasure.held"
        prev = rows[0]["mac"]
        for row in rows[1:]:
            row["prev"], row["mac"] = prev, Chain(KEY).mac(row, prev)
            prev = row["mac"]
            conn.execute(
                "update audit set kind = ?, prev = ?, mac = ? where seq = ?",
                (row["kind"], row["prev"], row["mac"], row["seq"]),
            )
    assert audit.verify().ok  # consistent: only the head kept elsewhere shows it
    result = audit.verify([head])
    assert not result.ok and result.seq == 5 and "rewritten" in result.problem


def test_head_parse_refuses_garbage() -> None:
    for bad in ("", "5", "x:" + "a" * 64, "5:" + "g" * 64, "5:abc"):
        with pytest.raises(ValueError):
            AuditHead.parse(bad)
