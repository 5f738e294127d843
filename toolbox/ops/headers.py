"""The security-header checker's operation: grade a URL (fetched SSRF-safely) or pasted headers."""

from __future__ import annotations

from typing import Annotated, Literal
from urllib.parse import urlsplit

import msgspec

from toolbox.core.headers.check import CheckResult
from toolbox.core.headers.coverage import ClassSummary, CoverageRow
from toolbox.core.headers.findings_base import Finding
from toolbox.core.headers.grading import Grade
from toolbox.core.headers.model import FixGain, Report
from toolbox.core.headers.profiles import DEFAULT_SCORING, Scoring, profile
from toolbox.core.headers.routes import MAX_PATH_LENGTH, MAX_PATHS
from toolbox.core.headers.summary import Summary, summarize, title_of
from toolbox.core.headers.tls import TlsSummary
from toolbox.core.net.model import Hop
from toolbox.ops.contract import Context, Request, operation
from toolbox.ops.errors import ErrorKind, OpError
from toolbox.ops.fetching import fetch_problems

MAX_URL = 2048
MAX_RAW = 256 * 1024
MAX_REQUEST_HEADERS = 8
HeaderName = Annotated[str, msgspec.Meta(min_length=1, max_length=64)]
RequestHeaders = Annotated[
    dict[HeaderName, Annotated[str, msgspec.Meta(max_length=4096)]],
    msgspec.Meta(max_length=MAX_REQUEST_HEADERS, description=(
        "Extra request headers for a private (staging) site, e.g. {\"Authorization\": \"Basic …\"}: sent to "
        "the URL's own origin over https only (an http URL is refused), dropped on a redirect to another "
        "origin, never logged or stored. Ignored for pasted headers.")),
]
Method = Literal["GET", "HEAD"]


class CheckRequest(Request):
    """Grade `url`, or pasted `raw` headers (then `url`, if given, is the page's address)."""

    url: Annotated[str, msgspec.Meta(max_length=MAX_URL, description=(
        "http(s) URL to fetch (SSRF-safe: public addresses only unless TOOLBOX_FETCH_ALLOW says otherwise). "
        "With `raw`: the page's address."))] = ""
    raw: Annotated[str, msgspec.Meta(max_length=MAX_RAW, description=(
        "Pasted response headers (one or several blocks of a redirect chain)."))] = ""
    method: Annotated[Method, msgspec.Meta(description="The method of the request to `url`.")] = "GET"
    follow_redirects: Annotated[bool, msgspec.Meta(description=(
        "Follow redirects (at most 5, each hop checked again); false grades the first response."))] = True
    scoring: Annotated[Scoring, msgspec.Meta(description=(
        "Observatory scoring version: v5 (the public Observatory, 1.6.3), v4 (npm 1.4.8) or v6 "
        "(upstream main, next: adds COOP and COEP)."))] = DEFAULT_SCORING
    request_headers: RequestHeaders = msgspec.field(default_factory=dict)
    sample_routes: Annotated[bool, msgspec.Meta(description=(
        "Also fetch `/` and a path that should 404 on the site's final origin, and tabulate which security "
        "headers each answer sends (each route is one more fetch against the fetch limit)."))] = False
    paths: Annotated[list[Annotated[str, msgspec.Meta(max_length=MAX_PATH_LENGTH)]], msgspec.Meta(
        max_length=MAX_PATHS, description=(
            "Up to 5 more paths to sample (an API route, a static asset), each starting with one `/`; "
            "implies `sample_routes`."))] = msgspec.field(default_factory=list)


class TestOutcome(msgspec.Struct, kw_only=True):
    """One of the Observatory's tests: pass, fail, or not measurable (null)."""

    id: str
    title: str
    passed: bool | None = msgspec.field(name="pass")
    score_modifier: int
    result: str | None
    explanation: str
    recommendation: str
    link: str


class OtherScoring(msgspec.Struct, kw_only=True):
    """The same site graded under another scoring version."""

    scoring: Scoring
    title: str
    grade: Grade
    score: int


class RoutesTable(msgspec.Struct, kw_only=True):
    """Sampled routes: which covered security headers each response sends (`rows`, the checked URL
    first), and per class of response how many send each. Their gaps are among `findings`."""

    headers: tuple[str, ...]
    rows: tuple[CoverageRow, ...]
    classes: tuple[ClassSummary, ...]


class HeadersReport(msgspec.Struct, kw_only=True):
    """The grade, its breakdown, the findings beyond it, fixes, and what was fetched."""

    grade: Grade
    score: int
    uncurved_score: int
    extra_credit_applied: bool
    withheld_bonuses: tuple[str, ...]
    best_fix: FixGain | None
    tests: tuple[TestOutcome, ...]
    findings: tuple[Finding, ...]
    fixes: dict[str, str]
    chain: tuple[Hop, ...]
    http_chain: tuple[Hop, ...] | None
    final_url: str
    notes: tuple[str, ...]
    algorithm_version: int
    scoring: Scoring
    scoring_title: str
    next: OtherScoring | None  # the grade under the next version (v6), unless that is `scoring`
    summary: Summary
    routes: RoutesTable | None = None
    tls: TlsSummary | None = None  # the https connection that answered the final response
    elapsed: float = 0.0


def report_of(result: CheckResult) -> HeadersReport:
    """The check as every adapter shows it."""
    report = result.report
    https = urlsplit(result.url).scheme == "https"
    cookies = [v for hop in result.chain for n, v in hop.headers if n.strip().lower() == "set-cookie"]
    return HeadersReport(
        grade=report.grade,  # type: ignore[arg-type]  # GRADE_CHART holds only Grade values
        score=report.score, uncurved_score=report.uncurved_score,
        extra_credit_applied=report.extra_credit_applied, withheld_bonuses=report.withheld_bonuses,
        best_fix=report.best_fix,
        tests=tuple(TestOutcome(id=t.id, title=title_of(t.id), passed=t.passed,
                                score_modifier=t.score_modifier, result=t.result, explanation=t.explanation,
                                recommendation=t.recommendation, link=t.link)
                    for t in report.tests),
        findings=result.findings, fixes=result.fixes,
        chain=result.chain, http_chain=result.http_chain,
        final_url=result.final_url, notes=result.notes, algorithm_version=report.algorithm_version,
        scoring=profile(report.scoring).name, scoring_title=profile(report.scoring).title,
        next=other_scoring(result.next_report),
        summary=summarize(report, result.headers, https, cookies or None), elapsed=result.elapsed,
        tls=result.tls,
        routes=None if result.routes is None else RoutesTable(
            headers=result.routes.headers, rows=result.routes.rows, classes=result.routes.classes),
    )


def other_scoring(report: Report | None) -> OtherScoring | None:
    """A report's grade under its own profile, in short."""
    if report is None:
        return None
    scoring = profile(report.scoring)
    return OtherScoring(scoring=scoring.name, title=scoring.title,
                        grade=report.grade, score=report.score)  # type: ignore[arg-type]


def with_scheme(url: str) -> str:
    """A bare host name ("example.com", "example.com/login") means its https:// URL, as in a browser."""
    host = url.split("/", 1)[0]
    if url and "://" not in url and not url.startswith(("/", "\\")) and ":" not in host:
        return "https://" + url
    return url


def _checked(request: CheckRequest, context: Context, which: str = "") -> CheckResult:
    """Grade pasted headers when given, else fetch the URL (spending the fetch budget right here).

    `which` ("a", "b") names the side of a comparison in refusals.
    """
    from toolbox.core.headers.check import check_raw, check_url
    from toolbox.core.headers.raw import RawHeadersError
    from toolbox.core.headers.routes import RoutePathError, routes_to_sample

    side = {"which": which} if which else {}
    prefix = f"{which.upper()}: " if which else ""
    url = with_scheme(request.url.strip())
    sampling = request.sample_routes or bool(request.paths)
    if request.raw.strip():
        if sampling:
            raise OpError(ErrorKind.INPUT, prefix + "Route sampling fetches the site: give a URL instead of "
                          "pasted headers, or turn sampling off.", title="Nothing to sample", **side)
        try:
            return check_raw(request.raw, url=url or None, scoring=request.scoring)
        except RawHeadersError as err:
            raise OpError(ErrorKind.INPUT, prefix + str(err), title="No headers found", **side) from None
    if not url:
        raise OpError(ErrorKind.INPUT, prefix + "Fill in URL, or paste response headers into Raw headers.",
                      title="Nothing to check", **side)
    try:
        routes = routes_to_sample(url, request.paths) if sampling else ()
    except RoutePathError as err:
        raise OpError(ErrorKind.INPUT, f"{prefix}Paths: {err}.", title="Path refused", **side) from None
    for _ in range(1 + len(routes)):  # the check (with its http:// and CORS probes), then each route
        context.before_fetch()
    with fetch_problems(cannot="This URL cannot be checked", failed="The site could not be fetched",
                        which=which):
        return check_url(url, context.settings.fetch_policy(), method=request.method,
                         follow_redirects=request.follow_redirects, scoring=request.scoring,
                         request_headers=tuple(request.request_headers.items()), routes=routes)


@operation("headers/check", summary="Grade a site's security headers (Observatory scoring v5, v4 or v6)",
           request=CheckRequest, result=HeadersReport)
def check_headers(request: CheckRequest, context: Context) -> HeadersReport:
    """Pasted headers when given, else fetch the URL (spending the fetch budget right here)."""
    return report_of(_checked(request, context))


class Side(msgspec.Struct, forbid_unknown_fields=True, kw_only=True):
    """One side of a comparison: a URL to fetch, or pasted headers (then `url` is the page's address)."""

    url: Annotated[str, msgspec.Meta(max_length=MAX_URL)] = ""
    raw: Annotated[str, msgspec.Meta(max_length=MAX_RAW)] = ""
    method: Method = "GET"
    follow_redirects: bool = True
    request_headers: RequestHeaders = msgspec.field(default_factory=dict)


class CompareRequest(Request):
    """Grade two responses under one scoring version and say what differs."""

    a: Annotated[Side, msgspec.Meta(description="The first response (e.g. staging, or before).")]
    b: Annotated[Side, msgspec.Meta(description="The second response (e.g. production, or after).")]
    scoring: Annotated[Scoring, msgspec.Meta(description="Observatory scoring version for both.")] = (
        DEFAULT_SCORING)


class TestChange(msgspec.Struct, kw_only=True):
    """One test on both sides; `delta` is b's score modifier minus a's."""

    id: str
    title: str
    changed: bool
    a_result: str | None
    b_result: str | None
    a_pass: bool | None
    b_pass: bool | None
    a_modifier: int
    b_modifier: int
    delta: int


class HeaderChange(msgspec.Struct, kw_only=True):
    """A security header's values on each side (empty: not sent)."""

    name: str
    changed: bool
    a: tuple[str, ...]
    b: tuple[str, ...]


class CompareReport(msgspec.Struct, kw_only=True):
    """Both reports and what differs: score and grade, each test, each security header, findings."""

    scoring: Scoring
    score_delta: int
    grade_a: Grade
    grade_b: Grade
    tests: tuple[TestChange, ...]
    headers: tuple[HeaderChange, ...]
    findings_only_a: tuple[Finding, ...]
    findings_only_b: tuple[Finding, ...]
    a: HeadersReport
    b: HeadersReport


@operation("headers/compare", summary="Compare two sites' (or two header sets') security headers",
           request=CompareRequest, result=CompareReport)
def compare_headers(request: CompareRequest, context: Context) -> CompareReport:
    """Grade `a` then `b` (each fetch spends the fetch budget) and compare them test by test."""
    from toolbox.core.headers.compare import compare_reports

    results = [_checked(CheckRequest(url=side.url, raw=side.raw, method=side.method,
                                     follow_redirects=side.follow_redirects, scoring=request.scoring,
                                     request_headers=side.request_headers),
                        context, which)
               for which, side in (("a", request.a), ("b", request.b))]
    a, b = results
    diff = compare_reports(a.report, b.report, a.headers, b.headers, a.findings, b.findings)
    return CompareReport(
        scoring=request.scoring, score_delta=diff.score_delta,
        grade_a=a.report.grade, grade_b=b.report.grade,  # type: ignore[arg-type]  # GRADE_CHART values
        tests=tuple(TestChange(id=t.id, title=title_of(t.id), changed=t.changed, a_result=t.a_result,
                               b_result=t.b_result, a_pass=t.a_pass, b_pass=t.b_pass,
                               a_modifier=t.a_modifier, b_modifier=t.b_modifier, delta=t.delta)
                    for t in diff.tests),
        headers=tuple(HeaderChange(name=h.name, changed=h.changed, a=h.a, b=h.b) for h in diff.headers),
        findings_only_a=diff.findings_only_a, findings_only_b=diff.findings_only_b,
        a=report_of(a), b=report_of(b),
    )


def request_headers_from_lines(text: str) -> dict[str, str]:
    """`Name: value` lines (a form's textarea, the CLI's --header) as request headers; blank lines
    skipped. ValueError names the line by number only: the values may be secrets."""
    headers: dict[str, str] = {}
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        name, colon, value = line.partition(":")
        if not colon or not name.strip():
            raise ValueError(f"line {number} is not \"Name: value\"")
        headers[name.strip()] = value.strip(" \t")
    if len(headers) > MAX_REQUEST_HEADERS:
        raise ValueError(f"at most {MAX_REQUEST_HEADERS} request headers")
    return headers
