"""Run a page's operation and render the tool page, or only its result partial for htmx requests."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flask import Response, current_app, render_template, request

from toolbox import settings_of
from toolbox.core.text import escape_surrogates
from toolbox.ops import OPERATIONS, Context, OpError, Request
from toolbox.web.errors import status_of
from toolbox.web.htmx import is_htmx
from toolbox.web.ratelimit import count_fetch


@dataclass(frozen=True)
class Located:
    """A syntax error as the page shows it (from an OpError's details)."""

    message: str
    line: int
    column: int
    offset: int
    snippet: str
    caret: str
    which: str | None = None


@dataclass(frozen=True)
class Outcome:
    """What a page shows for one operation: its result, or a located syntax error or a problem."""

    result: Any = None
    syntax: Located | None = None
    problem: str | None = None
    status: int = 200


def run_op(name: str, body: Request) -> Outcome:
    """Run the operation `name`; an OpError becomes what the page shows, with its status."""
    context = Context(settings_of(current_app), before_fetch=count_fetch)
    try:
        return Outcome(result=OPERATIONS[name].run(body, context))
    except OpError as err:
        status = status_of(err)
        if "line" in err.details:
            d = err.details
            located = Located(d["reason"], d["line"], d["column"], d["offset"], d["snippet"], d["caret"],
                              d.get("which"))
            return Outcome(syntax=located, status=status)
        return Outcome(problem=err.message, status=status)


def render_tool(page: str, partial: str, *, status: int = 200, **context: Any) -> Response:
    """Full page for a normal request; just `partial` when htmx asks (`HX-Request: true`)."""
    if is_htmx() and request.method == "POST":
        body = render_template(partial, **context)
    else:
        body = render_template(page, result_template=partial, **context)
    # Decoded JSON can hold lone surrogates ("\ud800"): show them escaped rather than fail.
    return Response(escape_surrogates(body), status=status, mimetype="text/html")
