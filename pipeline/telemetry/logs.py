"""Structured JSON logs. Callers log ids, hashes, counts and masked previews only."""

from __future__ import annotations

import json
import logging
import os
from datetime import UTC, datetime
from pathlib import Path


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "ts": datetime.fromtimestamp(record.created, UTC).isoformat(),
            "level": record.levelname.lower(),
            "logger": record.name,
            "msg": record.getMessage(),
        }
        return json.dumps(entry, ensure_ascii=False)


def configure(log_file: Path | None, level: str = "INFO", stderr_level: str = "WARNING") -> None:
    root = logging.getLogger("glemsel")
    root.handlers.clear()
    root.setLevel(level)
    root.propagate = False
    console = logging.StreamHandler()
    console.setLevel(stderr_level)
    console.setFormatter(JsonFormatter())
    root.addHandler(console)
    if log_file:
        log_file.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        os.close(os.open(log_file, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600))
        log_file.chmod(0o600)  # logs hold no raw identifiers, but stay the owner's
        handler = logging.FileHandler(log_file, encoding="utf-8")
        handler.setFormatter(JsonFormatter())
        root.addHandler(handler)
