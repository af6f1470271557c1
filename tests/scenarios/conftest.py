"""Fixtures of the scenario suite; the world itself is in world.py."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import ExitStack
from pathlib import Path

import pytest
import yaml
from company import build
from glemsel.pipeline.core.config import load_config
from glemsel.pipeline.runtime.embedded import EmbeddedDeployment
from glemsel.pipeline.telemetry.logs import configure
from services import make_distributed, pg_state_url
from world import World

MODES = [
    pytest.param("embedded"),
    pytest.param("distributed", marks=pytest.mark.distributed),
]


@pytest.fixture(params=MODES)
def world(request, tmp_path: Path) -> Iterator[World]:
    root = tmp_path / "world"
    config_path, events = build(root)
    configure(root / "state" / "glemsel.log")
    stack = ExitStack()
    # @pytest.mark.world_systems({name: system config}) adds systems to the demo's; the
    # argument may be a function of the test's request (to use fixtures, e.g. a mailbox).
    if marker := request.node.get_closest_marker("world_systems"):
        raw = yaml.safe_load(config_path.read_text())
        extra = marker.args[0]
        raw["systems"].update(extra(request) if callable(extra) else extra)
        config_path.write_text(yaml.safe_dump(raw, allow_unicode=True))
    if request.param == "embedded":
        app = EmbeddedDeployment(load_config(config_path))
    else:
        from glemsel.pipeline.runtime.distributed import DistributedDeployment

        endpoints = request.getfixturevalue("endpoints")
        # Own topics, consumer group, indices and state schema per test: tests never see
        # each other.
        tag = uuid.uuid4().hex[:10]
        state_url = stack.enter_context(pg_state_url(endpoints, tag))
        make_distributed(config_path, endpoints, f"t{tag}", 2, state_url)
        app = DistributedDeployment(load_config(config_path))
    world = World(root, app.config, app, events)
    yield world
    app.close()
    world.drop_indices()
    stack.close()
