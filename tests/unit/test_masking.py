"""Masking strategies per entity type, retention rules and accounting-year ends."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from glemsel.pipeline.core.config import ConfigError, RetainPolicy, parse_config
from glemsel.pipeline.core.findings import Finding
from glemsel.pipeline.core.identifiers import Hasher
from glemsel.pipeline.core.redact import Anonymiser, redact_spans, truncate_ip

KEY = b"k" * 32


def _f(field: str, start: int, end: int, etype: str) -> Finding:
    return Finding("s", "t", "1", field, start, end, etype, 1.0, "*", "h")


@pytest.mark.parametrize(
    ("raw", "truncated"),
    [
        ("12.214.31.144", "12.214.31.0"),
        ("12.214.31.0", "12.214.31.0"),  # a fixed point: sweeps converge
        ("2001:db8:85a3:8d3:1319:8a2e:370:7348", "2001:db8:85a3::"),
        ("2001:db8:85a3::", "2001:db8:85a3::"),
        ("::ffff:12.214.31.144", "12.214.31.0"),
        ("not an ip", None),
    ],
)
def test_truncate_ip(raw: str, truncated: str | None) -> None:
    assert truncate_ip(raw) == truncated


def test_placeholder_is_the_default() -> None:
    data = {"log": "login fra 12.214.31.144 av a@b.no"}
    spans = [_f("log", 10, 23, "IP_ADDRESS"), _f("log", 27, 33, "EMAIL_ADDRESS")]
    assert redact_spans(data, spans) == {
        "log": "login fra [SLETTET:IP_ADDRESS] av [SLETTET:EMAIL_ADDRESS]"
    }


def test_strategies_per_type_in_redact_spans() -> None:
    anonymiser = Anonymiser(
        {"IP_ADDRESS": "truncate_ip", "EMAIL_ADDRESS": "hmac"}, Hasher(KEY).pseudonym
    )
    data = {"log": "login fra 12.214.31.144 av a@b.no"}
    spans = [_f("log", 10, 23, "IP_ADDRESS"), _f("log", 27, 33, "EMAIL_ADDRESS")]
    changed = redact_spans(data, spans, anonymiser)["log"]
    assert changed.startswith("login fra 12.214.31.0 av [PSEUDONYM:EMAIL_ADDRESS:")
    assert "a@b.no" not in changed and "144" not in changed
    # Already anonymised values are left as they are: nothing changes the second time.
    again = {"log": changed}
    assert redact_spans(again, [_f("log", 10, 21, "IP_ADDRESS")], anonymiser) == {}
    assert anonymiser.done("IP_ADDRESS", "12.214.31.0")
    assert not anonymiser.done("IP_ADDRESS", "12.214.31.144")


def test_hmac_pseudonym_is_stable_keyed_and_not_an_index_hash() -> None:
    a, b = Hasher(KEY), Hasher(b"x" * 32)
    one = Anonymiser({"EMAIL_ADDRESS": "hmac"}, a.pseudonym)
    token = one.replacement("EMAIL_ADDRESS", "Kari@Example.no")
    assert token == one.replacement("EMAIL_ADDRESS", "kari@example.no"), "normalised first"
    assert token != Anonymiser({"EMAIL_ADDRESS": "hmac"}, b.pseudonym).replacement(
        "EMAIL_ADDRESS", "kari@example.no"
    ), "another key gives another pseudonym"
    assert a("EMAIL_ADDRESS", "kari@example.no")[:16] not in token
    with pytest.raises(ValueError, match="HMAC key"):
        Anonymiser({"EMAIL_ADDRESS": "hmac"}).replacement("EMAIL_ADDRESS", "a@b.no")


def test_unknown_strategy_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown masking strategy"):
        Anonymiser({"IP_ADDRESS": "shred"})


@pytest.mark.parametrize(
    ("dated", "until"),
    [
        (datetime(2026, 3, 10, tzinfo=UTC), datetime(2031, 12, 31, 23, 59, 59, 999999, UTC)),
        (datetime(2026, 12, 31, 22, tzinfo=UTC), datetime(2031, 12, 31, 23, 59, 59, 999999, UTC)),
        (datetime(2027, 1, 1, tzinfo=UTC), datetime(2032, 12, 31, 23, 59, 59, 999999, UTC)),
    ],
)
def test_bokforingsloven_counts_from_the_end_of_the_accounting_year(dated, until) -> None:
    policy = RetainPolicy(years=5, basis="bokføringsloven § 13")
    assert policy.start == "accounting_year_end"
    assert policy.ends(dated) == until


def test_other_bases_count_from_the_record_unless_told() -> None:
    dated = datetime(2026, 3, 10, tzinfo=UTC)
    contract = RetainPolicy(years=3, basis="avtale med kunden")
    assert contract.start == "record_date"
    assert contract.ends(dated) == datetime(2029, 3, 10, tzinfo=UTC)
    told = RetainPolicy.model_validate(
        {"years": 3, "basis": "avtale", "from": "accounting_year_end"}
    )
    assert told.ends(dated).date().isoformat() == "2029-12-31"
    as_dated = RetainPolicy.model_validate(
        {"years": 5, "basis": "bokføringsloven § 13", "from": "record_date"}
    )
    assert as_dated.ends(dated) == datetime(2031, 3, 10, tzinfo=UTC)
    # A split accounting year (regnskapsår to 30 June).
    split = RetainPolicy(years=5, basis="bokføringsloven", accounting_year_end_month=6)
    assert split.ends(dated).date().isoformat() == "2031-06-30"


SQL = {"kind": "sql", "url": "sqlite:///x.db", "table": "t"}


def test_retention_days_is_shorthand_for_retention(tmp_path: Path) -> None:
    cfg = parse_config(
        {
            "systems": {
                "chat": {"sink": {**SQL, "timestamp_field": "sent_at"}, "retention_days": 60},
                "recruitment": {
                    "sink": SQL,
                    "retention": {
                        "after_field": "process_closed_at",
                        "days": 0,
                        "unless_field": "keep_consent",
                    },
                },
                "weblog": {
                    "sink": {**SQL, "timestamp_field": "created"},
                    "on_erasure": "redact_spans",
                    "redact": {"IP_ADDRESS": "truncate_ip"},
                    "anonymise": {"after_days": 30, "types": ["IP_ADDRESS"]},
                },
            }
        },
        tmp_path,
    )
    chat = cfg.system("chat").retention
    assert chat is not None and (chat.after_field, chat.days, chat.unless_field) == (
        "sent_at",
        60,
        None,
    )
    rec = cfg.system("recruitment").retention
    assert rec is not None and rec.unless_field == "keep_consent"
    assert cfg.system("weblog").redact == {"IP_ADDRESS": "truncate_ip"}


@pytest.mark.parametrize(
    ("system", "message"),
    [
        ({"sink": SQL, "redact": {"IP_ADDRESS": "shred"}}, "unknown masking strategy shred"),
        ({"sink": SQL, "redact": {"IP_ADRESS": "truncate_ip"}}, "unknown entity type IP_ADRESS"),
        (
            {
                "sink": {**SQL, "timestamp_field": "c"},
                "anonymise": {"after_days": 1, "types": ["IP"]},
            },
            "unknown entity type IP",
        ),
        ({"sink": SQL, "anonymise": {"after_days": 1, "types": ["IP_ADDRESS"]}}, "timestamp_field"),
        ({"sink": SQL, "retention": {"days": 3}}, "after_field or sink.timestamp_field"),
        (
            {
                "sink": {**SQL, "timestamp_field": "c"},
                "retention_days": 3,
                "retention": {"days": 3},
            },
            "not both",
        ),
        ({"sink": SQL, "on_erasure": {"retain": {"years": 5, "basis": "b", "from": "x"}}}, "from"),
    ],
)
def test_bad_policies_give_one_clear_line(tmp_path: Path, system, message: str) -> None:
    with pytest.raises(ConfigError, match=message) as info:
        parse_config({"systems": {"x": system}}, tmp_path)
    assert "\n" not in str(info.value)
