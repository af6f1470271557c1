"""The light read path (stores/sqlite_reads.py) against the full stores on the same files.

Read-only commands read the embedded state with sqlite3 alone when its schema is current.
These tests hold that path to the repositories it stands in for: the same rows, the same
subject expansion and locations, an audit entry that verifies in the one chain, and a
fallback to the full stores (which migrate or refuse) whenever the files are not ready.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest
from company import INGRID, KARI, OLA, published_world
from glemsel.pipeline.core.config import Config, load_config
from glemsel.pipeline.core.events import SubjectIdentifiers
from glemsel.pipeline.core.statuses import LocationAction
from glemsel.pipeline.runtime import open_query_stores
from glemsel.pipeline.runtime.stores import Stores, open_stores
from glemsel.pipeline.stores import audit, sqlite_reads, state
from glemsel.pipeline.stores.sqlite_reads import SqliteReadStores, open_sqlite_reads
from typer.testing import CliRunner

runner = CliRunner()


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Config:
    config_path = published_world(
        tmp_path_factory.mktemp("light"),
        ["hold", "place", "--email", OLA["email"], "--system", "support", "--reason", "tvist"],
        ["erase", "--email", KARI["email"], "--request-id", "r-kari"],
        ["erase", "--email", OLA["email"], "--request-id", "r-ola"],
        ["access", "--fnr", INGRID["fnr"], "--request-id", "r-ingrid"],
    )
    return load_config(config_path)


@pytest.fixture
def both(world: Config) -> Iterator[tuple[SqliteReadStores, Stores]]:
    light = open_sqlite_reads(world)
    assert light is not None, "a current embedded state must open on the light path"
    full = open_stores(world)
    yield light, full
    light.close()
    full.close()


def test_versions_follow_the_migrations() -> None:
    # A migration added without moving these would make the light path read a schema it
    # does not know; with them moved, it refuses older files and lets the full stores migrate.
    assert len(state.MIGRATIONS) == sqlite_reads.STATE_VERSION
    assert len(audit.MIGRATIONS) == sqlite_reads.AUDIT_VERSION


def test_the_state_reads_the_same_rows(both: tuple[SqliteReadStores, Stores]) -> None:
    light, full = both
    requests = full.state.requests.all()
    assert {r.request_id for r in requests} >= {"r-kari", "r-ola", "r-ingrid"}
    assert light.state.requests.all() == requests
    for r in requests:
        assert light.state.requests.get(r.request_id) == full.state.requests.get(r.request_id)
        outcomes = full.state.outcomes.of_request(r.request_id)
        assert light.state.outcomes.of_request(r.request_id) == outcomes
    assert light.state.requests.get("no-such-request") is None
    for r in requests:  # requests by subject (search): by any of their hashes, and all at once
        named = full.state.requests.naming(r.subject_hashes)
        assert r in named and all(n.subject_hashes & r.subject_hashes for n in named)
        assert light.state.requests.naming(r.subject_hashes) == named
        for h in r.subject_hashes:
            assert light.state.requests.naming({h}) == full.state.requests.naming({h})
    everyone = set().union(*(r.subject_hashes for r in requests))
    assert light.state.requests.naming(everyone) == full.state.requests.naming(everyone)
    assert {r.request_id for r in full.state.requests.naming(everyone)} == {
        r.request_id for r in requests
    }
    assert light.state.requests.naming({"no-such-hash"}) == []
    assert full.state.requests.naming(set()) == light.state.requests.naming(set()) == []
    for action in LocationAction:
        key = lambda o: (o.request_id, o.system, o.record_id)  # noqa: E731
        assert sorted(light.state.outcomes.with_action(action), key=key) == sorted(
            full.state.outcomes.with_action(action), key=key
        )
    holds = full.state.holds.active()
    assert holds and light.state.holds.active() == holds
    held = full.state.outcomes.with_action(LocationAction.HELD)
    assert held, "the world holds a location: the comparison above covered one"


def test_the_index_reads_the_same(both: tuple[SqliteReadStores, Stores]) -> None:
    light, full = both
    for person in (KARI, OLA, INGRID):
        for ids in (
            SubjectIdentifiers(fnr=person["fnr"]),
            SubjectIdentifiers(emails=[person["email"]]),
            SubjectIdentifiers(names=[person["name"]]),
        ):
            hashes = full.hasher.subject(ids)
            assert light.hasher.subject(ids) == hashes
            for shared in (False, True):
                assert light.index.expand_subject(hashes, shared) == full.index.expand_subject(
                    hashes, shared
                )
            target = full.index.expand_subject(hashes)
            locations = full.index.locations(target)
            assert light.index.locations(target) == locations
            assert light.index.name_candidates(hashes) == full.index.name_candidates(hashes)
            for loc in locations:
                assert light.index.record_hashes(
                    loc.system, loc.record_id
                ) == full.index.record_hashes(loc.system, loc.record_id)
    ingrid = full.index.expand_subject(full.hasher.subject(SubjectIdentifiers(fnr=INGRID["fnr"])))
    assert full.index.locations(ingrid), "someone not erased still has locations"


def test_audit_appends_join_the_one_chain(both: tuple[SqliteReadStores, Stores]) -> None:
    light, full = both
    before = full.audit.head().seq
    seqs = []
    for i in range(3):  # interleaved with the full writer, as a search beside a worker
        seqs.append(light.audit.append("search", by="test", n=i))
        seqs.append(full.audit.append("test.entry", n=i))
    assert seqs == list(range(before + 1, before + 7))
    result = full.audit.verify()
    assert result.ok and result.entries == before + 6


def test_search_status_and_requests_agree_on_both_paths(world: Config) -> None:
    from glemsel.pipeline.operations.search import search_subject
    from glemsel.pipeline.operations.views import request_view, request_views

    light = open_query_stores(world)
    assert isinstance(light, SqliteReadStores)
    full = open_stores(world)
    try:
        ids = SubjectIdentifiers(emails=[INGRID["email"]])
        assert search_subject(light, ids, "t") == search_subject(full, ids, "t")
        assert request_view(light.state, "r-ola") == request_view(full.state, "r-ola")
        assert request_views(light.state) == request_views(full.state)
    finally:
        light.close()
        full.close()


def _state_db(config: Config) -> Path:
    return config.resolve(config.state_dir) / "state.db"


def test_an_older_schema_goes_to_the_full_stores_which_migrate(
    tmp_path: Path, world: Config
) -> None:
    config = world.model_copy(update={"state_dir": str(tmp_path / "state")})
    open_stores(config).close()  # a current state, but empty
    assert open_sqlite_reads(config) is not None
    with sqlite3.connect(_state_db(config)) as db:
        db.execute("UPDATE glemsel_schema SET version = 4 WHERE component = 'state'")
    assert open_sqlite_reads(config) is None
    stores = open_query_stores(config)  # migrates back to the current version
    assert isinstance(stores, Stores)
    stores.close()
    assert open_sqlite_reads(config) is not None


def test_a_missing_state_is_not_made_by_the_light_path(tmp_path: Path, world: Config) -> None:
    config = world.model_copy(update={"state_dir": str(tmp_path / "fresh")})
    assert open_sqlite_reads(config) is None
    assert not (tmp_path / "fresh").exists()
