"""The stricter CSP offered in the fixes: built from the site's policy and re-graded by our grader."""

from __future__ import annotations

import pytest

from tests.unit.headers.conftest import load_cases, to_input
from toolbox.core.headers.check import check_raw
from toolbox.core.headers.csp import csp_test
from toolbox.core.headers.findings import analyze_findings
from toolbox.core.headers.fixes import plan_fixes
from toolbox.core.headers.fixes_csp import stricter_policy
from toolbox.core.headers.headermap import HeaderMap

HTTPS = "https://example.test/"


def grade_csp(value: str, https: bool = True) -> tuple[bool, str]:
    outcome = csp_test(HeaderMap((("Content-Security-Policy", value),)), [], https, True)
    return outcome.passed, outcome.result


def suggested(headers: tuple[tuple[str, str], ...], url: str = HTTPS):  # type: ignore[no-untyped-def]
    actions = plan_fixes(headers, url, analyze_findings(headers, url))
    return next((a for a in actions if a.name == "Content-Security-Policy"), None)


FAILING = [
    "default-src 'self' 'unsafe-inline'",
    "default-src * 'unsafe-inline' 'unsafe-eval'",
    "script-src 'self' 'unsafe-inline' https: data:; object-src *",
    "script-src 'unsafe-eval' 'self'; style-src 'self' 'unsafe-eval'",
    "default-src 'self'; script-src 'self' http://cdn.example; img-src http://img.example",
    "script-src 'strict-dynamic' 'self'",
    "default-src 'self'; script-src 'self'; script-src 'unsafe-inline'",
    "upgrade-insecure-requests",
    "frame-ancestors 'self'; report-uri /r",
    "default-src https: 'unsafe-inline'; object-src 'none'",
    "script-src ftp://x.example *",
]


@pytest.mark.parametrize("policy", FAILING)
def test_a_failing_policy_gets_a_stricter_one_that_passes(policy: str) -> None:
    assert not grade_csp(policy)[0]
    action = suggested((("Content-Security-Policy", policy),))
    assert action is not None and action.action == "set"
    passed, result = grade_csp(action.value)
    assert passed, (action.value, result)
    assert "stricter" in action.reason and "your policy plus" not in action.reason


def test_the_rewrite_keeps_what_is_safe_and_says_what_changed() -> None:
    rewrite = stricter_policy(
        "default-src 'self' 'unsafe-inline'; script-src 'self' 'unsafe-inline' data: https://cdn.example "
        "http://old.example; img-src http://img.example data:", https=True)
    assert rewrite.passes
    directives = {part.split()[0]: part.split()[1:] for part in rewrite.value.split("; ")}
    assert directives["script-src"] == ["'self'", "https://cdn.example", "https://old.example"]
    assert directives["default-src"] == ["'self'", "'unsafe-inline'"]  # inline styles keep working
    assert directives["img-src"] == ["https://img.example", "data:"]
    assert directives["object-src"] == ["'none'"] and directives["base-uri"] == ["'none'"]
    assert directives["frame-ancestors"] == ["'none'"]
    assert "remove 'unsafe-inline' and data: from script-src" in rewrite.changes


def test_no_script_src_gets_one_from_default_src() -> None:
    rewrite = stricter_policy("default-src 'self' 'unsafe-inline' https://cdn.example", https=True)
    assert "script-src 'self' https://cdn.example" in rewrite.value and rewrite.passes
    assert rewrite.value.index("default-src") < rewrite.value.index("script-src")


def test_sameorigin_framing_is_kept() -> None:
    action = suggested((("Content-Security-Policy", "default-src 'self' 'unsafe-inline'"),
                        ("X-Frame-Options", "SAMEORIGIN")))
    assert action is not None and "frame-ancestors 'self'" in action.value


def test_http_sites_keep_http_sources() -> None:
    rewrite = stricter_policy("script-src 'self' http://cdn.example", https=False)
    assert "http://cdn.example" in rewrite.value and rewrite.passes


@pytest.mark.parametrize(("headers", "why"), [
    ((("Content-Security-Policy", "script-src 'nonce-AAAAAAAAAAAAAAAAAAAAAA' 'unsafe-eval'"),), "nonce"),
    ((("Content-Security-Policy", "default-src 'self' 'unsafe-inline'"),
      ("Content-Security-Policy", "script-src 'self' 'unsafe-inline'")), "merge them"),
    ((("Content-Security-Policy", "script-src 'self' 'unsafe-inline' https://a.example/$x"),), "characters"),
])
def test_when_no_static_rewrite_exists_a_note_says_what_still_fails(headers, why) -> None:  # type: ignore[no-untyped-def]
    action = suggested(headers)
    assert action is not None and action.action == "note" and not action.value
    assert why in action.reason and "still fails until you" in action.reason
    assert "'unsafe-" in action.reason  # names what to take out
    result = check_raw("HTTP/1.1 200 OK\n" + "\n".join(f"{n}: {v}" for n, v in headers), url=HTTPS)
    for name, snippet in result.fixes.items():
        assert "add_header Content-Security-Policy" not in snippet
        assert "still fails" in snippet, name


def test_a_passing_policy_is_left_alone_unless_findings_ask() -> None:
    strict = "default-src 'none'; script-src 'self'; base-uri 'none'; form-action 'self'"
    assert suggested((("Content-Security-Policy", strict),)) is None
    amended = suggested((("Content-Security-Policy", "default-src 'self'"),))
    assert amended is not None and grade_csp(amended.value)[0] and "base-uri 'none'" in amended.value


def test_report_only_policy_is_enforced_only_once_it_passes() -> None:
    action = suggested((("Content-Security-Policy-Report-Only", "default-src 'self' 'unsafe-inline'"),))
    assert action is not None and grade_csp(action.value)[0]
    assert "'unsafe-inline'; script-src 'self'" in action.value


def test_every_recorded_case_gets_a_passing_policy_or_a_note() -> None:
    """Across the Observatory cases: whenever the CSP test fails, the fixes either set a policy our
    grader passes, or say why not and what still fails."""
    for case in load_cases():
        scan = to_input(case)
        https = scan.url.startswith("https:")
        if csp_test(HeaderMap(scan.headers), [], https, True).passed:
            continue
        action = suggested(scan.headers, scan.url)
        assert action is not None, case["name"]
        if action.action == "set":
            assert grade_csp(action.value, https)[0], (case["name"], action.value)
        else:
            assert action.action == "note" and "still fails" in action.reason, case["name"]
