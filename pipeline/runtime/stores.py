"""The stores every deployment reads (index, state, audit) and how the embedded mode opens
them: all a read-only command (search, status, requests, audit) needs.

Apart from the runtimes on purpose: opening them loads no Processor, no detector, no sink and
no bus, so read-only commands start fast.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from glemsel.pipeline.core.config import Config
from glemsel.pipeline.core.identifiers import Hasher
from glemsel.pipeline.stores.audit import AuditLog
from glemsel.pipeline.stores.index import SubjectIndex
from glemsel.pipeline.stores.index_sqlite import SqliteSubjectIndex
from glemsel.pipeline.stores.schema import sql_url
from glemsel.pipeline.stores.sqlite import sqlite_engine
from glemsel.pipeline.stores.state import StateStore
from sqlalchemy import create_engine


@dataclass
class Stores:
    """What read-only commands (search, requests, audit) need: no detector, no sinks."""

    config: Config
    index: SubjectIndex
    state: StateStore
    audit: AuditLog
    hasher: Hasher

    def close(self) -> None:
        self.index.close()
        self.close_state()

    def close_state(self) -> None:
        self.state.close()
        self.audit.close()


def state_dir(config: Config) -> Path:
    path = config.resolve(config.state_dir)
    path.mkdir(mode=0o700, parents=True, exist_ok=True)
    path.chmod(0o700)  # the bus log holds raw events until they expire: the owner's only
    return path


def state_engines(config: Config) -> tuple[StateStore, AuditLog]:
    """Requests, holds and outcomes, and the audit trail: SQLite files, or ``state_url``."""
    key = config.hmac_key()
    if config.state_url:
        engine = create_engine(sql_url(config.state_url), pool_pre_ping=True)
        return StateStore(engine), AuditLog(engine, key)
    root = state_dir(config)
    return StateStore(sqlite_engine(root / "state.db")), AuditLog(
        sqlite_engine(root / "audit.db"), key
    )


def open_stores(config: Config) -> Stores:
    state, audit = state_engines(config)
    return Stores(
        config=config,
        index=SqliteSubjectIndex(state_dir(config) / "index.db"),
        state=state,
        audit=audit,
        hasher=Hasher(config.hmac_key()),
    )
