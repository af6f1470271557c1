"""How a system's records are reached: the `sink:` block of a system's configuration."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator


class AttachmentLimits(BaseModel):
    """Bounds per mail attachment (maildir and imap sinks, and raw mail events)."""

    model_config = ConfigDict(extra="forbid")

    max_bytes: int = Field(20 * 1024 * 1024, gt=0)  # decoded size; larger ones are not read
    max_seconds: float = Field(10.0, gt=0)  # wall clock, hard: the worker is killed
    # All attachments of one mail together: a mail of many slow files is bounded as well.
    max_mail_seconds: float = Field(30.0, gt=0)
    max_chars: int = Field(2_000_000, gt=0)  # extracted text kept
    max_pages: int = Field(500, gt=0)  # PDF
    max_unpacked_bytes: int = Field(200 * 1024 * 1024, gt=0)  # DOCX/ODT/XLSX zip contents
    max_memory_mb: int = Field(1024, ge=0)  # the worker's address space (0: no limit)
    # Parse documents in a worker process (the time bound holds even if a parser hangs).
    isolate: bool = True


class SinkSpec(BaseModel):
    model_config = ConfigDict(extra="forbid")

    kind: Literal["sql", "maildir", "imap"]
    url: str | None = None  # sql: SQLAlchemy URL
    table: str | None = None  # sql
    key: str = "id"  # sql: primary key column
    path: str | None = None  # maildir
    timestamp_field: str | None = (
        None  # column (sql) or header (maildir, imap) the record's age is read from
    )
    # imap
    host: str | None = None
    port: int | None = None  # default 993 with ssl, 143 without
    ssl: bool = True  # IMAPS; without it STARTTLS is used when the server offers it
    user: str | None = None
    password_env: str | None = None  # the password is read from this environment variable
    mailbox: str = "INBOX"
    ca_file: str | None = None  # trust this CA (a self-signed server) besides the system's
    timeout_seconds: float = 30.0
    # maildir, imap: attachments
    attachments: AttachmentLimits = AttachmentLimits()

    @model_validator(mode="after")
    def _complete(self) -> SinkSpec:
        if self.kind == "sql" and not (self.url and self.table):
            raise ValueError("an sql sink needs url and table")
        if self.kind == "maildir" and not self.path:
            raise ValueError("a maildir sink needs path")
        if self.kind == "imap" and not (self.host and self.user and self.password_env):
            raise ValueError("an imap sink needs host, user and password_env")
        return self
