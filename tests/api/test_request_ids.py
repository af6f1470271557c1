"""Issue 9, item 4: one request id, two clients: the second gets a conflict, never a merge."""

from __future__ import annotations

from company import KARI, OLA
from conftest import auth
from fastapi.testclient import TestClient
from glemsel.pipeline.core.events import SubjectIdentifiers
from glemsel.pipeline.runtime.embedded import EmbeddedDeployment


def test_same_request_id_from_two_dsr_clients_is_a_conflict(
    client: TestClient, deployment: EmbeddedDeployment
) -> None:
    def submit(who: str, fnr: str):
        return client.post(
            "/v1/erasure-requests",
            json={"request_id": "dsr-77", "subject": {"fnr": fnr}},
            headers=auth(who),
        )

    assert submit("dsr", KARI["fnr"]).status_code == 202
    # Before any worker ran, a second client picks the same id for another person.
    second = submit("dsr2", OLA["fnr"])
    assert second.status_code == 409, second.text
    assert "taken by another requester" in second.text
    # The same client sending its own request again is idempotent, not a conflict.
    assert submit("dsr", KARI["fnr"]).status_code == 202
    deployment.run(until_idle=True)

    state = deployment.stores.state
    req = state.requests.get("dsr-77")
    assert req is not None and req.requested_by == "dsr-tool"
    assert req.subject_hashes == deployment.stores.hasher.subject(
        SubjectIdentifiers(fnr=KARI["fnr"])
    )
    assert {o.record_id for o in state.outcomes.of_request("dsr-77") if o.system == "crm"} == {"1"}
    received = [
        e for e in deployment.stores.audit.entries("dsr-77") if e["kind"] == "request.received"
    ]
    assert len(received) == 1
    assert client.get("/v1/erasure-requests/dsr-77", headers=auth("dsr2")).status_code == 404
