"""Findings as the index contract tests store them (the index never reads a value, only
the keyed hash, so one shape serves every case)."""

from __future__ import annotations

from glemsel.pipeline.core.findings import Finding


def finding(
    system: str,
    record_id: str,
    hash_: str,
    etype: str = "EMAIL_ADDRESS",
    *,
    record_type: str = "contact",
    field: str = "email",
) -> Finding:
    return Finding(
        system=system,
        record_type=record_type,
        record_id=record_id,
        field=field,
        start=0,
        end=10,
        entity_type=etype,
        score=1.0,
        preview="**********",
        hash=hash_,
    )
