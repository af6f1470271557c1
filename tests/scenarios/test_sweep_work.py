"""A sweep's work follows what changed since the last sweep, not the data (issue 10).

The web-form log (IP addresses truncated after 30 days), the chat (deleted after 60 days by
its timestamp) and the recruitment system (erased when the process closed, unless the
applicant consented) of the test company, with records of their own; the sinks are wrapped
by a counter of the records read from them (``read``, ``iter_records``), so a test asserts
how much of the data a sweep touched, not only what it decided.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import ExitStack
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from company import SYSTEMS as COMPANY
from company import change_event, write_config, write_table
from glemsel.pipeline.core.config import load_config
from glemsel.pipeline.core.events import TOPIC_LEGAL_HOLDS, LegalHold
from glemsel.pipeline.runtime.embedded import EmbeddedDeployment
from services import make_distributed, pg_state_url
from world import World

from bench.sweep import CountingSink

MODES = [
    pytest.param("embedded"),
    pytest.param("distributed", marks=pytest.mark.distributed),
]

NOW = datetime.now(UTC)
N = 20

SYSTEMS: dict[str, Any] = {
    "weblog": COMPANY["weblog"],
    "chat": COMPANY["chat"],
    "recruitment": {**COMPANY["recruitment"], "identity": {"applicant": ["name", "email"]}},
}


def _post(post_id: int, days_ago: float, ip: str) -> dict[str, Any]:
    return {
        "id": post_id,
        "created": (NOW - timedelta(days=days_ago)).isoformat(),
        "ip": ip,
        "message": f"Melding {post_id}",
    }


def _chat(msg_id: int, days_ago: float) -> dict[str, Any]:
    return {
        "id": msg_id,
        "channel": "kundechat",
        "author": "kunde",
        "text": f"melding {msg_id}",
        "sent_at": (NOW - timedelta(days=days_ago)).isoformat(),
    }


def _applicant(applicant_id: int, closed_days_ago: float | None, consent: int) -> dict[str, Any]:
    closed = None if closed_days_ago is None else (NOW - timedelta(days=closed_days_ago))
    return {
        "id": applicant_id,
        "name": "Sara Ali",
        "email": f"sara{applicant_id}@example.no",
        "cv": "CV",
        "process_closed_at": closed.isoformat() if closed else None,
        "keep_consent": consent,
    }


def _hold(
    hold_id: str, system: str = "", record_id: str = "", action: str = "place", **more: Any
) -> LegalHold:
    records = [{"system": system, "record_id": record_id}] if system else None
    return LegalHold(hold_id=hold_id, action=action, reason="tvist", records=records, **more)


def _ip(n: int) -> str:
    return f"12.214.{n // 250}.{n % 250 + 1}"


class Company:
    """The three systems in a deployment (embedded or distributed) that can be stopped and
    started again on the same state (a restart)."""

    def __init__(
        self, root: Path, mode: str, endpoints: Any = None, state_url: str | None = None
    ) -> None:
        self.root = root
        root.mkdir(parents=True)
        write_table(root / "web.db", "form_posts", [_post(i, 40, _ip(i)) for i in range(1, N + 1)])
        write_table(root / "chat.db", "messages", [_chat(1, 75), _chat(2, 70), _chat(3, 5)])
        write_table(
            root / "hr.db",
            "applicants",
            [_applicant(1, 3, 1), _applicant(2, 2, 0), _applicant(3, None, 0)],
        )
        self.config_path = write_config(root, SYSTEMS)
        if mode == "distributed":
            tag = uuid.uuid4().hex[:10]
            make_distributed(self.config_path, endpoints, f"t{tag}", 2, state_url)
        self.app = self.start()

    def start(self) -> Any:
        config = load_config(self.config_path)
        if config.mode == "distributed":
            from glemsel.pipeline.runtime.distributed import DistributedDeployment

            self.app = DistributedDeployment(config)
        else:
            self.app = EmbeddedDeployment(config)
        self.counters: dict[str, CountingSink] = {}
        for name in SYSTEMS:
            sinks = self.app.processor.sinks
            self.counters[name] = sinks._open[name] = CountingSink(sinks[name])
        return self.app

    def restart(self) -> None:
        self.app.close()
        self.start()

    def reads(self) -> dict[str, int]:
        return {name: c.reads for name, c in self.counters.items()}

    def reset(self) -> None:
        for c in self.counters.values():
            c.reads = 0

    def tick(self, now: datetime) -> dict[str, int]:
        self.reset()
        return self.app.processor.tick(now=now)

    def change(self, system: str, record_type: str, table: str, db: str, row: dict) -> None:
        """Write ``row`` into the system and publish its change event, as CDC would."""
        write_table(self.root / db, table, [row])
        self.app.publish(*change_event(system, record_type, row, NOW, op="u"))
        self.app.run(until_idle=True)

    def hold(self, *holds: LegalHold) -> None:
        """Place or release ``holds``, then work until idle (a run ends with a sweep)."""
        for hold in holds:
            self.app.publish(TOPIC_LEGAL_HOLDS, hold.to_json(), hold.key)
        self.app.run(until_idle=True)

    def ips(self) -> dict[int, str]:
        import sqlite3

        with sqlite3.connect(self.root / "web.db") as conn:
            return dict(conn.execute("select id, ip from form_posts").fetchall())

    def ids(self, db: str, table: str) -> set[int]:
        import sqlite3

        with sqlite3.connect(self.root / db) as conn:
            return {r[0] for r in conn.execute(f"select id from {table}")}

    def audit(self, kind: str) -> list[dict[str, Any]]:
        return [e for e in self.app.stores.audit.entries() if e["kind"] == kind]


@pytest.fixture(params=MODES)
def company(request, tmp_path: Path) -> Iterator[Company]:
    with ExitStack() as stack:
        endpoints = state_url = None
        if request.param == "distributed":
            endpoints = request.getfixturevalue("endpoints")
            state_url = stack.enter_context(pg_state_url(endpoints, uuid.uuid4().hex[:10]))
        c = Company(tmp_path / "company", request.param, endpoints, state_url)
        yield c
        c.app.close()
        World(c.root, c.app.config, c.app, []).drop_indices()


def test_a_sweep_without_changes_reads_nothing_at_n_and_at_ten_n(company: Company) -> None:
    first = company.tick(NOW)
    assert first.get("anonymised") == N
    assert company.reads()["weblog"] >= N  # the first sweep looks at every old record
    assert company.tick(NOW + timedelta(seconds=60)) == {"requests_resumed": 0, "failed_retried": 0}
    assert company.reads() == {"weblog": 0, "chat": 0, "recruitment": 0}

    # The data grows to 10·N old records (each with its change event, as CDC sends it).
    for i in range(N + 1, 10 * N + 1):
        company.app.publish(*change_event("weblog", "form_post", _post(i, 40, _ip(i)), NOW))
    write_table(
        company.root / "web.db",
        "form_posts",
        [_post(i, 40, _ip(i)) for i in range(N + 1, 10 * N + 1)],
    )
    company.app.run(until_idle=True)  # its sweep anonymises the new ones
    assert len(company.audit("anonymise.redacted")) == 10 * N
    assert all(ip.endswith(".0") for ip in company.ips().values())

    assert company.tick(NOW + timedelta(seconds=120)).get("anonymised", 0) == 0
    assert company.reads() == {"weblog": 0, "chat": 0, "recruitment": 0}, (
        "a sweep with nothing changed reads no record, however many old ones there are"
    )
    windows = company.counters["weblog"].windows
    assert windows[-1][0] == windows[-2][1], "asked only what became old since the last sweep"


def test_an_old_record_changed_after_a_sweep_is_anonymised_by_the_next(company: Company) -> None:
    company.tick(NOW)
    assert company.ips()[3] == "12.214.0.0"
    # An old ticket gets a new IP address written into it; the CDC reports the change.
    company.change("weblog", "form_post", "form_posts", "web.db", _post(3, 40, "81.0.12.7"))
    # (the run above ended with a sweep; so does the next tick, which has nothing left)
    assert company.ips()[3] == "81.0.12.0", "the window had passed it; the change marked it"
    redacted = [e for e in company.audit("anonymise.redacted") if e["record_id"] == "3"]
    assert len(redacted) == 2
    assert company.tick(NOW + timedelta(seconds=60)).get("anonymised", 0) == 0
    assert company.reads()["weblog"] == 0, "marked once, looked at once"
    assert company.app.stores.state.sweeps.count("weblog") == 0, "the mark is cleared"

    # A change with nothing left to anonymise (a backfill's, or the CDC event of our own
    # truncation) marks nothing: the next sweep reads nothing.
    company.reset()
    company.change("weblog", "form_post", "form_posts", "web.db", _post(3, 40, "81.0.12.0"))
    assert company.reads()["weblog"] == 0


def test_a_held_record_waits_for_its_hold_not_for_every_sweep(company: Company) -> None:
    company.hold(_hold("h-web", "weblog", "5"), _hold("h-chat", "chat", "2"))
    company.tick(NOW)
    assert company.ips()[5] == _ip(5), "held: not anonymised"
    assert company.ids("chat.db", "messages") == {2, 3}, "1 deleted (75 days), 2 held"
    for _ in range(3):
        company.tick(NOW + timedelta(seconds=60))
        assert company.reads() == {"weblog": 0, "chat": 0, "recruitment": 0}, (
            "a held record is not read again while its hold lasts"
        )
    assert [e["record_id"] for e in company.audit("anonymise.held")] == ["5"]
    assert [e["record_id"] for e in company.audit("retention.held")] == ["2"]

    company.hold(_hold("h-web", action="release"))  # the run ends with a sweep
    company.hold(_hold("h-chat", action="release"))
    assert company.ips()[5] == "12.214.0.0", "anonymised by the first sweep after the release"
    assert company.ids("chat.db", "messages") == {3}, "deleted by the first sweep after it"
    assert len(company.audit("anonymise.held")) == 1 and len(company.audit("retention.held")) == 1
    assert company.app.stores.state.sweeps.count() == 1, "only the consenting applicant's note"


def test_an_expired_hold_releases_its_records_at_the_next_sweep(company: Company) -> None:
    until = NOW + timedelta(days=1)
    company.hold(_hold("h-exp", "chat", "1", until=until))
    company.tick(NOW)
    assert 1 in company.ids("chat.db", "messages")
    assert company.reads()["chat"] == 0
    company.tick(until + timedelta(seconds=1))
    assert company.ids("chat.db", "messages") == {3}
    assert company.reads()["chat"] == 3, "the one record whose hold ended: read, deleted, read"


def test_a_restart_does_not_look_at_what_was_done_again(company: Company) -> None:
    company.tick(NOW)
    audited = len(company.app.stores.audit.entries())
    assert [e["record_id"] for e in company.audit("retention.kept")] == ["1"]
    company.restart()  # a new deployment, a new Eraser, on the same state
    result = company.tick(NOW + timedelta(seconds=60))
    assert result.get("anonymised", 0) == 0
    assert company.reads() == {"weblog": 0, "chat": 0, "recruitment": 0}, (
        "no anonymised record is read or scanned again after a restart"
    )
    assert len(company.app.stores.audit.entries()) == audited, "no decision audited twice"

    # The consenting applicant withdraws her consent: the change is seen, she is erased.
    company.change("recruitment", "applicant", "applicants", "hr.db", _applicant(1, 3, 0))
    assert company.ids("hr.db", "applicants") == {3}
    assert {e["record_id"] for e in company.audit("retention.deleted")} == {"1", "2"}
    assert len(company.audit("retention.kept")) == 1


def test_consent_kept_record_is_audited_once_and_rechecked_only_on_change(
    company: Company,
) -> None:
    company.tick(NOW)
    assert company.ids("hr.db", "applicants") == {1, 3}, "2 closed, no consent: erased"
    # An unrelated change of the kept applicant: looked at again, still kept, not audited.
    company.change(
        "recruitment", "applicant", "applicants", "hr.db", {**_applicant(1, 3, 1), "cv": "CV 2"}
    )
    assert company.ids("hr.db", "applicants") == {1, 3}
    assert len(company.audit("retention.kept")) == 1
    company.tick(NOW + timedelta(seconds=60))
    assert company.reads()["recruitment"] == 0
    # The open process closes: the change schedules her, the sweep erases her when due.
    company.change("recruitment", "applicant", "applicants", "hr.db", _applicant(3, 0, 0))
    assert company.ids("hr.db", "applicants") == {1}


def test_a_first_sweep_of_a_field_the_sink_cannot_list_walks_once_then_waits(
    company: Company,
) -> None:
    company.tick(NOW)
    # Every applicant once, and the one erased is read and read back by the deletion.
    assert company.reads()["recruitment"] == 3 + 2
    company.tick(NOW + timedelta(seconds=60))
    assert company.reads()["recruitment"] == 0
