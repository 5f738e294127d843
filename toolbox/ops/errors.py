"""The one error an operation raises: a kind (what went wrong, in adapter-neutral terms) and a message.

Adapters map the kind once each: to an HTTP status (toolbox.web.api) and to an exit code
(toolbox.cli.common). The message is written for a person and never quotes secrets.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Any


class ErrorKind(StrEnum):
    """Why an operation could not give a result."""

    INPUT = "input"  # the text to work on is not what it must be (not JSON, not a token)
    UNUSABLE = "unusable"  # something the action needs cannot be used (a broken schema, a wrong key)
    REFUSED = "refused"  # refused by the outbound-fetch policy (a private address, a port not allowed)
    FAILED = "failed"  # something outside failed (the site did not answer)
    TOO_LARGE = "too-large"  # over a size or output budget


class OpError(Exception):
    """An operation's refusal: `kind`, a `message` for a person, a short `title`, and `details`.

    `details` are extra members the API adds to its problem+json and the CLI may print
    (e.g. `line`, `column`, `offset`, `snippet`, `caret`, `which`, `reason`).
    """

    def __init__(self, kind: ErrorKind, message: str, *, title: str = "", **details: Any) -> None:
        super().__init__(message)
        self.kind = kind
        self.message = message
        self.title = title
        self.details = details
