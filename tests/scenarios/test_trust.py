"""Issue 9: erase exactly the right person, all of their data, and report only what is true.
Each scenario runs against the embedded and the distributed deployment."""

from __future__ import annotations

import base64

from glemsel.pipeline.core.events import TOPIC_ERASURE_REQUESTS, ErasureRequest, SubjectIdentifiers
from world import KARI, OLA, World


def test_one_request_id_from_two_clients_is_never_merged(world: World) -> None:
    """Item 4: the second client's request under a taken id is refused, with its reason."""
    world.ingest_all()
    for who, person in (("dsr-a", KARI), ("dsr-b", OLA)):
        req = ErasureRequest(
            request_id="same-id", subject=SubjectIdentifiers(fnr=person["fnr"]), requested_by=who
        )
        world.publish(TOPIC_ERASURE_REQUESTS, req)
    world.run()
    req = world.request("same-id")
    assert req["requested_by"] == "dsr-a" and req["status"] == "completed"
    crm = {rid for (system, rid) in world.outcomes("same-id") if system == "crm"}
    assert crm == {"1"}, "Ola's contact must not be erased under Kari's request"
    assert world.sql("crm.db", "SELECT id FROM contacts") == [(2,)]
    refused = [
        letter
        for letter in world.app.dead_letters()
        if letter.topic == TOPIC_ERASURE_REQUESTS and b"dsr-b" in base64.b64decode(letter.original)
    ]
    assert len(refused) == 1 and "taken by another requester" in refused[0].error
    assert "request.refused" in world.audit_kinds()
