"""The security-header checker's pages: grade a URL (fetched SSRF-safely) or pasted headers."""

from __future__ import annotations

from flask import Blueprint, Response, request

from toolbox.core.headers.check import CheckResult, check_raw, check_url
from toolbox.core.headers.raw import RawHeadersError
from toolbox.core.headers.score_table import SCORE_TABLE
from toolbox.core.net import FetchError, FetchRefused
from toolbox.web.errors import ProblemError
from toolbox.web.forms import FormError, text_field
from toolbox.web.ratelimit import count_fetch
from toolbox.web.remote_keys import fetch_policy
from toolbox.web.render import render_tool
from toolbox.web.requestlog import security_event

headers_bp = Blueprint("headers", __name__, url_prefix="/headers")

MAX_RAW = 256 * 1024
GRADES = ("A+", "A", "A-", "B+", "B", "B-", "C+", "C", "C-", "D+", "D", "D-", "F")


def run_check(url: str, raw: str) -> CheckResult:
    """Check pasted headers when given, else fetch the URL; ProblemError (422) says why not.

    The page and the API both come here, and the fetch counts against the fetch limit right
    where it is done (count_fetch), so no other reading of the request decides what fetches.
    """
    if raw.strip():
        try:
            return check_raw(raw, url=url.strip() or None)
        except RawHeadersError as err:
            raise ProblemError(422, str(err), title="No headers found") from None
    if not url.strip():
        raise ProblemError(422, "Give a URL to check, or paste response headers.")
    count_fetch()
    try:
        return check_url(url.strip(), fetch_policy())
    except FetchRefused as err:
        # The reason never names an internal address; the URL (user input) is not logged.
        security_event("fetch-refused", reason=err.reason)
        raise ProblemError(422, f"This URL cannot be checked: {err.reason}.",
                           extra={"reason": err.reason}, title="URL refused") from None
    except FetchError as err:
        raise ProblemError(422, f"The site could not be fetched: {err.reason}.",
                           extra={"reason": err.reason}, title="Fetch failed") from None


@headers_bp.route("/", methods=["GET", "POST"])
def index() -> Response:
    """The checker: GET shows the form, POST (form or htmx) shows the grade."""
    if request.method == "GET":
        return render_tool("headers/index.html", "headers/_result.html", url="", raw="")
    try:
        url = text_field("url", max_length=2048)
        raw = text_field("raw", max_length=MAX_RAW)
    except FormError as err:
        raise ProblemError(400, str(err)) from None
    result = run_check(url, raw)
    return render_tool("headers/index.html", "headers/_result.html", url=url, raw=raw, result=result)


@headers_bp.get("/algorithm")
def algorithm() -> Response:
    """How the grade is computed (the Observatory's scoring, version 4)."""
    return render_tool("headers/algorithm.html", "headers/algorithm.html", table=SCORE_TABLE, grades=GRADES)
