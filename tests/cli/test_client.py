"""The Python client submits every kind of request through the operations layer."""

from __future__ import annotations

from pathlib import Path

from company import KARI, build
from glemsel.pipeline.core.config import load_config
from glemsel.pipeline.core.events import Correction, SubjectIdentifiers
from glemsel.pipeline.interfaces.client import GlemselClient
from glemsel.pipeline.runtime.embedded import EmbeddedDeployment
from glemsel.pipeline.telemetry import metrics


def test_client_access_and_rectification_are_processed_and_counted(tmp_path: Path) -> None:
    config_path, events = build(tmp_path)
    config = load_config(config_path)
    app = EmbeddedDeployment(config)
    for topic, raw in events:
        app.publish(topic, raw)
    app.run(until_idle=True)
    kari = SubjectIdentifiers(fnr=KARI["fnr"])
    with GlemselClient(config) as client:
        client.request_access("acc-1", kari)
        client.request_rectification(
            "rect-1",
            kari,
            [Correction(type="PHONE_NUMBER", old=KARI["phone"], new="+47 987 65 432")],
        )
    app.run(until_idle=True)
    kinds = {r.request_id: r.kind for r in app.stores.state.requests.all()}
    assert kinds == {"acc-1": "access", "rect-1": "rectification"}
    metrics.observe_state(app.stores)
    text = metrics.render()[0].decode()
    assert 'glemsel_requests{kind="access",status="completed"} 1.0' in text
    app.close()
