"""Where do we hold data about this person? One search over the subject index.

On stores/reads.py's ReadStores: the full stores of either mode, or the light SQLite path."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import Any

from glemsel.pipeline.core.clock import days_left
from glemsel.pipeline.core.events import SubjectIdentifiers
from glemsel.pipeline.core.holds import covering_hold
from glemsel.pipeline.stores.reads import ReadStores


def search_subject(stores: ReadStores, ids: SubjectIdentifiers, searched_by: str) -> dict[str, Any]:
    requested = stores.hasher.subject(ids)
    # A name alone that several subjects have lists them to choose from; it never merges
    # them, and finds none of their records until a strong identifier says whom it means.
    candidates = name_candidates(stores, ids, requested)
    # Together: the Elasticsearch index fetches the locations with the expansion's last answer.
    target, found = stores.index.subject_locations(requested)
    holds = stores.state.holds.active()
    expand = _once(stores.index.expand_subject)
    locations = []
    for loc in found:
        hold = covering_hold(
            holds, loc.system, loc.record_id, partial(stores.index.record_hashes, *loc.key), expand
        )
        locations.append(
            {
                "system": loc.system,
                "record_type": loc.record_type,
                "record_id": loc.record_id,
                "held_by": hold.hold_id if hold else None,
                "findings": [
                    {
                        "field": f.field,
                        "type": f.entity_type,
                        "preview": f.preview,
                        "score": f.score,
                        "start": f.start,
                        "end": f.end,
                    }
                    for f in loc.findings
                ],
            }
        )
    requests = [
        {
            "request_id": r.request_id,
            "status": r.status,
            "deadline": r.deadline.isoformat(),
            "days_left": days_left(r.deadline),
            "counts": r.counts,
        }
        # By key: reading every request to keep the subject's was most of a search (issue 10).
        for r in stores.state.requests.naming(target)
    ]
    # Searching for a person is itself processing of their data: audit who looked, by the
    # caller's name (a token's or an operator's: accountability needs it readable).
    stores.audit.append(
        "search",
        by=searched_by,
        subject=sorted(requested),
        locations=len(locations),
    )
    return {
        "ambiguous": len(candidates) > 1,
        "candidates": candidates if len(candidates) > 1 else [],
        "identifiers": len(target),
        "locations": locations,
        "systems": sorted({loc["system"] for loc in locations}),
        "holds": [
            h.hold_id for h in holds if any(loc["held_by"] == h.hold_id for loc in locations)
        ],
        "requests": requests,
    }


def _once(expand: Callable[[set[str]], set[str]]) -> Callable[[set[str]], set[str]]:
    """``expand`` asked once per set of hashes: a hold on a subject is expanded for every
    location it might cover (three round trips each to Elasticsearch), within one search
    the same answer."""
    known: dict[frozenset[str], set[str]] = {}

    def expanded(hashes: set[str]) -> set[str]:
        key = frozenset(hashes)
        if key not in known:
            known[key] = expand(hashes)
        return known[key]

    return expanded


def name_candidates(
    stores: ReadStores, ids: SubjectIdentifiers, requested: set[str] | None = None
) -> list[dict[str, Any]]:
    """For a person named by names only: the subjects with that name, each shown by the
    masked previews of its strong identifiers and where they are. [] otherwise."""
    if ids.fnr or ids.emails or ids.phones or not ids.names:
        return []
    requested = requested if requested is not None else stores.hasher.subject(ids)
    out = []
    for n, (_, strong) in enumerate(sorted(stores.index.name_candidates(requested).items())):
        locations = stores.index.locations(strong)
        previews = sorted({(f.entity_type, f.preview) for loc in locations for f in loc.findings})
        out.append(
            {
                "candidate": n + 1,
                "identifiers": [{"type": t, "preview": p} for t, p in previews],
                "locations": [f"{loc.system}:{loc.record_id}" for loc in locations],
            }
        )
    return out
