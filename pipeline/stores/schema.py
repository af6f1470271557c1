"""Versioned schema of the SQL state (SQLite embedded, PostgreSQL for several workers).

Each component (``state``, ``audit``, ``attempts``, ``sweeps``) has a list of migrations;
version 1 is the baseline (the tables as first released, created if missing, so databases
made before versioning adopt it). ``glemsel_schema`` records the version each component
reached. Every process migrates at start; on PostgreSQL a transaction-scoped advisory lock
makes workers that start together take turns, so each step runs once. A database newer than
the code is refused: an old worker must not write a schema it does not know.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import UTC, datetime

from sqlalchemy import URL, Column, Integer, MetaData, String, Table, make_url, select, text
from sqlalchemy.dialects.sqlite import Insert as SqliteInsert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.engine import Connection, Engine

Migration = Callable[[Connection], None]

_meta = MetaData()
versions = Table(
    "glemsel_schema",
    _meta,
    Column("component", String, primary_key=True),
    Column("version", Integer, nullable=False),
    Column("updated_at", String, nullable=False),
)


class SchemaError(RuntimeError):
    """The database's schema cannot be used by this version of Glemsel."""


def serialise(conn: Connection, name: str) -> None:
    """Hold a PostgreSQL advisory lock named ``name`` (in this schema) until the transaction
    ends; on SQLite, the database's write lock (one lock for every name)."""
    if conn.dialect.name == "postgresql":
        conn.execute(
            text("SELECT pg_advisory_xact_lock(hashtext(current_schema() || :name))"),
            {"name": name},
        )
    elif conn.dialect.name == "sqlite":
        # Take the write lock now, not at the first insert: a read first (the audit's last
        # seq) would otherwise see the same row in two processes (a worker and `glemsel
        # search`), and both append the same seq. The driver begins a transaction only at
        # the first write, so none is open yet when this is the block's first statement.
        driver = conn.connection.driver_connection
        if driver is not None and not driver.in_transaction:
            conn.exec_driver_sql("BEGIN IMMEDIATE")


def migrate(
    engine: Engine, component: str, steps: Sequence[Migration], tables: MetaData | None = None
) -> int:
    """Bring ``component`` to version ``len(steps)``; returns the version. ``tables`` that
    are missing although the version says otherwise (dropped by hand) are made again, empty:
    the audit's head check then tells that entries are gone."""
    target = len(steps)
    with engine.begin() as conn:
        serialise(conn, "glemsel-schema")
        _meta.create_all(conn)
        row = conn.execute(
            select(versions.c.version).where(versions.c.component == component)
        ).first()
        current = row.version if row else 0
        if current > target:
            raise SchemaError(
                f"the {component} schema is at version {current}, newer than this Glemsel "
                f"knows ({target}): upgrade Glemsel"
            )
        for step in steps[current:]:
            step(conn)
        if tables is not None and current == target:
            tables.create_all(conn)
        if current != target:
            now = datetime.now(UTC).isoformat()
            if row:
                conn.execute(
                    versions.update()
                    .where(versions.c.component == component)
                    .values(version=target, updated_at=now)
                )
            else:
                conn.execute(
                    versions.insert().values(component=component, version=target, updated_at=now)
                )
    return target


def single_statements(engine: Engine) -> Engine:
    """The engine for work of one statement (a read, an insert that decides itself): on
    PostgreSQL without a transaction around it (autocommit). That spares the BEGIN and the
    ROLLBACK or COMMIT, two of the four round trips of such a statement with the pool's
    pre-ping; one statement is atomic and sees one snapshot either way. On SQLite, the
    engine as it is."""
    if engine.dialect.name == "postgresql":
        return engine.execution_options(isolation_level="AUTOCOMMIT")
    return engine


def dialect_insert(conn: Connection, table: Table) -> SqliteInsert:
    """The connection's dialect's INSERT (it has ``on_conflict_do_nothing``/``_update``):
    PostgreSQL's or SQLite's. The PostgreSQL dialect is imported only when a database is
    PostgreSQL: loading it is a tenth of a read-only command's start-up on SQLite."""
    if conn.dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert as pg_insert

        # Same methods, same arguments: typed as SQLite's so callers need no union.
        return pg_insert(table)  # type: ignore[return-value]
    return sqlite_insert(table)


def version(engine: Engine, component: str) -> int:
    with engine.connect() as conn:
        if not engine.dialect.has_table(conn, versions.name):
            return 0
        row = conn.execute(
            select(versions.c.version).where(versions.c.component == component)
        ).first()
    return row.version if row else 0


def sql_url(url: str) -> URL:
    """``postgresql://`` means psycopg 3, the driver the distributed extra installs
    (SQLAlchemy's own default would be psycopg2)."""
    parsed = make_url(url)
    if parsed.drivername in ("postgresql", "postgres"):
        parsed = parsed.set(drivername="postgresql+psycopg")
    return parsed
