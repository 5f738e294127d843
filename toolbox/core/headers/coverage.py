"""Which security headers each class of response carries, and findings for headers some lack.

A site rarely sends the same headers everywhere: the framework's pages get the CSP, the web
server's own 404 page and the API do not. `coverage(responses)` puts the responses of one site (the
routes a check sampled, or the entries of a HAR) into classes (a page, an error page, an API answer,
a script, …), tells for each security header whether it is sent, and reports a header that some
responses of a class where it matters carry and others lack. A header nobody sends is not reported
here: the Observatory's tests and the other findings already say so for the main document.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal
from urllib.parse import urlsplit

from toolbox.core.headers.findings_base import MDN_HEADERS, Finding, Headers, Severity, shown, values_of

ResponseClass = Literal["page", "error-page", "api", "script", "style", "image", "font", "redirect", "other"]
CLASS_LABELS: dict[ResponseClass, str] = {
    "page": "Page", "error-page": "Error page", "api": "API (JSON/XML)", "script": "Script",
    "style": "Stylesheet", "image": "Image", "font": "Font", "redirect": "Redirect", "other": "Other",
}
_HTML: frozenset[ResponseClass] = frozenset({"page", "error-page"})
_CONTENT: frozenset[ResponseClass] = frozenset(k for k in CLASS_LABELS if k != "redirect")
_EVERY: frozenset[ResponseClass] = frozenset(CLASS_LABELS)


@dataclass(frozen=True)
class Covered:
    """One security header the table has a column for: where it matters, and what a gap costs."""

    name: str  # as shown (canonical case)
    short: str  # column heading on narrow screens
    finding_id: str
    severity: Severity
    applies_to: frozenset[ResponseClass]
    why: str  # why a gap matters, one sentence


COVERED: tuple[Covered, ...] = (
    Covered("Strict-Transport-Security", "HSTS", "coverage-hsts", "low", _EVERY,
            "A browser learns HSTS from whichever https response it gets first; a visitor whose first "
            "request is one of these stays exposed to a downgrade on the next visit."),
    Covered("Content-Security-Policy", "CSP", "coverage-csp", "medium", _HTML,
            "Error pages often echo the requested path or a search term: an HTML response without the "
            "policy is where an injected script runs."),
    Covered("X-Frame-Options", "XFO", "coverage-frame", "medium", _HTML,
            "An HTML page without frame protection can be framed by another site (clickjacking); "
            "CSP frame-ancestors counts as protection."),
    Covered("X-Content-Type-Options", "XCTO", "coverage-xcto", "low", _CONTENT,
            "Without nosniff a browser may guess the type of a script, stylesheet or API answer and run "
            "it as something else."),
    Covered("Referrer-Policy", "Referrer", "coverage-referrer-policy", "low", _HTML,
            "Links on an HTML page without the policy send the browser's default referrer."),
    Covered("Permissions-Policy", "Permissions", "coverage-permissions-policy", "info", frozenset({"page"}),
            "Pages without it leave powerful features (camera, geolocation) to the browser's defaults."),
    Covered("Cross-Origin-Opener-Policy", "COOP", "coverage-coop", "info", frozenset({"page"}),
            "A page without it shares its browsing context group with the windows it opens."),
    Covered("Cross-Origin-Resource-Policy", "CORP", "coverage-corp", "info",
            frozenset({"api", "script", "style", "image", "font"}),
            "Without it any site can load the resource cross-origin (and cross-origin isolated pages "
            "cannot embed it under COEP require-corp unless CORS allows it)."),
)
COVERAGE_FINDING_IDS: dict[str, str] = {c.finding_id: c.severity for c in COVERED}
_FRAME_ANCESTORS = re.compile(r"(?:^|;)\s*frame-ancestors(?:\s|;|$)", re.IGNORECASE)
_MIME = re.compile(r"^\s*([a-z0-9!#$&^_.+-]+/[a-z0-9!#$&^_.+-]+)", re.IGNORECASE)


@dataclass(frozen=True)
class Response:
    """One response of the site: what it is called in the table, its URL, status and headers."""

    label: str
    url: str
    status: int
    headers: Headers


@dataclass(frozen=True)
class CoverageRow:
    """One response: the covered headers it sends, and those that matter for its class but it lacks
    (names from COVERED, in COVERED's order)."""

    label: str
    url: str
    status: int
    kind: ResponseClass
    sent: tuple[str, ...]
    lacking: tuple[str, ...] = ()


@dataclass(frozen=True)
class ClassSummary:
    """One class of responses: how many there are, and how many of them send each covered header
    (only headers that matter for the class, HSTS only where some are https; `counts` holds (name, how
    many) in COVERED's order)."""

    kind: ResponseClass
    label: str
    responses: int
    counts: tuple[tuple[str, int], ...]


@dataclass(frozen=True)
class Coverage:
    """The table (`rows`, one per response), its per-class summary, and the findings for gaps."""

    headers: tuple[str, ...]
    rows: tuple[CoverageRow, ...]
    classes: tuple[ClassSummary, ...]
    findings: tuple[Finding, ...]


def media_type(headers: Headers) -> str:
    """The Content-Type's media type, lower case ("" when absent or unreadable)."""
    values = values_of(headers, "content-type")
    match = _MIME.match(values[-1]) if values else None
    return match.group(1).lower() if match else ""


def class_of(status: int, headers: Headers) -> ResponseClass:
    """The class of a response, from its status and Content-Type."""
    if 300 <= status < 400 and values_of(headers, "location"):
        return "redirect"
    mime = media_type(headers)
    if mime in {"text/html", "application/xhtml+xml"} or (not mime and status >= 400):
        return "error-page" if status >= 400 else "page"
    if mime.startswith("image/"):
        return "image"
    if mime in {"application/json", "application/xml", "text/xml"} or mime.endswith(("+json", "+xml")):
        return "api"
    if "javascript" in mime or "ecmascript" in mime:
        return "script"
    if mime == "text/css":
        return "style"
    if mime.startswith("font/") or "font" in mime:
        return "font"
    return "other"


def _sends(headers: Headers, covered: Covered) -> bool:
    if any(v for v in values_of(headers, covered.name)):
        return True
    if covered.name == "X-Frame-Options":  # CSP frame-ancestors protects as well
        return any(_FRAME_ANCESTORS.search(v) for v in values_of(headers, "content-security-policy"))
    return False


def _applies(covered: Covered, kind: ResponseClass, url: str) -> bool:
    if kind not in covered.applies_to:
        return False
    if covered.name == "Strict-Transport-Security":  # ignored over http: only https responses count
        return urlsplit(url).scheme.lower() == "https"
    return True


def _row(response: Response) -> CoverageRow:
    kind = class_of(response.status, response.headers)
    sent = tuple(c.name for c in COVERED if _sends(response.headers, c))
    lacking = tuple(c.name for c in COVERED if c.name not in sent and _applies(c, kind, response.url))
    return CoverageRow(response.label, response.url, response.status, kind, sent, lacking)


def coverage(responses: Sequence[Response]) -> Coverage:
    """Classify `responses`, tabulate the covered headers, and report the gaps within the site."""
    rows = tuple(_row(r) for r in responses)
    kinds = list(dict.fromkeys(row.kind for row in rows))
    classes = tuple(
        ClassSummary(kind, CLASS_LABELS[kind], sum(1 for row in rows if row.kind == kind),
                     tuple((c.name, sum(1 for row in rows if row.kind == kind and c.name in row.sent))
                           for c in COVERED
                           if any(_applies(c, kind, row.url) for row in rows if row.kind == kind)))
        for kind in kinds
    )
    findings = []
    for covered in COVERED:
        relevant = [row for row in rows if _applies(covered, row.kind, row.url)]
        lacking = [row for row in relevant if covered.name not in row.sent]
        if not lacking or len(lacking) == len(relevant):
            continue
        findings.append(Finding(
            covered.finding_id, covered.severity,
            f"{covered.name} is missing on some responses",
            f"Sent by {len(relevant) - len(lacking)} of {len(relevant)} responses where it matters; "
            f"missing on {_listed(lacking)}. {covered.why}",
            fix=f"Send {covered.name} from the layer every response passes through (the reverse proxy or "
                "the web server's server-wide configuration), not from the application's page code, so "
                "error pages, static files and API answers get it too.",
            mdn=MDN_HEADERS + covered.name,
        ))
    return Coverage(tuple(c.name for c in COVERED), rows, classes, tuple(findings))


def _listed(rows: list[CoverageRow], limit: int = 5) -> str:
    named = [f"{shown(row.label)} ({CLASS_LABELS[row.kind].lower()}, {row.status})" for row in rows[:limit]]
    more = len(rows) - limit
    return ", ".join(named) + (f" and {more} more" if more > 0 else "")
