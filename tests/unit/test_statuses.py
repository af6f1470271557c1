from __future__ import annotations

import typing

from glemsel.pipeline.core.events import Action, ErasureSummary
from glemsel.pipeline.core.statuses import LocationAction, RequestStatus


def test_every_outcome_action_on_the_wire_is_a_location_action():
    assert set(typing.get_args(Action)) <= {a.value for a in LocationAction}


def test_every_summary_status_is_a_request_status():
    summary_statuses = typing.get_args(ErasureSummary.model_fields["status"].annotation)
    assert set(summary_statuses) <= {s.value for s in RequestStatus}


def test_only_verified_effects_are_final():
    assert {a for a in LocationAction if a.final} == {
        "deleted",
        "redacted",
        "not_found",
        "exported",
        "rectified",
    }
    assert LocationAction.STARTED.resumable and LocationAction.FAILED.resumable
    assert LocationAction.HELD.resumable and LocationAction.RETAINED.resumable


def test_statuses_compare_as_their_wire_strings():
    assert RequestStatus.PARTIALLY_HELD == "partially_held"
    assert not RequestStatus.FAILED.final and RequestStatus.COMPLETED.final
