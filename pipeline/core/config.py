"""One YAML file configures everything (design.md "Policies"); ``--config`` or GLEMSEL_CONFIG.

Relative paths (state, key file, SQLite URLs, Maildirs) are resolved against the directory of
the configuration file, so a config and its data can be moved together.
"""

from __future__ import annotations

import os
import secrets
from datetime import UTC, date, datetime, time
from pathlib import Path
from typing import Any, Literal

import yaml
from dateutil.relativedelta import relativedelta
from glemsel.pipeline.core.identifiers import ENTITY_TYPES
from glemsel.pipeline.core.redact import STRATEGIES
from glemsel.sinks.spec import SinkSpec
from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    field_validator,
    model_validator,
)


class ConfigError(Exception):
    """Bad configuration: the message is one line a user can act on."""


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


RetainFrom = Literal["record_date", "accounting_year_end"]


class RetainPolicy(_Strict):
    """Kept by law for a period, e.g. ``{years: 5, basis: "bokføringsloven § 13"}``.

    ``from`` says where the period starts: ``record_date`` (the record's own date) or
    ``accounting_year_end`` (the end of the accounting year the record belongs to, as
    bokføringsloven § 13 counts). A basis that names bokføringsloven counts from the end of
    the accounting year unless ``from`` says otherwise; every other basis from the record.
    """

    model_config = ConfigDict(extra="forbid", populate_by_name=True)

    years: int = 0
    months: int = 0
    days: int = 0
    basis: str
    start: RetainFrom | None = Field(default=None, alias="from")
    # Last month of the accounting year (regnskapsår); the calendar year unless set.
    accounting_year_end_month: int = Field(default=12, ge=1, le=12)

    @model_validator(mode="after")
    def _default_start(self) -> RetainPolicy:
        if self.start is None:
            by_law = "bokføringsloven" in self.basis.casefold()
            self.start = "accounting_year_end" if by_law else "record_date"
        return self

    def period(self) -> relativedelta:
        return relativedelta(years=self.years, months=self.months, days=self.days)

    def ends(self, dated: datetime) -> datetime:
        """When the basis ends for a record dated ``dated``: the last moment it is kept.

        A record dated 2026-03-10 under bokføringsloven (five years after the end of the
        accounting year 2026) is kept until 2031-12-31 end of day, and erased from
        2032-01-01. The day ends in UTC, an hour or two after it ends in Norway: late by
        that, never early.
        """
        if dated.tzinfo is None:
            dated = dated.replace(tzinfo=UTC)
        if self.start == "record_date":
            return dated + self.period()
        year_end = _accounting_year_end(dated.date(), self.accounting_year_end_month)
        last_day = year_end + self.period()
        return datetime.combine(last_day, time.max, tzinfo=UTC)


def _accounting_year_end(day: date, last_month: int) -> date:
    """The last day of the accounting year ``day`` falls in."""
    year = day.year if day.month <= last_month else day.year + 1
    return date(year, last_month, 1) + relativedelta(day=31)


ErasureAction = Literal["delete_record", "redact_fields", "redact_spans", "retain"]


class ErasurePolicy(_Strict):
    action: ErasureAction
    retain: RetainPolicy | None = None

    @model_validator(mode="before")
    @classmethod
    def _from_yaml(cls, value: Any) -> Any:
        # YAML spells it either `delete_record` or `{retain: {years: 5, basis: ...}}`.
        if isinstance(value, str):
            return {"action": value}
        if isinstance(value, dict) and "retain" in value and "action" not in value:
            return {"action": "retain", "retain": value["retain"]}
        return value

    @model_validator(mode="after")
    def _retain_has_basis(self) -> ErasurePolicy:
        if self.action == "retain" and self.retain is None:
            raise ValueError("retain needs a period and a legal basis")
        return self


class RetentionPolicy(_Strict):
    """Erase without a request once ``after_field`` is set and ``days`` old, unless
    ``unless_field`` holds a true value (e.g. the applicant consented to being kept)."""

    after_field: str | None = None  # default: the sink's timestamp_field
    days: int = Field(default=0, ge=0)
    unless_field: str | None = None


class AnonymisePolicy(_Strict):
    """Anonymise ``types`` in place (by the system's `redact` strategies) in records older
    than ``after_days`` by the sink's timestamp_field; the record itself stays."""

    after_days: int = Field(ge=0)
    types: list[str] = Field(min_length=1)

    @field_validator("types")
    @classmethod
    def _known_types(cls, types: list[str]) -> list[str]:
        return _check_types(types)


def _check_types(types: Any) -> Any:
    if unknown := sorted(set(types) - ENTITY_TYPES):
        raise ValueError(f"unknown entity type {', '.join(unknown)}")
    return types


class SystemConfig(_Strict):
    sink: SinkSpec
    # record type -> fields that identify a person; identifiers found together are one subject
    identity: dict[str, list[str]] = Field(default_factory=dict)
    on_erasure: ErasurePolicy = ErasurePolicy(action="delete_record")
    redact_fields: list[str] | None = None  # redact_fields: these fields (default: where found)
    # Masking strategy per entity type for redact_spans and anonymise (default placeholder).
    redact: dict[str, str] = Field(default_factory=dict)
    # Shorthand for retention: {after_field: <sink.timestamp_field>, days: N}.
    retention_days: int | None = None
    retention: RetentionPolicy | None = None
    anonymise: AnonymisePolicy | None = None
    # Whose record it is: on_erasure applies where the subject is found in an owner field;
    # where they are only mentioned, on_mention (another person's record is not destroyed).
    # A list for every record type, or record type -> fields. Default: see ownership.py.
    owner_fields: list[str] | dict[str, list[str]] | None = None
    on_mention: ErasurePolicy = ErasurePolicy(action="redact_spans")
    # What the privacy statement says about this system, for access exports (art. 15(1)).
    purpose: str | None = None
    legal_basis: str | None = None
    storage_period: str | None = None  # as the statement words it; not a retention rule
    recipients: list[str] = Field(default_factory=list)

    @field_validator("redact")
    @classmethod
    def _known_strategies(cls, redact: dict[str, str]) -> dict[str, str]:
        _check_types(redact)
        if unknown := sorted(set(redact.values()) - set(STRATEGIES)):
            raise ValueError(
                f"unknown masking strategy {', '.join(unknown)}; known: {', '.join(STRATEGIES)}"
            )
        return redact

    @model_validator(mode="after")
    def _retention_needs_age(self) -> SystemConfig:
        if self.retention_days is not None:
            if self.retention is not None:
                raise ValueError("use retention or retention_days, not both")
            if not self.sink.timestamp_field:
                raise ValueError("retention_days needs sink.timestamp_field to tell a record's age")
            self.retention = RetentionPolicy(days=self.retention_days)
        if self.retention is not None and self.retention.after_field is None:
            if not self.sink.timestamp_field:
                raise ValueError("retention needs after_field or sink.timestamp_field")
            self.retention.after_field = self.sink.timestamp_field
        if self.anonymise is not None and not self.sink.timestamp_field:
            raise ValueError("anonymise needs sink.timestamp_field to tell a record's age")
        return self


class DebeziumRoute(_Strict):
    system: str
    record_type: str
    key: str = "id"


class KafkaSettings(_Strict):
    bootstrap: str = "127.0.0.1:9092"
    partitions: int = 4
    replication: int = 1
    # Prepended to every topic and the consumer group: several Glemsel installations (or
    # test runs) can share one cluster. Empty in production: topic names are a contract.
    topic_prefix: str = ""
    # Seconds without a heartbeat before a worker counts as gone and the others take over its
    # partitions (a crashed machine's share of the work waits this long).
    session_timeout: float = Field(default=30.0, ge=6.0, le=300.0)


class ElasticsearchSettings(_Strict):
    url: str = "http://127.0.0.1:9200"
    index_prefix: str = "glemsel"


class ApiToken(_Strict):
    name: str  # who calls: shown in audit (hashed) and as requested_by
    role: Literal["dsr", "compliance", "admin"]
    token: str = Field(min_length=16)


class ApiSettings(_Strict):
    tokens: list[ApiToken] = Field(default_factory=list)
    host: str = "127.0.0.1"
    port: int = 8080
    # Bodies are refused over this size before they are read (requests, holds and searches
    # are a few hundred bytes).
    max_body_bytes: int = Field(1_048_576, ge=1024)
    # Behind a TLS-terminating proxy: believe its X-Forwarded-Proto (Secure cookie, origin).
    trust_forwarded_proto: bool = False
    # Origins besides the page's own from which its forms may be posted (e.g. the proxy's).
    allowed_origins: list[str] = Field(default_factory=list)
    # Searches per caller (token name): per minute on average, in bursts of up to search_burst.
    search_per_minute: float = Field(30.0, gt=0)
    search_burst: int = Field(10, ge=1)


class LimitSettings(_Strict):
    """Bounded work per event: over a limit, an event is dead-lettered with the limit named,
    so that one event never stalls its partition."""

    # Also what Kafka's producer, topics and consumers are set for (the broker's default
    # would be 1 MB); publishing a larger event fails with an error naming this limit.
    max_event_bytes: int = Field(10 * 1024 * 1024, ge=1024)
    max_field_bytes: int = Field(10 * 1024 * 1024, ge=1024)
    event_seconds: float = Field(120.0, gt=0)
    # An event in which the worker died (killed, out of memory) this many times is
    # dead-lettered instead of being replayed after every restart (the poison-pill guard).
    max_attempts: int = Field(3, ge=1)


class AuditSettings(_Strict):
    # Where workers export the audit head (last seq and MAC), outside the state store, so
    # that a truncated, emptied or rewritten chain is caught by `glemsel audit verify`.
    # A file (ideally on other storage, append-only) and/or a Kafka topic (distributed).
    head_file: Path | None = None
    head_topic: str | None = None
    head_interval_seconds: float = Field(60.0, gt=0)


class Config(_Strict):
    mode: Literal["embedded", "distributed"] = "embedded"
    state_dir: Path = Path("state")
    hmac_key_file: Path | None = None
    # Requests, outcomes, holds and audit. Default: SQLite in state_dir; distributed
    # deployments with several workers point this at PostgreSQL.
    state_url: str | None = None
    # Raw events Glemsel itself holds (embedded bus log, dead letters, its Kafka topics)
    # expire after this many days: they may hold personal data (design.md).
    transport_retention_days: int = Field(7, ge=1)
    systems: dict[str, SystemConfig]
    # Debezium source table ("db.schema.table", "schema.table" or "table") -> system/record type
    debezium: dict[str, DebeziumRoute] = Field(default_factory=dict)
    kafka: KafkaSettings = KafkaSettings()
    elasticsearch: ElasticsearchSettings = ElasticsearchSettings()
    api: ApiSettings = ApiSettings()
    audit: AuditSettings = AuditSettings()
    limits: LimitSettings = LimitSettings()

    base_dir: Path = Path(".")

    def resolve(self, path: str | Path) -> Path:
        p = Path(path).expanduser()
        return p if p.is_absolute() else self.base_dir / p

    def system(self, name: str) -> SystemConfig:
        try:
            return self.systems[name]
        except KeyError:
            raise ConfigError(
                f"unknown system {name!r}; configured: {', '.join(self.systems)}"
            ) from None

    def hmac_key(self) -> bytes:
        """The secret for keyed hashes: GLEMSEL_HMAC_KEY, else hmac_key_file. Refuse without one."""
        if env := os.environ.get("GLEMSEL_HMAC_KEY"):
            return env.encode()
        if self.hmac_key_file is None:
            raise ConfigError("no HMAC key: set hmac_key_file in the config or GLEMSEL_HMAC_KEY")
        path = self.resolve(self.hmac_key_file)
        try:
            key = path.read_bytes().strip()
        except OSError as exc:
            raise ConfigError(f"cannot read HMAC key file {path}: {exc.strerror}") from None
        if len(key) < 16:
            raise ConfigError(f"HMAC key in {path} is too short (need at least 16 bytes)")
        return key


def load_config(path: str | Path | None = None) -> Config:
    path = path or os.environ.get("GLEMSEL_CONFIG")
    if not path:
        raise ConfigError("no configuration: pass --config FILE or set GLEMSEL_CONFIG")
    path = Path(path)
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except OSError as exc:
        raise ConfigError(f"cannot read config {path}: {exc.strerror}") from None
    except yaml.YAMLError as exc:
        raise ConfigError(f"config {path} is not valid YAML: {exc}") from None
    return parse_config(raw, base_dir=path.resolve().parent)


def parse_config(raw: dict[str, Any], base_dir: Path) -> Config:
    if not isinstance(raw, dict):
        raise ConfigError("config must be a YAML mapping")
    overrides = {
        "kafka": ("GLEMSEL_KAFKA_BOOTSTRAP", "bootstrap"),
        "elasticsearch": ("GLEMSEL_ES_URL", "url"),
    }
    raw = dict(raw)
    for section, (env, field) in overrides.items():
        if value := os.environ.get(env):
            raw[section] = {**(raw.get(section) or {}), field: value}
    if mode := os.environ.get("GLEMSEL_MODE"):
        raw["mode"] = mode
    if state_url := os.environ.get("GLEMSEL_STATE_URL"):  # e.g. PostgreSQL for several workers
        raw["state_url"] = state_url
    try:
        return Config(**raw, base_dir=base_dir)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"])
        raise ConfigError(f"invalid config at {where}: {first['msg']}") from None


def new_hmac_key(path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(secrets.token_hex(32) + "\n")
    path.chmod(0o600)
