"""The README's configuration example is a configuration Glemsel accepts."""

from __future__ import annotations

from pathlib import Path

import yaml
from glemsel.pipeline.core.config import Config

README = Path(__file__).resolve().parents[2] / "README.md"


def test_the_readme_configuration_example_validates():
    text = README.read_text(encoding="utf-8")
    start = text.index("```yaml\nmode: embedded") + len("```yaml\n")
    example = yaml.safe_load(text[start : text.index("```", start)])
    config = Config.model_validate(example)
    assert {"crm", "mail", "chat", "recruitment", "weblog"} <= set(config.systems)
    assert config.systems["mail"].on_mention.action == "redact_spans"
