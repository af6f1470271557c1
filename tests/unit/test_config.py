from __future__ import annotations

from pathlib import Path

import pytest
from glemsel.pipeline.core.config import ConfigError, load_config, parse_config

BASE = {"systems": {"crm": {"sink": {"kind": "sql", "url": "sqlite:///c.db", "table": "t"}}}}


def test_policies_parse(tmp_path: Path) -> None:
    cfg = parse_config(
        {
            "systems": {
                "orders": {
                    "sink": {"kind": "sql", "url": "sqlite:///e.db", "table": "o"},
                    "on_erasure": {"retain": {"years": 5, "basis": "bokføringsloven § 13"}},
                },
                "support": {"sink": {"kind": "maildir", "path": "m"}, "on_erasure": "redact_spans"},
            }
        },
        tmp_path,
    )
    assert cfg.system("orders").on_erasure.action == "retain"
    assert cfg.system("orders").on_erasure.retain.years == 5
    assert cfg.system("support").on_erasure.action == "redact_spans"


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ({"systems": {"x": {"sink": {"kind": "sql"}}}}, "sql sink needs url and table"),
        ({"systems": {"x": {"sink": {"kind": "ftp"}}}}, "systems.x.sink.kind"),
        ({**BASE, "mode": "cloud"}, "mode"),
        (
            {"systems": {"x": {"sink": {"kind": "maildir", "path": "m"}, "on_erasure": "shred"}}},
            "on_erasure",
        ),
        (
            {"systems": {"x": {"sink": {"kind": "maildir", "path": "m"}, "retention_days": 60}}},
            "timestamp_field",
        ),
    ],
)
def test_bad_config_gives_one_clear_line(tmp_path: Path, raw, message: str) -> None:
    with pytest.raises(ConfigError, match=message) as info:
        parse_config(raw, tmp_path)
    assert "\n" not in str(info.value)


def test_hmac_key_is_required(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="no HMAC key"):
        parse_config(BASE, tmp_path).hmac_key()
    (tmp_path / "k").write_text("short")
    with pytest.raises(ConfigError, match="too short"):
        parse_config({**BASE, "hmac_key_file": "k"}, tmp_path).hmac_key()


def test_missing_config_file(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="cannot read config"):
        load_config(tmp_path / "nope.yaml")
