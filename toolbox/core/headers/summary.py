"""The grade in words a person can act on: a verdict, the tests passed, the security headers sent
and missing, human test titles, and the biggest gain said plainly (no result ids as the text)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal

from toolbox.core.headers.findings_base import Headers, values_of
from toolbox.core.headers.fixes_cookies import cookie_repairs, needed_flags
from toolbox.core.headers.model import FixGain, Report, TestResult

Tone = Literal["ok", "warn", "bad"]
PillState = Literal["ok", "warn", "missing"]

TEST_TITLES: dict[str, str] = {
    "content-security-policy": "Content Security Policy",
    "cookies": "Cookies",
    "cross-origin-resource-sharing": "Cross-origin sharing (CORS)",
    "redirection": "Redirect to HTTPS",
    "referrer-policy": "Referrer Policy",
    "strict-transport-security": "HTTPS only (HSTS)",
    "subresource-integrity": "Script integrity (SRI)",
    "x-content-type-options": "No content-type sniffing",
    "x-frame-options": "Clickjacking protection",
    "cross-origin-resource-policy": "Cross-origin resource policy",
}

# The security headers shown as pills, with the test that grades each (None: no test grades it).
SECURITY_HEADERS: tuple[tuple[str, str | None], ...] = (
    ("Content-Security-Policy", "content-security-policy"),
    ("Strict-Transport-Security", "strict-transport-security"),
    ("X-Content-Type-Options", "x-content-type-options"),
    ("X-Frame-Options", "x-frame-options"),
    ("Referrer-Policy", "referrer-policy"),
    ("Permissions-Policy", None),
    ("Cross-Origin-Opener-Policy", None),
    ("Cross-Origin-Resource-Policy", "cross-origin-resource-policy"),
)

# grade letter -> (tone, word)
_VERDICTS: dict[str, tuple[Tone, str]] = {
    "A+": ("ok", "Excellent"), "A": ("ok", "Good"), "B": ("warn", "Needs work"),
    "C": ("warn", "Weak"), "D": ("bad", "Poor"), "F": ("bad", "Failing"),
}  # fmt: skip


@dataclass(frozen=True)
class HeaderPill:
    """A security header and its state: sent and passing, sent but failing its test, or missing."""

    name: str
    state: PillState


@dataclass(frozen=True)
class Summary:
    """What the result opens with (see the module docstring)."""

    tone: Tone
    word: str
    detail: str
    status: str  # one short line for screen readers: "Graded B: 7 of 10 tests passed"
    passed: int
    measured: int
    total: int
    biggest_gain: str  # "" when no single change raises the score
    headers: tuple[HeaderPill, ...]


def title_of(test_id: str) -> str:
    """The human title of one of the Observatory's tests."""
    return TEST_TITLES.get(test_id, test_id.replace("-", " ").capitalize())


def header_pills(report: Report, headers: Headers) -> tuple[HeaderPill, ...]:
    """Each security header: ok when sent and its test passes, warn when it fails, else missing."""
    tests = {t.id: t for t in report.tests}
    pills = []
    for name, test_id in SECURITY_HEADERS:
        sent = bool(values_of(headers, name))
        test = tests.get(test_id) if test_id else None
        if not sent and name == "X-Frame-Options" and test is not None and test.passed:
            continue  # framing is already controlled by the CSP's frame-ancestors
        if not sent and name == "Content-Security-Policy" and values_of(headers, name + "-Report-Only"):
            pills.append(HeaderPill(name + "-Report-Only", "warn"))
            continue
        if not sent:
            pills.append(HeaderPill(name, "missing"))
        else:
            pills.append(HeaderPill(name, "warn" if test is not None and test.passed is False else "ok"))
    return tuple(pills)


def _csp_change(test: TestResult) -> str:
    """What to do to the policy to reach the best CSP result, in words."""
    result = test.result or ""
    data = dict(test.data)
    if result in ("csp-not-implemented", "csp-not-implemented-but-reporting-enabled"):
        verb = "enforce" if result.endswith("reporting-enabled") else "add"
        return f"{verb} a Content-Security-Policy with default-src 'none' and no 'unsafe-' sources"
    if result == "csp-header-invalid":
        return "fix the Content-Security-Policy so it parses (each directive once), with default-src 'none'"
    parts = []
    if result == "csp-implemented-with-unsafe-inline":
        parts.append("no 'unsafe-inline', data: or wildcards in script-src and object-src 'none'")
    if "eval" in result:
        parts.append("no 'unsafe-eval'")
    if "insecure-scheme" in result:
        parts.append("no http: sources")
    if result == "csp-implemented-with-unsafe-inline-in-style-src-only":
        parts.append("no 'unsafe-inline', data: or wildcards in style-src")
    if result == "csp-implemented-but-duplicate-directives":
        parts.append("each directive once")
    if data.get("default-src") != "'none'":
        parts.append("default-src 'none'")
    return "tighten the Content-Security-Policy: " + ", ".join(parts)


def _cookie_change(headers: Headers, https: bool, cookies: Iterable[str] | None) -> str:
    lines = list(cookies) if cookies is not None else values_of(headers, "set-cookie")
    repairs = cookie_repairs(lines, https)
    flags = [f.split("=")[0] for f in needed_flags(repairs)] or ["Secure", "HttpOnly", "SameSite"]
    names = ", ".join(r.name for r in repairs[:4]) + (" …" if len(repairs) > 4 else "")
    listed = ", ".join(flags[:-1]) + (" and " if len(flags) > 1 else "") + flags[-1]
    return f"add {listed} to the cookies" + (f" ({names})" if names else "")


def _change(fix: FixGain, report: Report, headers: Headers, https: bool,
            cookies: Iterable[str] | None) -> str:
    test = report.test(fix.test_id)
    sent = {name.lower() for name, _ in headers}
    if fix.test_id == "content-security-policy":
        return _csp_change(test)
    if fix.test_id == "cookies":
        return _cookie_change(headers, https, cookies)
    if fix.test_id == "x-frame-options":
        if "content-security-policy" in sent:
            return "add frame-ancestors 'none' to the Content-Security-Policy"
        return "send a Content-Security-Policy with frame-ancestors 'none'"
    if fix.test_id == "strict-transport-security":
        if not https:
            return "serve the site over HTTPS with Strict-Transport-Security: max-age=63072000"
        return "send Strict-Transport-Security: max-age=63072000"
    verb = "change" if fix.test_id in sent else "add"
    simple = {
        "cross-origin-resource-sharing": "allow only the origins you trust in Access-Control-Allow-Origin",
        "redirection": "redirect http:// to https:// on the same host first",
        "referrer-policy": f"{verb} Referrer-Policy: strict-origin-when-cross-origin",
        "subresource-integrity": "load every script over HTTPS, other sites' scripts with integrity= hashes",
        "x-content-type-options": f"{verb} X-Content-Type-Options: nosniff",
        "cross-origin-resource-policy": f"{verb} Cross-Origin-Resource-Policy: same-origin",
    }
    return simple.get(fix.test_id, f"fix {title_of(fix.test_id)}")


def biggest_gain(report: Report, headers: Headers, https: bool, cookies: Iterable[str] | None = None) -> str:
    """"add X-Content-Type-Options: nosniff — +5 points, grade B → B+", or "" when nothing gains."""
    fix = report.best_fix
    if fix is None or fix.gain <= 0:
        return ""
    change = _change(fix, report, headers, https, cookies)
    same = fix.new_grade == report.grade
    grade = f"still grade {report.grade}" if same else f"grade {report.grade} → {fix.new_grade}"
    return f"{change} — +{fix.gain} points, {grade}"


def summarize(report: Report, headers: Headers, https: bool, cookies: Iterable[str] | None = None) -> Summary:
    """The verdict line, counts, pills and biggest gain for one graded site."""
    tone, word = _VERDICTS[report.grade[0]]
    if report.grade == "A+":
        tone, word = _VERDICTS["A+"]
    passed = sum(1 for t in report.tests if t.passed)
    measured = sum(1 for t in report.tests if t.passed is not None)
    total = len(report.tests)
    counted = f"{passed} of {total} tests passed"
    if measured < total:
        counted += f" ({total - measured} not measurable)"
    detail = f"Grade {report.grade}, score {report.score} · {counted}"
    status = f"Graded {report.grade}: {passed} of {total} tests passed"
    return Summary(tone, word, detail, status, passed, measured, total,
                   biggest_gain(report, headers, https, cookies), header_pills(report, headers))
