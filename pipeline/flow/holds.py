"""A hold's place or release written to the state (and audited) once, whoever comes first.

`glemsel hold` and the API call this when they acknowledge a hold, before they publish it;
the worker calls it again when the event arrives and finds it done. So a hold acknowledged
before a request was submitted is in the state when that request executes (erasure checks
holds at execution), whatever backlog the holds topic has; the same for a release.
"""

from __future__ import annotations

from glemsel.pipeline.core.events import LegalHold
from glemsel.pipeline.core.identifiers import Hasher
from glemsel.pipeline.stores.audit import AuditLog
from glemsel.pipeline.stores.state import StateStore


def record_hold(state: StateStore, audit: AuditLog, hasher: Hasher, hold: LegalHold) -> bool:
    """Place or release ``hold`` in the state; True if this call changed it (and audited)."""
    if hold.action == "place":
        hashes = hasher.subject(hold.subject) if hold.subject else None
        if not state.holds.place(hold, hashes):
            return False
        audit.append(
            "hold.placed",
            hold_id=hold.hold_id,
            systems=hold.systems,
            records=len(hold.records or []),
            subject=sorted(hashes or []),
            until=hold.until,
            placed_by=hold.placed_by,
        )
        return True
    if not state.holds.end(hold.hold_id, "released", hold.ts):
        return False
    audit.append("hold.released", hold_id=hold.hold_id, by=hold.placed_by)
    return True
