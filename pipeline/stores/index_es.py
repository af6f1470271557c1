"""Distributed subject index: Elasticsearch, one document per location.

A location document holds its findings (masked previews, keyed hashes) and the list of
hashes as a keyword field, so "where is this person" is one `terms` query and replacing a
record's findings is one write; inside ``batch()`` the writes of many records go out as one
bulk request (the ingest agent batches change events). Only core APIs are used (bulk, get,
mget, search): the integration-test distribution of Elasticsearch has no reindex module, so
no _delete_by_query or _update_by_query.
"""

from __future__ import annotations

import logging
import time
from collections import defaultdict
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from functools import partial
from typing import Any, TypeVar

from elasticsearch import (
    ApiError,
    ConnectionError,
    Elasticsearch,
    NotFoundError,
    OrjsonSerializer,
    helpers,
)
from elasticsearch import ConnectionTimeout as EsTimeout
from glemsel.pipeline.core.findings import Finding, Location
from glemsel.pipeline.stores.index import expansion, new_subject_id

log = logging.getLogger("glemsel.index")

T = TypeVar("T")
PAGE = 10_000

LOCATION_MAPPINGS = {
    "dynamic": "strict",
    "properties": {
        "system": {"type": "keyword"},
        "record_type": {"type": "keyword"},
        "record_id": {"type": "keyword"},
        "hashes": {"type": "keyword"},
        "entity_types": {"type": "keyword"},
        "last_seen": {"type": "date"},
        # Kept for display, never searched: no analysis, no inverted index.
        "findings": {"type": "object", "enabled": False},
    },
}
SUBJECT_MAPPINGS = {
    "dynamic": "strict",
    "properties": {
        "subject_id": {"type": "keyword"},
        "entity_type": {"type": "keyword"},
    },
}
# A name is an attribute of subjects, never a link: one document per (name, subject).
NAME_MAPPINGS = {
    "dynamic": "strict",
    "properties": {
        "hash": {"type": "keyword"},
        "subject_id": {"type": "keyword"},
    },
}
NAME = "PERSON"
# Hits of a subject's own names alone asked for with the other searches of a lookup's last
# round trip: a name namesakes share finds their locations too, dropped after (see _expand).
NAMED_PAGE = 500
LOOKUP_AHEAD = 16  # hashes a lookup reads the links of ahead (a search has a few)
# What a bulk answer keeps of each item: whether it failed, and where (the helper pairs the
# items with the actions; their versions, shards and sequence numbers were four fifths of
# the answer, parsed for every document written).
_BULK_ITEMS = "items.*.status,items.*.error,items.*._index"
LINK_ROUNDS = 50  # conflicts only while other workers link the same person; each one wins


class EsSubjectIndex:
    def __init__(self, url: str, prefix: str = "glemsel", retry_for: float = 120.0) -> None:
        # orjson for the bulk bodies and the answers: the standard library's json was a
        # fifth of a distributed worker's time on a backfill (a document per record, its
        # links and names, each serialised once to size the bulk chunk).
        self._es = Elasticsearch(url, request_timeout=30, serializer=OrjsonSerializer())
        self._locations = f"{prefix}-locations"
        self._subjects = f"{prefix}-subjects"
        self._names = f"{prefix}-names"
        self._retry_for = retry_for
        self._dirty = False
        self._batching = False
        self._pending: list[dict[str, Any]] = []  # bulk actions not yet sent, in order
        self._linked: dict[str, str] = {}  # strong identifier -> subject, linked in _pending
        self._prefetched: dict[str, str | None] = {}  # asked for at the batch's start
        # identity records linked in _pending: (strong identifiers, names, subject written)
        self._records: list[tuple[dict[str, str], set[str], str]] = []
        self._retry(self._ensure_indices)

    # --- set-up and resilience --------------------------------------------------------------

    def _ensure_indices(self) -> None:
        for name, mappings in (
            (self._locations, LOCATION_MAPPINGS),
            (self._subjects, SUBJECT_MAPPINGS),
            (self._names, NAME_MAPPINGS),
        ):
            self._es.indices.put_index_template(
                name=name,
                index_patterns=[name],
                template={
                    "settings": {"number_of_shards": 1, "number_of_replicas": 0},
                    "mappings": mappings,
                },
            )
            if not self._es.indices.exists(index=name):
                try:
                    self._es.indices.create(index=name)
                except ApiError as exc:  # another worker created it first
                    if "resource_already_exists" not in str(exc):
                        raise

    def _retry(self, call: Callable[[], T]) -> T:
        """Back off while Elasticsearch is away (restart, network), up to ``retry_for`` s."""
        deadline, delay = time.monotonic() + self._retry_for, 0.5
        while True:
            try:
                return call()
            except (ConnectionError, EsTimeout) as exc:
                if time.monotonic() > deadline:
                    raise
                log.warning(
                    "elasticsearch unavailable (%s); retrying in %.1fs", type(exc).__name__, delay
                )
                time.sleep(delay)
                delay = min(delay * 2, 10.0)

    def _bulk(self, actions: list[dict[str, Any]], **params: Any) -> list[dict[str, Any]]:
        """Send ``actions`` in bulk (retried while Elasticsearch is away); the failed items,
        each as {operation: its status, error and index}."""
        todo = list(actions)  # a retry sends them all again, whatever the caller does after
        _, errors = self._retry(
            lambda: helpers.bulk(
                self._es, todo, raise_on_error=False, filter_path=_BULK_ITEMS, **params
            )
        )
        return errors  # type: ignore[return-value]  # a list: raise_on_error=False

    def _fresh(self) -> None:
        # Reads after our own writes must see them (plan an erasure right after ingest).
        self._flush()
        if self._dirty:
            self._retry(
                lambda: self._es.indices.refresh(
                    index=[self._locations, self._subjects, self._names]
                )
            )
            self._dirty = False

    def refresh(self) -> None:
        # Other workers' bulk writes are searchable after the next refresh only.
        self._flush()
        self._retry(
            lambda: self._es.indices.refresh(index=[self._locations, self._subjects, self._names])
        )
        self._dirty = False

    # --- writes -----------------------------------------------------------------------------

    def replace_findings(
        self, system: str, record_type: str, record_id: str, found: list[Finding], ts: datetime
    ) -> None:
        if not found:
            self.remove_record(system, record_id)
            return
        self._write(
            {
                "_op_type": "index",
                "_id": _doc_id(system, record_id),
                "_source": _location_doc(system, record_type, record_id, found, ts),
            }
        )

    def remove_record(self, system: str, record_id: str) -> None:
        self._write({"_op_type": "delete", "_id": _doc_id(system, record_id)})

    @contextmanager
    def batch(self) -> Iterator[None]:
        self._batching = True
        try:
            yield
        finally:
            self._batching = False
            self._prefetched = {}
        self._flush()

    def _write(self, action: dict[str, Any]) -> None:
        self._pending.append({"_index": self._locations, **action})
        if not self._batching:
            self._flush()

    def _flush(self) -> None:
        """Send the pending writes as one bulk request. They stay pending if it fails, so
        that a later flush sends them in their order. Identity links sent are then checked
        (see ``_settle``)."""
        if not self._pending:
            return
        errors = self._bulk(self._pending)
        # Deleting what is not there is what a delete wants, and a link another worker
        # created first is settled below: only other failures count.
        errors = [
            e
            for e in errors
            if e.get("delete", {}).get("status") != 404
            and not (
                e.get("create", {}).get("status") == 409
                and e["create"].get("_index") == self._subjects
            )
        ]
        if errors:
            raise helpers.BulkIndexError(f"{len(errors)} index write(s) failed", errors)
        self._pending.clear()
        self._linked.clear()  # sent: a (real-time) mget finds them now
        self._dirty = True
        records, self._records = self._records, []
        self._settle(records)

    def _settle(self, records: list[tuple[dict[str, str], set[str], str]]) -> None:
        """Check the identity records of a sent batch against other workers (optimistic
        concurrency): one real-time mget of their strong identifiers after the bulk write
        was acknowledged. A record whose identifiers all sit under the subject it wrote is
        linked: a worker merging that subject away moves it later, as its last search of the
        subject's members and names comes after our write. Any other record (a ``create``
        lost to another worker, a member merged away meanwhile, an identifier unlinked) is
        linked again on its own (``_link_now``), also moving what it wrote under the
        subject it assumed."""
        if not records:
            return
        docs = self._link_docs(sorted(set().union(*(strong for strong, _, _ in records))))
        relinked = False
        for strong, names, subject_id in records:
            if all(
                (d := docs.get(h)) is not None and d["_source"]["subject_id"] == subject_id
                for h in strong
            ):
                continue
            relinked = True
            self._link_now(strong | dict.fromkeys(names, NAME), named_as=subject_id)
        if self._batching:  # what the rest of the batch links against
            if relinked:
                self._prefetched.clear()  # members moved: ask again
            else:
                self._prefetched.update(
                    {h: d["_source"]["subject_id"] if d else None for h, d in docs.items()}
                )

    def link_identity(self, identifiers: dict[str, str]) -> str:
        strong = {h: t for h, t in identifiers.items() if t != NAME}
        names = {h for h, t in identifiers.items() if t == NAME}
        if not strong:  # a name alone makes no subject: it would join every namesake
            return ""
        if not self._batching:
            return self._link_now(identifiers)
        # mget is real-time, so no refresh first; and the write below does not wait for one
        # (that wait, once per identity record, bounded a backfill at a few records/s):
        # searches of this process refresh first (dirty), requests of any worker refresh.
        # Links written earlier in this batch are not sent yet, and those the batch asked
        # for at its start (prefetch_links) are known: only the others are asked here.
        ask = [h for h in strong if h not in self._linked and h not in self._prefetched]
        found = self._subjects_of(ask) if ask else {}
        found |= {h: self._prefetched[h] for h in strong if h in self._prefetched}
        found |= {h: self._linked[h] for h in strong if h in self._linked}
        existing = sorted({s for s in found.values() if s})
        if len(existing) > 1:  # one record's strong identifiers prove them one person
            self._flush()  # a merge reads every member: what this batch linked goes first
            self._prefetched.clear()  # the merge moves members: ask again after it
            return self._link_now(identifiers)
        # Sent with the batch's other writes, in one bulk request when it ends (one request,
        # and one translog sync, per batch instead of one per identity record). An
        # identifier's first link is a ``create``: two workers cannot both create it, and
        # the loser's record is linked again when the batch is sent (_settle).
        subject_id = existing[0] if existing else new_subject_id()
        actions = [
            _subject_create(self._subjects, h, subject_id, t)
            for h, t in strong.items()
            if not found.get(h)
        ]
        actions += [_name_doc(self._names, h, subject_id) for h in sorted(names)]
        if actions:
            self._pending.extend(actions)
            self._records.append((strong, names, subject_id))
        self._linked.update(dict.fromkeys(strong, subject_id))
        return subject_id

    def _link_now(self, identifiers: dict[str, str], named_as: str = "") -> str:
        """Link one identity record now, also against other workers linking at the same
        moment (optimistic concurrency): an identifier's first link is a ``create`` (two
        workers cannot both create it), a move to another subject an update conditional on
        the document read (``if_seq_no``), and a conflict reads the winner again. Subjects
        merge into the smallest id, so every worker moves the same way; a round that wrote
        is checked by another read, until one changes nothing, so a member another worker
        added to a merged subject meanwhile is found and moved too. ``named_as``: a subject
        the record's names were written under already (by a batch), to move if it is not
        the record's subject."""
        strong = {h: t for h, t in identifiers.items() if t != NAME}
        names = {h for h, t in identifiers.items() if t == NAME}
        merged: set[str] = set()  # subjects this call merged away: must stay empty
        for _ in range(LINK_ROUNDS):
            found = {h: d for h, d in self._link_docs(list(strong)).items() if d is not None}
            existing = sorted({d["_source"]["subject_id"] for d in found.values()})
            subject_id = existing[0] if existing else new_subject_id()
            actions: list[dict[str, Any]] = []
            for h, t in strong.items():
                doc = found.get(h)
                if doc is None:
                    actions.append(_subject_create(self._subjects, h, subject_id, t))
                elif doc["_source"]["subject_id"] != subject_id:
                    actions.append(_subject_move(self._subjects, doc, subject_id))
            # One record's strong identifiers prove them one person: every member of the
            # other subjects moves too, also those another worker linked just now.
            merged |= set(existing) - {subject_id}
            if named_as and named_as != subject_id:  # merged away after it was named
                merged.add(named_as)
            merged.discard(subject_id)
            if merged:
                self.refresh()
                for doc in self._search(
                    self._subjects, {"terms": {"subject_id": sorted(merged)}}, versions=True
                ):
                    if doc["_source"]["entity_type"] != NAME and doc["_id"] not in strong:
                        actions.append(_subject_move(self._subjects, doc, subject_id))
                for doc in self._search(self._names, {"terms": {"subject_id": sorted(merged)}}):
                    names.add(doc["_source"]["hash"])
                    actions.append({"_op_type": "delete", "_index": self._names, "_id": doc["_id"]})
            actions += [_name_doc(self._names, h, subject_id) for h in sorted(names)]
            if names:
                named_as = subject_id
            names = set()  # written (again after a conflict: the round's names are re-read)
            if not actions:
                return subject_id  # a round that changed nothing: settled
            errors = self._bulk(actions)
            self._dirty = True
            failed = [e for e in errors if next(iter(e.values())).get("status") not in (404, 409)]
            if failed:
                raise helpers.BulkIndexError(f"{len(failed)} link write(s) failed", failed)
            if errors:  # another worker linked one of these first: read the winner
                names = {h for h, t in identifiers.items() if t == NAME}
        raise RuntimeError(f"identity link did not settle in {LINK_ROUNDS} rounds")

    def _link_docs(self, hashes: list[str]) -> dict[str, dict[str, Any] | None]:
        """Strong identifier -> its link document (with ``_seq_no`` and ``_primary_term``)
        or None, by real-time mget."""
        found: dict[str, dict[str, Any] | None] = dict.fromkeys(hashes)
        for i in range(0, len(hashes), 1_000):
            chunk = hashes[i : i + 1_000]
            docs = self._retry(partial(self._es.mget, index=self._subjects, ids=chunk))
            for d in docs["docs"]:
                if d.get("found") and d["_source"]["entity_type"] != NAME:
                    found[d["_id"]] = d
        return found

    def _subjects_of(self, hashes: list[str]) -> dict[str, str | None]:
        """Strong identifier -> its subject (None: not linked), by real-time mget."""
        return {
            h: d["_source"]["subject_id"] if d else None for h, d in self._link_docs(hashes).items()
        }

    def prefetch_links(self, hashes: set[str]) -> None:
        """Inside ``batch()``: the subjects of ``hashes``, asked at once, are what the
        batch's ``link_identity`` calls use (one mget per batch instead of one per identity
        record). Forgotten when the batch ends."""
        if self._batching and hashes:
            self._prefetched.update(self._subjects_of(sorted(hashes)))

    def unlink_identifiers(self, hashes: set[str]) -> None:
        if not hashes:
            return
        self._fresh()
        actions = [
            {"_op_type": "delete", "_index": self._subjects, "_id": h} for h in sorted(hashes)
        ]
        errors = [
            e
            for e in self._bulk(actions, refresh="wait_for")
            if e.get("delete", {}).get("status") != 404
        ]
        if errors:
            raise helpers.BulkIndexError(f"{len(errors)} unlink(s) failed", errors)

    # --- reads ------------------------------------------------------------------------------

    def _search(
        self, index: str, query: dict[str, Any], fresh: bool = True, versions: bool = False
    ) -> list[dict[str, Any]]:
        """Every hit: one page when it fits, a scroll beyond that (a search stops at 10,000).
        ``fresh``: first send pending writes and refresh, so that the search sees them.
        ``versions``: hits carry ``_seq_no`` and ``_primary_term`` (for conditional writes)."""
        if fresh:
            self._fresh()
        result = self._retry(
            lambda: self._es.search(
                index=index,
                query=query,
                size=PAGE,
                track_total_hits=True,
                seq_no_primary_term=versions,
            )
        )
        if result["hits"]["total"]["value"] <= PAGE:
            return result["hits"]["hits"]
        body = {"query": query, "seq_no_primary_term": versions}
        return self._retry(lambda: list(helpers.scan(self._es, index=index, query=body, size=PAGE)))

    def _msearch(
        self, searches: list[tuple[str, dict[str, Any], int]]
    ) -> list[list[dict[str, Any]] | None]:
        """Every hit of each (index, query, size), as ``_search`` gives them, in one round
        trip (an msearch) when each fits its size. One of a page's size that does not fit,
        or that fails, goes alone; one of a smaller size (a guess) answers None when it has
        more hits than that, so that its caller asks more precisely."""
        self._fresh()
        body: list[dict[str, Any]] = []
        for index, query, size in searches:
            body += [{"index": index}, {"query": query, "size": size, "track_total_hits": True}]
        responses = self._retry(lambda: self._es.msearch(searches=body))["responses"]
        out: list[list[dict[str, Any]] | None] = []
        for (index, query, size), result in zip(searches, responses, strict=True):
            if "error" not in result and result["hits"]["total"]["value"] <= size:
                out.append(result["hits"]["hits"])
            elif size < PAGE and "error" not in result:
                out.append(None)
            else:
                out.append(self._search(index, query, fresh=False))
        return out

    def expand_subject(self, hashes: set[str], shared_names: bool = False) -> set[str]:
        return self._expand(hashes, shared_names)[0]

    def subject_locations(self, hashes: set[str]) -> tuple[set[str], list[Location]]:
        """``expand_subject`` and ``locations`` of what it returns, in two round trips
        instead of four for a subject found by a strong identifier: the first also reads
        the subject's members and names (by its links), the last one that the expansion
        needs (the other owners of the subject's names) also asks for the locations (see
        ``_expand``)."""
        target, hits = self._expand(hashes, False, locate=True)
        if hits is None:  # the expansion ended before its last round trip
            return target, self.locations(target)
        return target, _locations(hits, target)

    def _expand(
        self, hashes: set[str], shared_names: bool, locate: bool = False
    ) -> tuple[set[str], list[dict[str, Any]] | None]:
        """The expansion, and with ``locate`` the location hits of the target when the last
        round trip could fetch them (None: ask ``locations``). Four searches in two round
        trips, plus one for the names of the subject's own names' other owners: three
        answers to wait for instead of five. With ``locate``, the first two round trips are
        one where the links read ahead agree with the ids search, and the last also asks
        for the locations."""
        if not hashes:
            return set(), [] if locate else None
        first = [
            (self._subjects, {"ids": {"values": sorted(hashes)}}, PAGE),
            (self._names, {"terms": {"hash": sorted(hashes)}}, PAGE),
        ]
        # A lookup also asks, in the same round trip, for the members and names of the
        # subjects its hashes are linked to (a terms lookup reads each link document), which
        # the second one would otherwise ask by the subjects the first one found.
        ahead = locate and len(hashes) <= LOOKUP_AHEAD
        if ahead:
            linked = _linked_subjects(self._subjects, hashes)
            first += [(self._subjects, linked, PAGE), (self._names, linked, PAGE)]
        hits, name_hits, *looked = self._msearch(first)
        assert hits is not None and name_hits is not None  # page-sized: never None
        subjects = {h["_source"]["subject_id"] for h in hits if h["_source"]["entity_type"] != NAME}
        by_name = _owners(name_hits)
        if not subjects:  # a name alone reaches its subject only if exactly one has it
            owners = set().union(*by_name.values()) if by_name else set()
            subjects = owners if len(owners) == 1 else set()
        if not subjects:
            return expansion(hashes, set(), by_name, subjects, shared_names), None
        member_hits, own_hits = looked if ahead else (None, None)
        if not _looked_up(hits, member_hits, own_hits, subjects):
            member_hits, own_hits = self._msearch(
                [
                    (self._subjects, {"terms": {"subject_id": sorted(subjects)}}, PAGE),
                    (self._names, {"terms": {"subject_id": sorted(subjects)}}, PAGE),
                ]
            )
        assert member_hits is not None and own_hits is not None
        members = {h["_id"] for h in member_hits if h["_source"]["entity_type"] != NAME}
        own = _owners(own_hits)
        if not locate:
            names = self._name_owners({"terms": {"hash": sorted(own)}}) if own else {}
            return expansion(hashes, members, {**by_name, **names}, subjects, shared_names), None
        # The target without the subject's own names is known now (the owners of the names
        # asked for came with the first round trip); the own names join it only where no
        # namesake has them, which the last round trip tells. So it asks at once for the
        # locations of the known part, and for the few of the own names alone (a name that
        # namesakes share finds theirs too: beyond NAMED_PAGE hits, they are asked again).
        known = expansion(hashes, members, by_name, subjects, shared_names)
        maybe = sorted(set(own) - known)
        searches = [(self._locations, {"terms": {"hashes": sorted(known)}}, PAGE)]
        if maybe:
            searches += [
                (self._names, {"terms": {"hash": sorted(own)}}, PAGE),
                (self._locations, _only(maybe, known), NAMED_PAGE),
            ]
        found = self._msearch(searches)
        located = found[0]
        assert located is not None
        if not maybe:  # every own name is one asked for: its owners came with the first
            return known, located
        owner_hits, named = found[1], found[2]
        assert owner_hits is not None
        names = _owners(owner_hits)
        target = expansion(hashes, members, {**by_name, **names}, subjects, shared_names)
        extra = sorted(target - known)
        if extra and named is None:  # namesakes' locations beyond the page: ours precisely
            named = self._search(self._locations, _only(extra, known), fresh=False)
        if extra and named:
            located = located + [h for h in named if target.intersection(h["_source"]["hashes"])]
        return target, located

    def _name_owners(self, query: dict[str, Any]) -> dict[str, set[str]]:
        return _owners(self._search(self._names, query))

    def name_candidates(self, hashes: set[str]) -> dict[str, set[str]]:
        if not hashes:
            return {}
        owners = set().union(*self._name_owners({"terms": {"hash": sorted(hashes)}}).values())
        found: dict[str, set[str]] = {s: set() for s in owners}
        if owners:
            for hit in self._search(self._subjects, {"terms": {"subject_id": sorted(owners)}}):
                if hit["_source"]["entity_type"] != NAME:
                    found[hit["_source"]["subject_id"]].add(hit["_id"])
        return found

    def locations(self, hashes: set[str]) -> list[Location]:
        if not hashes:
            return []
        return _locations(
            self._search(self._locations, {"terms": {"hashes": sorted(hashes)}}), hashes
        )

    def record_hashes(self, system: str, record_id: str) -> set[str]:
        self._fresh()
        try:
            doc = self._retry(
                lambda: self._es.get(index=self._locations, id=_doc_id(system, record_id))
            )
        except NotFoundError:
            return set()
        return set(doc["_source"]["hashes"])

    def known_names_among(self, hashes: set[str]) -> set[str]:
        if not hashes:
            return set()
        found: set[str] = set()
        ordered = sorted(hashes)
        for i in range(0, len(ordered), 10_000):  # a terms query takes up to 65,536
            # No refresh (nor flush of the batch) first: names this worker linked are known
            # to its scanner already (KnownNames.add), another worker's once the index has
            # refreshed (each second). A refresh per identity record held a backfill at
            # about 20 records/s.
            hits = self._search(
                self._names, {"terms": {"hash": ordered[i : i + 10_000]}}, fresh=False
            )
            found |= {h["_source"]["hash"] for h in hits}
        return found

    def known_name_hashes(self) -> set[str]:
        return {h["_source"]["hash"] for h in self._search(self._names, {"match_all": {}})}

    def counts(self) -> dict[str, int]:
        self._fresh()
        result = self._retry(
            lambda: self._es.search(
                index=self._locations,
                size=0,
                track_total_hits=True,  # the default stops counting at 10,000
                aggs={"types": {"terms": {"field": "entity_types", "size": 50}}},
            )
        )
        counts: dict[str, int] = defaultdict(int)
        for bucket in result["aggregations"]["types"]["buckets"]:
            counts[bucket["key"]] = bucket["doc_count"]
        counts["locations"] = result["hits"]["total"]["value"]
        return dict(counts)

    def close(self) -> None:
        self._flush()
        self._es.close()


def _subject_create(index: str, hash_: str, subject_id: str, etype: str) -> dict[str, Any]:
    # ``create`` fails (409) if another worker linked the identifier first.
    return {
        "_op_type": "create",
        "_index": index,
        "_id": hash_,
        "subject_id": subject_id,
        "entity_type": etype,
    }


def _subject_move(index: str, doc: dict[str, Any], subject_id: str) -> dict[str, Any]:
    # Only if nobody changed the document since it was read (409 otherwise).
    return {
        "_op_type": "index",
        "_index": index,
        "_id": doc["_id"],
        "if_seq_no": doc["_seq_no"],
        "if_primary_term": doc["_primary_term"],
        "subject_id": subject_id,
        "entity_type": doc["_source"]["entity_type"],
    }


def _name_doc(index: str, hash_: str, subject_id: str) -> dict[str, Any]:
    # One document per (name, subject): writing it again changes nothing.
    return {
        "_op_type": "index",
        "_index": index,
        "_id": f"{subject_id}:{hash_}",
        "hash": hash_,
        "subject_id": subject_id,
    }


def _locations(hits: list[dict[str, Any]], hashes: set[str]) -> list[Location]:
    """Location documents as locations, with the findings of ``hashes`` only."""
    result = []
    for hit in sorted(hits, key=lambda h: (h["_source"]["system"], h["_source"]["record_id"])):
        src = hit["_source"]
        loc = Location(
            src["system"],
            src["record_type"],
            src["record_id"],
            last_seen=datetime.fromisoformat(src["last_seen"]).astimezone(UTC),
        )
        loc.findings = [_finding(src, f) for f in src["findings"] if f["hash"] in hashes]
        result.append(loc)
    return result


def _linked_subjects(index: str, hashes: set[str]) -> dict[str, Any]:
    """Documents whose ``subject_id`` is that of the link document of one of ``hashes``
    (terms lookups: none for a hash that is not linked)."""
    lookups = [
        {"terms": {"subject_id": {"index": index, "id": h, "path": "subject_id"}}}
        for h in sorted(hashes)
    ]
    return {"bool": {"should": lookups, "minimum_should_match": 1}}


def _looked_up(
    hits: list[dict[str, Any]],
    member_hits: list[dict[str, Any]] | None,
    own_hits: list[dict[str, Any]] | None,
    subjects: set[str],
) -> bool:
    """Whether the members and names found by terms lookup are those of ``subjects`` (the
    ones the ids search found), as a search by them would find. Not when a hash's link
    document is a name's (an old index's: names link nobody) or when the lookups (each a
    real-time read) and the search (as of the last refresh) saw the links differently."""
    if member_hits is None or own_hits is None:
        return False
    if any(h["_source"]["entity_type"] == NAME for h in hits):
        return False
    return {h["_source"]["subject_id"] for h in member_hits} == subjects and {
        h["_source"]["subject_id"] for h in own_hits
    } <= subjects


def _only(hashes: list[str], besides: set[str]) -> dict[str, Any]:
    """Locations holding one of ``hashes`` and none of ``besides`` (asked for apart)."""
    return {
        "bool": {
            "filter": [{"terms": {"hashes": hashes}}],
            "must_not": [{"terms": {"hashes": sorted(besides)}}],
        }
    }


def _owners(hits: list[dict[str, Any]]) -> dict[str, set[str]]:
    """Name hash -> the subjects that have it, from hits of the names index."""
    owners: dict[str, set[str]] = defaultdict(set)
    for hit in hits:
        owners[hit["_source"]["hash"]].add(hit["_source"]["subject_id"])
    return dict(owners)


def _doc_id(system: str, record_id: str) -> str:
    return f"{system}:{record_id}"


def _location_doc(
    system: str, record_type: str, record_id: str, found: list[Finding], ts: datetime
) -> dict[str, Any]:
    return {
        "system": system,
        "record_type": record_type,
        "record_id": record_id,
        "hashes": sorted({f.hash for f in found}),
        "entity_types": sorted({f.entity_type for f in found}),
        "last_seen": ts.isoformat(),
        "findings": [_finding_doc(f) for f in found],
    }


def _finding_doc(f: Finding) -> dict[str, Any]:
    return {
        "field": f.field,
        "start": f.start,
        "end": f.end,
        "type": f.entity_type,
        "score": f.score,
        "preview": f.preview,
        "hash": f.hash,
    }


def _finding(src: dict[str, Any], f: dict[str, Any]) -> Finding:
    return Finding(
        system=src["system"],
        record_type=src["record_type"],
        record_id=src["record_id"],
        field=f["field"],
        start=f["start"],
        end=f["end"],
        entity_type=f["type"],
        score=f["score"],
        preview=f["preview"],
        hash=f["hash"],
    )
