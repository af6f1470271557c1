"""TEST ONLY: a worker that SIGKILLs itself on an event carrying a marker (a poison pill).

Python imports ``sitecustomize`` at start-up from the path; tests/faults/test_poison_pill.py
puts this directory on the worker's PYTHONPATH and the marker in GLEMSEL_TEST_POISON_MARKER.
Without that variable it does nothing. No production code knows of it: it wraps
``Processor.on_change`` from outside, as a parser that crashes the process would behave.
"""

from __future__ import annotations

import os

MARKER = os.environ.get("GLEMSEL_TEST_POISON_MARKER")

if MARKER:
    import signal

    from glemsel.pipeline.flow import processor

    _on_change = processor.Processor.on_change

    def _poisoned_on_change(self: processor.Processor, raw: bytes | None) -> None:
        if raw and MARKER.encode() in raw:
            os.kill(os.getpid(), signal.SIGKILL)  # the worker dies, as on OOM or a segfault
        _on_change(self, raw)

    processor.Processor.on_change = _poisoned_on_change  # type: ignore[method-assign]
