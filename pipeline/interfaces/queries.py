"""The read-only queries of `glemsel`: search, status, requests.

A compliance officer runs them by hand and scripts run them in loops, so they must answer
at once. They are parsed with argparse, not typer: typer (with the pydantic adapters it
builds for each option) costs a read-only command more than half of its start-up. The
`glemsel` entry point (entry.py) sends these three here without loading typer; the typer
app lists them and hands their arguments on unparsed, so each option is declared once, here.
Each query reads an embedded state on sqlite3 alone (stores/sqlite_reads.py);
``python -m bench.cli_latency`` measures them.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from glemsel.pipeline.interfaces import console

if TYPE_CHECKING:
    from glemsel.pipeline.core.config import Config
    from glemsel.pipeline.stores.reads import ReadStores

HELP = {
    "search": "Where do we hold data about this person? Masked previews, holds, past requests.",
    "status": "One request: status, deadline and the outcome per location.",
    "requests": "All requests with status, deadline and days left; overdue ones flagged.",
}


def _stores(config: Config) -> ReadStores:
    """The light SQLite path when it can serve, else the full stores."""
    from glemsel.pipeline.runtime import open_query_stores

    return open_query_stores(config)


def search(args: argparse.Namespace) -> None:
    from glemsel.pipeline.operations.search import search_subject

    ids = console.identifiers(args.fnr, args.email, args.phone, args.name)
    with console.loaded_config(args.config) as cfg:
        stores = _stores(cfg)
        try:
            result = search_subject(stores, ids, searched_by=console.user())
        finally:
            stores.close()
    if args.as_json:
        console.print_json(result)
        return
    from glemsel.pipeline.interfaces.render import render_search  # rich: for people only

    render_search(result)


def status(args: argparse.Namespace) -> None:
    with console.loaded_config(args.config) as cfg:
        show_status(args.request_id, cfg, args.as_json)


def show_status(request_id: str, config: Config, as_json: bool) -> None:
    """One request's status (also what erase, access and rectify show when they are done,
    with the config they loaded)."""
    from glemsel.pipeline.operations.views import request_view

    stores = _stores(config)
    try:
        with console.refused():
            view = request_view(stores.state, request_id)
    finally:
        stores.close()
    if as_json:
        console.print_json(view.as_dict())
        return
    console.out().print(
        f"request [bold]{request_id}[/bold]: [bold]{view.status}[/bold], deadline "
        f"{view.deadline:%Y-%m-%d} ({view.days_left} days left)"
    )
    from rich.table import Table

    table = Table("system", "record", "action", "verified", "attempts", "next retry", "reason")
    for o in view.outcomes or []:
        retry = o.next_attempt_at if o.action == "failed" else None
        table.add_row(
            o.system,
            o.record_id,
            o.action,
            "yes" if o.verified else "no",
            str(o.attempts),
            _when(retry) if retry else ("next sweep" if o.action == "failed" else ""),
            o.reason,
        )
    console.out().print(table)


def requests(args: argparse.Namespace) -> None:
    from glemsel.pipeline.operations.views import request_views

    with console.loaded_config(args.config) as cfg:
        stores = _stores(cfg)
        try:
            views = request_views(stores.state)
        finally:
            stores.close()
    if args.as_json:
        console.print_json([v.as_dict() for v in views])
        return
    from rich.table import Table

    table = Table("request", "kind", "status", "deadline", "days left", "counts", "next retry")
    for v in views:
        left = f"[red]{v.days_left} OVERDUE[/red]" if v.overdue else str(v.days_left)
        retry = ""
        if v.retry:
            when = _when(v.retry.next_attempt_at) if v.retry.next_attempt_at else "next sweep"
            retry = f"{when} ({v.retry.failed} failed, {v.retry.attempts} attempts)"
        table.add_row(
            v.request_id,
            v.kind,
            v.status,
            f"{v.deadline:%Y-%m-%d}",
            left,
            ", ".join(f"{k} {n}" for k, n in sorted(v.counts.items())),
            retry,
        )
    console.out().print(table)


def _when(at: datetime) -> str:
    return f"{at.astimezone(UTC):%Y-%m-%d %H:%M:%S} UTC"


COMMANDS: dict[str, Callable[[argparse.Namespace], None]] = {
    "search": search,
    "status": status,
    "requests": requests,
}


def parser() -> argparse.ArgumentParser:
    top = argparse.ArgumentParser(prog="glemsel")
    commands = top.add_subparsers(dest="command", required=True)

    def command(name: str) -> argparse.ArgumentParser:
        sub = commands.add_parser(name, help=HELP[name], description=HELP[name])
        sub.add_argument("--config", "-c", type=Path, help=console.CONFIG_HELP)
        sub.add_argument("--json", dest="as_json", action="store_true", help=console.JSON_HELP)
        return sub

    found = command("search")
    found.add_argument("--fnr", help=console.FNR_HELP)
    found.add_argument("--email", action="append", help=console.EMAIL_HELP)
    found.add_argument("--phone", action="append", help=console.PHONE_HELP)
    found.add_argument("--name", action="append", help=console.NAME_HELP)
    command("status").add_argument("request_id", metavar="REQUEST_ID")
    command("requests")
    return top


def main(argv: list[str]) -> int:
    """Run one query: ``argv`` starts with its name. The exit code (argparse's usage errors
    and `console.fail` leave by SystemExit)."""
    args = parser().parse_args(argv)
    COMMANDS[args.command](args)
    return 0
