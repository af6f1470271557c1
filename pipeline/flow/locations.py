"""What every request kind does with its locations, written once.

A request (erasure, access, rectification) is admitted (its id claimed for its requester and
subject, recorded, audited), planned (the index's locations of the subject, limited to the
systems it names), and each location goes through :meth:`LocationWork.execute`: a final
outcome from before is kept (a re-delivery changes nothing), ``started`` is written before
the sink is touched, holds are checked at execution time, the kind's effect runs, a failure
is recorded and retried with back-off (the attempts and the next retry's time are stored
with the outcome, so a restarted worker keeps the schedule). Locations left ``held`` or
``failed`` are resumed by :meth:`LocationWork.resume` of the kind that owns the request; the
request's summary is one rule for every kind. A kind keeps only its effect and what it needs
to resume a location.
"""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from functools import partial
from typing import Any, ClassVar

from glemsel.pipeline.core.config import Config
from glemsel.pipeline.core.events import (
    TOPIC_OUTCOMES,
    AccessRequest,
    ErasureOutcome,
    ErasureRequest,
    ErasureSummary,
    Event,
    RectificationRequest,
    utcnow,
)
from glemsel.pipeline.core.findings import Location
from glemsel.pipeline.core.holds import Hold, covering_hold
from glemsel.pipeline.core.identifiers import Hasher
from glemsel.pipeline.core.statuses import LocationAction, RequestKind, RequestStatus
from glemsel.pipeline.stores.audit import AuditLog
from glemsel.pipeline.stores.index import SubjectIndex
from glemsel.pipeline.stores.rows import OutcomeRow, RequestRow
from glemsel.pipeline.stores.state import StateStore
from glemsel.pipeline.telemetry import metrics
from glemsel.sinks import Sink, open_sink

log = logging.getLogger("glemsel.locations")

RETRY_FIRST, RETRY_MAX = timedelta(seconds=30), timedelta(hours=1)

Emit = Callable[[str, str, Event], None]
AnyRequest = ErasureRequest | AccessRequest | RectificationRequest


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


@dataclass(frozen=True)
class Effect:
    """What a kind's effect did to one location."""

    action: LocationAction
    verified: bool
    reason: str
    audit: dict[str, Any] = field(default_factory=dict)  # more fields of its audit entry
    retained_until: datetime | None = None


@dataclass(frozen=True)
class Parts:
    """What every kind of location work (erasure, access, rectification) works with; made
    once by the processor, so the kinds' constructors name them once."""

    config: Config
    index: SubjectIndex
    state: StateStore
    audit: AuditLog
    hasher: Hasher
    sinks: SinkPool
    emit: Emit
    clock: Callable[[], datetime] = utcnow


class LocationWork:
    """The part of a request's handling that every kind shares (see the module's text)."""

    kind: ClassVar[RequestKind]
    prefix: ClassVar[str]  # of the audit entries: "erasure" -> erasure.planned, ...
    final: ClassVar[frozenset[LocationAction]]  # outcomes a re-delivery keeps
    must_verify: ClassVar[frozenset[LocationAction]] = frozenset()  # unverified: failed
    honours_holds: ClassVar[bool] = True
    audits_plan: ClassVar[bool] = True

    def __init__(self, parts: Parts) -> None:
        self.config = parts.config
        self.index = parts.index
        self.state = parts.state
        self.audit = parts.audit
        self.hasher = parts.hasher
        self.sinks = parts.sinks
        self.emit = parts.emit
        self.clock = parts.clock

    # --- a request --------------------------------------------------------------------------

    def admit(
        self,
        req: AnyRequest,
        requested: set[str],
        received: str,
        detail: dict[str, Any] | None = None,
        **audit_fields: Any,
    ) -> bool:
        """Claim the request id, record the request and audit ``received`` (once). False if
        the request was known already (a re-delivery); raises RequestRefused if its id is
        another requester's or was used for another subject."""
        # Checked here too: requests published straight to the bus skip the interfaces.
        if problem := self.state.request_ids.claim(req.request_id, req.requested_by, requested):
            self.audit.append(
                "request.refused",
                request_id=req.request_id,
                requested_by=req.requested_by,
                reason=problem,
            )
            raise RequestRefused(f"{problem}; not executed")
        if not self.state.requests.add(req, requested, kind=self.kind, detail=detail):
            return False
        self.audit.append(
            received,
            request_id=req.request_id,
            deadline=req.deadline,
            systems=req.systems,
            requested_by=req.requested_by,
            subject=sorted(requested),
            **audit_fields,
        )
        return True

    def plan(self, target: set[str], systems: list[str] | None) -> list[Location]:
        """The subject's locations, within the systems the request is limited to."""
        return [
            loc for loc in self.index.locations(target) if systems is None or loc.system in systems
        ]

    def started(self, request_id: str) -> list[OutcomeRow]:
        """Locations of the request a crashed run started: finished too, even where the
        index no longer lists them."""
        return [
            row
            for row in self.state.outcomes.with_action(LocationAction.STARTED)
            if row.request_id == request_id
        ]

    def summarise(self, request_id: str) -> ErasureSummary:
        """The request's status from its outcomes: failed while a location failed (it is
        retried), partially held while one is held, else completed. Saved, audited when it
        changed, and published."""
        counts = dict(Counter(str(o.action) for o in self.state.outcomes.of_request(request_id)))
        if counts.get(LocationAction.FAILED):
            status = RequestStatus.FAILED
        elif counts.get(LocationAction.HELD):
            status = RequestStatus.PARTIALLY_HELD
        else:
            status = RequestStatus.COMPLETED
        req = self.state.requests.get(request_id)
        summary = ErasureSummary(
            request_id=request_id,
            status=status,
            counts=counts,
            deadline=req.deadline if req else None,
            ts=self.clock(),
        )
        self.state.requests.save_summary(summary)
        if not req or req.status != status or req.counts != counts:
            self.audit.append(
                "request.summary", request_id=request_id, status=status, counts=counts
            )
        self.emit(TOPIC_OUTCOMES, request_id, summary)
        log.info("%s request %s: %s %s", self.kind, request_id, status, counts)
        return summary

    # --- one location -----------------------------------------------------------------------

    def execute(
        self,
        request_id: str,
        system: str,
        record_type: str,
        record_id: str,
        effect: Callable[[OutcomeRow | None], Effect],
        **plan_fields: Any,
    ) -> ErasureOutcome:
        """One location of one request, whatever its kind (see the module's text)."""
        prior = self.state.outcomes.get(request_id, system, record_id)
        if prior and prior.action in self.final:
            return prior.event()  # done before: a re-delivery changes nothing
        where = dict(request_id=request_id, system=system, record_id=record_id)
        if not prior:
            if self.audits_plan:
                self.audit.append(f"{self.prefix}.planned", **where, **plan_fields)
            self.state.outcomes.start(request_id, system, record_type, record_id)

        if self.honours_holds and (
            hold := self.held_by(self.state.holds.active(), system, record_id)
        ):
            if not prior or prior.action != LocationAction.HELD:
                self.audit.append(f"{self.prefix}.held", **where, hold_id=hold.hold_id)
            reason = f"legal hold {hold.hold_id}: {hold.reason}"
            return self.record(
                self.outcome(request_id, system, record_id, LocationAction.HELD, reason),
                attempts=prior.attempts if prior else 0,  # the effect did not run
            )

        try:
            done = effect(prior)
        except Exception as exc:  # a sink failure must not lose the rest of the request
            reason = f"{type(exc).__name__} in {system} sink"
            log.warning("%s of %s/%s failed: %s", self.prefix, system, record_id, reason)
            done = Effect(LocationAction.FAILED, False, reason, {"error": reason})
        if done.action in self.must_verify and not done.verified:
            # Read back, the subject's data is still there: not done, whatever the sink said.
            done = Effect(
                LocationAction.FAILED,
                False,
                f"{done.action}, but the read-back still finds the subject; retried",
                {"error": f"{done.action} not verified"},
            )
        attempts = (prior.attempts if prior else 0) + 1
        retry_at = self.retry_at(attempts) if done.action == LocationAction.FAILED else None
        kind = f"{self.prefix}.{done.action}"
        if not (
            prior is not None
            and prior.action == LocationAction.STARTED
            and done.action != LocationAction.FAILED
            and self.audit.recorded(kind, request_id, system, record_id)
        ):  # else a run killed between its audit entry and its outcome audited it already
            self.audit.append(kind, **where, **done.audit)
        outcome = self.outcome(
            request_id,
            system,
            record_id,
            done.action,
            done.reason,
            verified=done.verified,
            retained_until=done.retained_until,
        )
        return self.record(outcome, attempts, retry_at)

    def held_by(self, holds: list[Hold], system: str, record_id: str) -> Hold | None:
        return covering_hold(
            holds,
            system,
            record_id,
            partial(self.index.record_hashes, system, record_id),
            self.index.expand_subject,
        )

    def outcome(
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

    def record(
        self, outcome: ErasureOutcome, attempts: int = 0, retry_at: datetime | None = None
    ) -> ErasureOutcome:
        self.state.outcomes.save(outcome, attempts, retry_at)
        metrics.OUTCOMES.labels(outcome.system, outcome.action).inc()
        self.emit(TOPIC_OUTCOMES, outcome.request_id, outcome)
        return outcome

    # --- second attempts --------------------------------------------------------------------

    def retry_at(self, attempts: int) -> datetime:
        """When a location whose effect failed ``attempts`` times is tried again: 30 s after
        the first failure, doubling, at most an hour. Stored with the outcome, so a restarted
        worker keeps the back-off."""
        # The exponent stops at 7 (64 min > the cap): a store-kept count grows for as long
        # as a system stays down, and 30 s * 2**42 no longer fits a timedelta.
        return self.clock() + min(RETRY_FIRST * 2 ** min(max(attempts - 1, 0), 7), RETRY_MAX)

    def resume(self, action: LocationAction, now: datetime | None = None) -> list[ErasureSummary]:
        """Second attempts at this kind's locations left in ``action``: held ones whose
        hold ended, failed ones whose back-off (30 s doubling to an hour) has passed."""
        now = now or self.clock()
        touched: dict[str, RequestRow] = {}
        holds = self.state.holds.active() if action == LocationAction.HELD else []
        for row in self.state.outcomes.with_action(action):
            when = row.next_attempt_at  # None: failed before retries were stored; now
            if action == LocationAction.FAILED and when is not None and when > now:
                continue  # within its back-off
            req = touched.get(row.request_id) or self.state.requests.get(row.request_id)
            if req is None or req.kind != self.kind:
                continue  # each kind resumes its own
            if action == LocationAction.HELD and self.held_by(holds, row.system, row.record_id):
                continue  # still held: nothing to do, nothing to audit again
            self.resume_location(req, row)
            touched[row.request_id] = req
        self.resumed(list(touched.values()))
        return [self.summarise(r) for r in sorted(touched)]

    def retry_held(self) -> list[ErasureSummary]:
        """Second attempt for held locations, after a hold was released or expired."""
        return self.resume(LocationAction.HELD)

    def retry_failed(self, now: datetime | None = None) -> list[ErasureSummary]:
        """Failed locations (a sink error, an effect the read-back did not confirm) again,
        each after its back-off (stored with the outcome: a restart keeps it)."""
        return self.resume(LocationAction.FAILED, now)

    def resume_location(self, req: RequestRow, row: OutcomeRow) -> ErasureOutcome:
        """The kind's second attempt at one location of ``req``."""
        raise NotImplementedError

    def resumed(self, requests: list[RequestRow]) -> None:
        """After second attempts at locations of ``requests`` (a kind may tidy up)."""
