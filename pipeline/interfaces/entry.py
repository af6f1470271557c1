"""The `glemsel` command (and ``python -m glemsel.pipeline``).

The read-only queries (search, status, requests) go straight to their argparse parser
(queries.py) without loading typer; every other command, and ``glemsel --help``, to the
typer app (cli.py), which lists the queries too.
"""

from __future__ import annotations

import sys


def main(argv: list[str] | None = None) -> None:
    args = sys.argv[1:] if argv is None else argv
    from glemsel.pipeline.interfaces import queries

    if args and args[0] in queries.COMMANDS:
        raise SystemExit(queries.main(args))
    from glemsel.pipeline.interfaces.cli import app

    app(args, prog_name="glemsel")
