"""Erasure: plan a request across all sinks, honour holds and retention, execute, verify.

Every location goes through :meth:`Eraser.erase_location`, whether it comes from a request,
a released hold, a retention sweep, an expired retention basis or the resurrection guard, so
they all check holds at execution time, verify by reading back, update the index and audit.
"""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Callable, Sequence
from datetime import datetime, timedelta
from typing import Any

from glemsel.pipeline.core.config import Config
from glemsel.pipeline.core.events import (
    TOPIC_OUTCOMES,
    ErasureOutcome,
    ErasureRequest,
    ErasureSummary,
    Event,
    utcnow,
)
from glemsel.pipeline.core.findings import Finding
from glemsel.pipeline.core.holds import covering_hold
from glemsel.pipeline.core.identifiers import Hasher
from glemsel.pipeline.core.ownership import name_part_spans, name_parts, owner_fields, owns
from glemsel.pipeline.core.redact import get_path, redact_fields, redact_spans
from glemsel.pipeline.flow.scan import Scanner, flatten
from glemsel.pipeline.flow.subject import known_names
from glemsel.pipeline.stores.audit import AuditLog
from glemsel.pipeline.stores.index import SubjectIndex
from glemsel.pipeline.stores.state import StateStore
from glemsel.pipeline.telemetry import metrics
from glemsel.sinks import Sink, open_sink

log = logging.getLogger("glemsel.erasure")

FINAL = {"deleted", "redacted", "retained", "not_found"}
# Identifiers strong enough to recognise the same person when erased data comes back;
# a name alone is not: another person may share it.
STRONG_TYPES = {"NO_FODSELSNUMMER", "EMAIL_ADDRESS", "PHONE_NUMBER"}

Emit = Callable[[str, str, Event], None]


class SinkPool:
    """Sinks opened on first use, one per configured system."""

    def __init__(self, config: Config) -> None:
        self._config = config
        self._open: dict[str, Sink] = {}

    def __getitem__(self, system: str) -> Sink:
        if system not in self._open:
            spec = self._config.system(system).sink
            self._open[system] = open_sink(system, spec, self._config.base_dir)
        return self._open[system]

    def close(self) -> None:
        for sink in self._open.values():
            sink.close()
        self._open.clear()


class Eraser:
    def __init__(
        self,
        config: Config,
        index: SubjectIndex,
        state: StateStore,
        audit: AuditLog,
        scanner: Scanner,
        hasher: Hasher,
        sinks: SinkPool,
        emit: Emit,
        clock: Callable[[], datetime] = utcnow,
    ) -> None:
        self.config = config
        self.index = index
        self.state = state
        self.audit = audit
        self.scanner = scanner
        self.hasher = hasher
        self.sinks = sinks
        self.emit = emit
        self.clock = clock
        self._noted_held: set[tuple[str, str]] = set()

    # --- requests ---------------------------------------------------------------------------

    def handle_request(self, req: ErasureRequest) -> ErasureSummary:
        requested = self.hasher.subject(req.subject)
        if self.state.add_request(req, requested):
            self.audit.append(
                "request.received",
                request_id=req.request_id,
                deadline=req.deadline,
                systems=req.systems,
                requested_by=req.requested_by,
                subject=sorted(requested),
            )
        else:
            log.info("request %s delivered again; resuming", req.request_id)
        target = self.index.expand_subject(requested)
        locations = [
            loc
            for loc in self.index.locations(target)
            if req.systems is None or loc.system in req.systems
        ]
        # Remembered before the effects, so a replay racing this request is caught too.
        strong = {
            f.hash
            for loc in locations
            for f in loc.findings
            if f.entity_type in STRONG_TYPES and f.hash in target
        }
        ids_only = req.subject.model_copy(update={"names": []})
        self.state.add_erased_identifiers(
            strong | self.hasher.subject(ids_only), req.request_id, req.systems
        )
        # Read before anything is erased: the CRM contact holding the name may go first.
        names = known_names(self.config, self.sinks, locations, target, req.subject.names)
        for loc in locations:
            self.erase_location(
                req.request_id,
                loc.system,
                loc.record_type,
                loc.record_id,
                target,
                loc.last_seen,
                names=names,
                findings=loc.findings,
            )
        # Locations a crashed run started but the index no longer lists are finished too.
        for row in self.state.unfinished("started"):
            if row["request_id"] == req.request_id:
                self.erase_location(
                    req.request_id,
                    row["system"],
                    row["record_type"],
                    row["record_id"],
                    target,
                    None,
                    names=names,
                )
        return self.summarise(req.request_id)

    def summarise(self, request_id: str) -> ErasureSummary:
        outcomes = self.state.outcomes(request_id)
        counts = dict(Counter(o.action for o in outcomes))
        if counts.get("failed"):
            status = "failed"
        elif counts.get("held"):
            status = "partially_held"
        else:
            status = "completed"
        req = self.state.request(request_id)
        summary = ErasureSummary(
            request_id=request_id,
            status=status,
            counts=counts,
            deadline=req["deadline"] if req else None,
            ts=self.clock(),
        )
        previous = req["status"] if req else None
        self.state.save_summary(summary)
        if previous != status or not req or req["counts"] != counts:
            self.audit.append(
                "request.summary", request_id=request_id, status=status, counts=counts
            )
        self.emit(TOPIC_OUTCOMES, request_id, summary)
        return summary

    # --- one location -----------------------------------------------------------------------

    def erase_location(
        self,
        request_id: str,
        system: str,
        record_type: str,
        record_id: str,
        target: set[str],
        last_seen: datetime | None,
        names: Sequence[str] = (),
        findings: list[Finding] | None = None,
    ) -> ErasureOutcome:
        prior = self.state.outcome(request_id, system, record_id)
        if prior and prior["action"] in FINAL:
            return self._outcome_from(prior)  # done before: a re-delivery changes nothing
        started_before = prior is not None and prior["action"] == "started"
        if not prior:
            self.audit.append(
                "erasure.planned",
                request_id=request_id,
                system=system,
                record_id=record_id,
                policy=self._policy(system).action,
            )
            self.state.mark_started(request_id, system, record_type, record_id)

        if hold := self.held_by(self.state.active_holds(), system, record_id):
            outcome = self._outcome(
                request_id, system, record_id, "held", f"legal hold {hold.hold_id}: {hold.reason}"
            )
            if not prior or prior["action"] != "held":
                self.audit.append(
                    "erasure.held",
                    request_id=request_id,
                    system=system,
                    record_id=record_id,
                    hold_id=hold.hold_id,
                )
            return self._record(outcome)

        policy = self._policy_for(system, record_type, record_id, target, findings)
        if policy.action == "retain":
            assert policy.retain is not None
            until = (last_seen or self.clock()) + policy.retain.period()
            self.state.schedule(system, record_id, request_id, until, policy.retain.basis)
            outcome = self._outcome(
                request_id, system, record_id, "retained", policy.retain.basis, retained_until=until
            )
            self.audit.append(
                "erasure.retained",
                request_id=request_id,
                system=system,
                record_id=record_id,
                basis=policy.retain.basis,
                until=until,
            )
            return self._record(outcome)

        try:
            action, verified, reason = self.apply(
                system, record_type, record_id, target, policy.action, started_before, names
            )
        except Exception as exc:  # a sink failure must not lose the rest of the request
            reason = f"{type(exc).__name__} in {system} sink"
            log.warning("erasure of %s/%s failed: %s", system, record_id, reason)
            self.audit.append(
                "erasure.failed",
                request_id=request_id,
                system=system,
                record_id=record_id,
                error=reason,
            )
            return self._record(self._outcome(request_id, system, record_id, "failed", reason))
        outcome = self._outcome(request_id, system, record_id, action, reason, verified=verified)
        self.audit.append(
            f"erasure.{action}",
            request_id=request_id,
            system=system,
            record_id=record_id,
            verified=verified,
            policy=policy.action,
        )
        return self._record(outcome)

    def apply(
        self,
        system: str,
        record_type: str,
        record_id: str,
        target: set[str] | None,
        action: str,
        started_before: bool = False,
        names: Sequence[str] = (),
    ) -> tuple[str, bool, str]:
        """Execute ``action`` on the sink and read back. ``target=None`` redacts everything
        found. Returns (outcome action, verified, reason)."""
        sink = self.sinks[system]
        data = sink.read(record_id)
        if data is None:
            self.index.remove_record(system, record_id)
            if started_before:  # we deleted it ourselves before a crash
                return "deleted", True, "already erased by an interrupted run"
            return "not_found", True, "record no longer in the source system"

        if action == "delete_record":
            sink.delete(record_id)
            verified = sink.read(record_id) is None
            self.index.remove_record(system, record_id)
            self.state.add_tombstone(system, record_id, None)
            return "deleted", verified, "record deleted"

        identity = self.config.system(system).identity.get(record_type, [])
        found = self.scanner.scan(system, record_type, record_id, data, identity)
        hits = [f for f in found if target is None or f.hash in target]
        if target is not None and names:  # the lone first name or surname goes too
            hits += _name_part_hits(found, hits, data, names)
        if action == "redact_spans":
            changes = redact_spans(data, hits)
        else:
            fields = set(self.config.system(system).redact_fields or {f.field for f in hits})
            changes = redact_fields(data, fields)
        if changes:
            sink.update(record_id, changes)
        after = sink.read(record_id) or {}
        refound = self.scanner.scan(system, record_type, record_id, after, identity)
        left = [f for f in refound if target is None or f.hash in target]
        self.index.replace_findings(system, record_type, record_id, refound, self.clock())
        reason = f"{len(hits)} finding(s) anonymised" if hits else "nothing left to anonymise"
        return "redacted", not left, reason

    # --- work that needs no request -------------------------------------------------------

    def retry_held(self) -> list[ErasureSummary]:
        """Second attempt for held locations, after a hold was released or expired."""
        touched: set[str] = set()
        holds = self.state.active_holds()
        for row in self.state.unfinished("held"):
            req = self.state.request(row["request_id"])
            if req is None or req.get("kind", "erasure") != "erasure":
                continue  # access and rectification retry their own (flow/rectify.py)
            if covering_hold(
                holds,
                row["system"],
                row["record_id"],
                lambda r=row: self.index.record_hashes(r["system"], r["record_id"]),
                self.index.expand_subject,
            ):
                continue  # still held: nothing to do, nothing to audit again
            target = self.index.expand_subject(req["subject_hashes"])
            names = known_names(self.config, self.sinks, self.index.locations(target), target)
            self.erase_location(
                row["request_id"],
                row["system"],
                row["record_type"],
                row["record_id"],
                target,
                None,
                names=names,
            )
            touched.add(row["request_id"])
        return [self.summarise(r) for r in sorted(touched)]

    def sweep(self, now: datetime | None = None) -> dict[str, int]:
        """Time-driven work: expired holds, retention periods, retention bases that ended."""
        now = now or self.clock()
        done = Counter[str]()
        for hold in self.state.active_holds():
            if (
                hold.until
                and hold.until <= now
                and self.state.end_hold(hold.hold_id, "expired", now)
            ):
                self.audit.append("hold.expired", hold_id=hold.hold_id)
                done["holds_expired"] += 1
        done["requests_resumed"] = len(self.retry_held())
        holds = self.state.active_holds()

        for name, system in self.config.systems.items():
            if system.retention_days is None:
                continue
            cutoff = now - timedelta(days=system.retention_days)
            for record_id in self.sinks[name].record_ids_older_than(cutoff):
                if hold := self.held_by(holds, name, record_id):
                    if (name, record_id) not in self._noted_held:
                        self._noted_held.add((name, record_id))
                        self.audit.append(
                            "retention.held", system=name, record_id=record_id, hold_id=hold.hold_id
                        )
                    done["retention_held"] += 1
                    continue
                action, verified, _ = self.apply(name, "", record_id, None, "delete_record")
                self.audit.append(
                    "retention.deleted",
                    system=name,
                    record_id=record_id,
                    verified=verified,
                    retention_days=system.retention_days,
                )
                done["retention_deleted"] += 1

        for row in self.state.due(now):
            if self.held_by(holds, row["system"], row["record_id"]):
                continue
            policy = self._policy(row["system"])
            action = "delete_record" if policy.action == "retain" else policy.action
            _, verified, _ = self.apply(row["system"], "", row["record_id"], None, action)
            self.state.schedule_done(row["system"], row["record_id"], row["request_id"])
            self.audit.append(
                "retention.basis_ended",
                request_id=row["request_id"],
                system=row["system"],
                record_id=row["record_id"],
                basis=row["basis"],
                verified=verified,
            )
            done["basis_ended"] += 1
        return dict(done)

    def held_by(self, holds: list, system: str, record_id: str):
        return covering_hold(
            holds,
            system,
            record_id,
            lambda: self.index.record_hashes(system, record_id),
            self.index.expand_subject,
        )

    # --- helpers ----------------------------------------------------------------------------

    def _policy(self, system: str):
        return self.config.system(system).on_erasure

    def _policy_for(
        self,
        system: str,
        record_type: str,
        record_id: str,
        target: set[str],
        findings: list[Finding] | None,
    ):
        """on_erasure for the subject's own records, on_mention where they are only named."""
        cfg = self.config.system(system)
        if owner_fields(cfg, record_type) is None:
            return cfg.on_erasure  # every field is an owner field: nothing to decide
        if findings is None:
            data = self.sinks[system].read(record_id)
            identity = cfg.identity.get(record_type, [])
            findings = self.scanner.scan(system, record_type, record_id, data, identity)
        return cfg.on_erasure if owns(cfg, record_type, findings, target) else cfg.on_mention

    def _outcome(
        self,
        request_id: str,
        system: str,
        record_id: str,
        action: str,
        reason: str,
        verified: bool = False,
        retained_until: datetime | None = None,
    ) -> ErasureOutcome:
        return ErasureOutcome(
            request_id=request_id,
            system=system,
            record_id=record_id,
            action=action,
            reason=reason,
            verified=verified,
            ts=self.clock(),
            retained_until=retained_until,
        )

    def _record(self, outcome: ErasureOutcome) -> ErasureOutcome:
        self.state.save_outcome(outcome)
        metrics.OUTCOMES.labels(outcome.system, outcome.action).inc()
        self.emit(TOPIC_OUTCOMES, outcome.request_id, outcome)
        return outcome

    @staticmethod
    def _outcome_from(row: dict[str, Any]) -> ErasureOutcome:
        return ErasureOutcome(
            request_id=row["request_id"],
            system=row["system"],
            record_id=row["record_id"],
            action=row["action"],
            reason=row["reason"],
            verified=row["verified"],
            ts=datetime.fromisoformat(row["ts"]),
        )


def _name_part_hits(
    found: list[Finding], hits: list[Finding], data: dict[str, Any], names: Sequence[str]
) -> list[Finding]:
    """Parts of the subject's names (a first name alone, a surname alone) in a record that
    is linked to the subject, as spans to redact with the rest of the hits."""
    parts = name_parts(names)
    extra: list[Finding] = []
    for field in sorted({path for path, _ in flatten(data)}):
        text = get_path(data, field)
        if not isinstance(text, str):
            continue
        taken = [(f.start, f.end) for f in hits if f.field == field]
        people = [(f.start, f.end) for f in found if f.field == field and f.entity_type == "PERSON"]
        for start, end in name_part_spans(text, parts, people):
            if any(s < end and start < e for s, e in taken):
                continue
            extra.append(Finding("", "", "", field, start, end, "PERSON", 1.0, "", ""))
            taken.append((start, end))
    return extra
