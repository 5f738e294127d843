"""The security-header checker's pages: grade a URL (fetched SSRF-safely) or pasted headers."""

from __future__ import annotations

from flask import Blueprint, Response, request

from toolbox.core.headers.grading import GRADES
from toolbox.core.headers.score_table import SCORE_TABLE
from toolbox.ops.headers import MAX_RAW, MAX_URL, CheckRequest
from toolbox.web.errors import ProblemError
from toolbox.web.forms import FormError, text_field
from toolbox.web.render import render_tool, run_op

headers_bp = Blueprint("headers", __name__, url_prefix="/headers")


@headers_bp.route("/", methods=["GET", "POST"])
def index() -> Response:
    """The checker: GET shows the form, POST (form or htmx) shows the grade."""
    if request.method == "GET":
        return render_tool("headers/index.html", "headers/_result.html", url="", raw="")
    try:
        url = text_field("url", max_length=MAX_URL)
        raw = text_field("raw", max_length=MAX_RAW)
    except FormError as err:
        raise ProblemError(400, str(err)) from None
    outcome = run_op("headers/check", CheckRequest(url=url, raw=raw))
    if outcome.problem is not None:
        raise ProblemError(outcome.status, outcome.problem)
    return render_tool("headers/index.html", "headers/_result.html", url=url, raw=raw, result=outcome.result)


@headers_bp.get("/algorithm")
def algorithm() -> Response:
    """How the grade is computed (the Observatory's scoring, version 4)."""
    return render_tool("headers/algorithm.html", "headers/algorithm.html", table=SCORE_TABLE, grades=GRADES)
