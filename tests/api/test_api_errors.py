"""Clear errors at the API, never a 500 (issue 9, item 11)."""

from __future__ import annotations

import pytest
from company import KARI
from conftest import auth

JSON = {"content-type": "application/json"}
FNR = '{"subject": {"fnr": "' + KARI["fnr"] + '"}'


@pytest.mark.parametrize(
    "body",
    [
        FNR + ', "received_at": "9999-12-31T23:59:59Z"}',
        FNR + ', "received_at": "0001-01-01T00:00:00+14:00"}',
        FNR + ', "request_id": "r-\\ud800"}',
        '{"subject": {"names": ["Kari \\udc00"]}}',
    ],
)
def test_bad_dates_and_lone_surrogates_are_4xx(client, body: str) -> None:
    response = client.post("/v1/erasure-requests", content=body, headers={**auth("dsr"), **JSON})
    assert response.status_code == 422, response.text
    assert KARI["fnr"] not in response.text


@pytest.mark.parametrize(
    "body", ['{"names": ["\\ud800"]}', '{"fnr": "\\udfff"}', '{"emails": ["a\\ud800@b.no"]}']
)
def test_search_with_a_lone_surrogate_is_4xx(client, body: str) -> None:
    response = client.post("/v1/search", content=body, headers={**auth("compliance"), **JSON})
    assert response.status_code == 422


def test_surrogate_in_a_path_is_not_a_500(client) -> None:
    response = client.get("/v1/erasure-requests/%ED%A0%80", headers=auth("admin"))
    assert response.status_code in {400, 404, 422}


def test_fullwidth_digits_find_the_person(client) -> None:
    fullwidth = KARI["fnr"].translate({ord(d): 0xFF10 + int(d) for d in "0123456789"})
    plain = client.post("/v1/search", headers=auth("compliance"), json={"fnr": KARI["fnr"]})
    wide = client.post("/v1/search", headers=auth("compliance"), json={"fnr": fullwidth})
    assert wide.json()["locations"] == plain.json()["locations"] != []


@pytest.mark.parametrize("hold_id", ["a/b", "../x", "with space", "x" * 201, "-lead"])
def test_hold_id_that_would_break_urls_is_refused(client, hold_id: str) -> None:
    body = {"hold_id": hold_id, "reason": "tvist", "systems": ["crm"]}
    response = client.post("/v1/holds", headers=auth("admin"), json=body)
    assert response.status_code == 422


def test_valid_hold_id_can_be_released(client, deployment) -> None:
    body = {"hold_id": "sak-2026.17:a@b", "reason": "tvist", "systems": ["crm"]}
    assert client.post("/v1/holds", headers=auth("admin"), json=body).status_code == 202
    deployment.run(until_idle=True)
    released = client.delete("/v1/holds/sak-2026.17:a@b", headers=auth("admin"))
    assert released.status_code == 202


@pytest.mark.parametrize(
    "scope", [{"systems": ["nope"]}, {"records": [{"system": "nope", "record_id": "1"}]}]
)
def test_hold_on_an_unknown_system_is_refused(client, scope) -> None:
    response = client.post("/v1/holds", headers=auth("admin"), json={"reason": "x", **scope})
    assert response.status_code == 422 and "nope" in response.text
