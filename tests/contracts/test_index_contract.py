"""The subject index contract (stores/index.py), for SQLite and Elasticsearch alike."""

from __future__ import annotations

import threading
from datetime import UTC, datetime

import pytest
from findings import finding

TS = datetime(2026, 11, 2, 9, 30, tzinfo=UTC)


def test_a_record_holds_exactly_its_last_findings(index):
    index.replace_findings("crm", "contact", "1", [finding("crm", "1", "h-a")], TS)
    index.replace_findings("crm", "contact", "1", [finding("crm", "1", "h-b")], TS)
    assert index.record_hashes("crm", "1") == {"h-b"}
    assert index.locations({"h-a"}) == []
    [loc] = index.locations({"h-b"})
    assert (loc.system, loc.record_id, [f.hash for f in loc.findings]) == ("crm", "1", ["h-b"])


def test_locations_carry_only_the_matching_findings(index):
    index.replace_findings(
        "support",
        "ticket",
        "7",
        [finding("support", "7", "h-mine"), finding("support", "7", "h-other")],
        TS,
    )
    [loc] = index.locations({"h-mine"})
    assert [f.hash for f in loc.findings] == ["h-mine"]


def test_removed_and_emptied_records_are_forgotten(index):
    index.replace_findings("chat", "message", "m1", [finding("chat", "m1", "h-x")], TS)
    index.replace_findings("chat", "message", "m2", [finding("chat", "m2", "h-x")], TS)
    index.remove_record("chat", "m1")
    index.replace_findings("chat", "message", "m2", [], TS)
    assert index.locations({"h-x"}) == []
    assert index.record_hashes("chat", "m1") == set()


def test_one_system_record_id_pair_is_one_location(index):
    # the same record id in two systems are two records
    index.replace_findings("crm", "contact", "5", [finding("crm", "5", "h-y")], TS)
    index.replace_findings("erp", "order", "5", [finding("erp", "5", "h-y")], TS)
    assert sorted(loc.system for loc in index.locations({"h-y"})) == ["crm", "erp"]


def test_identity_records_link_their_identifiers_and_merge_subjects(index):
    first = index.link_identity({"h-fnr": "NO_FODSELSNUMMER", "h-mail": "EMAIL_ADDRESS"})
    index.link_identity({"h-phone": "PHONE_NUMBER", "h-other-mail": "EMAIL_ADDRESS"})
    assert index.expand_subject({"h-fnr"}) == {"h-fnr", "h-mail"}
    # a record with the phone and the first mail ties both subjects together
    merged = index.link_identity({"h-phone": "PHONE_NUMBER", "h-mail": "EMAIL_ADDRESS"})
    assert index.expand_subject({"h-fnr"}) == {"h-fnr", "h-mail", "h-phone", "h-other-mail"}
    assert isinstance(first, str) and isinstance(merged, str)


def test_unknown_hashes_expand_to_themselves(index):
    assert index.expand_subject({"h-nobody"}) == {"h-nobody"}


def test_writes_inside_a_batch_are_read_inside_it_and_durable_after(index):
    with index.batch():
        index.replace_findings("crm", "contact", "9", [finding("crm", "9", "h-z")], TS)
        assert index.record_hashes("crm", "9") == {"h-z"}
    assert [loc.record_id for loc in index.locations({"h-z"})] == ["9"]


def test_counts_count_locations_and_findings_by_type(index):
    for i in range(3):
        index.replace_findings("crm", "contact", str(i), [finding("crm", str(i), f"h{i}")], TS)
    index.replace_findings("crm", "contact", "0", [finding("crm", "0", "p", "PHONE_NUMBER")], TS)
    counts = index.counts()
    assert counts["locations"] == 3
    assert (counts["EMAIL_ADDRESS"], counts["PHONE_NUMBER"]) == (2, 1)


@pytest.mark.parametrize("batched", [False, True], ids=["one-by-one", "batched"])
def test_concurrent_linkers_converge_on_one_subject_per_person(open_index, batched):
    """Workers linking identity records that share identifiers at the same moment (each
    worker a store of its own on one storage) end with exactly one subject per person: its
    every strong identifier, its name under that subject only. Each person's records differ
    pairwise, so a linker that read a stale state would split or half-merge the person.
    Batched, as the ingest links: two persons per batch, each twice (records i and i+1,
    which share an identifier, or not: 3 and 4), their links asked for at the batch's start
    where the store can (prefetch_links) and sent when it ends."""
    people, workers = 12, 6
    # Per person: four strong identifiers and a name; worker i links record i.
    records = [
        [
            {f"{p}-fnr": "NO_FODSELSNUMMER", f"{p}-mail": "EMAIL_ADDRESS"},
            {f"{p}-mail": "EMAIL_ADDRESS", f"{p}-phone": "PHONE_NUMBER"},
            {f"{p}-phone": "PHONE_NUMBER", f"{p}-mail2": "EMAIL_ADDRESS"},
            {f"{p}-mail2": "EMAIL_ADDRESS", f"{p}-fnr": "NO_FODSELSNUMMER"},
            {f"{p}-phone": "PHONE_NUMBER"},
            {f"{p}-fnr": "NO_FODSELSNUMMER", f"{p}-phone": "PHONE_NUMBER"},
        ]
        for p in (f"p{n}" for n in range(people))
    ]
    stores = [open_index() for _ in range(workers)]
    start = threading.Barrier(workers)
    failures: list[BaseException] = []

    def one_by_one(i: int) -> None:
        for p, person in enumerate(records):
            start.wait(timeout=60)  # every worker links this person at once
            stores[i].link_identity({**person[i], f"p{p}-name": "PERSON"})

    def in_batches(i: int) -> None:
        store = stores[i]
        for first in range(0, people, 2):
            linked = [
                {**records[p][r], f"p{p}-name": "PERSON"}
                for p in (first, first + 1)
                for r in (i, (i + 1) % workers)
            ]
            start.wait(timeout=60)  # every worker links these persons at once
            with store.batch():
                if prefetch := getattr(store, "prefetch_links", None):
                    prefetch({h for ids in linked for h, t in ids.items() if t != "PERSON"})
                for ids in linked:
                    store.link_identity(ids)

    def work(i: int) -> None:
        try:
            (in_batches if batched else one_by_one)(i)
        except BaseException as exc:  # reported below, with the worker that hit it
            failures.append(exc)
            start.abort()

    threads = [threading.Thread(target=work, args=(i,)) for i in range(workers)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=300)
    assert not failures, failures
    check = open_index()
    check.refresh()
    for p in range(people):
        strong = {f"p{p}-{k}" for k in ("fnr", "mail", "phone", "mail2")}
        [(subject, members)] = check.name_candidates({f"p{p}-name"}).items()
        assert members == strong, (p, subject, members)
        for h in strong:
            assert check.expand_subject({h}) == strong | {f"p{p}-name"}
