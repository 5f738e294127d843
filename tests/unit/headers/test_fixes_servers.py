"""Every nginx, Apache and Caddy fix snippet passes the server's own config check.

Inputs: all the recorded Observatory cases (55 header sets), the syntax cases of test_fixes, and
cookie and CSP shapes the snippets treat specially. A broken snippet must fail each check, so
the checks cannot pass vacuously.
"""

from __future__ import annotations

from typing import Any

import pytest

from tests.unit.headers.conftest import load_cases, to_input
from tests.unit.headers.server_configs import CHECKS
from tests.unit.headers.test_fixes import CASES
from toolbox.core.headers.findings import analyze_findings
from toolbox.core.headers.fixes import fix_snippets

pytestmark = pytest.mark.server

Pairs = tuple[tuple[str, str], ...]

EXTRA: dict[str, Pairs] = {
    "cookies-all-kinds": (
        ("Set-Cookie", "sessionid=abc; Path=/"),
        ("Set-Cookie", "XSRF-TOKEN=t; Path=/; Secure"),
        ("Set-Cookie", "__Host-sid=1; Path=/; Secure; HttpOnly; SameSite=Strict"),
        ("Set-Cookie", "prefs=1; SameSite=None"),
        ("Set-Cookie", "odd.name=1"),
        ("Set-Cookie", "weird$name{x}=1"),
        ("Set-Cookie", "auth_token=2; SameSite=Bogus"),
    ),
    "csp-every-problem": (
        ("Content-Security-Policy",
         "default-src * data: 'unsafe-eval'; script-src http: 'unsafe-inline' 'strict-dynamic' http://cdn.example; "
         "style-src 'unsafe-eval' 'unsafe-inline'; object-src *; base-uri *; img-src http://img.example ftp://x; "
         "script-src 'self'; upgrade-insecure-requests"),
        ("X-Frame-Options", "SAMEORIGIN"),
    ),
    "csp-percent-and-quotes": (
        ("Content-Security-Policy", "default-src 'self' https://a.example/%20b; report-uri /csp?x=%25"),
    ),
    "csp-nonce-failing": (("Content-Security-Policy", "script-src 'nonce-AAAAAAAAAAAAAAAAAAAAAA' 'unsafe-eval'"),),
    "csp-two-policies": (
        ("Content-Security-Policy", "default-src 'self' 'unsafe-inline'"),
        ("Content-Security-Policy", "script-src 'self'"),
    ),
}


def _inputs() -> list[Any]:
    params = []
    for case in load_cases():
        scan = to_input(case)
        cookies = [v for hop in scan.https_chain for n, v in hop.headers if n.lower() == "set-cookie"]
        params.append(pytest.param(scan.headers, scan.url, cookies or None, id=case["name"]))
    for index, headers in enumerate(CASES):
        params.append(pytest.param(headers, "https://example.test/", None, id=f"syntax-{index}"))
    for name, headers in EXTRA.items():
        params.append(pytest.param(headers, "https://example.test/", None, id=name))
        params.append(pytest.param(headers, "http://example.test/", None, id=name + "-http"))
    return params


@pytest.mark.parametrize(("headers", "url", "cookies"), _inputs())
def test_snippets_pass_the_servers_own_check(headers: Pairs, url: str, cookies: list[str] | None) -> None:
    snippets = fix_snippets(analyze_findings(headers, url), headers, url, cookies)
    for server, check in CHECKS.items():
        ok, output = check(snippets[server])
        assert ok, f"{server} refused its snippet:\n{snippets[server]}\n--- {server} says:\n{output}"


def test_extra_cases_exercise_cookies_and_notes() -> None:
    cookies = fix_snippets(analyze_findings(EXTRA["cookies-all-kinds"], "https://example.test/"),
                           EXTRA["cookies-all-kinds"], "https://example.test/")
    assert "proxy_cookie_flags sessionid secure httponly samesite=lax;" in cookies["nginx"]
    assert "Header always edit Set-Cookie" in cookies["apache"] and "Set-Cookie" in cookies["caddy"]
    assert "NOTE Set-Cookie" in cookies["nginx"]  # names no config can hold are told, not written
    nonce = fix_snippets(analyze_findings(EXTRA["csp-nonce-failing"], "https://example.test/"),
                         EXTRA["csp-nonce-failing"], "https://example.test/")
    assert "still fails" in nonce["apache"] and "remove 'unsafe-eval'" in nonce["apache"]


@pytest.mark.parametrize("server", sorted(CHECKS))
def test_a_broken_snippet_fails_the_check(server: str) -> None:
    broken = {
        "nginx": 'add_header X-Broken "unterminated always;\n',
        "apache": "Header always sett X-Broken nope\n",
        "caddy": "header {\n\tX-Broken \"unclosed block\"\n",
    }[server]
    ok, _ = CHECKS[server](broken)
    assert not ok


def test_caddy_check_compiles_the_cookie_regexes() -> None:
    ok, output = CHECKS["caddy"]('header {\n\tdefer\n\tSet-Cookie "^(a=.*" "$1; Secure"\n}\n')
    assert not ok and "regexp" in output
