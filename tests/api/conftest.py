from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml
from company import build
from fastapi.testclient import TestClient
from glemsel.pipeline.core.config import load_config
from glemsel.pipeline.interfaces.api import create_app
from glemsel.pipeline.runtime.embedded import EmbeddedDeployment

TOKENS = {
    "dsr": "dsr-token-0123456789",
    "dsr2": "dsr2-token-0123456789",
    "compliance": "compliance-token-0123456789",
    "admin": "admin-token-0123456789",
}


def auth(who: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {TOKENS[who]}"}


@pytest.fixture
def deployment(tmp_path: Path) -> Iterator[EmbeddedDeployment]:
    config_path, events = build(tmp_path / "w")
    raw = yaml.safe_load(config_path.read_text())
    raw["api"] = {
        "tokens": [
            {"name": "dsr-tool", "role": "dsr", "token": TOKENS["dsr"]},
            {"name": "other-dsr", "role": "dsr", "token": TOKENS["dsr2"]},
            {"name": "kari-compliance", "role": "compliance", "token": TOKENS["compliance"]},
            {"name": "ops-admin", "role": "admin", "token": TOKENS["admin"]},
        ]
    }
    config_path.write_text(yaml.safe_dump(raw, allow_unicode=True))
    app = EmbeddedDeployment(load_config(config_path))
    for topic, event in events:
        app.publish(topic, event)
    app.run(until_idle=True)
    yield app
    app.close()


@pytest.fixture
def client(deployment: EmbeddedDeployment) -> TestClient:
    return TestClient(create_app(deployment))
