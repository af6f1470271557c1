"""The embedded ingest goes in batches: one index transaction per batch, offsets after it."""

from __future__ import annotations

from pathlib import Path

from company import KARI, build, chat_change
from glemsel.pipeline.core.config import load_config
from glemsel.pipeline.core.events import TOPIC_CHANGES
from glemsel.pipeline.runtime.embedded import GROUP, EmbeddedDeployment
from sqlalchemy import event


def _chat(i: int) -> bytes:
    return chat_change({"id": i, "text": f"hei, {KARI['email']} her, ring 9{i:07d}"})


def test_one_index_commit_per_batch_and_the_offset_after_it(tmp_path: Path) -> None:
    config_path, _ = build(tmp_path)
    app = EmbeddedDeployment(load_config(config_path))
    commits: list[int] = []
    index_engine = app.stores.index._engine  # noqa: SLF001 - the commit count is the point
    event.listen(
        index_engine, "commit", lambda conn: commits.append(app.bus.pending(GROUP, {TOPIC_CHANGES}))
    )
    for i in range(120):
        app.publish(TOPIC_CHANGES, _chat(1000 + i))
    assert app.run(until_idle=True) >= 120  # ours, and whatever the demo queued itself
    # One commit for the 120 changes, made while they were all still pending (the offsets
    # moved after it), not 120 commits; later ones (the closing sweep) had nothing pending.
    assert [pending for pending in commits if pending] == [120]
    assert app.pending() == 0
    assert all(app.stores.index.record_hashes("chat", str(1000 + i)) for i in range(120))
    app.close()
