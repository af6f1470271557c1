"""Access requests (innsyn, GDPR art. 15; portability, art. 20): find every location.

Handling an access request records where the subject's data lives and whether each
location can be read now (`exported` | `not_found` | `failed`). The answer itself, the
export, is read from the sinks when it is asked for (flow/export.py) and never stored.
Admission, planning, the per-location bookkeeping and retries are flow/locations.py's;
access reads without changing anything, so holds do not stop it.
"""

from __future__ import annotations

from glemsel.pipeline.core.events import AccessRequest, ErasureOutcome, ErasureSummary
from glemsel.pipeline.core.findings import Finding
from glemsel.pipeline.core.ownership import owns
from glemsel.pipeline.core.statuses import LocationAction, RequestKind
from glemsel.pipeline.flow.locations import Effect, LocationWork
from glemsel.pipeline.stores.rows import OutcomeRow, RequestRow


class AccessHandler(LocationWork):
    kind = RequestKind.ACCESS
    prefix = "access"
    final = frozenset({LocationAction.EXPORTED, LocationAction.NOT_FOUND})
    honours_holds = False  # reading is no change a hold forbids
    audits_plan = False

    def handle_request(self, req: AccessRequest) -> ErasureSummary:
        requested = self.hasher.subject(req.subject)
        self.admit(req, requested, "access.received")
        target = self.index.expand_subject(requested)
        for loc in self.plan(target, req.systems):
            self.locate(
                req.request_id, loc.system, loc.record_type, loc.record_id, target, loc.findings
            )
        return self.summarise(req.request_id)

    def locate(
        self,
        request_id: str,
        system: str,
        record_type: str,
        record_id: str,
        target: set[str],
        findings: list[Finding],
    ) -> ErasureOutcome:
        cfg = self.config.system(system)
        role = "owner" if owns(cfg, record_type, findings, target) else "mentioned"

        def effect(prior: OutcomeRow | None) -> Effect:
            try:
                present = self.sinks[system].read(record_id) is not None
            except Exception as exc:  # one unreachable system must not lose the others
                reason = f"{type(exc).__name__} in {system} sink"
                return Effect(LocationAction.FAILED, False, reason, {"role": role})
            if present:
                return Effect(LocationAction.EXPORTED, True, role, {"role": role})
            reason = "record no longer in the source system"
            return Effect(LocationAction.NOT_FOUND, False, reason, {"role": role})

        return self.execute(request_id, system, record_type, record_id, effect)

    def resume_location(self, req: RequestRow, row: OutcomeRow) -> ErasureOutcome:
        target = self.index.expand_subject(req.subject_hashes)
        findings = next(
            (loc.findings for loc in self.index.locations(target) if loc.key == row.key), []
        )
        return self.locate(
            row.request_id, row.system, row.record_type, row.record_id, target, findings
        )
