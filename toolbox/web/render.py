"""Render a tool page, or only its result partial for htmx requests (one template per result)."""

from __future__ import annotations

from typing import Any

from flask import Response, render_template, request

from toolbox.core.text import escape_surrogates


def render_tool(page: str, partial: str, *, status: int = 200, **context: Any) -> Response:
    """Full page for a normal request; just `partial` when htmx asks (`HX-Request: true`)."""
    if request.headers.get("HX-Request") == "true" and request.method == "POST":
        body = render_template(partial, **context)
    else:
        body = render_template(page, result_template=partial, **context)
    # Decoded JSON can hold lone surrogates ("\ud800"): show them escaped rather than fail.
    return Response(escape_surrogates(body), status=status, mimetype="text/html")
