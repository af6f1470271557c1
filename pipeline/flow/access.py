"""Access requests (innsyn, GDPR art. 15; portability, art. 20): find every location.

Handling an access request records where the subject's data lives and whether each
location can be read now (`exported` | `not_found` | `failed`). The answer itself, the
export, is read from the sinks when it is asked for (flow/export.py) and never stored.
"""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Callable
from datetime import datetime

from glemsel.pipeline.core.config import Config
from glemsel.pipeline.core.events import (
    TOPIC_OUTCOMES,
    AccessRequest,
    ErasureOutcome,
    ErasureSummary,
    utcnow,
)
from glemsel.pipeline.core.ownership import owns
from glemsel.pipeline.core.statuses import RequestKind
from glemsel.pipeline.flow.erasure import Emit, RequestRefused, SinkPool
from glemsel.pipeline.stores.audit import AuditLog
from glemsel.pipeline.stores.index import SubjectIndex
from glemsel.pipeline.stores.state import StateStore
from glemsel.pipeline.telemetry import metrics

log = logging.getLogger("glemsel.access")


class AccessHandler:
    def __init__(
        self,
        config: Config,
        index: SubjectIndex,
        state: StateStore,
        audit: AuditLog,
        hasher,
        sinks: SinkPool,
        emit: Emit,
        clock: Callable[[], datetime] = utcnow,
    ) -> None:
        self.config = config
        self.index = index
        self.state = state
        self.audit = audit
        self.hasher = hasher
        self.sinks = sinks
        self.emit = emit
        self.clock = clock

    def handle_request(self, req: AccessRequest) -> ErasureSummary:
        requested = self.hasher.subject(req.subject)
        # One request id, one requester and subject, whatever the kind (as for erasure).
        if problem := self.state.request_ids.claim(req.request_id, req.requested_by, requested):
            self.audit.append(
                "request.refused",
                request_id=req.request_id,
                requested_by=req.requested_by,
                reason=problem,
            )
            raise RequestRefused(f"{problem}; not executed")
        if self.state.requests.add(req, requested, kind=RequestKind.ACCESS):
            self.audit.append(
                "access.received",
                request_id=req.request_id,
                deadline=req.deadline,
                systems=req.systems,
                requested_by=req.requested_by,
                subject=sorted(requested),
            )
        target = self.index.expand_subject(requested)
        for loc in self.index.locations(target):
            if req.systems is not None and loc.system not in req.systems:
                continue
            prior = self.state.outcomes.get(req.request_id, loc.system, loc.record_id)
            if prior and prior.action in {"exported", "not_found"}:
                continue  # a re-delivery: located before
            self.state.outcomes.start(req.request_id, loc.system, loc.record_type, loc.record_id)
            cfg = self.config.system(loc.system)
            role = "owner" if owns(cfg, loc.record_type, loc.findings, target) else "mentioned"
            try:
                present = self.sinks[loc.system].read(loc.record_id) is not None
            except Exception as exc:  # one unreachable system must not lose the others
                action, reason = "failed", f"{type(exc).__name__} in {loc.system} sink"
            else:
                action = "exported" if present else "not_found"
                reason = role if present else "record no longer in the source system"
            outcome = ErasureOutcome(
                request_id=req.request_id,
                system=loc.system,
                record_id=loc.record_id,
                action=action,
                reason=reason,
                verified=action == "exported",
                ts=self.clock(),
            )
            self.state.outcomes.save(outcome)
            metrics.OUTCOMES.labels(loc.system, action).inc()
            self.emit(TOPIC_OUTCOMES, req.request_id, outcome)
            self.audit.append(
                f"access.{action}",
                request_id=req.request_id,
                system=loc.system,
                record_id=loc.record_id,
                role=role,
            )
        return self.summarise(req.request_id)

    def summarise(self, request_id: str) -> ErasureSummary:
        counts = dict(Counter(str(o.action) for o in self.state.outcomes.of_request(request_id)))
        req = self.state.requests.get(request_id)
        summary = ErasureSummary(
            request_id=request_id,
            status="failed" if counts.get("failed") else "completed",
            counts=counts,
            deadline=req.deadline if req else None,
            ts=self.clock(),
        )
        if not req or req.status != summary.status or req.counts != counts:
            self.audit.append(
                "request.summary", request_id=request_id, status=summary.status, counts=counts
            )
        self.state.requests.save_summary(summary)
        self.emit(TOPIC_OUTCOMES, request_id, summary)
        log.info("access request %s: %s %s", request_id, summary.status, counts)
        return summary
