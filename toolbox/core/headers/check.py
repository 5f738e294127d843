"""Check a site: fetch it (SSRF-safe), probe its http:// form and CORS, then grade and explain.

Also the paste mode: raw header blocks get the same analysis with redirection not measurable.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from toolbox.core.headers.analyze import analyze
from toolbox.core.headers.coverage import Coverage, Response
from toolbox.core.headers.findings import analyze_findings
from toolbox.core.headers.findings_base import SEVERITY_ORDER, Finding
from toolbox.core.headers.fixes import fix_snippets
from toolbox.core.headers.model import Headers, Hop, Report, ScanInput
from toolbox.core.headers.profiles import DEFAULT_SCORING, NEXT_SCORING, Scoring
from toolbox.core.headers.raw import scan_input_from_raw
from toolbox.core.headers.routes import Route, route_coverage, sample_routes
from toolbox.core.headers.tls import TlsSummary, tls_summary
from toolbox.core.net import FetchError, FetchPolicy, FetchResult, fetch

PROBE_ORIGIN = "https://probe.invalid"


@dataclass(frozen=True)
class CheckResult:
    """The grade and its breakdown, the findings, and what was fetched."""

    report: Report
    url: str
    final_url: str
    chain: tuple[Hop, ...]  # the scanned URL's redirect chain, final response last
    http_chain: tuple[Hop, ...] | None  # the http:// probe; None when not measurable
    headers: Headers  # the final response's headers, in order, duplicates kept
    findings: tuple[Finding, ...] = ()  # beyond the Observatory: do not change the score
    fixes: dict[str, str] = field(default_factory=dict)  # server name -> snippet
    notes: tuple[str, ...] = ()
    elapsed: float = 0.0
    next_report: Report | None = None  # the same site under the next scoring version (v6)
    routes: Coverage | None = None  # sampled routes: which security headers each class sends
    tls: TlsSummary | None = None  # the connection that answered the final response (https only)


Fetcher = Callable[..., FetchResult]


def _hops(result: FetchResult) -> tuple[Hop, ...]:
    return result.hops


def _http_form(url: str) -> str | None:
    """The http:// form of an https URL (same host; same port only when the URL names one).

    None for a URL urllib cannot split ("https://[[…"): the fetch of the URL itself refuses it.
    """
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 - raises ValueError for a port that is not a number
    except ValueError:
        return None
    if parts.scheme != "https":
        return None
    netloc = parts.netloc if parts.port is not None else (parts.hostname or "")
    if parts.port is None and ":" in netloc:  # an IPv6 literal without a port
        netloc = f"[{netloc}]"
    return urlunsplit(("http", netloc, parts.path or "/", parts.query, ""))


def graded(scan: ScanInput, scoring: Scoring) -> tuple[Report, Report | None]:
    """The report under `scoring`, and under the next version when that is another one."""
    return analyze(scan, scoring), (analyze(scan, NEXT_SCORING) if scoring != NEXT_SCORING else None)


def _same_origin(a: str, b: str) -> bool:
    try:
        first, second = urlsplit(a), urlsplit(b)
        return (first.scheme, first.hostname, first.port) == (second.scheme, second.hostname, second.port)
    except ValueError:  # not splittable: not the same origin
        return False


def check_url(url: str, policy: FetchPolicy, *, method: str = "GET", follow_redirects: bool = True,
              fetcher: Fetcher = fetch, scoring: Scoring = DEFAULT_SCORING,
              request_headers: Headers = (), routes: Sequence[Route] = ()) -> CheckResult:
    """Fetch `url` and grade it; FetchError (refused or failed) propagates with its reason.

    `request_headers` (a staging site's credentials) go with the request and the CORS probe to
    the URL's own origin over https only (the fetcher refuses an http URL and drops them on a
    redirect elsewhere); never with the http:// probe.
    `routes` (routes.py) are fetched afterwards on the final URL's origin, one fetch each; their
    coverage findings join the others.
    """
    started = time.monotonic()
    http_url = _http_form(url.strip())
    notes: list[str] = []
    cors_kwargs: dict[str, Any] = {"policy": policy, "method": "GET", "follow_redirects": False,
                                   "headers": [("Origin", PROBE_ORIGIN)], "private_headers": request_headers}
    # The site, its http:// form and the CORS probe are fetched side by side: a slow site costs
    # one wait, not three. The probe goes to the URL as given; after a redirect it is repeated
    # against the final URL.
    with ThreadPoolExecutor(max_workers=2) as pool:
        http_future = pool.submit(fetcher, http_url, policy=policy, method="GET") if http_url else None
        cors_future = pool.submit(fetcher, url, **cors_kwargs)
        main = fetcher(url, policy=policy, method=method, follow_redirects=follow_redirects,
                       private_headers=request_headers)
        chain = _hops(main)
        http_chain: tuple[Hop, ...] | None = chain  # the scanned URL is itself http://
        if http_future is not None:
            try:
                http_chain = _hops(http_future.result())
            except FetchError as err:
                http_chain = ()
                notes.append(f"The http:// form could not be checked: {err.reason}.")
        try:
            probe = cors_future.result()
            if main.final_url != probe.final_url:
                if not _same_origin(url, main.final_url):  # credentials stay with their origin
                    cors_kwargs["private_headers"] = ()
                probe = fetcher(main.final_url, **cors_kwargs)
            cors_headers: Headers | None = tuple(probe.final.headers)
        except FetchError as err:
            cors_headers = None
            notes.append(f"The CORS probe failed: {err.reason}.")
    final = main.final
    body = main.body.decode("utf-8", "replace")
    scan = ScanInput(url=url, headers=tuple(final.headers), body=body, status=final.status,
                     https_chain=chain, http_chain=http_chain, cors_headers=cors_headers,
                     cors_origin=PROBE_ORIGIN)
    findings, fixes = explain(scan.headers, main.final_url, cors_headers, chain)
    tls = None if main.tls is None else tls_summary(main.tls, main.final_url, scan.headers, datetime.now(UTC))
    if tls is not None:
        findings = _merged(findings, tls.findings)
    table = None
    if routes:
        credentials = request_headers if _same_origin(url, main.final_url) else ()
        sampled, failed = sample_routes(main.final_url, routes, policy, fetcher=fetcher,
                                        request_headers=credentials)
        notes += failed
        checked = Response(f"{urlsplit(main.final_url).path or '/'} (checked)", main.final_url, final.status,
                           scan.headers)
        table = route_coverage(checked, sampled)
        findings = _merged(findings, table.findings)
    report, next_report = graded(scan, scoring)
    return CheckResult(report, url, main.final_url, chain, http_chain, scan.headers, findings,
                       fixes, tuple(notes), time.monotonic() - started, next_report, table, tls)


def _merged(findings: tuple[Finding, ...], more: tuple[Finding, ...]) -> tuple[Finding, ...]:
    """Both sets of findings in one list, most severe first (then by id), as analyze_findings sorts."""
    return tuple(sorted((*findings, *more), key=lambda f: (SEVERITY_ORDER[f.severity], f.id)))


def check_raw(raw: str, url: str | None = None, body: str = "",
              scoring: Scoring = DEFAULT_SCORING) -> CheckResult:
    """Grade pasted response headers (one or several blocks of a redirect chain)."""
    scan = scan_input_from_raw(raw, url=url, body=body)
    chain = scan.https_chain or (Hop(scan.url, scan.status, headers=scan.headers),)
    findings, fixes = explain(scan.headers, scan.url, None, chain)
    # No note that redirection is not measurable: its test says so, and the verdict counts it.
    report, next_report = graded(scan, scoring)
    return CheckResult(report, scan.url, chain[-1].url, chain, None, scan.headers, findings, fixes,
                       next_report=next_report)


def explain(headers: Headers, url: str, cors: Headers | None,
             chain: tuple[Hop, ...]) -> tuple[tuple[Finding, ...], dict[str, str]]:
    """Findings beyond the Observatory (they never change the score) and fix snippets; the fixes
    repair the cookies of every hop, as they all land in the jar the cookies test grades."""
    findings = tuple(analyze_findings(headers, url, cors))
    cookies = [v.strip(" \t") for hop in chain for n, v in hop.headers if n.strip().lower() == "set-cookie"]
    return findings, dict(fix_snippets(findings, headers, url, cookies))
