"""The one answer to "is this an htmx request?", from htmx-flask (`request.htmx`)."""

from __future__ import annotations

from htmx_flask import request  # type: ignore[import-untyped]


def is_htmx() -> bool:
    """True when htmx sent the request (`HX-Request: true`): answer with the partial, not the page."""
    return bool(request.htmx)
