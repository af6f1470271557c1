"""A batch of change events whose index write fails past its retries is dead-lettered whole,
with the stage and the reason, and the worker goes on (a failing index, faked for speed)."""

from __future__ import annotations

import base64
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from company import build
from glemsel.pipeline.core.config import load_config
from glemsel.pipeline.core.events import TOPIC_CHANGES
from glemsel.pipeline.runtime.embedded import EmbeddedDeployment


class IndexDownError(ConnectionError):
    pass


def test_failed_index_write_dead_letters_the_batch(tmp_path: Path) -> None:
    config_path, events = build(tmp_path)
    app = EmbeddedDeployment(load_config(config_path))
    changes = [raw for topic, raw in events if topic == TOPIC_CHANGES]

    @contextmanager
    def failing_batch() -> Iterator[None]:  # FakeIndex behaviour: the bulk write fails
        yield
        raise IndexDownError("bulk write failed")

    app.stores.index.batch = failing_batch  # type: ignore[method-assign]
    app.processor.handle_batch(TOPIC_CHANGES, changes)
    letters = app.dead_letters()
    assert len(letters) == len(changes)
    reasons = {(x.stage, x.error) for x in letters}
    assert reasons == {("index", "index write failed: IndexDownError")}
    originals = sorted(base64.b64decode(x.original) for x in letters)
    assert originals == sorted(changes)
    app.close()
