"""Rich renderings shared by the CLI and the demo."""

from __future__ import annotations

from typing import Any

from rich.console import Console
from rich.table import Table

out = Console()


def render_search(result: dict[str, Any]) -> None:
    if result.get("ambiguous"):
        candidates = result["candidates"]
        out.print(
            f"ambiguous: {len(candidates)} candidate subjects share this name; search again "
            "by the fødselsnummer, e-mail or phone of the one you mean:"
        )
        for c in candidates:
            ids = ", ".join(f"{i['type']} {i['preview']}" for i in c["identifiers"])
            out.print(f"  {c['candidate']}. {ids} ({len(c['locations'])} location(s))")
    elif not result["locations"]:
        out.print("No data found for this person.")
    table = Table("system", "record", "field", "type", "preview", "hold", title="Locations")
    for loc in result["locations"]:
        for f in loc["findings"]:
            table.add_row(
                loc["system"],
                f"{loc['record_type']}/{loc['record_id']}",
                f["field"],
                f["type"],
                f["preview"],
                loc["held_by"] or "",
            )
    if result["locations"]:
        out.print(table)
    for r in result["requests"]:
        out.print(
            f"request {r['request_id']}: {r['status']}, deadline {r['deadline'][:10]} "
            f"({r['days_left']} days left)"
        )
