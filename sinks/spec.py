"""How a system's records are reached: the `sink:` block of a system's configuration."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, model_validator


class SinkSpec(BaseModel):
    model_config = ConfigDict(extra="forbid")


    kind: Literal["sql", "maildir"]
    url: str | None = None  # sql: SQLAlchemy URL
    table: str | None = None  # sql
    key: str = "id"  # sql: primary key column
    path: str | None = None  # maildir
    timestamp_field: str | None = (
        None  # column (sql) or header (maildir) the record's age is read from
    )

    @model_validator(mode="after")
    def _complete(self) -> SinkSpec:
        if self.kind == "sql" and not (self.url and self.table):
            raise ValueError("an sql sink needs url and table")
        if self.kind == "maildir" and not self.path:
            raise ValueError("a maildir sink needs path")
        return self
