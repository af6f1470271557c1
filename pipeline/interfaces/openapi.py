"""Write the API's OpenAPI spec to docs/openapi.json.

python -m glemsel.pipeline.interfaces.openapi
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from types import SimpleNamespace

from glemsel.pipeline.core.config import Config
from glemsel.pipeline.interfaces.api import create_app


class _NoDeployment:
    """Enough of a deployment for FastAPI to describe the routes (nothing is served)."""

    config = Config(systems={})
    stores = SimpleNamespace(state=None, audit=None, index=None)

    def flush(self) -> None:
        pass

    def publish(self, topic: str, value: bytes | None, key: str | None = None) -> None:
        pass


def spec() -> dict:
    return create_app(_NoDeployment()).openapi()  # type: ignore[arg-type]


if __name__ == "__main__":
    out = Path(sys.argv[1] if len(sys.argv) > 1 else "docs/openapi.json")
    out.write_text(json.dumps(spec(), indent=2, ensure_ascii=False) + "\n")
    print(f"wrote {out}")
