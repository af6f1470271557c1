"""Property-based run of the served OpenAPI spec: no input may cause a server error.

Schemathesis drives every operation with generated requests (valid and invalid), signed in
as admin so that requests get past authentication into the handlers.
"""

from __future__ import annotations

import schemathesis
from conftest import auth
from glemsel.pipeline.interfaces.api import create_app
from hypothesis import HealthCheck, given, settings


def test_no_operation_answers_with_a_server_error(deployment) -> None:
    schema = schemathesis.openapi.from_asgi("/openapi.json", create_app(deployment))
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 9
    for operation in operations:
        run_operation(operation)


def run_operation(operation) -> None:
    @settings(
        max_examples=30, deadline=None, database=None, suppress_health_check=list(HealthCheck)
    )
    @given(case=operation.as_strategy())
    def check(case) -> None:
        response = case.call(headers=auth("admin"))
        assert response.status_code < 500, f"{operation.label}: {response.text[:200]}"

    check()
