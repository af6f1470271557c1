"""Erasure: plan a request across all sinks, honour holds and retention, execute, verify.

Every location goes through :meth:`Eraser.erase_location`, whether it comes from a request,
a released hold, a retention sweep, an expired retention basis or the resurrection guard, so
they all check holds at execution time, verify by reading back, update the index and audit.
"""

from __future__ import annotations

import logging
import time
from collections import Counter
from collections.abc import Callable, Sequence
from datetime import UTC, date, datetime, timedelta
from email.utils import parsedate_to_datetime
from typing import Any

from glemsel.pipeline.core.config import SystemConfig
from glemsel.pipeline.core.events import (
    TOPIC_OUTCOMES,
    ErasureOutcome,
    ErasureRequest,
    ErasureSummary,
)
from glemsel.pipeline.core.findings import Finding
from glemsel.pipeline.core.identifiers import RawValues
from glemsel.pipeline.core.ownership import name_part_spans, name_parts, owner_fields, owns
from glemsel.pipeline.core.redact import (
    Anonymiser,
    get_path,
    redact_fields,
    redact_spans,
    span_text,
)
from glemsel.pipeline.core.statuses import LocationAction, RequestKind, RequestStatus
from glemsel.pipeline.flow.locations import Effect, LocationWork, Parts
from glemsel.pipeline.flow.scan import Scanner, flatten
from glemsel.pipeline.flow.subject import known_names
from glemsel.pipeline.stores.rows import OutcomeRow, RequestRow
from glemsel.pipeline.stores.sweeps import SweepRow
from glemsel.pipeline.telemetry import metrics

log = logging.getLogger("glemsel.erasure")

# Identifiers strong enough to recognise the same person when erased data comes back;
# a name alone is not: another person may share it.
STRONG_TYPES = {"NO_FODSELSNUMMER", "EMAIL_ADDRESS", "PHONE_NUMBER"}
NOTHING_LEFT = "nothing left to anonymise"  # a redaction that had nothing to do
# The sweeps' rules, as their watermarks and record rows are named (stores/sweeps.py).
RETENTION = "retention"
ANONYMISE = "anonymise"
# A change of a record this close to a rule's cutoff is marked for the sweep too: another
# worker's clock, or a sweep under way, may have reached a little further than ours.
CHANGE_SLACK = timedelta(hours=1)
WATERMARKS_TTL = 60.0  # seconds the change hook trusts the watermarks it read


class Eraser(LocationWork):
    kind = RequestKind.ERASURE
    prefix = "erasure"
    final = frozenset(
        {
            LocationAction.DELETED,
            LocationAction.REDACTED,
            LocationAction.RETAINED,
            LocationAction.NOT_FOUND,
        }
    )
    must_verify = frozenset({LocationAction.DELETED, LocationAction.REDACTED})

    def __init__(self, parts: Parts, scanner: Scanner) -> None:
        super().__init__(parts)
        self.scanner = scanner
        # The raw identifiers of the request being handled and of what its locations held:
        # in memory only, to remove Glemsel's own raw copies once the request was handled.
        self._raw: RawValues | None = None
        self.forget: Callable[[RawValues], int] | None = None
        self._anonymisers: dict[str, Anonymiser] = {}
        # The sweeps' watermarks as last read (or advanced here), for the change hook; read
        # again after WATERMARKS_TTL (another worker's sweep may have moved them).
        self._cutoffs: dict[tuple[str, str], datetime] = {}
        self._cutoffs_read = float("-inf")

    # --- requests ---------------------------------------------------------------------------

    def handle_request(self, req: ErasureRequest) -> ErasureSummary:
        self._raw = RawValues()
        self._raw.add_subject(req.subject)
        try:
            summary = self._handle_request(req)
            raw = self._raw
        finally:
            self._raw = None
        if self.forget is not None and summary.status in {
            RequestStatus.COMPLETED,
            RequestStatus.PARTIALLY_HELD,
        }:
            # The request's state holds hashes only; the raw request, the subject's change
            # events and dead letters in Glemsel's own log are no longer needed.
            gone = self.forget(raw)
            self.audit.append("request.forgotten", request_id=req.request_id, messages=gone)
        return summary

    def _handle_request(self, req: ErasureRequest) -> ErasureSummary:
        requested = self.hasher.subject(req.subject)
        if not self.admit(req, requested, "request.received"):
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
        locations = self.plan(target, req.systems)
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
            locations += [loc for loc in self.plan(target, req.systems) if loc.key not in known]
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
        for row in self.started(req.request_id):
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
            status=RequestStatus.AMBIGUOUS,
            counts={},
            deadline=req.deadline if req else None,
            reason=f"ambiguous: {candidates} candidate subjects share this name; "
            "name the person by fødselsnummer, e-mail or phone",
            ts=self.clock(),
        )
        if not req or req.status != RequestStatus.AMBIGUOUS:
            self.state.requests.save_summary(summary)
            self.audit.append("request.ambiguous", request_id=request_id, candidates=candidates)
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
        def effect(prior: OutcomeRow | None) -> Effect:
            policy = self._policy_for(system, record_type, record_id, target, findings)
            if policy.action == "retain":
                assert policy.retain is not None
                dated = self._record_date(system, record_id) or last_seen or self.clock()
                until = policy.retain.ends(dated)
                basis = policy.retain.basis
                self.state.schedules.add(system, record_id, request_id, until, basis)
                return Effect(
                    LocationAction.RETAINED,
                    False,
                    basis,
                    {"basis": basis, "until": until},
                    retained_until=until,
                )
            started_before = prior is not None and prior.action == LocationAction.STARTED
            action, verified, reason = self.apply(
                system, record_type, record_id, target, policy.action, started_before, names
            )
            audit = {"verified": verified, "policy": policy.action}
            return Effect(LocationAction(action), verified, reason, audit)

        prior = self.state.outcomes.get(request_id, system, record_id)
        if prior and prior.action in self.final:
            return prior.event()  # done before: a re-delivery changes nothing
        # One worker at a time changes a record; execute asks for the prior outcome again
        # under the lock (another worker may have just finished it).
        with self.state.record_locks.hold(system, record_id):
            policy = self._policy(system).action
            return self.execute(request_id, system, record_type, record_id, effect, policy=policy)

    def resume_location(self, req: RequestRow, row: OutcomeRow) -> ErasureOutcome:
        target = self.index.expand_subject(req.subject_hashes, shared_names=True)
        names: Sequence[str] = ()
        if row.action == LocationAction.HELD:  # a failed one is retried as it was planned
            names = known_names(self.config, self.sinks, self.index.locations(target), target)
        return self.erase_location(
            row.request_id, row.system, row.record_type, row.record_id, target, None, names=names
        )

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
            # Not ``action``: the policy planned again may differ now that the record is gone.
            if started_before:  # we deleted it ourselves before a crash
                self.state.tombstones.add(system, record_id, None)  # which it may have missed
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
        reason = f"{len(hits)} finding(s) anonymised" if hits else NOTHING_LEFT
        return "redacted", not left, reason

    # --- work that needs no request -------------------------------------------------------

    def _remember(self, data: dict[str, Any], hits: list[Finding]) -> None:
        if self._raw is None:
            return
        for f in hits:
            if (value := span_text(data, f)) is not None:  # in a key, too
                self._raw.add(f.entity_type, value)

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

    # --- time-driven rules: what a sweep looks at -------------------------------------------
    #
    # A sweep's work follows what changed since the last one, not the data (issue 10): per
    # rule, the sink lists only the records that became old since the watermark the last
    # completed sweep reached, and the sweep adds the few records the state marked (a change
    # event of an old record, a hold that ended, a retry); stores/sweeps.py keeps both, and
    # which decisions were audited (each once, across restarts too).

    def changed(
        self,
        system: str,
        record_ids: Sequence[str],
        data: dict[str, Any] | None,
        found: Sequence[Finding] | None = None,
    ) -> None:
        """A change event of ``record_ids`` (a record, or its copies in a mailbox) whose
        data the scan found ``found`` in (None: not known): those already past a rule's
        cutoff are marked, durably, for the next sweep, whose window has passed them (a new
        IP address written into an old ticket, a consent withdrawn).

        Marked rather than handled here: the sweep decides holds, consent and the audit of
        every record in one place (one worker of a group sweeps), and a change costs at most
        one write here, none for a record not yet old (the common case: a later window
        brings it), nor, for anonymisation, for one whose change holds nothing left to
        anonymise (a backfill of old records, the change event of our own anonymisation)."""
        cfg = self.config.system(system)
        if (cfg.retention is None and cfg.anonymise is None) or not record_ids:
            return
        data = data or {}
        now = self.clock()
        if (anonymise := cfg.anonymise) is not None and (
            found is None
            or _to_anonymise(self.anonymiser(system), set(anonymise.types), data, found)
        ):
            self._mark_if_old(
                system, ANONYMISE, record_ids, _age(cfg, data), anonymise.after_days, now
            )
        if (rule := cfg.retention) is None or rule.after_field is None:
            return
        if rule.after_field == cfg.sink.timestamp_field:
            self._mark_if_old(system, RETENTION, record_ids, _age(cfg, data), rule.days, now)
        elif (when := _when(get_path(data, rule.after_field))) is not None:
            # No sink window finds a record by another field: a change that sets it is the
            # record's schedule (one write per such change; the sweep reads it when due).
            due = when + timedelta(days=rule.days)
            self.state.sweeps.mark(system, RETENTION, dict.fromkeys(record_ids, due))

    def _mark_if_old(
        self,
        system: str,
        rule: str,
        record_ids: Sequence[str],
        when: datetime | None,
        days: int,
        now: datetime,
    ) -> None:
        if when is not None:
            # Old by this worker's clock (with slack for another's, and for a sweep under
            # way) or by the watermark a sweep reached (one run with a later ``now``).
            threshold = now - timedelta(days=days) + CHANGE_SLACK
            if (reached := self._cutoff(system, rule)) is not None:
                threshold = max(threshold, reached)
            if when >= threshold:
                return
            due = when + timedelta(days=days)
        else:
            due = now  # the event does not say its age: the sweep reads the record
        self.state.sweeps.mark(system, rule, dict.fromkeys(record_ids, due))

    def _cutoff(self, system: str, rule: str) -> datetime | None:
        if time.monotonic() - self._cutoffs_read > WATERMARKS_TTL:
            self._cutoffs = self.state.sweeps.cutoffs()
            self._cutoffs_read = time.monotonic()
        return self._cutoffs.get((system, rule))

    def _advance(self, system: str, rule: str, fingerprint: str, cutoff: datetime) -> None:
        self.state.sweeps.advance(system, rule, fingerprint, cutoff)
        known = self._cutoffs.get((system, rule))
        self._cutoffs[(system, rule)] = cutoff if known is None else max(known, cutoff)

    def _looked_at(
        self,
        name: str,
        rule: str,
        fingerprint: str,
        now: datetime,
        cutoff: datetime,
        holds: list,
        by_sink: bool = True,
    ) -> tuple[datetime | None, list[str], dict[str, SweepRow]]:
        """(watermark, ids of the records the sink's window brings (``by_sink``: the rule
        dates by the sink's timestamp field), the rows marked for now and those there are
        of the window's records)."""
        sweeps = self.state.sweeps
        since = sweeps.start(name, rule, fingerprint)
        marked = {r.record_id: r for r in sweeps.due(name, rule, now, {h.hold_id for h in holds})}
        window: list[str] = []
        if by_sink and (since is None or since < cutoff):
            window = self.sinks[name].record_ids_between(since, cutoff)
        rows = marked | sweeps.rows_of(name, rule, set(window) - marked.keys())
        return since, window, rows

    def _settle(self, name: str, rule: str, before: SweepRow | None, after: SweepRow) -> None:
        """Store what was decided about a record, if that changed anything."""
        if after != before and not (before is None and after.empty):
            self.state.sweeps.settle(name, rule, after, before)

    def _retention_sweep(
        self, name: str, system: SystemConfig, now: datetime, holds: list, done: Counter[str]
    ) -> None:
        """Records whose ``after_field`` is set and ``days`` old are deleted, unless their
        ``unless_field`` is true (consent) or a hold covers them; each decision is audited
        once (a held record again once it is erased, after the hold ended).

        Looked at: by the sink's timestamp field, what its window brings; by another field
        (no window can find it), every record at the first sweep, then what is marked."""
        rule = system.retention
        assert rule is not None and rule.after_field is not None
        field = rule.after_field
        cutoff = now - timedelta(days=rule.days)
        by_sink = field == system.sink.timestamp_field
        # By another field a record's due time is stored with its row: other days, other rows.
        fingerprint = f"after={field};unless={rule.unless_field or ''}"
        fingerprint += "" if by_sink else f";days={rule.days}"
        since, window, rows = self._looked_at(
            name, RETENTION, fingerprint, now, cutoff, holds, by_sink
        )
        sink = self.sinks[name]
        todo: list[tuple[str, dict[str, Any] | None]] = [(rid, None) for rid in window]
        if not by_sink and since is None:
            later: dict[str, datetime] = {}
            for record_id, fields in sink.iter_records():
                when = _when(get_path(fields, field))
                if when is not None and when <= cutoff:
                    todo.append((record_id, fields))
                elif when is not None:  # set, not old yet: its row says when it is
                    later[record_id] = when + timedelta(days=rule.days)
            self.state.sweeps.mark(name, RETENTION, later)
            rows |= self.state.sweeps.rows_of(name, RETENTION, {rid for rid, _ in todo})
        brought = {rid for rid, _ in todo}
        todo += [(rid, None) for rid in rows if rid not in brought]
        for record_id, data in todo:
            row = rows.get(record_id)
            kept, held = bool(row and row.kept_noted), bool(row and row.held_noted)
            if record_id not in brought:  # marked: is it still (or yet) old?
                data = sink.read(record_id)
                if data is None:
                    self._settle(name, RETENTION, row, SweepRow(record_id))
                    continue
                if by_sink:
                    when = _age(system, data)
                    old = when is not None and when < cutoff  # as the sinks compare
                else:
                    when = _when(get_path(data, field))
                    old = when is not None and when <= cutoff
                if not old:
                    due = when + timedelta(days=rule.days) if when and not by_sink else None
                    self._settle(name, RETENTION, row, SweepRow(record_id, due, None, kept, held))
                    continue
            if rule.unless_field and data is None:
                data = sink.read(record_id)
                if data is None:
                    self._settle(name, RETENTION, row, SweepRow(record_id))
                    continue
            if rule.unless_field and _truthy(get_path(data, rule.unless_field)):
                if not kept:
                    self.audit.append(
                        "retention.kept",
                        system=name,
                        record_id=record_id,
                        unless_field=rule.unless_field,
                    )
                self._settle(name, RETENTION, row, SweepRow(record_id, None, None, True, held))
                done["retention_kept"] += 1
                continue
            if hold := self.held_by(holds, name, record_id):
                if not held:
                    self.audit.append(
                        "retention.held", system=name, record_id=record_id, hold_id=hold.hold_id
                    )
                after = SweepRow(record_id, None, hold.hold_id, kept, True)
                self._settle(name, RETENTION, row, after)
                done["retention_held"] += 1
                continue
            _, verified, _ = self.apply(name, "", record_id, None, "delete_record")
            # Not verified: the next sweep tries again (and audits again), as it always did.
            self._settle(name, RETENTION, row, SweepRow(record_id, None if verified else now))
            self.audit.append(
                "retention.deleted",
                system=name,
                record_id=record_id,
                verified=verified,
                after_field=rule.after_field,
                days=rule.days,
            )
            done["retention_deleted"] += 1
        self._advance(name, RETENTION, fingerprint, cutoff)

    def _anonymise_sweep(
        self, name: str, system: SystemConfig, now: datetime, holds: list, done: Counter[str]
    ) -> None:
        """Records older than ``after_days`` get the configured types anonymised in place by
        the system's strategies, read back to verify, re-indexed and audited. A value that
        is already anonymised (a truncated IP) is left alone, so sweeps converge. Looked at:
        what the sink's window brings and what is marked (a change of an old record, a hold
        that ended, a retry)."""
        rule = system.anonymise
        assert rule is not None
        types = set(rule.types)
        cutoff = now - timedelta(days=rule.after_days)
        fingerprint = "types=" + ",".join(sorted(types))
        _, window, rows = self._looked_at(name, ANONYMISE, fingerprint, now, cutoff, holds)
        anonymiser = self.anonymiser(name)
        sink = self.sinks[name]
        brought = set(window)
        for record_id in window + [rid for rid in rows if rid not in brought]:
            row = rows.get(record_id)
            held = bool(row and row.held_noted)
            data = sink.read(record_id)
            if data is None:
                self._settle(name, ANONYMISE, row, SweepRow(record_id))
                continue
            if record_id not in brought:  # marked: not old yet, a later window brings it
                when = _age(system, data)
                if when is None or when >= cutoff:
                    self._settle(name, ANONYMISE, row, SweepRow(record_id, held_noted=held))
                    continue
            record_type = self._record_type(name, record_id)
            identity = system.identity.get(record_type, [])
            found = self.scanner.scan(name, record_type, record_id, data, identity)
            hits = _to_anonymise(anonymiser, types, data, found)
            if not hits:  # what was audited stays noted, as until it is anonymised
                self._settle(name, ANONYMISE, row, SweepRow(record_id, held_noted=held))
                continue
            if hold := self.held_by(holds, name, record_id):
                if not held:
                    self.audit.append(
                        "anonymise.held", system=name, record_id=record_id, hold_id=hold.hold_id
                    )
                after = SweepRow(record_id, hold_id=hold.hold_id, held_noted=True)
                self._settle(name, ANONYMISE, row, after)
                done["anonymise_held"] += 1
                continue
            try:
                sink.update(record_id, redact_spans(data, hits, anonymiser))
                after_data = sink.read(record_id) or {}
            except Exception as exc:  # one sink failure must not stop the sweep
                reason = f"{type(exc).__name__} in {name} sink"
                log.warning("anonymisation of %s/%s failed: %s", name, record_id, reason)
                self.audit.append(
                    "anonymise.failed", system=name, record_id=record_id, error=reason
                )
                # Tried again by the next sweep, as it always was.
                self._settle(name, ANONYMISE, row, SweepRow(record_id, now, held_noted=held))
                done["anonymise_failed"] += 1
                continue
            refound = self.scanner.scan(name, record_type, record_id, after_data, identity)
            left = _to_anonymise(anonymiser, types, after_data, refound)
            self.index.replace_findings(name, record_type, record_id, refound, self.clock())
            # Not verified: the next sweep looks again.
            self._settle(name, ANONYMISE, row, SweepRow(record_id, now if left else None))
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
        self._advance(name, ANONYMISE, fingerprint, cutoff)

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


def _to_anonymise(
    anonymiser: Anonymiser, types: set[str], data: dict[str, Any], found: Sequence[Finding]
) -> list[Finding]:
    """The findings of ``types`` whose value is not anonymised yet (a truncated IP is)."""
    return [
        f
        for f in found
        if f.entity_type in types and not anonymiser.done(f.entity_type, span_text(data, f) or "")
    ]


def _age(system: SystemConfig, data: dict[str, Any]) -> datetime | None:
    """The record's time by the sink's timestamp field, as the sink reads it: a mail's by
    its Date header (the ``date`` field of a parsed message)."""
    field = system.sink.timestamp_field
    if not field:
        return None
    if system.sink.kind == "maildir":  # the Maildir sink dates by the Date header
        return _when(data.get("date"))
    value = get_path(data, field)
    if value is None and system.sink.kind == "imap":  # a header is a field by its lower name
        value = data.get(field.lower())
    return _when(value)


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
