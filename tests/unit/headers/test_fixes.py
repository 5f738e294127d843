"""Fix snippets: the plan follows the findings; every target's syntax is plausible and escaped."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from typing import Any

import pytest

from toolbox.core.headers.findings import analyze_findings
from toolbox.core.headers.fixes import STARTER_CSP, TARGETS, HeaderAction, fix_snippets, plan_fixes
from toolbox.core.headers.fixes_plan import is_safe_value

HTTPS = "https://example.test/"
Pairs = tuple[tuple[str, str], ...]


def plan(headers: Pairs, url: str = HTTPS) -> dict[str, HeaderAction]:
    actions = plan_fixes(headers, url, analyze_findings(headers, url))
    return {a.name: a for a in actions}


def snippets(headers: Pairs, url: str = HTTPS) -> dict[str, str]:
    return fix_snippets(analyze_findings(headers, url), headers, url)


def test_bare_site_gets_the_baseline() -> None:
    actions = plan(())
    assert actions["Content-Security-Policy"].value == STARTER_CSP
    assert actions["Strict-Transport-Security"].value == "max-age=63072000; includeSubDomains"
    assert {
        "X-Content-Type-Options",
        "X-Frame-Options",
        "Referrer-Policy",
        "Permissions-Policy",
        "Cross-Origin-Opener-Policy",
    } <= set(actions)
    assert all(a.action == "set" for a in actions.values())
    assert "Strict-Transport-Security" not in plan((), "http://example.test/")


def test_good_site_needs_nothing() -> None:
    headers: Pairs = (
        (
            "Content-Security-Policy",
            "default-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'",
        ),
        ("Strict-Transport-Security", "max-age=63072000; includeSubDomains"),
        ("X-Content-Type-Options", "nosniff"),
        ("Referrer-Policy", "no-referrer"),
        ("Permissions-Policy", "camera=()"),
        ("Cross-Origin-Opener-Policy", "same-origin"),
    )
    assert plan(headers) == {}


def test_report_only_policy_is_promoted() -> None:
    actions = plan((("Content-Security-Policy-Report-Only", "default-src 'self'"),))
    # enforced, with what the findings ask for added (re-graded: fixes_csp)
    assert actions["Content-Security-Policy"].value == (
        "default-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'")
    assert "report-only" in actions["Content-Security-Policy"].reason
    hostile = plan((("Content-Security-Policy-Report-Only", 'default-src "x" $host {y}'),))
    assert hostile["Content-Security-Policy"].value == STARTER_CSP
    nonce = plan((("Content-Security-Policy-Report-Only", "script-src 'nonce-AAAAAAAAAAAAAAAAAAAAAA'"),))
    assert nonce["Content-Security-Policy"].value == STARTER_CSP


def test_existing_policy_is_amended_unless_it_uses_nonces() -> None:
    actions = plan((("Content-Security-Policy", "script-src 'self';"),))
    assert actions["Content-Security-Policy"].value == (
        "script-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'")
    # a nonce is per response: it must never be pinned into a static config file; what to
    # change is said instead (this policy fails: object-src falls back to anything)
    nonce = plan((("Content-Security-Policy", "script-src 'nonce-abc'"),))["Content-Security-Policy"]
    assert nonce.action == "note" and not nonce.value
    assert "still fails" in nonce.reason and "add object-src 'none'" in nonce.reason
    # a passing policy with a nonce and nothing missing needs nothing
    assert "Content-Security-Policy" not in plan((("Content-Security-Policy",
                                                   "script-src 'nonce-abc'; object-src 'none'; base-uri 'none'"),))
    assert "Content-Security-Policy" not in plan(
        (("Content-Security-Policy", "default-src 'self'; base-uri 'none'"),)
    )


def test_findings_drive_replacements_and_removals() -> None:
    headers: Pairs = (
        ("Strict-Transport-Security", "max-age=300; preload"),
        ("X-XSS-Protection", "1"),
        ("Server", "Apache/2.4.58"),
        ("X-Powered-By", "Express"),
        ("X-AspNet-Version", "4"),
        ("X-AspNetMvc-Version", "5"),
        ("Expect-CT", "x"),
        ("Public-Key-Pins", "x"),
        ("Feature-Policy", "camera 'none'"),
        ("Permissions-Policy", "camera=*"),
        ("Cross-Origin-Opener-Policy", "bogus"),
    )
    actions = plan(headers)
    assert actions["Strict-Transport-Security"].value.endswith("; preload")
    assert actions["X-XSS-Protection"].value == "0"
    assert actions["Permissions-Policy"].action == "set"
    assert actions["Cross-Origin-Opener-Policy"].value == "same-origin"
    removed = {n for n, a in actions.items() if a.action == "remove"}
    assert removed == {
        "Server",
        "X-Powered-By",
        "X-AspNet-Version",
        "X-AspNetMvc-Version",
        "Expect-CT",
        "Public-Key-Pins",
        "Public-Key-Pins-Report-Only",
        "Feature-Policy",
    }


def test_is_safe_value() -> None:
    assert is_safe_value("default-src 'self' https://a.example/%20")
    for bad in ["", 'a"b', "a\\b", "$x", "{x}", "a\nb", "é", "x" * 5000]:
        assert not is_safe_value(bad)


# --- syntax of every target ------------------------------------------------------------------

CASES: list[Pairs] = [
    (),
    (
        ("Content-Security-Policy", "script-src 'self' https://cdn.example/a%20b"),
        ("Server", "nginx/1.2"),
        ("X-Powered-By", "PHP"),
        ("X-XSS-Protection", "1; mode=block"),
        ("Expect-CT", "x"),
    ),
    (("Content-Security-Policy-Report-Only", "default-src 'self'; img-src data: 'unsafe-inline'"),),
    (
        ("Content-Security-Policy-Report-Only", 'default-src "\'";\n\r$x {a} \\ %'),
        ("X-Frame-Options", "a"),
        ("X-Frame-Options", "b"),
    ),
    (  # cookie repairs, and notes (a nonce policy that fails; a cookie name no config can hold)
        ("Content-Security-Policy", "script-src 'nonce-AAAAAAAAAAAAAAAAAAAAAA' 'unsafe-eval'"),
        ("Set-Cookie", "sessionid=1; Path=/"),
        ("Set-Cookie", "theme=dark; Secure"),
        ("Set-Cookie", "prefs=1; SameSite=sometimes; Secure"),
        ("Set-Cookie", 'we"ird\\name{$x}=1'),
    ),
]


def _balanced(line: str) -> bool:
    return line.count('"') % 2 == 0 and line.count('\\"') == 0


@pytest.mark.parametrize("headers", CASES)
def test_nginx_syntax(headers: Pairs) -> None:
    text = snippets(headers)["nginx"]
    names = []
    for line in text.splitlines():
        code = line.split("#", 1)[0].strip() if not line.startswith("#") else ""
        if not code:
            continue
        assert code.endswith(";"), line
        assert _balanced(code), line
        if code.startswith("add_header"):
            assert re.fullmatch(r'add_header [A-Za-z0-9-]+ "[^"\\$]*" always;', code), line
            names.append(code.split()[1].lower())
        elif code.startswith("proxy_cookie_flags"):
            assert re.fullmatch(r"proxy_cookie_flags [A-Za-z0-9_-]+( (secure|httponly|samesite=lax))+;", code), line
        else:
            assert code.split()[0] in ("server_tokens", "proxy_hide_header"), line
    assert len(names) == len(set(names))


@pytest.mark.parametrize("headers", CASES)
def test_apache_syntax(headers: Pairs) -> None:
    text = snippets(headers)["apache"]
    names = []
    for line in text.splitlines():
        if line.startswith("#"):
            continue
        assert _balanced(line), line
        if line.startswith("Header always set "):
            match = re.fullmatch(r'Header always set ([A-Za-z0-9-]+) "([^"\\]*)"', line)
            assert match, line
            assert re.sub("%%", "", match.group(2)).count("%") == 0  # every % escaped for mod_headers
            names.append(match.group(1).lower())
        else:
            # Exactly the directive: Apache refuses a comment after one (apachectl -t: "ServerTokens
            # takes one argument"), so "ServerTokens Prod  # ..." broke the whole config.
            assert re.fullmatch(
                r"Header (always )?unset [A-Za-z0-9-]+|ServerTokens Prod|ServerSignature Off"
                r'|Header (always )?edit Set-Cookie "\^\(\?![^"]*\)\([A-Za-z0-9_-]+=\.\*\)\$" "\$1; [A-Za-z=]+"'
                r'|Header (always )?edit Set-Cookie "\^\([A-Za-z0-9_-]+=\.\*\?;\)[^"]*" "\$1 SameSite=Lax\$2"', line
            ), line
    assert len(names) == len(set(names))
    if "a%20b" in str(headers):
        assert "a%%20b" in text


@pytest.mark.parametrize("headers", CASES)
def test_caddy_syntax(headers: Pairs) -> None:
    text = snippets(headers)["caddy"]
    headers_block, _, cookies_block = text.partition("\n}\n")
    lines = [*headers_block.splitlines(), "}"]
    assert lines[0] == "header {" and lines[-1] == "}"
    if cookies_block:  # the deferred cookie repairs
        cookie_lines = [line for line in cookies_block.splitlines() if not line.startswith("#")]
        assert cookie_lines[:2] == ["header {", "\tdefer"] and cookie_lines[-1] == "}"
        for line in cookie_lines[2:-1]:
            assert re.fullmatch(r'\tSet-Cookie "\^\([A-Za-z0-9_-]+=\.\*\)\$" "\$1(; [A-Za-z=]+)+"'
                                r'|\tSet-Cookie "\^\([A-Za-z0-9_-]+=\.\*\?;\)[^"]*" "\$1 SameSite=Lax\$2"', line), line
    names = []
    for line in lines[1:-1]:
        body = line.strip()
        if body.startswith("#"):
            continue
        assert "{" not in body and "}" not in body
        assert re.fullmatch(r'-[A-Za-z0-9-]+|[A-Za-z0-9-]+ "[^"\\]*"', body), line
        names.append(body.split()[0].lower())
    assert len(names) == len(set(names))


class _FakeApp:
    def __init__(self) -> None:
        self.hooks: list[Any] = []

    def after_request(self, func: Any) -> Any:
        self.hooks.append(func)
        return func


class _FakeResponse:
    def __init__(self, headers: dict[str, str]) -> None:
        self.headers = headers


@pytest.mark.parametrize("headers", CASES)
def test_flask_snippet_is_valid_python_and_sets_the_plan(headers: Pairs) -> None:
    code = snippets(headers)["flask"]
    compiled = compile(code, "<flask-snippet>", "exec")
    app = _FakeApp()
    exec(compiled, {"app": app})
    response = _FakeResponse({"X-Powered-By": "PHP", "Expect-CT": "x"})
    assert app.hooks[0](response) is response
    actions = plan(headers)
    for name, action in actions.items():
        if action.action == "set":
            assert response.headers[name] == action.value
        elif action.action == "remove" and name != "Server":
            assert name not in response.headers


def test_flask_snippet_escapes_python_literals() -> None:
    code = snippets((("Content-Security-Policy-Report-Only", "default-src 'self' \"\"\"'''"),))["flask"]
    compile(code, "<flask-snippet>", "exec")


@pytest.mark.parametrize("headers", CASES)
def test_express_snippet_has_helmet_keys(headers: Pairs) -> None:
    text = snippets(headers)["express"]
    assert 'require("helmet")' in text and "app.use(helmet(" in text
    options = json.loads(text.split("app.use(helmet(", 1)[1].split("));", 1)[0])
    actions = plan(headers)
    if "Content-Security-Policy" in actions and actions["Content-Security-Policy"].action == "set":
        assert options["contentSecurityPolicy"]["useDefaults"] is False
        assert options["contentSecurityPolicy"]["directives"]
    if "Strict-Transport-Security" in actions:
        assert options["strictTransportSecurity"]["maxAge"] == 63072000
    if "X-Frame-Options" in actions:
        assert options["xFrameOptions"] == {"action": "deny"}
    if "Permissions-Policy" in actions:
        assert 'res.setHeader("Permissions-Policy"' in text


@pytest.mark.parametrize("headers", [*CASES, (("Set-Cookie", "sessionid=1"),
                                               ("Content-Security-Policy", "script-src 'nonce-abc' 'unsafe-eval'"))])
def test_express_snippet_runs_in_node(headers: Pairs) -> None:
    if shutil.which("node") is None:
        raise RuntimeError("node is not installed (apt-get install nodejs)")
    text = snippets(headers)["express"]
    harness = (
        "let captured = null; const calls = [];"
        "const app = {use: (f) => calls.push(f), disable: () => {}};"
        "const fakeRequire = () => (opts) => { captured = opts; return () => {}; };"
        f"(function (require) {{ {text} }})(fakeRequire);"
        "process.stdout.write(JSON.stringify(captured));"
    )
    done = subprocess.run(["node", "-e", harness], capture_output=True, text=True, timeout=30)
    assert done.returncode == 0, done.stderr
    assert isinstance(json.loads(done.stdout), dict)


def test_every_target_is_rendered() -> None:
    assert set(snippets(())) == set(TARGETS)
    assert set(fix_snippets((), ())) == set(TARGETS)  # url defaults to https


@pytest.mark.parametrize("value", ["\x00\r\n", "a" * 300_000, '"; rm -rf /; "', "\u202e", "$(x)", "%{X}e"])
def test_hostile_values_never_reach_snippets(value: str) -> None:
    headers: Pairs = tuple(
        (n, value)
        for n in (
            "Content-Security-Policy",
            "Content-Security-Policy-Report-Only",
            "Strict-Transport-Security",
            "Permissions-Policy",
            "Server",
        )
    )
    for text in snippets(headers).values():
        assert value not in text or value.isalnum()
        assert "\x00" not in text and "\r" not in text
