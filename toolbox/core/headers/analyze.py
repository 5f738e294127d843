"""Run the Observatory's tests on one scanned site and score them under a scoring profile."""

from __future__ import annotations

from urllib.parse import urlsplit

from toolbox.core.headers.cookies import cookies_test, fill_jar
from toolbox.core.headers.csp import csp_test
from toolbox.core.headers.grading import build_report, make_result
from toolbox.core.headers.headermap import HeaderMap
from toolbox.core.headers.html_scan import PageFacts, scan_page, scan_tags
from toolbox.core.headers.model import Report, ScanInput, TestResult, Verdict
from toolbox.core.headers.profiles import DEFAULT_SCORING, PROFILES, Scoring, ScoringProfile
from toolbox.core.headers.redirection import is_preloaded, redirection_test
from toolbox.core.headers.simple_tests import (
    coep_test,
    coop_test,
    corp_test,
    cors_test,
    hsts_test,
    referrer_test,
    xcto_test,
    xfo_test,
)
from toolbox.core.headers.sri import sri_test

TEST_IDS = PROFILES[DEFAULT_SCORING].test_ids  # the current version's ten tests


def _page(headers: HeaderMap, body: str, scoring: ScoringProfile) -> PageFacts:
    """Meta tags count only for HTML responses with a body, as in the Observatory's retriever.

    With the tag scanner (v5 on) scripts are also read from a response without a Content-Type.
    """
    mime = (headers.first("content-type") or "").split(";")[0]
    html = mime in ("text/html", "application/xhtml+xml")
    if scoring.tag_scanner:
        return scan_tags(body, read_metas=html and bool(body)) if html or not mime else PageFacts()
    if body and html:
        return scan_page(body)
    return PageFacts()


def run_tests(scan: ScanInput, scoring: ScoringProfile) -> tuple[TestResult, ...]:
    """Return the profile's test results, in the Observatory's order."""
    headers = HeaderMap(scan.headers)
    page = _page(headers, scan.body, scoring)
    https = urlsplit(scan.url).scheme == "https"
    preload = dict(scan.hsts_preload)
    host = urlsplit(scan.url).hostname or ""

    csp = csp_test(headers, page.meta_csp, https, scoring.csp_policies_apart)
    hsts = hsts_test(headers if https else None, scan.tls_verified, is_preloaded(host, preload))
    hops = scan.https_chain or ()
    jar_input = [(hop.url, HeaderMap(hop.headers).all("set-cookie")) for hop in hops]
    if not hops:
        jar_input = [(scan.url, headers.all("set-cookie"))]
    cookie = cookies_test(headers.all("set-cookie"), fill_jar(jar_input), bool(hsts.passed))
    cors_map = headers if scan.cors_headers is None else HeaderMap(scan.cors_headers)
    probe = scan.cors_origin if scan.cors_headers is not None else None
    # The live Observatory never sees its probe Origin (it reads `headers` off Node's
    # ClientRequest, which has none), so a reflected credentialed Origin scores as
    # restricted access. We score the same and only record the reflection as data.
    cors = cors_test(cors_map, None)
    reflected = (cors_test(cors_map, probe).result or "").endswith("universal-access")
    cors_data = {"reflects-origin-with-credentials": "true"} if reflected else {}
    policy_data = {d: " ".join(s) for d, s in (csp.policy or {}).items()}
    verdicts = {
        "content-security-policy": Verdict(csp.result, csp.passed, policy_data),
        "cookies": cookie,
        "cross-origin-resource-sharing": Verdict(cors.result, cors.passed, cors_data),
        "redirection": redirection_test(scan.http_chain, scan.http_chain_verified, preload),
        "referrer-policy": referrer_test(headers, page.meta_referrer),
        "strict-transport-security": hsts,
        "subresource-integrity": sri_test(headers.first("content-type"), page.scripts, scan.url,
                                          scoring.tag_scanner),
        "x-content-type-options": xcto_test(headers),
        "x-frame-options": xfo_test(headers, csp.policy),
        "cross-origin-resource-policy": corp_test(headers),
    }
    if "cross-origin-opener-policy" in scoring.test_ids:
        verdicts["cross-origin-opener-policy"] = coop_test(headers)
        verdicts["cross-origin-embedder-policy"] = coep_test(headers)
    return tuple(make_result(test_id, v.result, v.passed, v.data, scoring)
                 for test_id in scoring.test_ids for v in (verdicts[test_id],))


def observatory_would_scan(status: int) -> bool:
    """Whether the Observatory grades a final response with this status (2xx, 3xx, 401, 403)."""
    return 200 <= status < 400 or status in (401, 403)


def analyze(scan: ScanInput, scoring: Scoring = DEFAULT_SCORING) -> Report:
    """Score and grade one site exactly as the Observatory version of the `scoring` profile would."""
    chosen = PROFILES[scoring]
    return build_report(run_tests(scan, chosen), chosen)
