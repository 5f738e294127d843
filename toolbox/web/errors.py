"""Error responses: a page, an htmx partial, or RFC 9457 problem+json under /api."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from flask import Flask, Response, g, jsonify, render_template, request
from markupsafe import Markup
from werkzeug.exceptions import HTTPException

from toolbox.ops.errors import ErrorKind, OpError
from toolbox.web.htmx import is_htmx

log = logging.getLogger("toolbox")

PROBLEM_TYPE = "application/problem+json"

# What a person should read; werkzeug's defaults are written for developers.
FRIENDLY_DETAIL = {
    400: "The request could not be understood. Check what you sent and try again.",
    401: "This API needs a valid bearer token.",
    403: "This request was refused.",
    404: "There is nothing at this address.",
    405: "This address does not accept that method.",
    413: "The request is larger than this server accepts.",
    415: "Send the body as application/json.",
    422: "The request was understood but its content cannot be processed.",
    429: "Too many requests. Wait a moment and try again.",
    500: "Something went wrong on our side. Nothing you sent was kept.",
}


# Headings a person reads on a page (problem+json keeps the HTTP reason phrase as its title).
FRIENDLY_TITLE = {
    400: "Check what you entered",
    401: "Sign-in needed",
    403: "Not allowed",
    404: "Page not found",
    405: "Not available this way",
    413: "Too large",
    415: "Not accepted",
    422: "Cannot use this input",
    429: "Too many requests",
    500: "Something went wrong",
}

# Tool pages that, when a plain form post (no JavaScript) fails, come back with what the user
# entered and the error where the result would be: endpoint -> builds that page around the error.
InputPage = Callable[[Markup], str]
KEEPS_INPUT: dict[str, InputPage] = {}


def keeps_input(endpoint: str) -> Callable[[InputPage], InputPage]:
    """Register the page `endpoint` re-renders with the posted fields and an error (see render_error)."""

    def register(page: InputPage) -> InputPage:
        KEEPS_INPUT[endpoint] = page
        return page

    return register


class ProblemError(HTTPException):
    """An HTTP error carrying extra problem+json members (e.g. `errors`, `reason`)."""

    def __init__(
        self, status: int, detail: str, *, extra: dict[str, Any] | None = None, title: str = ""
    ) -> None:
        super().__init__(description=detail)
        self.code = status
        self.extra = extra or {}
        self.title = title


# One table from an operation's error kind to an HTTP status (the CLI has one to exit codes).
STATUS_OF_KIND: dict[ErrorKind, int] = {
    ErrorKind.INPUT: 422,
    ErrorKind.UNUSABLE: 422,
    ErrorKind.REFUSED: 422,
    ErrorKind.FAILED: 422,
    ErrorKind.TOO_LARGE: 413,
}


def status_of(err: OpError) -> int:
    """The HTTP status for an operation's refusal; a fetch refused by policy is also a security event."""
    if err.kind is ErrorKind.REFUSED:
        from toolbox.web.requestlog import security_event

        # The reason never names an internal address; the URL (user input) is not logged.
        security_event("fetch-refused", reason=str(err.details.get("reason", "")))
    return STATUS_OF_KIND[err.kind]


def problem_of(err: OpError) -> ProblemError:
    """The problem+json (or error page) for an operation's refusal; its `details` become members."""
    return ProblemError(status_of(err), err.message, extra={"kind": err.kind.value, **err.details},
                        title=err.title)


def init_app(app: Flask) -> None:
    """Register handlers for every HTTP error and for unexpected exceptions."""
    app.register_error_handler(HTTPException, _handle_http)
    app.register_error_handler(Exception, _handle_unexpected)


def wants_problem_json() -> bool:
    """API paths answer errors as problem+json."""
    return request.path == "/api" or request.path.startswith("/api/")


def _handle_http(error: HTTPException) -> Response:
    status = error.code or 500
    default_description = type(error).description
    detail = error.description if error.description != default_description else None
    wait = 0
    if status == 429:
        from toolbox.web.ratelimit import retry_after_seconds

        wait = retry_after_seconds()
        # flask-limiter describes the breached limit ("10 per 1 minute"); say it in words.
        limit = f" (limit: {detail})" if detail else ""
        detail = f"Too many requests from your address{limit}. Try again in {_seconds(wait)}."
    detail = detail or FRIENDLY_DETAIL.get(status, error.name)
    title = getattr(error, "title", "") or error.name
    extra = getattr(error, "extra", {})
    response = render_error(status, title, detail, extra)
    if status == 429:
        response.headers["Retry-After"] = str(wait)
    if status == 405 and error.valid_methods:  # type: ignore[attr-defined]
        response.headers["Allow"] = ", ".join(error.valid_methods)  # type: ignore[attr-defined]
    for name, value in (error.get_headers() if status == 401 else []):
        if name.lower() == "www-authenticate":
            response.headers[name] = value
    return response


def _handle_unexpected(error: Exception) -> Response:
    # The formatter logs the exception type and code locations, never the message.
    log.error("unhandled", exc_info=error, extra={"fields": {"event": "error",
              "request_id": g.get("request_id")}})
    return render_error(500, "Internal Server Error", FRIENDLY_DETAIL[500], {})


def _seconds(n: int) -> str:
    return "1 second" if n == 1 else f"{n} seconds"


def render_error(status: int, title: str, detail: str, extra: dict[str, Any]) -> Response:
    """Build the error response in the form the client asked for.

    A page never shows HTTP jargon ("422 Unprocessable Entity"): its heading is a phrase from
    FRIENDLY_TITLE. A failed plain form post to a tool page comes back as that page with the
    user's input kept (KEEPS_INPUT), except when the body was too large to read.
    """
    if wants_problem_json():
        body = {"type": "about:blank", "title": title, "status": status, "detail": detail}
        body.update(extra)
        body["request_id"] = g.get("request_id")
        response = jsonify(body)
        response.status_code = status
        response.mimetype = PROBLEM_TYPE
        return response
    heading = FRIENDLY_TITLE.get(status, "Something went wrong")
    context = {"status": status, "title": title, "heading": heading, "detail": detail,
               "extra": extra, "request_id": g.get("request_id")}
    if is_htmx():
        return Response(render_template("errors/_error.html", **context), status=status, mimetype="text/html")
    page = KEEPS_INPUT.get(request.endpoint or "") if request.method == "POST" and status != 413 else None
    if page is not None:
        try:
            # Rendered by an autoescaping template: safe to embed as markup.
            box = Markup(render_template("errors/_error.html", **context))  # noqa: S704 - an autoescaped template  # nosec B704
            html = page(box)
        except Exception as exc:  # noqa: BLE001 - the plain error page below still answers
            log.error("keep-input page failed", exc_info=exc, extra={"fields": {
                "event": "error", "request_id": g.get("request_id")}})
        else:
            from toolbox.core.text import escape_surrogates

            return Response(escape_surrogates(html), status=status, mimetype="text/html")
    return Response(render_template("errors/error.html", **context), status=status, mimetype="text/html")
