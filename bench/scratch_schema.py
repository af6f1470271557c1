"""A PostgreSQL schema of one run's own (a test's, a benchmark's), dropped afterwards: runs
that share one PostgreSQL server never see each other's state."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def scratch_schema(state_url: str, schema: str) -> Iterator[str]:
    """Create ``schema`` on the server of ``state_url``; yields a state URL whose search
    path is that schema; drops it with everything in it at the end."""
    from glemsel.pipeline.stores.schema import sql_url
    from sqlalchemy import create_engine, text

    admin = create_engine(sql_url(state_url))
    with admin.begin() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    url = sql_url(state_url).update_query_dict({"options": f"-csearch_path={schema}"})
    try:
        yield url.render_as_string(hide_password=False)
    finally:
        with admin.begin() as conn:
            conn.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
        admin.dispose()
