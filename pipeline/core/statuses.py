"""The states a request and each of its locations can be in, and what they mean.

Strings on the wire and in the state store (a ``StrEnum`` compares equal to its value), so
events and stored rows keep their contract; code asks the enum what a state means instead of
listing strings in several places.
"""

from __future__ import annotations

from enum import StrEnum


class RequestKind(StrEnum):
    ERASURE = "erasure"  # GDPR art. 17
    ACCESS = "access"  # art. 15 and 20: located, the export read when asked for
    RECTIFICATION = "rectification"  # art. 16


class RequestStatus(StrEnum):
    RECEIVED = "received"  # recorded, locations not all decided yet
    COMPLETED = "completed"  # every location verified done
    PARTIALLY_HELD = "partially_held"  # done but for locations under a legal hold
    FAILED = "failed"  # a location failed; it is retried with back-off
    AMBIGUOUS = "ambiguous"  # by name alone, and several subjects have it: nothing done

    @property
    def final(self) -> bool:
        """Nothing more will happen without a new request or a released hold."""
        return self is RequestStatus.COMPLETED

    @property
    def open(self) -> bool:
        """Counts against the deadline (an overdue open request is flagged)."""
        return not self.final


class LocationAction(StrEnum):
    STARTED = "started"  # written before the sink is touched: a crash resumes here
    DELETED = "deleted"
    REDACTED = "redacted"
    HELD = "held"
    RETAINED = "retained"
    FAILED = "failed"
    NOT_FOUND = "not_found"
    EXPORTED = "exported"  # access: the location was read and goes into the export
    RECTIFIED = "rectified"  # rectification: the new value written and read back

    @property
    def final(self) -> bool:
        """The location needs nothing more (for this request)."""
        return self in _FINAL

    @property
    def resumable(self) -> bool:
        """The worker comes back to it: an interrupted effect, a hold that may be released,
        a retention that ends, or a failure to retry."""
        return not self.final


_FINAL = {
    LocationAction.DELETED,
    LocationAction.REDACTED,
    LocationAction.NOT_FOUND,
    LocationAction.EXPORTED,
    LocationAction.RECTIFIED,
}


def kind_of(value: str | None) -> RequestKind | str:
    """A stored kind as the enum where it is one (rows made before kinds are erasures)."""
    try:
        return RequestKind(value or RequestKind.ERASURE)
    except ValueError:
        return value or RequestKind.ERASURE


def status_of(value: str) -> RequestStatus | str:
    """A stored status as the enum where it is one; kinds added later keep their string."""
    try:
        return RequestStatus(value)
    except ValueError:
        return value
