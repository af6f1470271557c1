"""Reasons for refusals that are safe to store and show: they name where and what kind of
problem, never the value (values may be personal data; pydantic's own text quotes them as
``input_value='…'``)."""

from __future__ import annotations

import re
import traceback
from pathlib import Path

from pydantic import ValidationError

# A name as configuration spells it (systems, schemas, tables): short, no '@', and too few
# digits to be an identifier. Anything else an event claims as a name is described, not quoted.
_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_.:/-]{0,59}")
_DIGITS = re.compile(r"\d")

# Error types whose message is Glemsel's own validator text (written without values).
_OWN_MESSAGE = {"value_error", "assertion_error"}


def validation_reason(exc: ValidationError, what: str = "") -> str:
    """``what: field 'loc': kind`` of the first error, from its type and location only."""
    first = exc.errors(include_input=False, include_url=False)[0]
    where = ".".join(str(p) for p in first.get("loc", ())) or "event"
    kind = first.get("type", "invalid")
    if kind in _OWN_MESSAGE:
        kind = str(first.get("msg", kind)).removeprefix("Value error, ")
    more = f" (and {exc.error_count() - 1} more)" if exc.error_count() > 1 else ""
    prefix = f"{what}: " if what else ""
    return f"{prefix}field {where!r}: {kind}{more}"


def exception_reason(exc: BaseException) -> str:
    """The exception's type and where it was raised, for errors whose text is not ours."""
    frames = traceback.extract_tb(exc.__traceback__)
    if not frames:
        return type(exc).__name__
    frame = frames[-1]
    return f"{type(exc).__name__} at {Path(frame.filename).name}:{frame.lineno}"


def quoted_name(value: object, quote: bool = True) -> str:
    """``value`` (quoted) when it looks like a configured name, otherwise only its length: an
    unknown system or schema comes from the event, and an event can put anything there."""
    text = str(value)
    if _NAME.fullmatch(text) and len(_DIGITS.findall(text)) < 6:
        return repr(text) if quote else text
    return f"<{len(text)} characters, not shown>"
