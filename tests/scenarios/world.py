"""A world of demo systems (CRM, support via Debezium, Maildir mail, chat, ERP) per test,
driven through a deployment exactly as `glemsel publish` + `glemsel run --until-idle` do."""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, TypeVar

from company import KARI, OLA
from glemsel.pipeline.core.config import Config
from glemsel.pipeline.core.events import (
    TOPIC_CHANGES,
    TOPIC_ERASURE_REQUESTS,
    TOPIC_LEGAL_HOLDS,
    Correction,
    ErasureRequest,
    Event,
    LegalHold,
    RectificationRequest,
    SubjectIdentifiers,
)
from glemsel.pipeline.operations.search import search_subject
from glemsel.pipeline.stores.rows import RequestRow
from glemsel.pipeline.stores.schema import sql_url
from sqlalchemy import create_engine, inspect, text

R = TypeVar("R", bound=Event)
NEW_PHONE = "+47 987 65 432"  # Kari's phone number, rectified


@dataclass
class World:
    root: Path
    config: Config
    app: Any  # EmbeddedDeployment or DistributedDeployment: the same surface
    events: list[tuple[str, bytes]]

    def publish(self, topic: str, raw: bytes | Event) -> None:
        if isinstance(raw, Event):
            self.app.publish(topic, raw.to_json(), raw.key)  # type: ignore[attr-defined]
        else:
            self.app.publish(topic, raw)

    def run(self) -> int:
        return self.app.run(until_idle=True)

    def submit(self, topic: str, event: Event) -> None:
        """Publish ``event`` and work until idle."""
        self.publish(topic, event)
        self.run()

    def add_ticket(self, ticket_id: int, body: str, subject: str = "Ny sak") -> None:
        """A new support ticket in the help desk, and its Debezium event (published)."""
        self.sql(
            "support.db",
            "insert into tickets values (?, ?, ?, ?)",
            ticket_id,
            subject,
            body,
            datetime.now(UTC).isoformat(),
        )
        envelope = {
            "after": {"id": ticket_id, "subject": subject, "body": body},
            "op": "c",
            "source": {"db": "helpdesk", "schema": "public", "table": "tickets"},
        }
        self.publish(TOPIC_CHANGES, json.dumps(envelope).encode())

    def ingest_all(self) -> int:
        for topic, raw in self.events:
            self.publish(topic, raw)
        return self.run()

    def search(self, **ids: Any) -> dict[str, Any]:
        return search_subject(self.app.stores, SubjectIdentifiers(**ids), searched_by="test")

    def erase(self, request_id: str, **ids: Any) -> RequestRow:
        req = ErasureRequest(request_id=request_id, subject=SubjectIdentifiers(**ids))
        self.publish(TOPIC_ERASURE_REQUESTS, req)
        self.run()
        return self.request(request_id)

    def hold(self, hold_id: str, action: str = "place", **scope: Any) -> None:
        self.publish(
            TOPIC_LEGAL_HOLDS, LegalHold(hold_id=hold_id, action=action, reason="tvist", **scope)
        )
        self.run()

    def request(self, request_id: str) -> RequestRow:
        req = self.app.stores.state.requests.get(request_id)
        assert req is not None, f"request {request_id} was not processed"
        return req

    def outcomes(self, request_id: str) -> dict[tuple[str, str], str]:
        return {
            (o.system, o.record_id): o.action
            for o in self.app.stores.state.outcomes.of_request(request_id)
        }

    def sql(self, db: str, query: str, *args: Any) -> list[tuple]:
        with sqlite3.connect(self.root / db) as conn:
            return conn.execute(query, args).fetchall()

    @property
    def distributed(self) -> bool:
        return self.config.mode == "distributed"

    def at_rest(self) -> bytes:
        """Everything Glemsel stores, except the bus log (events as they arrived)."""
        state = self.root / "state"
        blob = b"".join(
            p.read_bytes()
            for p in sorted(state.iterdir())
            if p.is_file() and not p.name.startswith("bus.db")
        )
        if self.config.state_url:  # PostgreSQL: every row of every table of the state
            engine = create_engine(sql_url(self.config.state_url))
            with engine.connect() as conn:
                for table in inspect(conn).get_table_names():
                    rows = conn.execute(text(f'SELECT * FROM "{table}"')).all()
                    blob += json.dumps(
                        [list(r) for r in rows], default=str, ensure_ascii=False
                    ).encode()
            engine.dispose()
        if self.distributed:
            es = _elasticsearch(self.config.elasticsearch.url)
            prefix = self.config.elasticsearch.index_prefix
            es.indices.refresh(index=f"{prefix}-*")
            hits = es.search(index=f"{prefix}-*", size=10_000)["hits"]["hits"]
            blob += json.dumps(hits, ensure_ascii=False).encode()
            es.close()
        return blob

    def drop_indices(self) -> None:
        if self.distributed:
            es = _elasticsearch(self.config.elasticsearch.url)
            prefix = self.config.elasticsearch.index_prefix
            for suffix in ("locations", "subjects", "names"):
                es.options(ignore_status=404).indices.delete(index=f"{prefix}-{suffix}")
                es.options(ignore_status=404).indices.delete_index_template(
                    name=f"{prefix}-{suffix}"
                )
            es.close()

    def audit_kinds(self) -> list[str]:
        return [e["kind"] for e in self.app.stores.audit.entries()]


def about_kari(kind: type[R], request_id: str, **fields: Any) -> R:
    """A request of ``kind`` (erasure, access, rectification) about Kari, by fødselsnummer."""
    return kind(request_id=request_id, subject=SubjectIdentifiers(fnr=KARI["fnr"]), **fields)


def new_phone(subject: SubjectIdentifiers, request_id: str) -> RectificationRequest:
    """The rectification of Kari's phone number to NEW_PHONE, for ``subject``."""
    correction = Correction(type="PHONE_NUMBER", old=KARI["phone"], new=NEW_PHONE)
    return RectificationRequest(request_id=request_id, subject=subject, corrections=[correction])


def change_line(system: str, record_type: str, record_id: str, data: dict[str, Any]) -> bytes:
    return json.dumps(
        {
            "schema": "glemsel.change/1",
            "system": system,
            "record_type": record_type,
            "record_id": record_id,
            "op": "c",
            "data": data,
        }
    ).encode()


__all__ = [
    "KARI",
    "NEW_PHONE",
    "OLA",
    "TOPIC_CHANGES",
    "World",
    "about_kari",
    "change_line",
    "new_phone",
]


def _elasticsearch(url: str):
    # Imported here: the suite is collected (and its embedded half run) without the
    # distributed extra installed.
    from elasticsearch import Elasticsearch

    return Elasticsearch(url)
