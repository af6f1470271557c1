"""The flow of every event, top to bottom. Deployments (embedded, Kafka/Faust) only wire it.

    changes          ingest -> identity links -> detect -> index -> resurrection guard
    erasure requests plan -> per location: hold? retain? execute -> verify -> outcome -> audit
    access requests  locate -> per location: readable? -> outcome (the export is made on ask)
    rectifications   plan -> per location: hold? replace -> verify -> re-index -> outcome
    legal holds      place / release (a release retries what the hold kept)
    clock            hold expiry, retention periods, retention bases that ended

Each handler takes the raw bytes from the bus. Whatever cannot be handled goes to the
dead-letter store with its reason and original bytes; the caller commits the offsets only
after the handler returned, i.e. after their effects (or the dead letters) are durable.
"""

from __future__ import annotations

import base64
import hashlib
import logging
import traceback
from collections.abc import Callable, Sequence
from contextlib import nullcontext
from dataclasses import replace
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from glemsel.detectors import get_detector
from glemsel.pipeline.core.config import Config, ErasurePolicy
from glemsel.pipeline.core.events import (
    TOPIC_ACCESS_REQUESTS,
    TOPIC_CHANGES,
    TOPIC_DLQ,
    TOPIC_ERASURE_REQUESTS,
    TOPIC_LEGAL_HOLDS,
    TOPIC_RECTIFICATION_REQUESTS,
    AccessRequest,
    ChangeEvent,
    DeadLetter,
    ErasureRequest,
    LegalHold,
    RectificationRequest,
    WorkerStop,
    utcnow,
)
from glemsel.pipeline.core.findings import Finding
from glemsel.pipeline.core.identifiers import Hasher
from glemsel.pipeline.core.reasons import exception_reason, quoted_name, validation_reason
from glemsel.pipeline.flow.access import AccessHandler
from glemsel.pipeline.flow.erasure import NOTHING_LEFT, Eraser
from glemsel.pipeline.flow.holds import record_hold
from glemsel.pipeline.flow.ingest import IngestError, parse_change, parse_event
from glemsel.pipeline.flow.locations import Emit, Parts, RequestRefused, SinkPool
from glemsel.pipeline.flow.rectify import Rectifier
from glemsel.pipeline.flow.scan import Budget, KnownNames, OverLimit, Scanner
from glemsel.pipeline.stores.attempts import AttemptStore, Earlier, Position
from glemsel.pipeline.stores.audit import AuditLog
from glemsel.pipeline.stores.index import SubjectIndex
from glemsel.pipeline.stores.state import StateStore
from glemsel.pipeline.telemetry import metrics
from pydantic import ValidationError

log = logging.getLogger("glemsel.flow")


if TYPE_CHECKING:
    from glemsel.detectors import Detector

# A suspect batch goes in this many pieces (each piece of a piece that stopped again too):
# 500 events are down to one in two deaths, and an interrupted batch costs 16 batches.
PIECES = 16
INPUT_TOPICS = {
    TOPIC_CHANGES,
    TOPIC_ERASURE_REQUESTS,
    TOPIC_ACCESS_REQUESTS,
    TOPIC_RECTIFICATION_REQUESTS,
    TOPIC_LEGAL_HOLDS,
}


class Processor:
    def __init__(
        self,
        config: Config,
        *,
        index: SubjectIndex,
        state: StateStore,
        audit: AuditLog,
        emit: Emit,
        detector: Detector | None = None,
        clock: Callable[[], datetime] = utcnow,
        flush: Callable[[], None] = lambda: None,
        attempts: AttemptStore | None = None,
    ) -> None:
        self.config = config
        self.attempts = attempts  # the poison-pill guard; None: batches are not counted
        self.flush = flush  # makes what was emitted durable (dead letters wait for it)
        self.index = index
        self.state = state
        self.audit = audit
        self.emit = emit
        self.hasher = Hasher(config.hmac_key())
        self.scanner = Scanner(
            detector or get_detector(), self.hasher, KnownNames(index.known_names_among)
        )
        self.sinks = SinkPool(config)
        parts = Parts(config, index, state, audit, self.hasher, self.sinks, emit, clock)
        self.eraser = Eraser(parts, self.scanner)
        self.access = AccessHandler(parts)
        self.rectifier = Rectifier(parts, self.scanner)
        self.clock = clock
        self.handled = 0
        # Changes of the current batch whose findings are written: guarded after the write.
        self._written: list[tuple[bytes | None, ChangeEvent, list[Finding]]] = []
        # Change events of the current batch parsed ahead (id of the bytes -> bytes, event,
        # identity hashes), so that the batch's identity links are asked for at once.
        self._parsed: dict[int, tuple[bytes, ChangeEvent, dict[str, str]]] = {}
        # id of a change's bytes -> the locations (system, record id) it was indexed at,
        # for the last handle_batch: the embedded log keeps them to find a subject's events.
        self.located: dict[int, set[tuple[str, str]]] = {}

    def handle(self, topic: str, raw: bytes | None, position: Position | None = None) -> None:
        self.handle_batch(topic, [raw], None if position is None else [position])

    def handle_batch(
        self,
        topic: str,
        raws: Sequence[bytes | None],
        positions: Sequence[Position] | None = None,
    ) -> None:
        """Messages of one topic, in order, at ``positions`` on the bus; their effects are
        durable when this returns (the caller commits the offsets then).

        With positions, every attempt is counted first (the poison-pill guard): a batch in
        which the worker stopped before goes in pieces (see :meth:`_handle_suspect`), and an
        event that was attempted alone ``limits.max_attempts`` times without returning is
        dead-lettered unhandled."""
        self.located = {}
        if positions is None or self.attempts is None:
            self._handle_batch(topic, raws)
            return
        earlier = self.attempts.begin(positions)
        if not earlier.suspect:
            self._handle_batch(topic, raws)
            return  # the record stays until the next batch of these partitions clears it
        log.warning(
            "the worker stopped in a batch of %d from %s before: handling it in pieces",
            len(raws),
            topic,
        )
        self._handle_suspect(topic, raws, positions, earlier)
        self.attempts.done(positions)

    def _handle_suspect(
        self,
        topic: str,
        raws: Sequence[bytes | None],
        positions: Sequence[Position],
        earlier: Earlier,
    ) -> None:
        """A batch that an earlier attempt did not finish, in consecutive pieces, each recorded
        before it runs: a piece a sixteenth of the narrowest earlier attempt that covers it,
        and an event alone once its next attempt would reach the limit. A worker that died
        in a piece leaves that piece's record, so its next run narrows down to the event
        that kills it in as many deaths as the limit allows (``limits.max_attempts``); a
        batch that was only handed over mid-way (a rebalance) costs a few pieces, not one
        event at a time."""
        assert self.attempts is not None
        limit = self.config.limits.max_attempts
        i = 0
        while i < len(raws):
            tried = earlier.counts.get(positions[i], 0)
            # Only an event attempted alone is known to be the one that stops the worker:
            # the others of its batch are retried in pieces first, and get through.
            if positions[i] in earlier.alone and tried >= limit:
                self.dead_letter(
                    topic,
                    raws[i],
                    f"the worker stopped while handling this event {tried} times "
                    f"(limits.max_attempts={limit})",
                    stage="attempts",
                )
                i += 1
                continue
            width = earlier.widths.get(positions[i])
            size = 1 if tried + 1 >= limit else max(1, (width or len(raws)) // PIECES)
            j = i + 1
            # A piece: the next positions with the same earlier attempts, up to its size.
            while (
                j < len(raws)
                and j - i < size
                and earlier.widths.get(positions[j]) == width
                and earlier.counts.get(positions[j], 0) == tried
                and positions[j] not in earlier.alone
            ):
                j += 1
            piece = positions[i:j]
            self.attempts.attempt(piece, tried + 1)
            self._handle_batch(topic, raws[i:j])
            self.attempts.succeeded(piece)
            i = j

    def _handle_batch(self, topic: str, raws: Sequence[bytes | None]) -> None:
        """Messages of one topic, in order; their effects are durable when this returns.

        Change events share one index batch (one bulk write in Elasticsearch). Erasure
        requests and holds do not: an outcome, once recorded, is final, so the index writes
        it implies must not wait for others."""
        done: list[bytes | None] = []
        scope = self.index.batch() if topic == TOPIC_CHANGES else nullcontext()
        self._written = []
        self.scanner.known_names.new_batch()
        self.scanner.forget_identities()
        try:
            with scope:
                if topic == TOPIC_CHANGES:
                    self._prefetch_links(raws)
                done = [raw for raw in raws if self._handle_one(topic, raw)]
        except WorkerStop:
            raise
        except Exception as exc:  # the batch's index write failed, past its retries
            for raw in done:
                self.dead_letter(topic, raw, f"index write failed: {type(exc).__name__}", "index")
            return
        finally:
            self.scanner.forget_identities()
        # The resurrection guard looks at erased identifiers only after the batch's findings
        # are in the index: a request planned meanwhile (on another worker) either finds them
        # there or has recorded its identifiers before this look, so no record slips between.
        written, self._written = self._written, []
        for raw, event, found in self._suspects(written):
            self._guarded(raw, event, found)

    def _prefetch_links(self, raws: Sequence[bytes | None]) -> None:
        """Ask the index once for the subjects of every strong identifier of the batch's
        identity records (Elasticsearch: one mget per batch, SQLite: one query, instead of
        one per record).
        Parsed events are kept for on_change. Only an optimisation: whatever fails here is
        left to the event's own handling."""
        prefetch = getattr(self.index, "prefetch_links", None)
        self._parsed = {}
        if prefetch is None:
            return
        limit, strong = self.config.limits.max_event_bytes, set()
        for raw in raws:
            if not raw or len(raw) > limit:
                continue
            try:
                event = parse_change(raw, self.config)
                if event is None or event.op == "d" or not event.data:
                    continue
                fields = self.config.system(event.system).identity.get(event.record_type)
                ids = self.scanner.identity_values(event.data, fields, True) if fields else {}
            except Exception:  # on_change reports it, with its reason
                continue
            self._parsed[id(raw)] = (raw, event, ids)
            strong |= {h for h, etype in ids.items() if etype != "PERSON"}
        try:
            prefetch(strong)
        except Exception as exc:  # the records ask one by one then
            log.warning("identity prefetch failed: %s", type(exc).__name__)

    def _suspects(
        self, written: list[tuple[bytes | None, ChangeEvent, list[Finding]]]
    ) -> list[tuple[bytes | None, ChangeEvent, list[Finding]]]:
        """The changes of a batch the resurrection guard must look at: those of an erased
        record or holding an erased identifier, asked of the state once per system for the
        whole batch (not twice per record); the guard itself asks again for these few."""
        by_system: dict[str, list[int]] = {}
        for n, (_, event, _) in enumerate(written):
            by_system.setdefault(event.system, []).append(n)
        flagged: set[int] = set()
        for system, items in by_system.items():
            gone = self.state.tombstones.among(system, {written[n][1].record_id for n in items})
            hashes = sorted({f.hash for n in items for f in written[n][2]})
            erased: set[str] = set()
            for i in range(0, len(hashes), 5_000):
                erased |= set(self.state.erased.among(set(hashes[i : i + 5_000]), system))
            flagged.update(
                n
                for n in items
                if written[n][1].record_id in gone or any(f.hash in erased for f in written[n][2])
            )
        return [item for n, item in enumerate(written) if n in flagged]

    def _handle_one(self, topic: str, raw: bytes | None) -> bool:
        handler = {
            TOPIC_CHANGES: self.on_change,
            TOPIC_ERASURE_REQUESTS: self.on_erasure_request,
            TOPIC_ACCESS_REQUESTS: self.on_access_request,
            TOPIC_RECTIFICATION_REQUESTS: self.on_rectification_request,
            TOPIC_LEGAL_HOLDS: self.on_hold,
        }[topic]
        self.handled += 1
        limit = self.config.limits.max_event_bytes
        if raw is not None and len(raw) > limit:
            self.dead_letter(
                topic,
                raw,
                f"event of {len(raw)} bytes is over limits.max_event_bytes={limit}",
                stage="ingest",
            )
            return False
        try:
            handler(raw)
        except WorkerStop:
            raise
        except (IngestError, OverLimit, RequestRefused) as exc:  # own reasons, without values
            self.dead_letter(topic, raw, str(exc), stage="ingest")
        except ValidationError as exc:
            self.dead_letter(topic, raw, validation_reason(exc), stage="ingest")
        except ValueError as exc:  # someone else's text may quote the value: type and place
            self.dead_letter(topic, raw, exception_reason(exc), stage="ingest")
        except Exception as exc:  # a bug or an outage must not swallow the event
            # The message may quote the record, so logs get the type and the place only.
            frame = traceback.extract_tb(exc.__traceback__)[-1]
            where = f"{type(exc).__name__} at {Path(frame.filename).name}:{frame.lineno}"
            log.error("unexpected failure on %s: %s", topic, where)
            self.dead_letter(topic, raw, where, stage="process")
        else:
            metrics.EVENTS.labels(topic, "ok").inc()
            return True
        return False

    # --- changes ----------------------------------------------------------------------------

    def on_change(self, raw: bytes | None) -> None:
        budget = Budget(self.config.limits.event_seconds)  # parsing counts too
        parsed = self._parsed.pop(id(raw), None)
        ids: dict[str, str] | None = None
        event: ChangeEvent | None
        if parsed is not None and parsed[0] is raw:  # parsed by _prefetch_links
            event, ids = parsed[1], parsed[2]
        else:
            event = parse_change(raw or b"", self.config)
        if event is None:  # Debezium tombstone: the delete event before it did the work
            return
        located = self.located.setdefault(id(raw), set())
        located.add((event.system, event.record_id))
        system = self.config.system(event.system)
        if event.op == "d":
            self.index.remove_record(event.system, event.record_id)
            return
        identity = system.identity.get(event.record_type, [])
        if identity and event.data:
            self._link_identity(event, identity, ids)
        limits = self.config.limits
        with metrics.DETECT_SECONDS.time():
            found = self.scanner.scan(
                event.system,
                event.record_type,
                event.record_id,
                event.data,
                identity,
                budget=budget,
                max_field_bytes=limits.max_field_bytes,
            )
        # Counted per type, on the counters' children kept: the same totals, without a
        # label lookup per finding.
        counts: dict[str, int] = {}
        for finding in found:
            counts[finding.entity_type] = counts.get(finding.entity_type, 0) + 1
        for entity_type, count in counts.items():
            metrics.findings(entity_type).inc(count)
        copies = self._copies(event)
        if copies:  # indexed where it is stored; the bare id no longer stands for it
            self.index.remove_record(event.system, event.record_id)
        located.update((event.system, record_id) for record_id in copies)
        for record_id in copies or [event.record_id]:
            here = (
                found
                if record_id == event.record_id
                else [replace(f, record_id=record_id) for f in found]
            )
            self.index.replace_findings(event.system, event.record_type, record_id, here, event.ts)
            # The event itself at its own id (a copy of a model per record was a cost here).
            at = (
                event
                if record_id == event.record_id
                else event.model_copy(update={"record_id": record_id})
            )
            self._written.append((raw, at, here))
        # An old record that changed is marked for the next sweep, whose window passed it.
        self.eraser.changed(event.system, copies or [event.record_id], event.data, found)

    def _copies(self, event: ChangeEvent) -> list[str]:
        """Where a mail is stored: one location per copy whose content is the event's, so
        that a later mail reusing its Message-ID is a location of its own. [] when the sink
        cannot tell (the mail is not in the mailbox yet) or is not a mailbox."""
        if self.config.system(event.system).sink.kind != "maildir":
            return []
        locate = getattr(self.sinks[event.system], "locate", None)
        return locate(event.record_id, event.data) if locate else []

    def _guarded(self, raw: bytes | None, event: ChangeEvent, found: list[Finding]) -> None:
        try:
            self._guard_resurrection(raw, event, found)
        except Exception as exc:  # like any handler failure: the event is dead-lettered
            frame = traceback.extract_tb(exc.__traceback__)[-1]
            where = f"{type(exc).__name__} at {Path(frame.filename).name}:{frame.lineno}"
            log.error("resurrection guard failed on %s: %s", TOPIC_CHANGES, where)
            self.dead_letter(TOPIC_CHANGES, raw, where, stage="guard")

    def _link_identity(
        self, event: ChangeEvent, fields: list[str], ids: dict[str, str] | None = None
    ) -> None:
        if ids is None:
            ids = self.scanner.identity_values(event.data or {}, fields, remember=True)
        if not ids:
            return
        self.index.link_identity(ids)
        self.scanner.known_names.add(h for h, etype in ids.items() if etype == "PERSON")

    def _guard_resurrection(
        self, raw: bytes | None, event: ChangeEvent, found: list[Finding]
    ) -> None:
        """Erased data that comes back (replay, restore from backup) is erased again."""
        policy = self.config.system(event.system).on_erasure
        if policy.action == "retain":
            return  # kept by law: its identifiers are expected to stay
        # Under the record's lock: an erasure on another worker may be deleting it now.
        with self.state.record_locks.hold(event.system, event.record_id):
            self._guard_locked(raw, event, found, policy)

    def _guard_locked(
        self, raw: bytes | None, event: ChangeEvent, found: list[Finding], policy: ErasurePolicy
    ) -> None:
        if self.state.tombstones.get(event.system, event.record_id) is not None:
            target, action, why = None, "delete_record", "erased record came back"
        elif erased := self.state.erased.among({f.hash for f in found}, event.system):
            target = self.index.expand_subject(set(erased))
            action, why = policy.action, "erased identifier came back"
        else:
            return
        if hold := self.eraser.held_by(self.state.holds.active(), event.system, event.record_id):
            self.audit.append(
                "resurrection.held",
                system=event.system,
                record_id=event.record_id,
                hold_id=hold.hold_id,
                why=why,
            )
            return
        # Write-ahead, as a request's location is marked started: a worker killed between
        # the effect and its entry leaves the mark, and the replay of this event (the same
        # bytes, so the same mark) audits the deletion it finds done instead of "not found".
        mark = self.hasher.opaque(raw if raw is not None else event.model_dump_json().encode())
        where = dict(system=event.system, record_id=event.record_id)
        kinds = {
            e["kind"]
            for e in self.audit.of_record(**where, kinds=("resurrection.started", "resurrection"))
            if e["detail"].get("event") == mark
        }
        # Replayed after its entry (a rebalance re-delivers what was not committed): the
        # replay indexed the event's findings again, so the effect runs again to set the
        # index right, and is audited only if it did something (the record is back again).
        finished = "resurrection" in kinds
        if not kinds:
            self.audit.append("resurrection.started", **where, why=why, event=mark)
        result, verified, reason = self.eraser.apply(
            event.system,
            event.record_type,
            event.record_id,
            target,
            action,
            started_before="resurrection.started" in kinds and not finished,
        )
        if finished and (result == "not_found" or reason == NOTHING_LEFT):
            return
        self.audit.append(
            "resurrection", **where, why=why, effect=result, verified=verified, event=mark
        )
        log.warning(
            "resurrection guard: %s/%s %s -> %s", event.system, event.record_id, why, result
        )

    # --- erasure requests and holds ---------------------------------------------------------

    def on_erasure_request(self, raw: bytes | None) -> None:
        request = parse_event(raw or b"", ErasureRequest)
        summary = self.eraser.handle_request(request)
        log.info("request %s: %s %s", request.request_id, summary.status, summary.counts)

    def on_access_request(self, raw: bytes | None) -> None:
        request = parse_event(raw or b"", AccessRequest)
        self.access.handle_request(request)

    def on_rectification_request(self, raw: bytes | None) -> None:
        request = parse_event(raw or b"", RectificationRequest)
        summary = self.rectifier.handle_request(request)
        log.info("rectification %s: %s %s", request.request_id, summary.status, summary.counts)

    def on_hold(self, raw: bytes | None) -> None:
        hold = parse_event(raw or b"", LegalHold)
        named = {*(hold.systems or []), *(r.system for r in hold.records or [])}
        if hold.action == "place" and (unknown := named - set(self.config.systems)):
            # A hold on a system we do not know protects nothing: refuse it, visibly.
            names = ", ".join(quoted_name(name, quote=False) for name in sorted(unknown))
            raise IngestError(f"hold on unknown systems: {names}")
        record_hold(self.state, self.audit, self.hasher, hold)
        if hold.action == "release":
            # Also when the release was recorded on acknowledgement (then the call above
            # found it done): what the hold kept is erased now.
            self.eraser.retry_held()
            self.rectifier.retry_held()

    def tick(self, now: datetime | None = None) -> dict[str, int]:
        done = self.eraser.sweep(now)  # ends expired holds, so rectifications may go on
        if resumed := len(self.rectifier.retry_held()):
            done["rectifications_resumed"] = resumed
        # Failed locations of every kind are retried after their back-off (erasure's in
        # its sweep, which also ends holds and retention).
        if failed := len(self.rectifier.retry_failed(now)) + len(self.access.retry_failed(now)):
            done["failed_retried"] = done.get("failed_retried", 0) + failed
        return done

    # --- dead letters -----------------------------------------------------------------------

    def dead_letter(self, topic: str, raw: bytes | None, error: str, stage: str) -> None:
        letter = self._letter(topic, raw or b"", error, stage)
        # The dead-letter topic is the store: it keeps the original bytes, which may hold
        # personal data, apart from the index and the state (which must not). The event's
        # offset is committed after this returns, so the letter must be durable by then: if
        # it cannot be written, the worker stops here rather than lose the event.
        try:
            self.emit(TOPIC_DLQ, topic, letter)
            self.flush()
        except Exception as exc:
            log.critical(
                "dead letter from %s could not be written (%s): stopping, nothing committed",
                topic,
                type(exc).__name__,
            )
            raise WorkerStop(f"dead letter not written: {type(exc).__name__}") from exc
        metrics.EVENTS.labels(topic, "dead_letter").inc()
        metrics.DEAD_LETTERS.labels(topic, stage).inc()
        log.warning("dead letter from %s at %s: %s", topic, stage, error.splitlines()[0])

    def _letter(self, topic: str, raw: bytes, error: str, stage: str) -> DeadLetter:
        letter = DeadLetter(
            topic=topic,
            original=base64.b64encode(raw).decode(),
            error=error,
            stage=stage,
            ts=self.clock(),
        )
        limit = self.config.limits.max_event_bytes
        if len(letter.to_json()) <= limit:
            return letter
        # Too large for the dead-letter topic (base64 adds a third): keep the start, and
        # the size and hash of the whole, so that it is found again at its source.
        keep = (limit - 4096 - len(error.encode())) * 3 // 4
        return letter.model_copy(
            update={
                "original": base64.b64encode(raw[: max(keep, 0)]).decode(),
                "truncated": True,
                "original_size": len(raw),
                "original_sha256": hashlib.sha256(raw).hexdigest(),
            }
        )

    def close(self) -> None:
        self.sinks.close()
        self.index.close()
