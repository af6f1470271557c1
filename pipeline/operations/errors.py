"""Refusals of the operations layer: each interface maps them to its own form (exit code,
HTTP status, a message on the page). A message names the problem, never a personal value.

Apart from operations/requests.py so that read-only commands can catch them without
importing what submitting a request needs.
"""

from __future__ import annotations


class OperationError(Exception):
    """A refused operation; the message names the problem, never a personal value."""


class Invalid(OperationError):
    pass


class NotFound(OperationError):
    pass


class Conflict(OperationError):
    pass
