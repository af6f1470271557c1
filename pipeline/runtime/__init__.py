"""Runtimes: the same Processor wired to the embedded bus (one process, SQLite) or to Kafka
(Faust workers, Elasticsearch, SQL state). Pick one with :func:`open_deployment`."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from glemsel.pipeline.core.config import Config
    from glemsel.pipeline.runtime.deployment import Deployment
    from glemsel.pipeline.runtime.stores import Stores
    from glemsel.pipeline.stores.reads import ReadStores


def open_deployment(config: Config) -> Deployment:
    """The deployment ``config.mode`` names; imports only what that mode needs."""
    if config.mode == "distributed":
        from glemsel.pipeline.runtime.distributed import DistributedDeployment

        return DistributedDeployment(config)
    from glemsel.pipeline.runtime.embedded import EmbeddedDeployment

    return EmbeddedDeployment(config)


def open_read_stores(config: Config) -> Stores:
    """Stores for commands that read and write state but run no worker (audit, holds,
    extend): no detector, no bus."""
    if config.mode == "distributed":
        from glemsel.pipeline.runtime.distributed import open_distributed_stores

        return open_distributed_stores(config)
    from glemsel.pipeline.runtime.stores import open_stores

    return open_stores(config)


def open_query_stores(config: Config) -> ReadStores:
    """Stores for the read-only queries (search, status, requests). An embedded state ready
    to read as it is opens on sqlite3 alone (stores/sqlite_reads.py: no SQLAlchemy, a third
    of these commands' start-up); one to create, migrate or refuse opens the full stores,
    which do that."""
    if config.mode != "distributed" and not config.state_url:
        from glemsel.pipeline.stores.sqlite_reads import open_sqlite_reads

        if light := open_sqlite_reads(config):
            return light
    return open_read_stores(config)
