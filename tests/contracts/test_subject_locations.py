"""``subject_locations`` is ``expand_subject`` and the ``locations`` of what it returns, for
every index (the Elasticsearch one asks for the locations with the expansion's last round
trip, before it knows which of the subject's names namesakes share, and sorts them after)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from findings import finding as contract_finding
from glemsel.pipeline.core.findings import Finding
from glemsel.pipeline.stores import index_es

TS = datetime(2026, 11, 2, 9, 30, tzinfo=UTC)

KARI = {"k-fnr": "NO_FODSELSNUMMER", "k-mail": "EMAIL_ADDRESS", "n-kari": "PERSON"}
OLA = {"o-fnr": "NO_FODSELSNUMMER", "n-shared": "PERSON", "n-ola": "PERSON"}
PER = {"p-fnr": "NO_FODSELSNUMMER", "n-shared": "PERSON"}  # Ola's namesake
ASKED = [
    {"k-fnr"},
    {"k-mail"},
    {"n-kari"},
    {"o-fnr"},
    {"n-ola"},
    {"n-shared"},
    {"o-fnr", "n-shared"},
    {"p-fnr"},
    {"k-fnr", "o-fnr"},
    {"no-such-hash"},
    set(),
]


def finding(system: str, record_id: str, hash_: str, etype: str) -> Finding:
    return contract_finding(system, record_id, hash_, etype, record_type="ticket", field="body")


def record(index, system: str, record_id: str, hashes: dict[str, str]) -> None:
    found = [finding(system, record_id, h, t) for h, t in hashes.items()]
    index.replace_findings(system, "ticket", record_id, found, TS)


@pytest.fixture
def world(index):
    for person in (KARI, OLA, PER):
        index.link_identity(person)
    record(index, "crm", "1", {"k-fnr": "NO_FODSELSNUMMER", "k-mail": "EMAIL_ADDRESS"})
    record(index, "support", "1", {"n-kari": "PERSON"})  # Kari's by her name alone
    record(index, "support", "2", {"n-shared": "PERSON"})  # Ola's or Per's: nobody's
    record(index, "support", "3", {"n-ola": "PERSON", "n-shared": "PERSON"})  # Ola's
    record(index, "chat", "1", {"o-fnr": "NO_FODSELSNUMMER", "n-shared": "PERSON"})
    record(index, "chat", "2", {"p-fnr": "NO_FODSELSNUMMER", "n-kari": "PERSON"})
    for n in range(12):  # namesakes' records: more than a small page of the shared name
        record(index, "mail", str(n), {"n-shared": "PERSON"})
    index.refresh()
    return index


def _keys(index, hashes: set[str]) -> set[tuple[str, str]]:
    return {loc.key for loc in index.subject_locations(hashes)[1]}


def test_subject_locations_are_the_expansion_and_its_locations(world) -> None:
    for hashes in ASKED:
        target = world.expand_subject(hashes)
        assert world.subject_locations(hashes) == (target, world.locations(target)), hashes


def test_a_shared_name_finds_only_the_records_it_is_ours_in(world) -> None:
    ola = {("chat", "1"), ("support", "3")}  # by fnr, and by the name only Ola has
    assert _keys(world, {"o-fnr"}) == ola
    assert _keys(world, {"k-fnr"}) == {("crm", "1"), ("support", "1"), ("chat", "2")}
    assert _keys(world, {"p-fnr"}) == {("chat", "2")}
    assert _keys(world, {"n-shared"}) == set()  # a name namesakes share names nobody


def test_beyond_the_guessed_page_the_names_are_asked_again(world, monkeypatch) -> None:
    # The shared name's records are more than this page: Ola's own name's are asked alone.
    monkeypatch.setattr(index_es, "NAMED_PAGE", 2)
    for hashes in ASKED:
        target = world.expand_subject(hashes)
        assert world.subject_locations(hashes) == (target, world.locations(target)), hashes
    assert _keys(world, {"o-fnr"}) == {("chat", "1"), ("support", "3")}


@pytest.mark.parametrize("ahead", [0, 1, index_es.LOOKUP_AHEAD])
def test_with_the_links_read_ahead_or_not_the_same(world, monkeypatch, ahead: int) -> None:
    # Elasticsearch reads the links of up to LOOKUP_AHEAD hashes with the first round trip
    # (two in all), of more in a second one, as expand_subject does (three in all).
    monkeypatch.setattr(index_es, "LOOKUP_AHEAD", ahead)
    for hashes in ASKED:
        target = world.expand_subject(hashes)
        assert world.subject_locations(hashes) == (target, world.locations(target)), hashes


def test_a_name_linked_as_an_old_index_did_links_nobody(world) -> None:
    # An index made before names had their own index has link documents of names; the
    # links read ahead would take the name's subject for the subject of the lookup.
    if not isinstance(world, index_es.EsSubjectIndex):
        pytest.skip("link documents of names are an old Elasticsearch index's")
    kari = world.expand_subject({"k-fnr"})
    subject = world._es.get(index=world._subjects, id="k-fnr")["_source"]["subject_id"]
    world._es.index(
        index=world._subjects,
        id="n-kari",
        document={"subject_id": subject, "entity_type": "PERSON"},
        refresh=True,
    )
    for hashes in ASKED:
        target = world.expand_subject(hashes)
        assert world.subject_locations(hashes) == (target, world.locations(target)), hashes
    assert world.expand_subject({"k-fnr"}) == kari
