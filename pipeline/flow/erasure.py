"""Erasure: plan a request across all sinks, honour holds and retention, execute, verify.

Every location goes through :meth:`Eraser.erase_location`, whether it comes from a request,
a released hold, a retention sweep, an expired retention basis or the resurrection guard, so
they all check holds at execution time, verify by reading back, update the index and audit.
"""

from __future__ import annotations

import hashlib
import json
import logging
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from datetime import UTC, date, datetime, timedelta
from email.utils import parsedate_to_datetime
from functools import partial
from typing import Any

from glemsel.pipeline.core.config import Config, SystemConfig
from glemsel.pipeline.core.events import (
    TOPIC_OUTCOMES,
    ErasureOutcome,
    ErasureRequest,
    ErasureSummary,
    Event,
    utcnow,
)
from glemsel.pipeline.core.findings import Finding, Location
from glemsel.pipeline.core.holds import covering_hold
from glemsel.pipeline.core.identifiers import Hasher, RawValues
from glemsel.pipeline.core.ownership import name_part_spans, name_parts, owner_fields, owns
from glemsel.pipeline.core.redact import (
    Anonymiser,
    get_path,
    redact_fields,
    redact_spans,
    span_text,
)
from glemsel.pipeline.core.statuses import LocationAction
from glemsel.pipeline.flow.scan import Scanner, flatten
from glemsel.pipeline.flow.subject import known_names
from glemsel.pipeline.stores.audit import AuditLog
from glemsel.pipeline.stores.index import SubjectIndex
from glemsel.pipeline.stores.state import StateStore
from glemsel.pipeline.telemetry import metrics
from glemsel.sinks import Sink, open_sink

log = logging.getLogger("glemsel.erasure")

FINAL = {"deleted", "redacted", "retained", "not_found"}
RETRY_FIRST, RETRY_MAX = timedelta(seconds=30), timedelta(hours=1)
# Identifiers strong enough to recognise the same person when erased data comes back;
# a name alone is not: another person may share it.
STRONG_TYPES = {"NO_FODSELSNUMMER", "EMAIL_ADDRESS", "PHONE_NUMBER"}

Emit = Callable[[str, str, Event], None]


class RequestRefused(ValueError):
    """A request that must not run (its id belongs to another requester or subject)."""


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
        self._noted_kept: set[tuple[str, str]] = set()
        # The raw identifiers of the request being handled and of what its locations held:
        # in memory only, to remove Glemsel's own raw copies once the request was handled.
        self._raw: RawValues | None = None
        self.forget: Callable[[RawValues], int] | None = None
        # (request, system, record) -> (failed attempts, when to try again)
        self._retries: dict[tuple[str, str, str], tuple[int, datetime]] = {}
        self._noted_anonymise_held: set[tuple[str, str]] = set()
        # (system, record id) -> digest of the record as the last anonymisation left it: an
        # unchanged record is not scanned again on every sweep.
        self._anonymised: dict[tuple[str, str], str] = {}
        self._anonymisers: dict[str, Anonymiser] = {}

    # --- requests ---------------------------------------------------------------------------

    def handle_request(self, req: ErasureRequest) -> ErasureSummary:
        self._raw = RawValues()
        self._raw.add_subject(req.subject)
        try:
            summary = self._handle_request(req)
            raw = self._raw
        finally:
            self._raw = None
        if self.forget is not None and summary.status in {"completed", "partially_held"}:
            # The request's state holds hashes only; the raw request, the subject's change
            # events and dead letters in Glemsel's own log are no longer needed.
            gone = self.forget(raw)
            self.audit.append("request.forgotten", request_id=req.request_id, messages=gone)
        return summary

    def _handle_request(self, req: ErasureRequest) -> ErasureSummary:
        requested = self.hasher.subject(req.subject)
        # Checked here too: requests published straight to the bus skip the interfaces.
        if problem := self.state.request_ids.claim(req.request_id, req.requested_by, requested):
            self.audit.append(
                "request.refused",
                request_id=req.request_id,
                requested_by=req.requested_by,
                reason=problem,
            )
            raise RequestRefused(f"{problem}; not executed")
        if self.state.requests.add(req, requested):
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
        if not (req.subject.fnr or req.subject.emails or req.subject.phones):
            candidates = self.index.name_candidates(requested)
            if len(candidates) > 1:  # namesakes: a name alone must not pick one, or all
                return self._ambiguous(req.request_id, len(candidates))
        # Erased identifiers are recorded before the index is read, and the index is read
        # after a refresh: a worker indexing the same person meanwhile either is seen here
        # or, by its resurrection guard (which looks after its index write), sees these.
        ids_only = req.subject.model_copy(update={"names": []})
        recorded = self.hasher.subject(ids_only)
        self.state.erased.add(recorded, req.request_id, req.systems)
        self.index.refresh()
        target = self.index.expand_subject(requested)
        # Names the subject shares with namesakes find nothing, but inside a record found
        # through a strong identifier they are the subject's and are erased with it.
        erase = self.index.expand_subject(requested, shared_names=True)
        locations = self._locations(target, req.systems)
        # Strong identifiers learnt through the index (an identity record's phone, say) are
        # remembered too, then looked for once more, for what was indexed in between.
        strong = {
            f.hash
            for loc in locations
            for f in loc.findings
            if f.entity_type in STRONG_TYPES and f.hash in target
        }
        if strong - recorded:
            self.state.erased.add(strong - recorded, req.request_id, req.systems)
            self.index.refresh()
            known = {loc.key for loc in locations}
            locations += [
                loc for loc in self._locations(target, req.systems) if loc.key not in known
            ]
        if self._raw is not None:
            self._raw.locations.update((loc.system, loc.record_id) for loc in locations)
        # Read before anything is erased: the CRM contact holding the name may go first.
        names = known_names(self.config, self.sinks, locations, target, req.subject.names)
        for loc in locations:
            self.erase_location(
                req.request_id,
                loc.system,
                loc.record_type,
                loc.record_id,
                erase,
                loc.last_seen,
                names=names,
                findings=loc.findings,
            )
        # Locations a crashed run started but the index no longer lists are finished too.
        for row in self.state.outcomes.with_action(LocationAction.STARTED):
            if row.request_id == req.request_id:
                if self._raw is not None:
                    self._raw.locations.add((row.system, row.record_id))
                self.erase_location(
                    req.request_id,
                    row.system,
                    row.record_type,
                    row.record_id,
                    erase,
                    None,
                    names=names,
                )
        return self.summarise(req.request_id)

    def _ambiguous(self, request_id: str, candidates: int) -> ErasureSummary:
        """Refuse to guess: the requester names the person by a strong identifier instead."""
        req = self.state.requests.get(request_id)
        summary = ErasureSummary(
            request_id=request_id,
            status="ambiguous",
            counts={},
            deadline=req.deadline if req else None,
            reason=f"ambiguous: {candidates} candidate subjects share this name; "
            "name the person by fødselsnummer, e-mail or phone",
            ts=self.clock(),
        )
        if not req or req.status != "ambiguous":
            self.state.requests.save_summary(summary)
            self.audit.append("request.ambiguous", request_id=request_id, candidates=candidates)
        self.emit(TOPIC_OUTCOMES, request_id, summary)
        return summary

    def _locations(self, target: set[str], systems: list[str] | None) -> list[Location]:
        return [
            loc for loc in self.index.locations(target) if systems is None or loc.system in systems
        ]

    def summarise(self, request_id: str) -> ErasureSummary:
        outcomes = self.state.outcomes.of_request(request_id)
        counts = dict(Counter(str(o.action) for o in outcomes))
        if counts.get("failed"):
            status = "failed"
        elif counts.get("held"):
            status = "partially_held"
        else:
            status = "completed"
        req = self.state.requests.get(request_id)
        summary = ErasureSummary(
            request_id=request_id,
            status=status,
            counts=counts,
            deadline=req.deadline if req else None,
            ts=self.clock(),
        )
        previous = req.status if req else None
        self.state.requests.save_summary(summary)
        if previous != status or not req or req.counts != counts:
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
        prior = self.state.outcomes.get(request_id, system, record_id)
        if prior and prior.action in FINAL:
            return prior.event()  # done before: a re-delivery changes nothing
        with self.state.record_locks.hold(system, record_id):
            return self._erase_location(
                request_id, system, record_type, record_id, target, last_seen, names, findings
            )

    def _erase_location(
        self,
        request_id: str,
        system: str,
        record_type: str,
        record_id: str,
        target: set[str],
        last_seen: datetime | None,
        names: Sequence[str],
        findings: list[Finding] | None,
    ) -> ErasureOutcome:
        # Asked again under the record's lock: another worker may have just finished it.
        prior = self.state.outcomes.get(request_id, system, record_id)
        if prior and prior.action in FINAL:
            return prior.event()
        started_before = prior is not None and prior.action == "started"
        if not prior:
            self.audit.append(
                "erasure.planned",
                request_id=request_id,
                system=system,
                record_id=record_id,
                policy=self._policy(system).action,
            )
            self.state.outcomes.start(request_id, system, record_type, record_id)

        if hold := self.held_by(self.state.holds.active(), system, record_id):
            outcome = self._outcome(
                request_id, system, record_id, "held", f"legal hold {hold.hold_id}: {hold.reason}"
            )
            if not prior or prior.action != "held":
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
            dated = self._record_date(system, record_id) or last_seen or self.clock()
            until = policy.retain.ends(dated)
            self.state.schedules.add(system, record_id, request_id, until, policy.retain.basis)
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
            self._failed_at(request_id, system, record_id)
            self.audit.append(
                "erasure.failed",
                request_id=request_id,
                system=system,
                record_id=record_id,
                error=reason,
            )
            return self._record(self._outcome(request_id, system, record_id, "failed", reason))
        if action in {"deleted", "redacted"} and not verified:
            # Read back, the subject's data is still there: not done, whatever the sink said.
            reason = f"{action}, but the read-back still finds the subject; retried"
            self._failed_at(request_id, system, record_id)
            self.audit.append(
                "erasure.failed",
                request_id=request_id,
                system=system,
                record_id=record_id,
                error=f"{action} not verified",
            )
            return self._record(self._outcome(request_id, system, record_id, "failed", reason))
        self._retries.pop((request_id, system, record_id), None)
        outcome = self._outcome(request_id, system, record_id, action, reason, verified=verified)
        if started_before and self.audit.recorded(
            f"erasure.{action}", request_id, system, record_id
        ):
            # A run killed between its audit entry and its outcome: audited once already.
            return self._record(outcome)
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
            if self._raw is not None:  # what it held, to find our own copies of it
                identity = self.config.system(system).identity.get(record_type, [])
                found = self.scanner.scan(system, record_type, record_id, data, identity)
                self._remember(data, [f for f in found if target is None or f.hash in target])
            sink.delete(record_id)
            verified = sink.read(record_id) is None
            if verified:  # otherwise it stays findable until a retry succeeds
                self.index.remove_record(system, record_id)
                self.state.tombstones.add(system, record_id, None)
            return "deleted", verified, "record deleted"

        identity = self.config.system(system).identity.get(record_type, [])
        found = self.scanner.scan(system, record_type, record_id, data, identity)
        hits = [f for f in found if target is None or f.hash in target]
        if target is not None and names:  # the lone first name or surname goes too
            hits += _name_part_hits(found, hits, data, names)
        self._remember(data, hits)
        anonymiser = self.anonymiser(system)
        if action == "redact_spans":
            changes = redact_spans(data, hits, anonymiser)
        else:
            fields = set(self.config.system(system).redact_fields or {f.field for f in hits})
            changes = redact_fields(data, fields, hits)
        if changes:
            sink.update(record_id, changes)
        after = sink.read(record_id) or {}
        refound = self.scanner.scan(system, record_type, record_id, after, identity)
        left = [
            f
            for f in refound
            if (target is None or f.hash in target)
            and not anonymiser.done(f.entity_type, span_text(after, f) or "")
        ]
        self.index.replace_findings(system, record_type, record_id, refound, self.clock())
        reason = f"{len(hits)} finding(s) anonymised" if hits else "nothing left to anonymise"
        return "redacted", not left, reason

    # --- work that needs no request -------------------------------------------------------

    def _remember(self, data: dict[str, Any], hits: list[Finding]) -> None:
        if self._raw is None:
            return
        for f in hits:
            if (value := span_text(data, f)) is not None:  # in a key, too
                self._raw.add(f.entity_type, value)

    def _failed_at(self, request_id: str, system: str, record_id: str) -> None:
        attempts, _ = self._retries.get((request_id, system, record_id), (0, self.clock()))
        wait = min(RETRY_FIRST * 2**attempts, RETRY_MAX)
        self._retries[(request_id, system, record_id)] = (attempts + 1, self.clock() + wait)

    def retry_failed(self, now: datetime | None = None) -> list[ErasureSummary]:
        """Failed locations (a sink error, an effect the read-back did not confirm) again,
        each after its back-off (30 s doubling to an hour; a restart retries at once)."""
        now = now or self.clock()
        touched: set[str] = set()
        for row in self.state.outcomes.with_action(LocationAction.FAILED):
            key = (row.request_id, row.system, row.record_id)
            if key in self._retries and self._retries[key][1] > now:
                continue
            req = self.state.requests.get(row.request_id)
            # Only erasure locations: a failed access or rectification location must never
            # come back here as an erasure of data the person only asked to see or correct.
            if req is None or req.kind != "erasure":
                continue
            target = self.index.expand_subject(req.subject_hashes, shared_names=True)
            self.erase_location(
                row.request_id, row.system, row.record_type, row.record_id, target, None
            )
            touched.add(row.request_id)
        return [self.summarise(r) for r in sorted(touched)]

    def retry_held(self) -> list[ErasureSummary]:
        """Second attempt for held locations, after a hold was released or expired."""
        touched: set[str] = set()
        holds = self.state.holds.active()
        for row in self.state.outcomes.with_action(LocationAction.HELD):
            req = self.state.requests.get(row.request_id)
            if req is None or req.kind != "erasure":
                continue  # access and rectification retry their own (flow/rectify.py)
            if covering_hold(
                holds,
                row.system,
                row.record_id,
                partial(self.index.record_hashes, row.system, row.record_id),
                self.index.expand_subject,
            ):
                continue  # still held: nothing to do, nothing to audit again
            target = self.index.expand_subject(req.subject_hashes, shared_names=True)
            names = known_names(self.config, self.sinks, self.index.locations(target), target)
            self.erase_location(
                row.request_id,
                row.system,
                row.record_type,
                row.record_id,
                target,
                None,
                names=names,
            )
            touched.add(row.request_id)
        return [self.summarise(r) for r in sorted(touched)]

    def sweep(self, now: datetime | None = None) -> dict[str, int]:
        """Time-driven work: expired holds, retention periods, retention bases that ended."""
        now = now or self.clock()
        done = Counter[str]()
        for hold in self.state.holds.active():
            if (
                hold.until
                and hold.until <= now
                and self.state.holds.end(hold.hold_id, "expired", now)
            ):
                self.audit.append("hold.expired", hold_id=hold.hold_id)
                done["holds_expired"] += 1
        done["requests_resumed"] = len(self.retry_held())
        done["failed_retried"] = len(self.retry_failed(now))
        holds = self.state.holds.active()

        for name, system in self.config.systems.items():
            if system.retention is not None:
                self._retention_sweep(name, system, now, holds, done)
            if system.anonymise is not None:
                self._anonymise_sweep(name, system, now, holds, done)

        for row in self.state.schedules.due(now):
            if self.held_by(holds, row.system, row.record_id):
                continue
            policy = self._policy(row.system)
            action = "delete_record" if policy.action == "retain" else policy.action
            _, verified, _ = self.apply(row.system, "", row.record_id, None, action)
            self.state.schedules.done(row.system, row.record_id, row.request_id)
            self.audit.append(
                "retention.basis_ended",
                request_id=row.request_id,
                system=row.system,
                record_id=row.record_id,
                basis=row.basis,
                verified=verified,
            )
            done["basis_ended"] += 1
        return dict(done)

    def _retention_sweep(
        self, name: str, system: SystemConfig, now: datetime, holds: list, done: Counter[str]
    ) -> None:
        """Records whose ``after_field`` is set and ``days`` old are deleted, unless their
        ``unless_field`` is true (consent) or a hold covers them; each decision is audited
        once (a held record again once it is erased, after the hold ended)."""
        rule = system.retention
        assert rule is not None and rule.after_field is not None
        cutoff = now - timedelta(days=rule.days)
        expired = self._expired(name, system, rule.after_field, cutoff, bool(rule.unless_field))
        for record_id, data in expired:
            if rule.unless_field and _truthy(get_path(data, rule.unless_field)):
                if (name, record_id) not in self._noted_kept:
                    self._noted_kept.add((name, record_id))
                    self.audit.append(
                        "retention.kept",
                        system=name,
                        record_id=record_id,
                        unless_field=rule.unless_field,
                    )
                done["retention_kept"] += 1
                continue
            if hold := self.held_by(holds, name, record_id):
                if (name, record_id) not in self._noted_held:
                    self._noted_held.add((name, record_id))
                    self.audit.append(
                        "retention.held", system=name, record_id=record_id, hold_id=hold.hold_id
                    )
                done["retention_held"] += 1
                continue
            _, verified, _ = self.apply(name, "", record_id, None, "delete_record")
            self._noted_held.discard((name, record_id))
            self._noted_kept.discard((name, record_id))
            self.audit.append(
                "retention.deleted",
                system=name,
                record_id=record_id,
                verified=verified,
                after_field=rule.after_field,
                days=rule.days,
            )
            done["retention_deleted"] += 1

    def _expired(
        self, name: str, system: SystemConfig, field: str, cutoff: datetime, with_data: bool
    ) -> Iterator[tuple[str, dict[str, Any]]]:
        """(record id, record) of every record whose ``field`` is a time at or before
        ``cutoff``. The sink's own timestamp field is asked of the sink (which knows how
        its system writes dates), and the record read only ``with_data``; any other field
        is read from the records."""
        sink = self.sinks[name]
        if field == system.sink.timestamp_field:
            for record_id in sink.record_ids_older_than(cutoff):
                data = sink.read(record_id) if with_data else {}
                if data is not None:
                    yield record_id, data
            return
        for record_id, data in sink.iter_records():
            when = _when(get_path(data, field))
            if when is not None and when <= cutoff:
                yield record_id, data

    def _anonymise_sweep(
        self, name: str, system: SystemConfig, now: datetime, holds: list, done: Counter[str]
    ) -> None:
        """Records older than ``after_days`` get the configured types anonymised in place by
        the system's strategies, read back to verify, re-indexed and audited. A value that
        is already anonymised (a truncated IP) is left alone, so sweeps converge."""
        rule = system.anonymise
        assert rule is not None
        types = set(rule.types)
        anonymiser = self.anonymiser(name)
        sink = self.sinks[name]
        for record_id in sink.record_ids_older_than(now - timedelta(days=rule.after_days)):
            data = sink.read(record_id)
            if data is None:
                continue
            digest = _digest(data)
            if self._anonymised.get((name, record_id)) == digest:
                continue  # unchanged since the last sweep left it anonymised
            record_type = self._record_type(name, record_id)
            identity = system.identity.get(record_type, [])
            found = self.scanner.scan(name, record_type, record_id, data, identity)
            hits = [
                f
                for f in found
                if f.entity_type in types
                and not anonymiser.done(f.entity_type, span_text(data, f) or "")
            ]
            if not hits:
                self._anonymised[(name, record_id)] = digest
                continue
            if hold := self.held_by(holds, name, record_id):
                if (name, record_id) not in self._noted_anonymise_held:
                    self._noted_anonymise_held.add((name, record_id))
                    self.audit.append(
                        "anonymise.held", system=name, record_id=record_id, hold_id=hold.hold_id
                    )
                done["anonymise_held"] += 1
                continue
            try:
                sink.update(record_id, redact_spans(data, hits, anonymiser))
                after = sink.read(record_id) or {}
            except Exception as exc:  # one sink failure must not stop the sweep
                reason = f"{type(exc).__name__} in {name} sink"
                log.warning("anonymisation of %s/%s failed: %s", name, record_id, reason)
                self.audit.append(
                    "anonymise.failed", system=name, record_id=record_id, error=reason
                )
                done["anonymise_failed"] += 1
                continue
            refound = self.scanner.scan(name, record_type, record_id, after, identity)
            left = [
                f
                for f in refound
                if f.entity_type in types
                and not anonymiser.done(f.entity_type, span_text(after, f) or "")
            ]
            self.index.replace_findings(name, record_type, record_id, refound, self.clock())
            self._noted_anonymise_held.discard((name, record_id))
            if not left:
                self._anonymised[(name, record_id)] = _digest(after)
            self.audit.append(
                "anonymise.redacted",
                system=name,
                record_id=record_id,
                verified=not left,
                types=sorted({f.entity_type for f in hits}),
                findings=len(hits),
                after_days=rule.after_days,
            )
            metrics.OUTCOMES.labels(name, "anonymised").inc()
            done["anonymised"] += 1

    def anonymiser(self, system: str) -> Anonymiser:
        """The system's masking strategies (``redact:``), keyed pseudonyms by our HMAC key."""
        if system not in self._anonymisers:
            self._anonymisers[system] = Anonymiser(
                self.config.system(system).redact, self.hasher.pseudonym
            )
        return self._anonymisers[system]

    def _record_type(self, system: str, record_id: str) -> str:
        """The record type the index knows the record by ('' if it holds nothing)."""
        hashes = self.index.record_hashes(system, record_id)
        for loc in self.index.locations(hashes) if hashes else []:
            if loc.system == system and loc.record_id == record_id:
                return loc.record_type
        types = list(self.config.system(system).identity)
        return types[0] if len(types) == 1 else ""

    def _record_date(self, system: str, record_id: str) -> datetime | None:
        """The record's own date (the sink's timestamp field), where it has one."""
        field = self.config.system(system).sink.timestamp_field
        if not field:
            return None
        try:
            data = self.sinks[system].read(record_id)
        except Exception:  # the date is a better start than last_seen, not a requirement
            log.warning("could not read the date of %s/%s", system, record_id)
            return None
        return _when(get_path(data or {}, field))

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
        self.state.outcomes.save(outcome)
        metrics.OUTCOMES.labels(outcome.system, outcome.action).inc()
        self.emit(TOPIC_OUTCOMES, outcome.request_id, outcome)
        return outcome


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
        taken = [(f.start, f.end) for f in hits if f.source == field]
        here = [f for f in found if f.source == field]  # raw paths: stored ones may be masked
        people = [(f.start, f.end) for f in here if f.entity_type == "PERSON"]
        for start, end in name_part_spans(text, parts, people):
            if any(s < end and start < e for s, e in taken):
                continue
            extra.append(Finding("", "", "", field, start, end, "PERSON", 1.0, "", ""))
            taken.append((start, end))
    return extra


_FALSE = {"", "0", "false", "f", "no", "n", "nei", "off", "null", "none"}


def _truthy(value: Any) -> bool:
    """A consent flag as systems store it: booleans, 0/1, 'ja'/'nei', a timestamp."""
    if isinstance(value, str):
        return value.strip().casefold() not in _FALSE
    return bool(value)


def _when(value: Any) -> datetime | None:
    """A field's value as an aware datetime: ISO 8601 text, a date, or an RFC 2822 date."""
    if isinstance(value, datetime):
        when = value
    elif isinstance(value, date):
        when = datetime.combine(value, datetime.min.time())
    elif isinstance(value, str) and value.strip():
        try:
            when = datetime.fromisoformat(value.strip())
        except ValueError:
            try:
                when = parsedate_to_datetime(value)
            except (TypeError, ValueError):
                return None
    else:
        return None
    return when if when.tzinfo else when.replace(tzinfo=UTC)


def _digest(data: dict[str, Any]) -> str:
    blob = json.dumps(data, sort_keys=True, default=str, ensure_ascii=False).encode()
    return hashlib.sha256(blob).hexdigest()
