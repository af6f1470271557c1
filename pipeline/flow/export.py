"""The answer to an access request, read from the sinks when it is asked for.

design.md "Access": per system what the privacy statement says (purpose, legal basis,
storage period, recipients) and every record as the sink holds it now (mail: headers, text
and attachment names). Where the subject is only mentioned in someone else's record, only
the passages that mention them are given, with other people's identifiers masked (art.
15(4)). The result is built in memory and handed to the caller; nothing of it is stored.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import datetime
from typing import Any

from glemsel.pipeline.core.clock import utcnow
from glemsel.pipeline.core.config import Config
from glemsel.pipeline.core.findings import Finding
from glemsel.pipeline.core.ownership import name_part_spans, name_parts, owns
from glemsel.pipeline.flow.locations import SinkPool
from glemsel.pipeline.flow.scan import Scanner, flatten
from glemsel.pipeline.flow.subject import identity_values
from glemsel.pipeline.stores.index import SubjectIndex
from glemsel.pipeline.stores.state import StateStore

EXPORT_SCHEMA = "glemsel.access-export/1"
PASSAGE_JOIN = " […] "
# A passage is the sentence (or line) around a mention.
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+|\n+")


class ExportError(Exception):
    """The request cannot be exported (unknown, not an access request): a clear message."""


def masked(entity_type: str) -> str:
    return f"[SKJULT:{entity_type}]"


class ExportBuilder:
    def __init__(
        self,
        config: Config,
        index: SubjectIndex,
        state: StateStore,
        sinks: SinkPool,
        scanner: Scanner,
        clock: Callable[[], datetime] = utcnow,
    ) -> None:
        self.config = config
        self.index = index
        self.state = state
        self.sinks = sinks
        self.scanner = scanner
        self.clock = clock

    def build(self, request_id: str) -> dict[str, Any]:
        req = self.state.requests.get(request_id)
        if req is None:
            raise ExportError(f"no request {request_id!r} (yet): is the worker running?")
        if req.kind != "access":
            raise ExportError(f"request {request_id!r} is a {req.kind} request, not access")
        target = self.index.expand_subject(req.subject_hashes)
        located = [o for o in self.state.outcomes.of_request(request_id) if o.action == "exported"]
        subject = identity_values(self.config, self.sinks, self.index.locations(target), target)
        parts = name_parts(subject.get("names", []))

        by_system: dict[str, list[dict[str, Any]]] = {}
        missing: list[dict[str, str]] = []
        for o in located:
            record = self._record(o.system, o.record_type, o.record_id, target, parts)
            if record is None:
                missing.append({"system": o.system, "record_id": o.record_id})
                continue
            by_system.setdefault(o.system, []).append(record)

        systems = []
        for name in sorted(by_system):
            cfg = self.config.system(name)
            systems.append(
                {
                    "system": name,
                    "purpose": cfg.purpose,
                    "legal_basis": cfg.legal_basis,
                    "storage_period": cfg.storage_period,
                    "recipients": list(cfg.recipients),
                    "records": by_system[name],
                }
            )
        fnr = subject.get("fnr", [])
        return {
            "schema": EXPORT_SCHEMA,
            "request_id": request_id,
            "generated_at": self.clock().isoformat(),
            "received_at": req.received_at.isoformat(),
            "deadline": req.deadline.isoformat(),
            "subject": {
                "fnr": fnr[0] if fnr else None,
                "emails": subject.get("emails", []),
                "phones": subject.get("phones", []),
                "names": subject.get("names", []),
            },
            "systems": systems,
            "gone_since_located": missing,
        }

    def _record(
        self, system: str, record_type: str, record_id: str, target: set[str], parts: set[str]
    ) -> dict[str, Any] | None:
        sink = self.sinks[system]
        data = sink.read(record_id)
        if data is None:
            return None
        cfg = self.config.system(system)
        identity = cfg.identity.get(record_type, [])
        found = self.scanner.scan(system, record_type, record_id, data, identity)
        attachments = getattr(sink, "attachment_names", None)
        if owns(cfg, record_type, found, target):
            record = {
                "record_type": record_type,
                "record_id": record_id,
                "role": "owner",
                "data": data,
            }
            if attachments is not None:
                record["attachments"] = attachments(record_id)
            return record
        passages = mention_passages(data, found, target, parts)
        return {
            "record_type": record_type,
            "record_id": record_id,
            "role": "mentioned",
            "data": {
                field: PASSAGE_JOIN.join(p["text"] for p in passages if p["field"] == field)
                for field in dict.fromkeys(p["field"] for p in passages)
            },
            "passages": passages,
        }


def mention_passages(
    data: dict[str, Any], found: list[Finding], target: set[str], parts: set[str]
) -> list[dict[str, str]]:
    """The sentences of someone else's record that mention the subject, every other
    identifier in them masked."""
    result = []
    for field, text in flatten(data):
        here = [f for f in found if f.source == field]
        people = [(f.start, f.end) for f in here if f.entity_type == "PERSON"]
        mine = [(f.start, f.end) for f in here if f.hash in target]
        mine += name_part_spans(text, parts, people)
        if not mine:
            continue
        others = [
            f
            for f in here
            if f.hash not in target and not any(s <= f.start and f.end <= e for s, e in mine)
        ]
        for start, end in _sentences(text, mine):
            piece = text[start:end]
            for f in sorted(others, key=lambda f: f.start, reverse=True):
                if start <= f.start and f.end <= end:
                    a, b = f.start - start, f.end - start
                    piece = piece[:a] + masked(f.entity_type) + piece[b:]
                elif f.start < end and start < f.end:  # straddles the edge: mask what shows
                    a, b = max(f.start, start) - start, min(f.end, end) - start
                    piece = piece[:a] + masked(f.entity_type) + piece[b:]
            # The stored field (keys with personal data masked): a key may name another person.
            stored = here[0].field if here else field
            result.append({"field": stored, "text": piece.strip()})
    return result


def _sentences(text: str, spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """(start, end) of every sentence holding one of ``spans``, in order."""
    bounds, last = [], 0
    for m in _SENTENCE_END.finditer(text):
        bounds.append((last, m.start()))
        last = m.end()
    bounds.append((last, len(text)))
    return [b for b in bounds if any(s < b[1] and b[0] < e for s, e in spans)]
