"""Time as Glemsel counts it: aware UTC datetimes, deadlines in whole days.

Apart from the event models so that what only reads times (the read-only queries, which
show deadlines and days left) loads no pydantic model for it.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

MIN_YEAR, MAX_YEAR = 1900, 9000


def utcnow() -> datetime:
    return datetime.now(UTC)


def aware(value: datetime) -> datetime:
    """``value`` with a time zone (a naive one is taken as UTC, so that comparisons never
    raise), refused outside years MIN_YEAR to MAX_YEAR."""
    value = value if value.tzinfo else value.replace(tzinfo=UTC)
    # Year 9999 + a month's deadline, or year 1 at +14:00 in UTC, overflow later on: refuse
    # them here, with a reason, instead of an OverflowError wherever they are used.
    try:
        year = value.astimezone(UTC).year
    except OverflowError:
        year = 0
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise ValueError(f"timestamp out of range (years {MIN_YEAR} to {MAX_YEAR})")
    return value


def days_left(deadline: datetime, now: datetime | None = None) -> int:
    delta: timedelta = aware(deadline) - (now or utcnow())
    return delta.days


def iso_or_none(value: datetime | None) -> str | None:
    """A time as the interfaces show it (ISO 8601), or None."""
    return value.isoformat() if value is not None else None
