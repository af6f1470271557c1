"""Rectification (GDPR art. 16): every location holding a wrong value gets the right one.

Per location, as for erasure: holds are checked at execution time (a held location is
reported `held` and done once the hold ends), the new value is written in identity fields
and in free text alike, the record is read back (verified: the old value is gone, the new
one is there) and re-indexed, and identity records link the new value to the subject. The
old value then leaves the subject, so searching by it finds nothing.

Only keyed hashes of the values are stored. A held location, retried later, takes the new
value from a location already rectified: read from the source system, as the rest is.
"""

from __future__ import annotations

import copy
import logging
from dataclasses import dataclass
from typing import Any

from glemsel.pipeline.core.events import (
    ErasureOutcome,
    ErasureSummary,
    RectificationRequest,
)
from glemsel.pipeline.core.findings import Finding
from glemsel.pipeline.core.identifiers import ENTITY_TYPES, identity_field_type
from glemsel.pipeline.core.redact import get_path, set_value, value_at
from glemsel.pipeline.core.statuses import LocationAction, RequestKind
from glemsel.pipeline.flow.erasure import STRONG_TYPES
from glemsel.pipeline.flow.locations import Effect, LocationWork, Parts
from glemsel.pipeline.flow.scan import Scanner
from glemsel.pipeline.stores.rows import OutcomeRow, RequestRow

log = logging.getLogger("glemsel.rectify")

TYPES = ENTITY_TYPES  # types a correction may name: those detectors and identity fields give


@dataclass(frozen=True)
class Fix:
    type: str
    old: str  # keyed hash
    new: str  # keyed hash
    value: str | None  # the raw new value, in memory only; None when not known (a retry)


class Rectifier(LocationWork):
    kind = RequestKind.RECTIFICATION
    prefix = "rectification"
    final = frozenset({LocationAction.RECTIFIED, LocationAction.NOT_FOUND})

    def __init__(self, parts: Parts, scanner: Scanner) -> None:
        super().__init__(parts)
        self.scanner = scanner

    # --- requests ---------------------------------------------------------------------------

    def handle_request(self, req: RectificationRequest) -> ErasureSummary:
        unknown = sorted({c.type for c in req.corrections} - TYPES)
        if unknown:
            raise ValueError(f"unknown identifier type(s) in corrections: {', '.join(unknown)}")
        fixes = [
            Fix(c.type, self.hasher(c.type, c.old), self.hasher(c.type, c.new), c.new)
            for c in req.corrections
        ]
        requested = self.hasher.subject(req.subject)
        detail = {"corrections": [{"type": f.type, "old": f.old, "new": f.new} for f in fixes]}
        self.admit(
            req,
            requested,
            "rectification.received",
            detail=detail,
            corrections=detail["corrections"],
        )
        target = self.index.expand_subject(requested)
        for key, (record_type, wanted) in self._plan(fixes, target, req.systems).items():
            self.rectify_location(req.request_id, key[0], record_type, key[1], wanted)
        self._release_old(fixes)
        return self.summarise(req.request_id)

    def _plan(
        self, fixes: list[Fix], target: set[str], systems: list[str] | None
    ) -> dict[tuple[str, str], tuple[str, list[Fix]]]:
        """(system, record_id) -> (record type, the fixes it needs)."""
        plan: dict[tuple[str, str], tuple[str, list[Fix]]] = {}
        for fix in fixes:
            for loc in self.plan({fix.old}, systems):
                # A name is no link: a wrong name is corrected only where another of the
                # subject's identifiers shows the record is theirs.
                if fix.type not in STRONG_TYPES and not (
                    self.index.record_hashes(loc.system, loc.record_id) & (target - {fix.old})
                ):
                    continue
                plan.setdefault(loc.key, (loc.record_type, []))[1].append(fix)
        return plan

    def _release_old(self, fixes: list[Fix]) -> None:
        gone = {f.old for f in fixes if not self.index.locations({f.old})}
        self.index.unlink_identifiers(gone)

    # --- one location -----------------------------------------------------------------------

    def rectify_location(
        self, request_id: str, system: str, record_type: str, record_id: str, fixes: list[Fix]
    ) -> ErasureOutcome:
        def effect(prior: OutcomeRow | None) -> Effect:
            action, verified, reason = self._apply(system, record_type, record_id, fixes)
            return Effect(LocationAction(action), verified, reason, {"verified": verified})

        return self.execute(request_id, system, record_type, record_id, effect)

    def _apply(
        self, system: str, record_type: str, record_id: str, fixes: list[Fix]
    ) -> tuple[str, bool, str]:
        sink = self.sinks[system]
        data = sink.read(record_id)
        if data is None:
            self.index.remove_record(system, record_id)
            return "not_found", True, "record no longer in the source system"
        identity = self.config.system(system).identity.get(record_type, [])
        found = self.scanner.scan(system, record_type, record_id, data, identity)
        by_old = {f.old: f for f in fixes}
        spans = [(f, by_old[f.hash]) for f in found if f.hash in by_old]
        if any(fix.value is None for _, fix in spans):
            raise LookupError("the new value is in no source system any more")
        changes = replace_spans(data, [(f, fix.value or "") for f, fix in spans])
        if changes:
            sink.update(record_id, changes)
        after = sink.read(record_id) or {}
        refound = self.scanner.scan(system, record_type, record_id, after, identity)
        hashes = {f.hash for f in refound}
        wanted = {fix.new for _, fix in spans}
        verified = not (hashes & set(by_old)) and wanted <= hashes
        self.index.replace_findings(system, record_type, record_id, refound, self.clock())
        if identity and (ids := self.scanner.identity_values(after, identity)):
            self.index.link_identity(ids)  # the new value now names the subject
        return "rectified", verified, f"{len(spans)} value(s) corrected"

    # --- after a hold ends ------------------------------------------------------------------

    def resume_location(self, req: RequestRow, row: OutcomeRow) -> ErasureOutcome:
        return self.rectify_location(
            row.request_id, row.system, row.record_type, row.record_id, self._fixes(req)
        )

    def resumed(self, requests: list[RequestRow]) -> None:
        for req in requests:
            self._release_old(self._fixes(req))

    def _fixes(self, req: RequestRow) -> list[Fix]:
        """The request's corrections, each new value read from a location that has it."""
        return [
            Fix(c["type"], c["old"], c["new"], self._recover(c["type"], c["new"]))
            for c in req.detail.get("corrections", [])
        ]

    def _recover(self, entity_type: str, new_hash: str) -> str | None:
        """The raw new value, read from a location that holds it already."""
        for loc in self.index.locations({new_hash}):
            data = self.sinks[loc.system].read(loc.record_id)
            for f in loc.findings:
                text = get_path(data or {}, f.field)
                if f.hash == new_hash and text is not None:
                    value = str(text)[f.start : f.end]
                    if self.hasher(entity_type, value) == new_hash:
                        return value
        return None


def replace_spans(data: dict[str, Any], spans: list[tuple[Finding, str]]) -> dict[str, Any]:
    """The changed top-level fields, each span replaced by its new value (right to left, so
    earlier offsets stay valid). A whole identity field keeps its column's type."""
    changed = copy.deepcopy(data)
    touched: set[str] = set()
    for f, value in sorted(spans, key=lambda s: (s[0].field, s[0].start), reverse=True):
        current = value_at(changed, f)  # by its raw path: the stored one may be masked
        if current is None or isinstance(current, bool):
            continue
        text = str(current)
        new: Any = text[: f.start] + value + text[f.end :]
        if isinstance(current, int) and identity_field_type(f.field) and new.isdigit():
            new = int(new)
        touched.add(set_value(changed, f, new))
    return {key: changed[key] for key in touched}
