"""What every `glemsel` command shares, on the standard library alone: the consoles, the
one-line error, JSON output, the config it reads, an operation's refusal, the person named
by the options, who runs it.

Both parsers use it: the typer app (cli.py) and the read-only queries (queries.py), which
load no typer. rich and the pydantic models load only when a command uses them.
"""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn

# Pydantic plugins (third-party observers that entry points install) would see every value
# Glemsel validates, raw identifiers in requests and events among them: off unless the
# operator names them. It also spares every command the scan of all installed packages'
# entry points (a tenth of a read-only command's start-up).
os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")

if TYPE_CHECKING:
    from glemsel.pipeline.core.config import Config
    from glemsel.pipeline.core.events import SubjectIdentifiers
    from rich.console import Console

# The options' help, the same in both parsers.
CONFIG_HELP = "Config file (default: $GLEMSEL_CONFIG)."
JSON_HELP = "Machine-readable output."
FNR_HELP = "Fødselsnummer or D-nummer."
EMAIL_HELP = "E-mail address (repeatable)."
PHONE_HELP = "Phone number (repeatable)."
NAME_HELP = "Full name (repeatable)."


@cache
def out() -> Console:
    from rich.console import Console

    return Console()


@cache
def err() -> Console:
    from rich.console import Console

    return Console(stderr=True)


def fail(message: str, code: int = 2) -> NoReturn:
    """A one-line error and the exit: 2 when the input is wrong, 1 when something it names
    is missing or taken. (SystemExit: typer's runner and a plain process both take it.)"""
    err().print(f"[red]error:[/red] {message}", highlight=False, soft_wrap=True)
    raise SystemExit(code)


@contextmanager
def loaded_config(path: Path | None) -> Iterator[Config]:
    from glemsel.pipeline.core.config import ConfigError, load_config

    try:
        yield load_config(path)
    except ConfigError as exc:
        fail(str(exc))


@contextmanager
def refused() -> Iterator[None]:
    """An operation's refusal as a one-line error: exit 1 when something is missing or
    taken, 2 when the input is wrong."""
    from glemsel.pipeline.operations import errors

    try:
        yield
    except (errors.NotFound, errors.Conflict) as exc:
        fail(str(exc), code=1)
    except errors.OperationError as exc:
        fail(str(exc))


def identifiers(
    fnr: str | None,
    email: list[str] | None,
    phone: list[str] | None,
    name: list[str] | None,
    required: bool = True,
) -> SubjectIdentifiers:
    from glemsel.pipeline.core.events import SubjectIdentifiers

    ids = SubjectIdentifiers(fnr=fnr, emails=email or [], phones=phone or [], names=name or [])
    if required and ids.is_empty():
        fail("name the person: --fnr, --email, --phone or --name")
    return ids


def print_json(data: Any) -> None:
    text = json.dumps(data, default=str, ensure_ascii=False)
    if sys.stdout.isatty():  # colours for people
        out().print_json(text)
        return
    # What rich prints to a pipe, without loading rich (read-only commands start faster).
    sys.stdout.write(json.dumps(json.loads(text), indent=2, ensure_ascii=False) + "\n")
    sys.stdout.flush()


def user() -> str:
    import getpass

    try:
        return getpass.getuser()
    except OSError:
        return "unknown"
