"""Write the API's OpenAPI spec to docs/openapi.json.

    python -m glemsel.pipeline.interfaces.openapi
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from glemsel.pipeline.interfaces.api import create_app


class _NoDeployment:
    """Enough of a deployment for FastAPI to describe the routes."""

    config = type("C", (), {"api": type("A", (), {"tokens": []})(), "systems": {}})()
    stores = None


def spec() -> dict:
    return create_app(_NoDeployment()).openapi()  # type: ignore[arg-type]


if __name__ == "__main__":
    out = Path(sys.argv[1] if len(sys.argv) > 1 else "docs/openapi.json")
    out.write_text(json.dumps(spec(), indent=2, ensure_ascii=False) + "\n")
    print(f"wrote {out}")
