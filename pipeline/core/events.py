"""Wire events (design.md "Events"): one pydantic model per schema, JSON on the wire.

Every event carries ``schema = "glemsel.<name>/<version>"``; parsing checks it so that a
producer on a newer major version is dead-lettered with a clear reason instead of being
half-understood.
"""

from __future__ import annotations

import re
import uuid
from datetime import datetime
from typing import Annotated, Any, ClassVar, Literal, Self

from dateutil.relativedelta import relativedelta
from glemsel.pipeline.core.clock import aware, utcnow
from pydantic import AfterValidator, BaseModel, ConfigDict, Field, field_validator, model_validator

TOPIC_CHANGES = "glemsel.changes"
TOPIC_ERASURE_REQUESTS = "glemsel.erasure.requests"
TOPIC_ACCESS_REQUESTS = "glemsel.access.requests"
TOPIC_RECTIFICATION_REQUESTS = "glemsel.rectification.requests"
TOPIC_LEGAL_HOLDS = "glemsel.legal-holds"
TOPIC_OUTCOMES = "glemsel.erasure.outcomes"
TOPIC_DLQ = "glemsel.dlq"


class Event(BaseModel):
    """Base of every wire event: fixed schema tag, unknown fields kept (fields may grow)."""

    # defer_build: a model's validator is built on first use, not at import (a read-only
    # command uses two of these models; building all of them was a third of its start-up).
    model_config = ConfigDict(extra="allow", populate_by_name=True, defer_build=True)
    SCHEMA: ClassVar[str]

    # Filled in by _default_schema when absent; the default only tells type checkers so.
    schema_: str = Field("", alias="schema")

    @model_validator(mode="before")
    @classmethod
    def _default_schema(cls, data: Any) -> Any:
        if isinstance(data, dict) and "schema" not in data and "schema_" not in data:
            data = {**data, "schema": cls.SCHEMA}
        return data

    @field_validator("schema_")
    @classmethod
    def _check_schema(cls, value: str) -> str:
        if value != cls.SCHEMA:
            raise ValueError(f"expected schema {cls.SCHEMA!r}")
        return value

    def to_json(self) -> bytes:
        return self.model_dump_json(by_alias=True, exclude_none=False).encode()

    @classmethod
    def from_json(cls, raw: bytes | str) -> Any:
        return cls.model_validate_json(raw)


# Naive timestamps from producers are taken as UTC so that comparisons never raise.
Timestamp = Annotated[datetime, AfterValidator(aware)]


def _unicode(value: str) -> str:
    # A lone surrogate (JSON "\ud800") is no character: it cannot be encoded, stored or hashed.
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise ValueError("text is not valid Unicode (a lone surrogate)") from None
    return value


Text = Annotated[str, AfterValidator(_unicode)]
# Hold ids appear in URLs (release): letters, digits and . _ : @ - only.
HOLD_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._:@-]{0,199}")


Op = Literal["c", "u", "d", "r"]


class ChangeEvent(Event):
    SCHEMA: ClassVar[str] = "glemsel.change/1"

    event_id: str = Field(default_factory=lambda: uuid.uuid4().hex)
    system: Text
    record_type: Text
    record_id: Text
    op: Op
    ts: Timestamp = Field(default_factory=utcnow)
    data: dict[str, Any] | None = None

    @property
    def key(self) -> str:
        return f"{self.system}:{self.record_id}"


class MailEvent(Event):
    SCHEMA: ClassVar[str] = "glemsel.mail/1"

    event_id: str = Field(default_factory=lambda: uuid.uuid4().hex)
    system: str = "mail"
    record_id: str
    op: Op = "c"
    ts: Timestamp = Field(default_factory=utcnow)
    rfc822: str  # base64 of the message bytes

    @property
    def key(self) -> str:
        return f"{self.system}:{self.record_id}"


class SubjectIdentifiers(BaseModel):
    """Raw identifiers of a data subject, as a DSR tool sends them. Never stored as such."""

    model_config = ConfigDict(extra="forbid", defer_build=True)

    fnr: Text | None = None
    emails: list[Text] = Field(default_factory=list)
    phones: list[Text] = Field(default_factory=list)
    names: list[Text] = Field(default_factory=list)

    def is_empty(self) -> bool:
        return not (self.fnr or self.emails or self.phones or self.names)


class _Addressed(Event):
    """Whom a request is about, under which id: the fields every request kind starts with."""

    request_id: str
    subject: SubjectIdentifiers


class SubjectRequest(_Addressed):
    """A data subject's request, of any kind: its id and person, the systems it is limited
    to, when it was received, its deadline and who asked.

    The kinds' models add their fields after these on the wire, except a rectification's
    corrections, which stand after the subject (see :class:`_Corrected`).

    Ids, systems and requester refuse a lone surrogate (Text), for every kind: one would
    pass validation and then fail when the event is written. Redeclared fields keep their
    place on the wire."""

    request_id: Text
    systems: list[Text] | None = None
    received_at: Timestamp = Field(default_factory=utcnow)
    deadline: Timestamp | None = None
    requested_by: Text = "unknown"

    @property
    def key(self) -> str:
        return self.request_id

    @model_validator(mode="after")
    def _deadline(self) -> Self:
        if self.subject.is_empty():
            raise ValueError("subject names no identifier (fnr, emails, phones or names)")
        # GDPR art. 12(3): one month from receipt; a calendar month, not 30 days.
        if self.deadline is None:
            self.deadline = default_deadline(self.received_at)
        return self


class ErasureRequest(SubjectRequest):
    SCHEMA: ClassVar[str] = "glemsel.erasure-request/1"


class RecordRef(BaseModel):
    model_config = ConfigDict(defer_build=True)

    system: Text
    record_id: Text


class LegalHold(Event):
    SCHEMA: ClassVar[str] = "glemsel.legal-hold/1"

    hold_id: Text
    action: Literal["place", "release"]
    subject: SubjectIdentifiers | None = None
    systems: list[Text] | None = None
    records: list[RecordRef] | None = None
    reason: Text = ""
    until: Timestamp | None = None
    placed_by: Text = "unknown"
    ts: Timestamp = Field(default_factory=utcnow)

    @property
    def key(self) -> str:  # the legal-holds topic is compacted by hold_id
        return self.hold_id

    @model_validator(mode="after")
    def _scope(self) -> LegalHold:
        if self.action == "place" and not (
            (self.subject and not self.subject.is_empty()) or self.systems or self.records
        ):
            raise ValueError("a hold needs a scope: subject, systems or records")
        if self.action == "place" and not HOLD_ID.fullmatch(self.hold_id):
            raise ValueError(
                "a hold id is 1 to 200 letters, digits and . _ : @ - (starting with a letter "
                "or digit)"
            )
        return self


class AccessRequest(SubjectRequest):
    """Innsyn (GDPR art. 15) and portability (art. 20): what is stored about the subject."""

    SCHEMA: ClassVar[str] = "glemsel.access-request/1"


class Correction(BaseModel):
    """One wrong value of the subject and the right one (identifier types as detected)."""

    model_config = ConfigDict(extra="forbid", defer_build=True)

    type: str = Field(min_length=1, max_length=64)
    old: str = Field(min_length=1, max_length=1000)
    new: str = Field(min_length=1, max_length=1000)

    @model_validator(mode="after")
    def _differs(self) -> Correction:
        if self.old.strip() == self.new.strip():
            raise ValueError("a correction's old and new values are the same")
        return self


class _Corrected(_Addressed):
    # pydantic orders fields from the farthest base class on. A base of its own puts the
    # corrections where the wire has always had them, right after the subject: in
    # RectificationRequest's bases this class comes before SubjectRequest's own fields.
    corrections: list[Correction] = Field(min_length=1)


class RectificationRequest(SubjectRequest, _Corrected):
    """Rectification (GDPR art. 16): every location holding ``old`` gets ``new``."""

    SCHEMA: ClassVar[str] = "glemsel.rectification-request/1"


RequestKind = Literal["erasure", "access", "rectification"]

Action = Literal[
    "deleted", "redacted", "held", "retained", "failed", "not_found", "exported", "rectified"
]


class ErasureOutcome(Event):
    SCHEMA: ClassVar[str] = "glemsel.erasure-outcome/1"

    request_id: str
    system: str
    record_id: str
    action: Action
    reason: str = ""
    verified: bool = False
    ts: Timestamp = Field(default_factory=utcnow)
    retained_until: datetime | None = None
    record_type: str = ""


class ErasureSummary(Event):
    SCHEMA: ClassVar[str] = "glemsel.erasure-summary/1"

    request_id: str
    # ambiguous: a request by name alone that several subjects match; nothing was done
    status: Literal["completed", "partially_held", "failed", "ambiguous"]
    counts: dict[str, int]
    reason: str = ""
    deadline: datetime | None = None
    ts: Timestamp = Field(default_factory=utcnow)


class DeadLetter(Event):
    SCHEMA: ClassVar[str] = "glemsel.dead-letter/1"

    topic: str
    original: str  # base64 of the original bytes, so nothing is lost
    error: str
    stage: str
    ts: Timestamp = Field(default_factory=utcnow)
    # A dead letter that would not fit the dead-letter topic keeps the original's start only;
    # these say how large it was and what its bytes hash to, so it can be found at its source.
    truncated: bool = False
    original_size: int | None = None
    original_sha256: str | None = None


class WorkerStop(RuntimeError):  # noqa: N818 - it is an order, not a mishap
    """The worker must stop before committing past the current event (its dead letter could
    not be written). Handlers let it through; deployments end the process."""


class EventTooLarge(ValueError):
    """An event over ``limits.max_event_bytes``: the message names the size and the limit."""


def check_event_size(value: bytes | None, limit: int) -> None:
    if value is not None and len(value) > limit:
        raise EventTooLarge(
            f"event of {len(value):,} bytes is over the limit of {limit:,} bytes "
            "(limits.max_event_bytes in the config)"
        )


def default_deadline(received_at: datetime) -> datetime:
    return received_at + relativedelta(months=1)


# Every kind of data-subject request: its topic and its event model.
REQUEST_TOPICS: dict[str, str] = {
    "erasure": TOPIC_ERASURE_REQUESTS,
    "access": TOPIC_ACCESS_REQUESTS,
    "rectification": TOPIC_RECTIFICATION_REQUESTS,
}
REQUEST_MODELS: dict[str, type[SubjectRequest]] = {
    "erasure": ErasureRequest,
    "access": AccessRequest,
    "rectification": RectificationRequest,
}
