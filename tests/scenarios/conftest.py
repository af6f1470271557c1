"""Fixtures of the scenario suite; the world itself is in world.py."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from world import MODES, World

from pipeline.config import load_config
from pipeline.demo import build
from pipeline.embedded import EmbeddedDeployment
from pipeline.logs import configure


@pytest.fixture(params=MODES)
def world(request, tmp_path: Path) -> Iterator[World]:
    config_path, events = build(tmp_path / "world")
    config = load_config(config_path)
    configure(tmp_path / "world" / "state" / "glemsel.log")
    app = EmbeddedDeployment(config)
    yield World(tmp_path / "world", config, app, events)
    app.close()
