"""The poison-pill guard's pieces (Processor._handle_suspect), in process: a worker "death" is
an exception raised out of the handling of the poisoned event, which leaves the attempt
records as a SIGKILL would (tests/faults/test_poison_pill.py kills real workers)."""

from __future__ import annotations

from pathlib import Path

import pytest
from company import KARI, add_chats, build
from glemsel.pipeline.core.config import load_config
from glemsel.pipeline.core.events import TOPIC_CHANGES, SubjectIdentifiers
from glemsel.pipeline.runtime.embedded import EmbeddedDeployment
from glemsel.pipeline.stores.attempts import Position

POISON = "GIFTPILLE-test"


class Died(BaseException):
    """The worker's death (not an Exception: nothing on the way may catch it)."""


@pytest.fixture
def app(tmp_path: Path):
    config_path, _ = build(tmp_path)
    deployment = EmbeddedDeployment(load_config(config_path))
    yield deployment
    deployment.close()


def _events(app: EmbeddedDeployment, n: int, poison_at: int | None) -> list[bytes]:
    texts = (
        (5000 + i, f"hei, {KARI['email']} her" + (f" {POISON}" if i == poison_at else ""))
        for i in range(n)
    )
    # ids apart from the company's own chats
    return add_chats(app.config.base_dir / "chat.db", texts, record_id=lambda i: f"p{i - 5000}")


def _batches(app: EmbeddedDeployment, monkeypatch) -> list[int]:
    """The sizes of the batches the processor hands on; a batch holding the poison dies."""
    processor = app.processor
    real = processor._handle_batch
    sizes: list[int] = []

    def spy(topic, raws):
        sizes.append(len(raws))
        if any(raw is not None and POISON.encode() in raw for raw in raws):
            raise Died
        real(topic, raws)

    monkeypatch.setattr(processor, "_handle_batch", spy)
    return sizes


def _indexed(app: EmbeddedDeployment) -> list[str]:
    index = app.stores.index
    hashes = index.expand_subject(
        app.stores.hasher.subject(SubjectIdentifiers(emails=[KARI["email"]]))
    )
    return sorted(loc.record_id for loc in index.locations(hashes) if loc.system == "chat")


def _positions(n: int) -> list[Position]:
    return [Position("changes", 0, 1000 + i) for i in range(n)]


def test_an_interrupted_batch_goes_in_pieces_not_event_by_event(app, monkeypatch) -> None:
    raws, positions = _events(app, 480, None), _positions(480)
    assert app.processor.attempts is not None
    assert not app.processor.attempts.begin(positions).suspect  # as a worker that then left
    sizes = _batches(app, monkeypatch)
    app.processor.handle_batch(TOPIC_CHANGES, raws, positions)
    assert sizes == [30] * 16  # a sixteenth each, not 480 batches of one
    assert _indexed(app) == sorted(f"p{i}" for i in range(480))
    app.processor.attempts.done(positions)
    assert app.processor.attempts.recorded() == []


def test_a_killing_event_is_narrowed_down_and_dead_lettered_after_the_limit(
    app, monkeypatch
) -> None:
    n, poison_at, limit = 480, 200, app.config.limits.max_attempts
    raws, positions = _events(app, n, poison_at), _positions(n)
    sizes = _batches(app, monkeypatch)
    deaths = 0
    for _ in range(limit + 2):
        try:
            app.processor.handle_batch(TOPIC_CHANGES, raws, positions)
            break
        except Died:
            deaths += 1
    assert deaths == limit  # the batch, a piece of it, the event alone (limit 3)
    assert sizes[0] == n and 1 in sizes and max(sizes[1:]) == n // 16
    letters = app.dead_letters()
    assert [x.stage for x in letters] == ["attempts"]
    assert f"limits.max_attempts={limit}" in letters[0].error
    # Every neighbour indexed once; the poison pill never got through.
    assert _indexed(app) == sorted(f"p{i}" for i in range(n) if i != poison_at)
    assert app.processor.attempts is not None and app.processor.attempts.recorded() == []
