"""Policies over time, in both modes: a recruitment system whose applicants are erased when
the hiring process closes unless they consented, a web-form log whose IP addresses are
truncated after 30 days, and an accounting system kept until the end of the accounting year
plus five years (bokføringsloven § 13).

The systems are the test company's (tests/company.py) with records of their own, not the
demo's, so the demo can change freely.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from company import SYSTEMS as COMPANY
from company import change_event, write_config, write_table
from company import fodselsnummer as fnr
from glemsel.pipeline.core.config import load_config
from glemsel.pipeline.core.identifiers import Hasher
from glemsel.pipeline.runtime.embedded import EmbeddedDeployment
from services import make_distributed
from world import World

NOW = datetime.now(UTC)


INGRID = {"name": "Ingrid Berg", "email": "ingrid.berg@example.no", "fnr": fnr("120894", 220)}
PER = {"name": "Per Johansen", "email": "per.johansen@example.no", "fnr": fnr("030488", 310)}

SYSTEMS: dict[str, Any] = {
    # The company's recruitment system, its applicants known by name and e-mail only.
    "recruitment": {**COMPANY["recruitment"], "identity": {"applicant": ["name", "email"]}},
    "weblog": COMPANY["weblog"],
    "orders": {
        "sink": {
            "kind": "sql",
            "url": "sqlite:///erp.db",
            "table": "orders",
            "key": "id",
            "timestamp_field": "created_at",
        },
        "identity": {"order": ["customer_email"]},
        "on_erasure": {"retain": {"years": 5, "basis": "bokføringsloven § 13"}},
    },
}


def _cv(person: dict[str, str]) -> str:
    return (
        f"CV\n{person['name']}, født {person['fnr'][:6]}, fødselsnummer {person['fnr']}\n"
        f"E-post: {person['email']}\nErfaring: fem år som sykepleier."
    )


def _post(post_id: int, days_ago: int, ip: str, message: str) -> dict[str, Any]:
    """A web-form post, logged ``days_ago`` with the visitor's IP address."""
    return {
        "id": post_id,
        "created": (NOW - timedelta(days=days_ago)).isoformat(),
        "ip": ip,
        "message": message,
    }


APPLICANTS = [
    # Ingrid's process is still open when she applies; the test closes it.
    {**INGRID, "id": 1, "cv": _cv(INGRID), "process_closed_at": None, "keep_consent": 0},
    # Per consented to be kept for later positions.
    {
        **PER,
        "id": 2,
        "cv": _cv(PER),
        "process_closed_at": (NOW - timedelta(days=10)).isoformat(),
        "keep_consent": 1,
    },
    {
        "id": 3,
        "name": "Sara Ali",
        "email": "sara.ali@example.no",
        "fnr": fnr("250199", 130),
        "cv": "CV for Sara Ali",
        "process_closed_at": None,
        "keep_consent": 0,
    },  # still in the process
    {
        "id": 4,
        "name": "Nora Lie",
        "email": "nora.lie@example.no",
        "fnr": fnr("070592", 410),
        "cv": "CV for Nora Lie",
        "process_closed_at": (NOW - timedelta(days=3)).isoformat(),
        "keep_consent": 0,
    },  # closed, but under a legal hold
    {
        "id": 5,
        "name": "Jonas Dahl",
        "email": "jonas.dahl@example.no",
        "fnr": fnr("191185", 520),
        "cv": "CV for Jonas Dahl",
        "process_closed_at": (NOW - timedelta(days=1)).isoformat(),
        "keep_consent": "nei",
    },  # closed; said no to being kept
]
POSTS = [
    _post(1, 40, "12.214.31.144", "Ring meg om tilbudet"),
    _post(2, 5, "81.0.12.7", "Hei"),
    _post(3, 45, "2001:db8:85a3:8d3:1319:8a2e:370:7348", "Spørsmål om levering"),
    _post(4, 31, "", f"Sendt fra 10.44.3.201 av {PER['email']}"),
]
ORDERS = [
    {
        "id": 7001,
        "customer_email": PER["email"],
        "amount": "4990.00",
        "created_at": "2026-03-10T12:00:00+00:00",
    }
]


def _change(system: str, record_type: str, row: dict[str, Any]) -> tuple[str, bytes]:
    return change_event(system, record_type, row, NOW, op="u")


def _build(root: Path) -> tuple[Path, list[tuple[str, bytes]]]:
    root.mkdir(parents=True)
    write_table(root / "hr.db", "applicants", APPLICANTS)
    write_table(root / "web.db", "form_posts", POSTS)
    write_table(root / "erp.db", "orders", ORDERS)
    path = write_config(root, SYSTEMS)
    events = [_change("recruitment", "applicant", row) for row in APPLICANTS]
    events += [_change("weblog", "form_post", row) for row in POSTS]
    events += [_change("orders", "order", row) for row in ORDERS]
    return path, events


@pytest.fixture(
    params=[
        pytest.param("embedded"),
        pytest.param("distributed", marks=pytest.mark.distributed),
    ]
)
def policy_world(request, tmp_path: Path) -> Iterator[World]:
    root = tmp_path / "policies"
    config_path, events = _build(root)
    if request.param == "embedded":
        app = EmbeddedDeployment(load_config(config_path))
    else:
        from glemsel.pipeline.runtime.distributed import DistributedDeployment

        endpoints = request.getfixturevalue("endpoints")
        tag = uuid.uuid4().hex[:10]
        make_distributed(config_path, endpoints, f"t{tag}", 2)
        app = DistributedDeployment(load_config(config_path))
    world = World(root, app.config, app, events)
    yield world
    app.close()
    world.drop_indices()


def _audit(world: World, kind: str) -> list[dict[str, Any]]:
    return [e for e in world.app.stores.audit.entries() if e["kind"] == kind]


def test_recruitment_sweep_erases_closed_unconsented_applicants_only(policy_world: World) -> None:
    w = policy_world
    w.hold("hold-nora", records=[{"system": "recruitment", "record_id": "4"}])
    w.ingest_all()  # the run ends with a sweep
    ids = {r[0] for r in w.sql("hr.db", "select id from applicants")}
    assert ids == {1, 2, 3, 4}, "Jonas (closed, 'nei') erased; Per consented, Sara open, Nora held"

    # Ingrid's CV is found by the fødselsnummer in it while her process is open.
    found = w.search(fnr=INGRID["fnr"])
    assert {(loc["system"], loc["record_id"]) for loc in found["locations"]} == {
        ("recruitment", "1")
    }
    assert any(f["field"] == "cv" for loc in found["locations"] for f in loc["findings"])

    # The hiring closes: the recruitment system sets process_closed_at; its CDC tells us.
    closed = {**APPLICANTS[0], "process_closed_at": NOW.isoformat()}
    w.sql("hr.db", "update applicants set process_closed_at = ? where id = 1", NOW.isoformat())
    w.publish(*_change("recruitment", "applicant", closed))
    w.run()
    assert {r[0] for r in w.sql("hr.db", "select id from applicants")} == {2, 3, 4}
    assert w.search(fnr=INGRID["fnr"])["locations"] == [], "erased and gone from the index"
    assert w.search(fnr=PER["fnr"])["locations"], "the consenting applicant is still known"

    deleted = {e["record_id"] for e in _audit(w, "retention.deleted")}
    assert deleted == {"1", "5"}
    assert all(e["detail"]["verified"] for e in _audit(w, "retention.deleted"))
    assert {e["record_id"] for e in _audit(w, "retention.kept")} == {"2"}
    assert {e["record_id"] for e in _audit(w, "retention.held")} == {"4"}

    # Released, the held applicant is erased by the next sweep; consent still keeps Per.
    w.hold("hold-nora", action="release")
    assert {r[0] for r in w.sql("hr.db", "select id from applicants")} == {2, 3}
    assert len(_audit(w, "retention.kept")) == 1, "a kept record is audited once, not per sweep"
    assert w.app.stores.audit.verify().ok


def test_old_ips_are_truncated_in_place_audited_and_reindexed(policy_world: World) -> None:
    w = policy_world
    w.ingest_all()
    rows = dict(w.sql("web.db", "select id, ip from form_posts"))
    assert rows == {1: "12.214.31.0", 2: "81.0.12.7", 3: "2001:db8:85a3::", 4: ""}
    message = w.sql("web.db", "select message from form_posts where id = 4")[0][0]
    assert message == f"Sendt fra 10.44.3.0 av {PER['email']}", "only the IP, only its host part"

    done = _audit(w, "anonymise.redacted")
    assert {e["record_id"] for e in done} == {"1", "3", "4"}
    assert all(e["detail"]["verified"] and e["detail"]["types"] == ["IP_ADDRESS"] for e in done)
    blob = w.at_rest()
    assert b"12.214.31.144" not in blob and b"10.44.3.201" not in blob

    # Re-indexed: the index holds the truncated address, not the original.
    hasher = Hasher(w.config.hmac_key())
    hashes = w.app.stores.index.record_hashes("weblog", "1")
    assert hasher("IP_ADDRESS", "12.214.31.0") in hashes
    assert hasher("IP_ADDRESS", "12.214.31.144") not in hashes

    # Idempotent: later sweeps, even one that forgot what it did, truncate nothing again.
    w.app.processor.tick()
    w.app.stores.state.sweeps.start("weblog", "anonymise", "forgotten")  # drops the watermark
    result = w.app.processor.tick()
    assert result.get("anonymised", 0) == 0
    assert len(_audit(w, "anonymise.redacted")) == 3
    assert dict(w.sql("web.db", "select id, ip from form_posts")) == rows

    # Thirty days on, the newer post is old enough too.
    result = w.app.processor.tick(now=NOW + timedelta(days=26))
    assert result.get("anonymised") == 1
    assert w.sql("web.db", "select ip from form_posts where id = 2") == [("81.0.12.0",)]


def test_bokforingsloven_keeps_until_the_end_of_the_accounting_year_plus_five(
    policy_world: World,
) -> None:
    w = policy_world
    w.ingest_all()
    w.erase("r-acct", emails=[PER["email"]])
    outcomes = {o.system: o for o in w.app.stores.state.outcomes.of_request("r-acct")}
    order = outcomes["orders"]
    assert order.action == "retained" and "bokføringsloven" in order.reason
    # Dated 2026-03-10: the accounting year ends 2026-12-31, five years on is 2031-12-31.
    assert order.retained_until == datetime(2031, 12, 31, 23, 59, 59, 999999, tzinfo=UTC)
    retained = _audit(w, "erasure.retained")
    assert retained and retained[0]["detail"]["until"].startswith("2031-12-31")

    assert (
        w.app.processor.tick(now=datetime(2031, 12, 31, 12, tzinfo=UTC)).get("basis_ended", 0) == 0
    )
    assert w.sql("erp.db", "select id from orders") == [(7001,)], "kept through 2031-12-31"
    result = w.app.processor.tick(now=datetime(2032, 1, 1, 0, 0, 1, tzinfo=UTC))
    assert result.get("basis_ended") == 1
    assert w.sql("erp.db", "select id from orders") == []
