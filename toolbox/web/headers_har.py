"""The header checker's HAR page (/headers/har) and API (POST /api/v1/headers/har): grade the main
document of a HAR exported from devtools, and show which security headers the site's other responses send."""

from __future__ import annotations

import json
from typing import Any

from flask import Blueprint, Response, render_template, request
from markupsafe import Markup

from toolbox.core.headers.coverage import CLASS_LABELS, COVERED
from toolbox.core.headers.findings import SCORED_BY
from toolbox.core.headers.findings_base import Finding
from toolbox.core.headers.har import MAX_HAR_CHARS
from toolbox.core.headers.profiles import DEFAULT_SCORING, SCORINGS, Scoring
from toolbox.ops import OPERATIONS
from toolbox.ops.headers_har import HarReport, HarRequest
from toolbox.web.api import ApiBlueprint
from toolbox.web.errors import keeps_input
from toolbox.web.forms import FormError, choice_field, text_field
from toolbox.web.headers_tool import NOT_SENT_NOTES, SCORING_CHOICES
from toolbox.web.render import render_tool, run_op

headers_har_bp = Blueprint("headers_har", __name__, url_prefix="/headers")
headers_har_api_bp = ApiBlueprint("api_headers_har", __name__, tag="headers", url_prefix="/api/v1/headers")
headers_har_api_bp.add_operation(OPERATIONS["headers/har"])

PAGE, PARTIAL = "headers/har.html", "headers/_har_result.html"
LABELS = {"har": "HAR", "har_file": "HAR file", "scoring": "Scoring"}
SHORT_NAMES = {c.name: c.short for c in COVERED}
ROW_LIMIT = 200  # responses listed one by one on the page (a HAR may hold 5,000)


def _header(name: str, value: str) -> dict[str, str]:
    return {"name": name, "value": value}


def _entry(url: str, status: int, headers: list[tuple[str, str]], mime: str, kind: str,
           text: str | None = None, method: str = "GET") -> dict[str, Any]:
    content: dict[str, Any] = {"size": len(text or ""), "mimeType": mime}
    if text is not None:
        content["text"] = text
    return {
        "pageref": "page_1", "startedDateTime": "2026-12-05T12:00:00.000Z", "time": 42.5,
        "_resourceType": kind,
        "request": {"method": method, "url": url, "httpVersion": "http/2.0", "headers": [], "queryString": [],
                    "cookies": [], "headersSize": -1, "bodySize": 0},
        "response": {"status": status, "statusText": "", "httpVersion": "http/2.0",
                     "headers": [_header(n, v) for n, v in headers], "cookies": [],
                     "content": content, "redirectURL": "", "headersSize": -1, "bodySize": len(text or "")},
        "cache": {}, "timings": {"blocked": 1.2, "dns": -1, "connect": -1, "send": 0.1, "wait": 40.0,
                                 "receive": 1.2, "ssl": -1},
    }


_SITE = [("strict-transport-security", "max-age=31536000"), ("x-content-type-options", "nosniff")]
_PAGE_BODY = ('<!doctype html><html lang="en"><head><title>Shop</title>'
              '<script src="/static/app.js"></script>'
              '<script src="https://cdn.tracker.example/t.js"></script></head>'
              '<body><h1>Shop</h1></body></html>')
# "Try a sample": a made-up visit to a shop. The page gets the framework's headers; the API answer,
# the web server's 404 page and the static script miss some; a third-party script is listed apart.
SAMPLE_HAR: dict[str, Any] = {"log": {
    "version": "1.2", "creator": {"name": "WebInspector", "version": "537.36"},
    "pages": [{"startedDateTime": "2026-12-05T12:00:00.000Z", "id": "page_1", "title": "http://shop.example.com/",
               "pageTimings": {"onContentLoad": 310.5, "onLoad": 402.1}}],
    "entries": [
        _entry("http://shop.example.com/", 301, [("location", "https://shop.example.com/"),
                                                 ("content-type", "text/html"), ("server", "nginx")],
               "text/html", "document", ""),
        _entry("https://shop.example.com/", 200, [
            ("content-type", "text/html; charset=utf-8"), ("server", "nginx"), *_SITE,
            ("content-security-policy", "default-src 'self'; script-src 'self' https://cdn.tracker.example; "
                                        "object-src 'none'; base-uri 'none'; frame-ancestors 'none'"),
            ("referrer-policy", "strict-origin-when-cross-origin"),
            ("set-cookie", "session=3f9a1c; Path=/; Secure; HttpOnly; SameSite=Lax")],
            "text/html", "document", _PAGE_BODY),
        _entry("https://shop.example.com/static/app.js", 200,
               [("content-type", "application/javascript"), *_SITE, ("cache-control", "max-age=86400")],
               "application/javascript", "script", "document.title = 'Shop';"),
        _entry("https://cdn.tracker.example/t.js", 200, [("content-type", "text/javascript")],
               "text/javascript", "script", "void 0;"),
        _entry("https://shop.example.com/api/cart", 200, [("content-type", "application/json")],
               "application/json", "fetch", '{"items": 2}'),
        _entry("https://shop.example.com/favicon.ico", 404,
               [("content-type", "text/html"), ("server", "nginx"), *_SITE],
               "text/html", "other", "<html><body>404 Not Found</body></html>"),
    ],
}}
SAMPLES = {"shop": json.dumps(SAMPLE_HAR, indent=2)}
DEFAULT_SAMPLE = "shop"


def _page(har: str, scoring: str = DEFAULT_SCORING, *, status: int = 200, **context: object) -> Response:
    return render_tool(PAGE, PARTIAL, status=status, har=har, scoring=scoring,
                       scoring_choices=SCORING_CHOICES, sample_name=DEFAULT_SAMPLE,
                       max_mib=MAX_HAR_CHARS // (1024 * 1024), **context)


def _checked(har: str, scoring: Scoring, shown: str) -> Response:
    """Grade `har`; the page keeps `shown` in the textarea (the paste, not an uploaded file's text)."""
    outcome = run_op("headers/har", HarRequest(har=har, scoring=scoring))
    if outcome.problem is not None:
        return _page(shown, scoring, status=outcome.status, error=outcome.problem)
    result = outcome.result
    assert isinstance(result, HarReport)  # nosec B101  # run_op ran headers/har
    with_test: dict[str, list[Finding]] = {}
    beyond: list[Finding] = []
    for finding in result.report.findings:
        test_id = SCORED_BY.get(finding.id)
        (with_test.setdefault(test_id, []) if test_id else beyond).append(finding)
    return _page(shown, scoring, har_result=result, result=result.report, test_findings=with_test,
                 beyond=beyond, not_sent_notes=NOT_SENT_NOTES, short_names=SHORT_NAMES,
                 class_labels=CLASS_LABELS, row_limit=ROW_LIMIT)


def _uploaded() -> str | None:
    """The uploaded file's text (None when no file was chosen); FormError when it cannot be read."""
    upload = request.files.get("har_file")
    if upload is None or not upload.filename:
        return None
    data: bytes = upload.read(MAX_HAR_CHARS * 4 + 1)
    if not data.strip():
        raise FormError("har_file", "the file is empty")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        raise FormError("har_file", f"not UTF-8 text (byte {err.start:,}): is it a HAR?") from None


def _labelled(err: FormError) -> str:
    text = str(err)
    return LABELS.get(err.field, err.field) + text[text.index(":"):] if ":" in text else text


@headers_har_bp.route("/har", methods=["GET", "POST"])
def index() -> Response:
    """The HAR page: GET shows the form (or grades a sample), POST grades the upload or the paste."""
    if request.method == "GET":
        sample = SAMPLES.get(request.args.get("sample", ""))
        if sample is None:
            return _page("")
        return _checked(sample, DEFAULT_SCORING, sample)
    try:
        pasted = text_field("har", max_length=MAX_HAR_CHARS)
        scoring = choice_field("scoring", choices=SCORINGS, default=DEFAULT_SCORING)
        uploaded = _uploaded()
    except FormError as err:
        kept = _kept_input()
        return _page(kept["har"], kept["scoring"], status=400, error=_labelled(err))
    har = uploaded if uploaded is not None else pasted
    if not har.strip():
        return _page(pasted, scoring, status=400,
                     error="Choose a HAR file, or paste a HAR's JSON into the text box.")
    return _checked(har, scoring, pasted)  # type: ignore[arg-type]  # choice_field checked it


def _kept_input() -> dict[str, str]:
    """The paste and the scoring as posted (clipped, NUL removed), to show them again with an error."""
    scoring = request.form.get("scoring", "")
    return {"har": request.form.get("har", "")[:MAX_HAR_CHARS].replace("\x00", ""),
            "scoring": scoring if scoring in SCORINGS else DEFAULT_SCORING}


@keeps_input("headers_har.index")
def _index_with_error(box: Markup) -> str:
    """The HAR page as posted (the paste; a file is not shown again), with an error where the result goes."""
    kept = _kept_input()
    return render_template(PAGE, har=kept["har"], scoring=kept["scoring"], scoring_choices=SCORING_CHOICES,
                           sample_name=DEFAULT_SAMPLE, max_mib=MAX_HAR_CHARS // (1024 * 1024), error_box=box)
