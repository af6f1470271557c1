"""SQLite engines for the embedded stores: WAL, so readers (search) never block the worker."""

from __future__ import annotations

import os
from pathlib import Path

from sqlalchemy import create_engine, event
from sqlalchemy.engine import Engine


def sqlite_engine(path: Path, secure_delete: bool = False) -> Engine:
    """``secure_delete``: deleted rows are overwritten with zeros, not left in free pages
    (the bus log, whose raw events are removed after an erasure)."""
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    # Owner-only: SQLite gives the -wal and -shm files the database file's permissions.
    os.close(os.open(path, os.O_RDWR | os.O_CREAT, 0o600))
    path.chmod(0o600)
    engine = create_engine(f"sqlite:///{path}")

    @event.listens_for(engine, "connect")
    def _pragmas(conn, _record) -> None:  # WAL: readers (search) never block the worker
        conn.execute("PRAGMA journal_mode=WAL")
        conn.execute("PRAGMA synchronous=NORMAL")
        conn.execute("PRAGMA busy_timeout=10000")
        if secure_delete:
            conn.execute("PRAGMA secure_delete=ON")

    return engine
