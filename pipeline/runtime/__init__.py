"""Runtimes: the same Processor wired to the embedded bus (one process, SQLite) or to Kafka
(Faust workers, Elasticsearch, SQL state). Pick one with :func:`open_deployment`."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from glemsel.pipeline.core.config import Config
    from glemsel.pipeline.runtime.deployment import Deployment
    from glemsel.pipeline.runtime.stores import Stores


def open_deployment(config: Config) -> Deployment:
    """The deployment ``config.mode`` names; imports only what that mode needs."""
    if config.mode == "distributed":
        from glemsel.pipeline.runtime.distributed import DistributedDeployment

        return DistributedDeployment(config)
    from glemsel.pipeline.runtime.embedded import EmbeddedDeployment

    return EmbeddedDeployment(config)


def open_read_stores(config: Config) -> Stores:
    """Stores for read-only commands (search, status, audit): no detector, no bus."""
    if config.mode == "distributed":
        from glemsel.pipeline.runtime.distributed import open_distributed_stores

        return open_distributed_stores(config)
    from glemsel.pipeline.runtime.stores import open_stores

    return open_stores(config)
