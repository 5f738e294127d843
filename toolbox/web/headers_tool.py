"""The security-header checker's pages: grade a URL (fetched SSRF-safely) or pasted headers."""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import cast

from flask import Blueprint, Response, render_template, request
from markupsafe import Markup

from toolbox.core.headers.coverage import CLASS_LABELS
from toolbox.core.headers.findings import SCORED_BY
from toolbox.core.headers.findings_base import Finding
from toolbox.core.headers.grading import GRADES, score_modifier
from toolbox.core.headers.profiles import DEFAULT_SCORING, PROFILES, SCORINGS, Scoring
from toolbox.core.headers.routes import MAX_PATH_LENGTH, MAX_PATHS
from toolbox.core.headers.score_table import SCORE_TABLE
from toolbox.ops.headers import (
    MAX_RAW,
    MAX_URL,
    CheckRequest,
    CompareRequest,
    HeadersReport,
    Side,
    request_headers_from_lines,
)
from toolbox.web.errors import keeps_input
from toolbox.web.forms import FormError, choice_field, text_field
from toolbox.web.render import render_tool, run_op

headers_bp = Blueprint("headers", __name__, url_prefix="/headers")

PAGE, PARTIAL = "headers/index.html", "headers/_result.html"
# What the form calls each field: messages use the labels the user sees.
LABELS = {"url": "URL", "raw": "Raw headers", "scoring": "Scoring", "request_headers": "Request headers",
          "paths": "More paths"}
MAX_REQUEST_HEADER_TEXT = 8 * 1024
MAX_PATHS_TEXT = (MAX_PATH_LENGTH + 2) * MAX_PATHS
# The scoring versions offered, in the form's order, with what the form calls each.
# Short: a <select> is as wide as its longest option, and it must fit a phone.
SCORING_CHOICES: tuple[tuple[Scoring, str], ...] = (
    ("v5", "v5, current (the public site)"),
    ("v4", "v4 (npm package 1.4.8)"),
    ("v6", "v6, next (adds COOP and COEP)"),
)

# Built-in samples ("Try a sample"): pasted headers of a realistic response, graded without any
# fetch. The shop sample has a weak CSP, a session cookie without flags and a short HSTS.
SAMPLES: dict[str, tuple[str, str]] = {
    "shop": (
        "https://shop.example.com/",
        "HTTP/2 200\n"
        "date: Sat, 05 Dec 2026 12:00:00 GMT\n"
        "content-type: text/html; charset=utf-8\n"
        "server: nginx/1.18.0\n"
        "x-powered-by: PHP/8.1.2\n"
        "strict-transport-security: max-age=31536000\n"
        "content-security-policy: default-src 'self'; script-src 'self' 'unsafe-inline' "
        "https://cdn.example.net; img-src * data:\n"
        "x-content-type-options: nosniff\n"
        "referrer-policy: strict-origin-when-cross-origin\n"
        "set-cookie: PHPSESSID=8f2c1e0b9a; path=/\n"
        "set-cookie: cart_id=41; path=/; Secure; SameSite=Lax\n"
        "cache-control: no-cache\n",
    ),
}
DEFAULT_SAMPLE = "shop"


def _labelled(err: FormError) -> str:
    """The form error with the field's visible label ("Raw headers: at most … characters.")."""
    text = str(err)
    return LABELS.get(err.field, err.field) + text[text.index(":"):] if ":" in text else text


@dataclass(frozen=True)
class CheckForm:
    """The checker's form as posted (or as a sample fills it), kept to show again with any result."""

    url: str = ""
    raw: str = ""
    scoring: Scoring = DEFAULT_SCORING
    request_headers: str = ""
    sample_routes: bool = False
    paths: str = ""  # one path per line
    live: bool = False  # sent by a pause in typing in Raw headers (htmx), not by the Check button


def _page(form: CheckForm, *, status: int = 200, **context: object) -> Response:
    return render_tool(PAGE, PARTIAL, status=status, form=form, scoring_choices=SCORING_CHOICES,
                       sample_name=DEFAULT_SAMPLE, route_kinds=CLASS_LABELS, **context)


# Results whose test passes although the header is not sent: the test's line says so in words, as the
# header's pill is listed under "Not sent".
NOT_SENT_NOTES = {
    "corp-not-implemented": "Not sending Cross-Origin-Resource-Policy is not penalised; sending it with "
                            "same-origin or same-site earns a +10 bonus.",
}


def _split_findings(findings: tuple[Finding, ...]) -> tuple[dict[str, list[Finding]], list[Finding]]:
    """(findings shown with the test that scores them, by test id; the findings beyond the grade)."""
    with_test: dict[str, list[Finding]] = {}
    beyond = []
    for finding in findings:
        test_id = SCORED_BY.get(finding.id)
        if test_id is None:
            beyond.append(finding)
        else:
            with_test.setdefault(test_id, []).append(finding)
    return with_test, beyond


def _paths(text: str) -> list[str]:
    return [line.strip(" \t") for line in text.splitlines() if line.strip(" \t")]


def _check(form: CheckForm) -> Response:
    try:
        extra = request_headers_from_lines(form.request_headers)
    except ValueError as err:
        return _page(form, status=400, error=f"Request headers: {err}.")
    paths = _paths(form.paths)
    if len(paths) > MAX_PATHS:
        return _page(form, status=400, error=f"More paths: at most {MAX_PATHS} paths, one per line.")
    body = CheckRequest(url=form.url, raw=form.raw, scoring=form.scoring,
                        request_headers=extra, sample_routes=form.sample_routes, paths=paths)
    outcome = run_op("headers/check", body)
    if outcome.problem is not None:
        # Shown where the result would be, with the input kept; the status stays a 4xx.
        return _page(form, status=outcome.status, error=outcome.problem)
    result = outcome.result
    findings = result.findings if isinstance(result, HeadersReport) else ()
    with_test, beyond = _split_findings(findings)
    return _page(form, result=result, test_findings=with_test, beyond=beyond, not_sent_notes=NOT_SENT_NOTES)


@headers_bp.route("/", methods=["GET", "POST"])
def index() -> Response:
    """The checker: GET shows the form (graded when it names a sample), POST shows the grade.

    A pause in typing in Raw headers posts `live=1` (the what-if): graded at once from the pasted
    text; with nothing pasted it answers 204 and fetches nothing.
    """
    if request.method == "GET":
        sample = SAMPLES.get(request.args.get("sample", ""))
        if sample is None:
            return _page(CheckForm())
        return _check(CheckForm(url=sample[0], raw=sample[1]))
    try:
        form = CheckForm(
            url=text_field("url", max_length=MAX_URL),
            raw=text_field("raw", max_length=MAX_RAW),
            scoring=cast(Scoring, choice_field("scoring", choices=SCORINGS, default=DEFAULT_SCORING)),
            request_headers=text_field("request_headers", max_length=MAX_REQUEST_HEADER_TEXT),
            sample_routes=request.form.get("sample_routes") == "on",
            paths=text_field("paths", max_length=MAX_PATHS_TEXT),
            live=request.form.get("live") == "1",
        )
    except FormError as err:
        return _page(_kept_input(), status=400, error=_labelled(err))
    if form.live and not form.raw.strip():
        return Response(status=204)  # the what-if grades pasted headers only: never a fetch
    if form.live:
        form = replace(form, sample_routes=False, paths="")
    return _check(form)


def _kept_input() -> CheckForm:
    """The form's fields as posted (clipped, NUL removed), to show them again with an error."""
    def kept(name: str, limit: int) -> str:
        return request.form.get(name, "")[:limit].replace("\x00", "")

    scoring = request.form.get("scoring", "")
    return CheckForm(url=kept("url", MAX_URL), raw=kept("raw", MAX_RAW),
                     scoring=scoring if scoring in SCORINGS else DEFAULT_SCORING,
                     request_headers=kept("request_headers", MAX_REQUEST_HEADER_TEXT),
                     sample_routes=request.form.get("sample_routes") == "on",
                     paths=kept("paths", MAX_PATHS_TEXT))


@keeps_input("headers.index")
def _index_with_error(box: Markup) -> str:
    """The checker as posted, with an error (a spent rate limit, ...) where the result goes."""
    return render_template(PAGE, form=_kept_input(), scoring_choices=SCORING_CHOICES,
                           sample_name=DEFAULT_SAMPLE, error_box=box)


def _modifiers_by_scoring() -> list[tuple[str, str, dict[str, int | None]]]:
    """(result, meaning, {scoring: modifier, or None where that version has no such result})."""
    return [(result, score.description,
             {name: score_modifier(result, PROFILES[name]) if PROFILES[name].scores(result) else None
              for name in SCORINGS})
            for result, score in SCORE_TABLE.items()]


@headers_bp.get("/algorithm")
def algorithm() -> Response:
    """How the grade is computed, under each Observatory scoring version."""
    return render_tool("headers/algorithm.html", "headers/algorithm.html", rows=_modifiers_by_scoring(),
                       profiles=[PROFILES[name] for name in SCORINGS], grades=GRADES)


COMPARE_PAGE, COMPARE_PARTIAL = "headers/compare.html", "headers/_compare_result.html"
COMPARE_FIELDS = (("a_url", MAX_URL), ("a_raw", MAX_RAW), ("b_url", MAX_URL), ("b_raw", MAX_RAW))
COMPARE_LABELS = {"a_url": "A URL", "a_raw": "A pasted headers", "b_url": "B URL",
                  "b_raw": "B pasted headers", "scoring": "Scoring"}
# "Try a sample": the shop sample before and after the fixes its own check proposes.
COMPARE_SAMPLE = {
    "a_url": SAMPLES["shop"][0], "a_raw": SAMPLES["shop"][1], "b_url": SAMPLES["shop"][0],
    "b_raw": SAMPLES["shop"][1]
    .replace("max-age=31536000", "max-age=63072000; includeSubDomains")
    .replace("'unsafe-inline' https://cdn.example.net; img-src * data:",
             "https://cdn.example.net; img-src 'self' data:; object-src 'none'; base-uri 'none'")
    .replace("PHPSESSID=8f2c1e0b9a; path=/", "PHPSESSID=8f2c1e0b9a; path=/; Secure; HttpOnly; SameSite=Lax")
    + "x-frame-options: DENY\n",
    "scoring": DEFAULT_SCORING,
}


def _compare_form() -> dict[str, str]:
    """The comparison form as posted, clipped and without NUL, to show again (with an error too)."""
    form = {name: request.form.get(name, "")[:limit].replace("\x00", "") for name, limit in COMPARE_FIELDS}
    scoring = request.form.get("scoring", "")
    form["scoring"] = scoring if scoring in SCORINGS else DEFAULT_SCORING
    return form


def _compare_page(form: dict[str, str], *, status: int = 200, **context: object) -> Response:
    return render_tool(COMPARE_PAGE, COMPARE_PARTIAL, status=status, form=form,
                       scoring_choices=SCORING_CHOICES, **context)


def _compared(form: dict[str, str]) -> Response:
    body = CompareRequest(a=Side(url=form["a_url"], raw=form["a_raw"]),
                          b=Side(url=form["b_url"], raw=form["b_raw"]),
                          scoring=form["scoring"])  # type: ignore[arg-type]  # checked by the caller
    outcome = run_op("headers/compare", body)
    if outcome.problem is not None:
        return _compare_page(form, status=outcome.status, error=outcome.problem)
    return _compare_page(form, result=outcome.result)


@headers_bp.route("/compare", methods=["GET", "POST"])
def compare() -> Response:
    """Two sites or two pasted header sets side by side (GET: the form, or the sample compared)."""
    if request.method == "GET":
        if request.args.get("sample") == "before-after":
            return _compared(COMPARE_SAMPLE)
        return _compare_page({**{name: "" for name, _ in COMPARE_FIELDS}, "scoring": DEFAULT_SCORING})
    try:
        form = {name: text_field(name, max_length=limit) for name, limit in COMPARE_FIELDS}
        form["scoring"] = choice_field("scoring", choices=SCORINGS, default=DEFAULT_SCORING)
    except FormError as err:
        text = str(err)
        message = COMPARE_LABELS.get(err.field, err.field) + text[text.index(":"):] if ":" in text else text
        return _compare_page(_compare_form(), status=400, error=message)
    return _compared(form)


@keeps_input("headers.compare")
def _compare_with_error(box: Markup) -> str:
    """The comparison as posted, with an error (a spent rate limit, ...) where the result goes."""
    return render_template(COMPARE_PAGE, form=_compare_form(), scoring_choices=SCORING_CHOICES, error_box=box)
