"""Findings beyond the Observatory: cookies, CORS, Permissions-Policy, COOP/COEP, disclosure,
deprecated and duplicated headers, HSTS preload — each id both ways, and hostile input."""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path

import pytest

from toolbox.core.headers.findings import FINDING_IDS, Finding, analyze_findings
from toolbox.core.headers.findings_cookies import is_session_like, parse_set_cookie
from toolbox.core.headers.findings_permissions import PermissionsPolicyError, parse_permissions_policy

HTTPS = "https://example.test/"
HTTP = "http://example.test/"
QUIET = (("Cross-Origin-Opener-Policy", "same-origin"),)
PROBE = "https://probe.invalid"


def ids(
    headers: list[tuple[str, str]], url: str = HTTPS, probe: list[tuple[str, str]] | None = None
) -> set[str]:
    found = analyze_findings((*QUIET, *headers), url, tuple(probe) if probe is not None else None)
    return {f.id for f in found}


def test_finding_shape_and_order() -> None:
    found = analyze_findings((("Set-Cookie", "sid=1"), ("Server", "Apache/2.4.1")), HTTPS)
    assert all(isinstance(f, Finding) for f in found)
    assert all(f.mdn.startswith("https://developer.mozilla.org/") for f in found)
    order = {"high": 0, "medium": 1, "low": 2, "info": 3}
    assert [order[f.severity] for f in found] == sorted(order[f.severity] for f in found)
    with pytest.raises(dataclasses.FrozenInstanceError):
        found[0].id = "x"  # type: ignore[misc]


def test_clean_response_has_no_findings() -> None:
    headers = [
        ("Set-Cookie", "__Host-sid=1; Secure; HttpOnly; SameSite=Lax; Path=/"),
        ("Permissions-Policy", "camera=(), geolocation=(self)"),
        ("Strict-Transport-Security", "max-age=63072000; includeSubDomains"),
        ("Server", "nginx"),
    ]
    assert ids(headers) == {"hsts-preload-ineligible"}


# --- cookies ---------------------------------------------------------------------------------


def test_parse_set_cookie() -> None:
    cookie = parse_set_cookie("a=b=c; Secure; PATH=/x; samesite=Lax; Path=/")
    assert cookie.name == "a"
    assert cookie.attributes == {"secure": "", "path": "/", "samesite": "Lax"}
    assert parse_set_cookie("novalue").name == ""


@pytest.mark.parametrize(
    ("name", "session"),
    [
        ("sessionid", True),
        ("PHPSESSID", True),
        ("connect.sid", True),
        ("auth_token", True),
        ("jwt", True),
        ("laravel_session", True),
        ("XSRF-TOKEN", False),
        ("csrftoken", False),
        ("theme", False),
        ("lang", False),
    ],
)
def test_session_heuristic(name: str, session: bool) -> None:
    assert is_session_like(name) is session


@pytest.mark.parametrize(
    ("cookie", "url", "finding"),
    [
        ("theme=dark; SameSite=Lax", HTTPS, "cookie-no-secure"),
        ("sid=1; Secure; SameSite=Lax", HTTPS, "cookie-no-httponly"),
        ("theme=dark; Secure", HTTPS, "cookie-no-samesite"),
        ("theme=dark; SameSite=None", HTTP, "cookie-samesite-none-insecure"),
        ("theme=dark; Secure; SameSite=Loose", HTTPS, "cookie-samesite-invalid"),
        ("__Host-a=1; Secure; SameSite=Lax", HTTPS, "cookie-host-prefix-invalid"),
        (
            "__Host-a=1; Secure; Path=/; Domain=example.test; SameSite=Lax",
            HTTPS,
            "cookie-host-prefix-invalid",
        ),
        ("__host-a=1; Path=/; SameSite=Lax", HTTP, "cookie-host-prefix-invalid"),
        ("__Secure-a=1; SameSite=Lax", HTTP, "cookie-secure-prefix-invalid"),
    ],
)
def test_cookie_findings_fire(cookie: str, url: str, finding: str) -> None:
    assert finding in ids([("Set-Cookie", cookie)], url)


@pytest.mark.parametrize(
    ("cookie", "url", "finding"),
    [
        ("theme=dark; SameSite=Lax", HTTP, "cookie-no-secure"),  # Secure is asked for on https only
        ("XSRF-TOKEN=1; Secure; SameSite=Lax", HTTPS, "cookie-no-httponly"),
        ("theme=1; Secure; SameSite=Lax", HTTPS, "cookie-no-httponly"),
        ("theme=dark; Secure; SameSite=strict", HTTPS, "cookie-no-samesite"),
        ("theme=dark; Secure; SameSite=None", HTTPS, "cookie-samesite-none-insecure"),
        ("theme=dark; Secure; SameSite=none", HTTPS, "cookie-samesite-invalid"),
        ("__Host-a=1; Secure; Path=/; SameSite=Lax", HTTPS, "cookie-host-prefix-invalid"),
        ("__Secure-a=1; Secure; Domain=example.test; SameSite=Lax", HTTPS, "cookie-secure-prefix-invalid"),
    ],
)
def test_cookie_findings_stay_quiet(cookie: str, url: str, finding: str) -> None:
    assert finding not in ids([("Set-Cookie", cookie)], url)


def test_cookie_findings_name_every_cookie_once() -> None:
    found = analyze_findings(tuple(("Set-Cookie", f"c{i}=1") for i in range(30)), HTTPS)
    no_secure = [f for f in found if f.id == "cookie-no-secure"]
    assert len(no_secure) == 1
    assert "c0" in no_secure[0].detail and "20 more" in no_secure[0].detail


# --- CORS ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("probe", "finding", "severity"),
    [
        (
            [("Access-Control-Allow-Origin", PROBE), ("Access-Control-Allow-Credentials", "true")],
            "cors-reflected-origin-credentials",
            "high",
        ),
        ([("Access-Control-Allow-Origin", PROBE)], "cors-reflected-origin", "low"),
        ([("Access-Control-Allow-Origin", "null")], "cors-null-origin", "high"),
        (
            [("Access-Control-Allow-Origin", "*"), ("Access-Control-Allow-Credentials", "true")],
            "cors-wildcard-credentials",
            "medium",
        ),
    ],
)
def test_cors_findings(probe: list[tuple[str, str]], finding: str, severity: str) -> None:
    found = {f.id: f.severity for f in analyze_findings(QUIET, HTTPS, tuple(probe))}
    assert found.get(finding) == severity


def test_cors_quiet_cases() -> None:
    assert not {i for i in ids([], probe=[("Access-Control-Allow-Origin", "*")]) if i.startswith("cors")}
    wildcard_only = [("Access-Control-Allow-Origin", "*"), ("Access-Control-Allow-Credentials", "false")]
    assert "cors-wildcard-credentials" not in ids([], probe=wildcard_only)
    allowed = [
        ("Access-Control-Allow-Origin", "https://app.example"),
        ("Access-Control-Allow-Credentials", "true"),
    ]
    assert not {i for i in ids([], probe=allowed) if i.startswith("cors")}
    # credentials must be exactly "true"
    reflected = [("Access-Control-Allow-Origin", PROBE), ("Access-Control-Allow-Credentials", "TRUE")]
    assert "cors-reflected-origin-credentials" not in ids([], probe=reflected)
    # reflection needs the probe; without it the response's own headers are still checked
    assert "cors-reflected-origin" not in ids([("Access-Control-Allow-Origin", PROBE)])
    assert "cors-null-origin" in ids([("Access-Control-Allow-Origin", "null")])


# --- Permissions-Policy, COOP/COEP --------------------------------------------------------------


def test_parse_permissions_policy() -> None:
    policy = parse_permissions_policy(
        'camera=(), geolocation=(self "https://a.example"), usb=*, fullscreen=self'
    )
    assert policy == {
        "camera": (),
        "geolocation": ("self", '"https://a.example"'),
        "usb": ("*",),
        "fullscreen": ("self",),
    }
    for bad in ["camera=(", "camera=(self, x)", "Camera=()", "=()", "camera=(),,usb=()", 'camera="x']:
        with pytest.raises(PermissionsPolicyError):
            parse_permissions_policy(bad)


def test_permissions_policy_findings() -> None:
    assert "permissions-policy-syntax" in ids([("Permissions-Policy", "camera 'none'")])
    assert "permissions-policy-syntax" not in ids([("Permissions-Policy", "camera=()")])
    assert "permissions-policy-wildcard" in ids([("Permissions-Policy", "camera=*, usb=(self)")])
    assert "permissions-policy-wildcard" in ids([("Permissions-Policy", "microphone=(* self)")])
    assert "permissions-policy-wildcard" not in ids([("Permissions-Policy", "fullscreen=*, camera=(self)")])
    assert "feature-policy-deprecated" in ids([("Feature-Policy", "camera 'none'")])
    assert "feature-policy-deprecated" not in ids([("Permissions-Policy", "camera=()")])


def test_coop_coep() -> None:
    assert "coop-missing" in {f.id for f in analyze_findings((), HTTPS)}
    assert "coop-missing" not in ids([])

    def bare(*headers: tuple[str, str]) -> set[str]:
        return {f.id for f in analyze_findings(headers, HTTPS)}

    assert "coop-invalid" in bare(("Cross-Origin-Opener-Policy", "same-site"))
    assert "coop-invalid" not in bare(("Cross-Origin-Opener-Policy", 'same-origin; report-to="x"'))
    assert "coop-missing" not in bare(("Cross-Origin-Opener-Policy", "unsafe-none"))
    assert "coep-invalid" in ids([("Cross-Origin-Embedder-Policy", "require-cors")])
    assert "coep-invalid" not in ids([("Cross-Origin-Embedder-Policy", "credentialless")])
    assert "coep-without-coop" in {
        f.id for f in analyze_findings((("Cross-Origin-Embedder-Policy", "require-corp"),), HTTPS)
    }
    assert "coep-without-coop" not in ids([("Cross-Origin-Embedder-Policy", "require-corp")])


# --- disclosure, deprecated, duplicates -------------------------------------------------------


@pytest.mark.parametrize(
    ("header", "finding"),
    [
        (("Server", "nginx/1.25.3"), "info-disclosure-server"),
        (("Server", "Microsoft-IIS/10.0"), "info-disclosure-server"),
        (("X-Powered-By", "PHP/8.2"), "info-disclosure-x-powered-by"),
        (("X-AspNet-Version", "4.0.30319"), "info-disclosure-x-aspnet-version"),
        (("X-AspNetMvc-Version", "5.2"), "info-disclosure-x-aspnetmvc-version"),
        (("X-XSS-Protection", "1; mode=block"), "x-xss-protection-enabled"),
        (("Expect-CT", "max-age=0"), "expect-ct-deprecated"),
        (("Public-Key-Pins", 'pin-sha256="x"; max-age=1'), "public-key-pins-deprecated"),
        (("Public-Key-Pins-Report-Only", 'pin-sha256="x"'), "public-key-pins-deprecated"),
    ],
)
def test_header_findings_fire(header: tuple[str, str], finding: str) -> None:
    assert finding in ids([header])


def test_header_findings_stay_quiet() -> None:
    for finding in (
        "info-disclosure-x-powered-by",
        "info-disclosure-x-aspnet-version",
        "info-disclosure-x-aspnetmvc-version",
        "expect-ct-deprecated",
        "hsts-over-http",
    ):
        assert finding not in ids([("Server", "nginx"), ("Strict-Transport-Security", "max-age=63072000")])
    quiet = ids([("Server", "nginx"), ("X-XSS-Protection", "0"), ("Server", "cloudflare")])
    assert not quiet & {"info-disclosure-server", "x-xss-protection-enabled"}


def test_duplicates() -> None:
    found = analyze_findings((*QUIET, ("X-Frame-Options", "DENY"), ("x-frame-options", "DENY")), HTTPS)
    dup = [f for f in found if f.id == "duplicate-header"]
    assert len(dup) == 1 and "x-frame-options" in dup[0].detail and "legal" in dup[0].detail
    assert "duplicate-header" in ids([("Strict-Transport-Security", "max-age=1")] * 2)
    assert "duplicate-header" in ids([("Content-Type", "text/html")] * 2)
    several = [("Content-Security-Policy", "default-src 'self'")] * 2 + [("Set-Cookie", "a=1; Secure")] * 2
    assert "duplicate-header" not in ids(several)


# --- HSTS preload ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "url", "finding", "severity"),
    [
        ("max-age=63072000; includeSubDomains; preload", HTTPS, "hsts-preload-eligible", "info"),
        ('max-age="31536000"; INCLUDESUBDOMAINS; Preload', HTTPS, "hsts-preload-eligible", "info"),
        ("max-age=63072000; includeSubDomains", HTTPS, "hsts-preload-ineligible", "info"),
        ("max-age=86400; includeSubDomains; preload", HTTPS, "hsts-preload-invalid", "medium"),
        ("max-age=63072000; preload", HTTPS, "hsts-preload-invalid", "medium"),
        ("max-age=63072000", HTTP, "hsts-over-http", "info"),
    ],
)
def test_hsts(value: str, url: str, finding: str, severity: str) -> None:
    found = {f.id: f for f in analyze_findings((*QUIET, ("Strict-Transport-Security", value)), url)}
    assert found[finding].severity == severity
    assert not {i for i in found if i.startswith("hsts")} - {finding}


def test_hsts_says_what_is_missing() -> None:
    found = analyze_findings((("Strict-Transport-Security", "max-age=300"),), HTTPS)
    detail = next(f.detail for f in found if f.id == "hsts-preload-ineligible")
    assert "31536000" in detail and "includeSubDomains" in detail and "preload" in detail


# --- hostile input ---------------------------------------------------------------------------

HOSTILE = [
    "",
    " ",
    "\x00\r\n\x7f",
    "é" * 10,
    "\u202e\ufeff",
    "a" * 300_000,
    ";" * 10_000,
    "," * 10_000,
    "=" * 1000,
    '"' * 999,
    "(" * 5000,
    ")" * 5000,
    "max-age=" + "9" * 5000,
    "\udcff",
]
NAMES = [
    "Content-Security-Policy",
    "Content-Security-Policy-Report-Only",
    "Permissions-Policy",
    "Set-Cookie",
    "Strict-Transport-Security",
    "Server",
    "X-XSS-Protection",
    "Cross-Origin-Opener-Policy",
    "Cross-Origin-Embedder-Policy",
    "Access-Control-Allow-Origin",
    "X-Frame-Options",
    "Feature-Policy",
    "\x00weird name ü",
]


@pytest.mark.parametrize("value", HOSTILE)
def test_hostile_values_never_raise(value: str) -> None:
    headers = tuple((name, value) for name in NAMES) * 2
    for url in (HTTPS, HTTP, "", "\x00"):
        for finding in analyze_findings(headers, url, headers):
            assert len(finding.title) < 200
            assert len(finding.detail) < 3000
            assert all(c.isprintable() for c in finding.detail)


# --- the documented vocabulary -----------------------------------------------------------------


def test_every_documented_id_is_tested_both_ways() -> None:
    here = Path(__file__).parent
    text = "".join((here / n).read_text() for n in ("test_findings.py", "test_findings_csp.py", "test_tls_summary.py"))
    for finding_id in FINDING_IDS:
        assert re.match(r"^[a-z0-9]+(-[a-z0-9]+)*$", finding_id)
        assert text.count(f'"{finding_id}"') >= 2, (
            finding_id
        )  # a case where it fires and one where it must not


def test_produced_ids_are_documented_with_their_severity() -> None:
    bad = (
        ("Content-Security-Policy", "script-src 'nonce-a' 'unsafe-eval' 'unsafe-hashes' * data:; referrer x"),
        ("Content-Security-Policy", "object-src *; base-uri https:; report-uri /r; foo; foo"),
        ("Set-Cookie", "__Host-sid=1; SameSite=None"),
        ("Set-Cookie", "__Secure-a=1; SameSite=x"),
        ("Permissions-Policy", "camera=*"),
        ("Feature-Policy", "x"),
        ("Cross-Origin-Embedder-Policy", "x"),
        ("Server", "a/1"),
        ("X-Powered-By", "x"),
        ("X-XSS-Protection", "1"),
        ("Expect-CT", "x"),
        ("Strict-Transport-Security", "max-age=1; preload"),
        ("Strict-Transport-Security", "max-age=1"),
    )
    probe = (("Access-Control-Allow-Origin", PROBE), ("Access-Control-Allow-Credentials", "true"))
    for url in (HTTPS, HTTP):
        for finding in analyze_findings(bad, url, probe):
            assert finding.id in FINDING_IDS
            if finding.id not in ("csp-missing-base-uri", "feature-policy-deprecated"):
                assert finding.severity == FINDING_IDS[finding.id], finding.id


# --- coverage: a header some responses of a class send and others lack (coverage.py) ------------------

_COVERAGE_CASES = [  # (id, the header, its value, a class where it matters, the status and Content-Type)
    ("coverage-hsts", "Strict-Transport-Security", "max-age=63072000", 200, "application/json"),
    ("coverage-csp", "Content-Security-Policy", "default-src 'self'", 404, "text/html"),
    ("coverage-frame", "X-Frame-Options", "DENY", 200, "text/html"),
    ("coverage-xcto", "X-Content-Type-Options", "nosniff", 200, "text/css"),
    ("coverage-referrer-policy", "Referrer-Policy", "no-referrer", 500, "text/html"),
    ("coverage-permissions-policy", "Permissions-Policy", "camera=()", 200, "text/html"),
    ("coverage-coop", "Cross-Origin-Opener-Policy", "same-origin", 200, "text/html"),
    ("coverage-corp", "Cross-Origin-Resource-Policy", "same-origin", 200, "image/png"),
]


@pytest.mark.parametrize(("finding_id", "name", "value", "status", "mime"), _COVERAGE_CASES)
def test_coverage_finding_fires_on_a_gap_within_a_class(finding_id: str, name: str, value: str, status: int,
                                                         mime: str) -> None:
    from toolbox.core.headers.coverage import Response, coverage

    def response(path: str, *extra: tuple[str, str]) -> Response:
        return Response(path, "https://s.example" + path, status, (("Content-Type", mime), *extra))

    gap = coverage([response("/a", (name, value)), response("/b")])
    assert [(f.id, f.severity) for f in gap.findings] == [(finding_id, FINDING_IDS[finding_id])]
    assert "/b" in gap.findings[0].detail
    every = coverage([response("/a", (name, value)), response("/b", (name, value))])
    none = coverage([response("/a"), response("/b")])
    assert finding_id not in {f.id for f in every.findings + none.findings}


def test_coverage_ids_are_the_documented_vocabulary() -> None:
    from toolbox.core.headers.coverage import COVERAGE_FINDING_IDS

    assert {"coverage-hsts", "coverage-csp", "coverage-frame", "coverage-xcto", "coverage-referrer-policy",
            "coverage-permissions-policy", "coverage-coop", "coverage-corp"} == set(COVERAGE_FINDING_IDS)
    assert COVERAGE_FINDING_IDS.items() <= FINDING_IDS.items()
