"""Every detector is linear in the size of its text, on inputs made to be hard for it.

A quadratic step (a look-back to the start of a line, an insertion into a sorted list, a
prefilter that rescans a run from every position) turns a 1 MB text into minutes; four
times the text must take about four times as long (a bound of 7 leaves room for a busy
machine; quadratic would be 16)."""

from __future__ import annotations

import gc
import time

import pytest

from bench.adversarial import UNITS, adversarial

SMALL, LARGE = 250_000, 1_000_000


def _seconds(detector, text: str) -> tuple[float, int]:
    """CPU seconds of this thread (background threads that earlier tests left, such as a
    Kafka client's, do not count), the better of two runs (a collection or a page fault
    once does not count either)."""
    times = []
    for _ in range(2):
        # Without the cyclic collector: its full passes cost as much as everything the
        # test session keeps alive, which is the session's size, not the detector's.
        gc.collect()
        gc.disable()
        try:
            start = time.thread_time()
            found = len(detector.analyze(text))
            times.append(time.thread_time() - start)
        finally:
            gc.enable()
    return min(times), found


@pytest.mark.parametrize("name", list(UNITS))
def test_linear_in_text_size(detector, name: str) -> None:
    small, n_small = _seconds(detector, adversarial(name, SMALL))
    large, n_large = _seconds(detector, adversarial(name, LARGE))
    assert large <= 7 * small + 0.5, f"{name}: {small:.2f} s for 250 KB, {large:.2f} s for 1 MB"
    # and the same findings per byte: nothing lost on a long text
    assert n_large >= 3 * n_small
