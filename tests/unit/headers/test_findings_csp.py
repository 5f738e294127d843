"""CSP evaluation findings: parsing, fallbacks, several policies, every csp-* id both ways."""

from __future__ import annotations

import pytest

from toolbox.core.headers.findings import analyze_findings
from toolbox.core.headers.findings_csp import parse_policies

URL = "https://example.test/"
GOOD = "default-src 'self'; object-src 'none'; base-uri 'none'"


def ids(*csp: str, name: str = "Content-Security-Policy") -> set[str]:
    return {f.id for f in analyze_findings(tuple((name, v) for v in csp), URL) if f.id.startswith("csp-")}


def test_parse_splits_policies_and_lowercases_directives() -> None:
    policies, repeated = parse_policies(["Script-SRC 'self' ;; IMG-src a b, default-src 'none'", "x"])
    assert policies == [
        {"script-src": ("'self'",), "img-src": ("a", "b")},
        {"default-src": ("'none'",)},
        {"x": ()},
    ]
    assert repeated == []


def test_parse_first_directive_wins_and_is_reported() -> None:
    policies, repeated = parse_policies(["script-src 'self'; script-src *"])
    assert policies == [{"script-src": ("'self'",)}]
    assert repeated == ["script-src"]
    assert "csp-duplicate-directive" in ids("script-src 'self'; script-src *; " + GOOD)
    assert "csp-duplicate-directive" not in ids(GOOD)


def test_good_policy_has_no_csp_findings() -> None:
    assert ids(GOOD) == set()


@pytest.mark.parametrize(
    ("policy", "finding"),
    [
        ("script-src 'self' 'unsafe-inline'", "csp-unsafe-inline"),
        ("default-src 'self' 'UNSAFE-INLINE'", "csp-unsafe-inline"),
        ("script-src 'self' 'unsafe-eval'", "csp-unsafe-eval"),
        ("script-src 'self' 'unsafe-hashes' 'sha256-abc'", "csp-unsafe-hashes"),
        ("script-src 'self' 'wasm-unsafe-eval'", "csp-wasm-unsafe-eval"),
        ("script-src *", "csp-script-src-wildcard"),
        ("script-src https://*", "csp-script-src-wildcard"),
        ("script-src https:", "csp-script-src-scheme"),
        ("script-src data:", "csp-script-src-scheme"),
        ("script-src blob:", "csp-script-src-scheme"),
        ("object-src *", "csp-object-src-wildcard"),
        ("object-src http:", "csp-object-src-scheme"),
        ("default-src data:; script-src 'self'", "csp-object-src-scheme"),
        ("base-uri *", "csp-base-uri-wildcard"),
        ("base-uri https:", "csp-base-uri-scheme"),
        ("img-src 'self'", "csp-no-script-restriction"),
        ("script-src 'self'", "csp-missing-object-src"),
        ("script-src 'self'", "csp-missing-base-uri"),
        ("script-src 'nonce-abc123'", "csp-weak-nonce"),
        ("script-src 'nonce-!!!!!!!!!!!!!!!!!!!!'", "csp-weak-nonce"),
        ("script-src 'strict-dynamic' 'self'", "csp-strict-dynamic-without-nonce"),
        ("referrer no-referrer", "csp-deprecated-directive"),
        ("block-all-mixed-content", "csp-deprecated-directive"),
        ("plugin-types application/pdf", "csp-deprecated-directive"),
        ("prefetch-src 'self'", "csp-deprecated-directive"),
        ("navigate-to 'self'", "csp-deprecated-directive"),
        ("scirpt-src 'self'", "csp-unknown-directive"),
        ("report-uri /csp", "csp-report-uri-only"),
    ],
)
def test_each_csp_finding_fires(policy: str, finding: str) -> None:
    assert finding in ids(policy)


@pytest.mark.parametrize(
    ("policy", "finding"),
    [
        # a nonce/hash makes browsers ignore 'unsafe-inline' (it is only a CSP1 fallback)
        ("script-src 'unsafe-inline' 'nonce-AAAAAAAAAAAAAAAAAAAAAA'", "csp-unsafe-inline"),
        ("script-src 'self'", "csp-unsafe-eval"),
        ("script-src 'self'", "csp-unsafe-hashes"),
        ("script-src 'self'", "csp-wasm-unsafe-eval"),
        # with 'strict-dynamic' and a nonce, host and scheme sources are ignored
        ("script-src 'strict-dynamic' 'nonce-AAAAAAAAAAAAAAAAAAAAAA' https: *", "csp-script-src-scheme"),
        ("script-src 'strict-dynamic' 'nonce-AAAAAAAAAAAAAAAAAAAAAA' https: *", "csp-script-src-wildcard"),
        ("script-src 'strict-dynamic' 'sha256-abc'", "csp-strict-dynamic-without-nonce"),
        ("script-src https://cdn.example", "csp-script-src-wildcard"),
        ("script-src https://*.example.com", "csp-script-src-scheme"),
        ("default-src 'self'", "csp-missing-object-src"),  # object-src falls back to default-src
        ("default-src 'self'", "csp-no-script-restriction"),
        ("base-uri 'self'", "csp-missing-base-uri"),
        ("object-src 'none'", "csp-object-src-wildcard"),
        ("object-src https://plugins.example", "csp-object-src-scheme"),
        ("base-uri 'self'", "csp-base-uri-wildcard"),
        ("base-uri https://a.example", "csp-base-uri-scheme"),
        ("default-src *", "csp-base-uri-wildcard"),  # base-uri does not inherit default-src
        ("script-src 'nonce-AAAAAAAAAAAAAAAAAAAAAA'", "csp-weak-nonce"),
        ("report-uri /r; report-to csp", "csp-report-uri-only"),
        ("upgrade-insecure-requests", "csp-deprecated-directive"),
        ("trusted-types x; require-trusted-types-for 'script'", "csp-unknown-directive"),
    ],
)
def test_each_csp_finding_stays_quiet(policy: str, finding: str) -> None:
    assert finding not in ids(policy + "; " + GOOD if "default-src" not in policy else policy)


def test_base_uri_does_not_fall_back_to_default_src() -> None:
    assert "csp-missing-base-uri" in ids("default-src 'self'")


def test_missing_base_uri_is_worse_with_nonces() -> None:
    found = {f.id: f for f in analyze_findings((("Content-Security-Policy", "script-src 'nonce-x'"),), URL)}
    assert found["csp-missing-base-uri"].severity == "medium"
    found = {f.id: f for f in analyze_findings((("Content-Security-Policy", "script-src 'self'"),), URL)}
    assert found["csp-missing-base-uri"].severity == "low"


def test_several_policies_are_an_intersection() -> None:
    # one policy allows inline script, the other does not: browsers block it
    both = ids("script-src 'unsafe-inline'; " + GOOD, GOOD)
    assert "csp-unsafe-inline" not in both
    assert "csp-multiple-policies" in both
    assert "csp-unsafe-inline" in ids(
        "script-src 'unsafe-inline'", "default-src *; script-src 'unsafe-inline'"
    )
    # comma-joined policies count as several too
    assert "csp-multiple-policies" in ids(GOOD + ", " + GOOD)
    # configuration mistakes are reported from any policy
    assert "csp-deprecated-directive" in ids(GOOD + "; referrer none", GOOD)


def test_report_only_only() -> None:
    assert ids(GOOD, name="Content-Security-Policy-Report-Only") == {"csp-report-only"}
    both = (("Content-Security-Policy", GOOD), ("Content-Security-Policy-Report-Only", "default-src *"))
    assert "csp-report-only" not in {f.id for f in analyze_findings(both, URL)}
    assert ids() == set()  # no CSP at all: the Observatory's test covers it


@pytest.mark.parametrize(
    "value",
    ["", ";;;", ",,,", "\x00\x01script-src *", "script-src " + "a" * 200_000, "scrïpt-src 'nönce-ü'", "'"],
)
def test_hostile_policies_never_raise(value: str) -> None:
    for finding in analyze_findings((("content-security-policy", value),), URL):
        assert len(finding.detail) < 2000
        assert "\x00" not in finding.detail
