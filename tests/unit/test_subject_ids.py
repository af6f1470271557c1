"""New subjects' ids: 32 hex digits, in the order they are made (their indexes are appended
to), never the same twice."""

from __future__ import annotations

import time

from glemsel.pipeline.stores.index import new_subject_id


def test_subject_ids_are_hex_of_uuid_length_and_ordered_by_time() -> None:
    first = new_subject_id()
    time.sleep(0.002)  # the next millisecond at least
    later = [new_subject_id() for _ in range(1_000)]
    assert all(len(i) == 32 and int(i, 16) >= 0 for i in [first, *later])
    assert all(first < i for i in later)
    assert len(set(later)) == len(later)
