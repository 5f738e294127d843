"""The grade in words a person can act on: a verdict, the tests passed, the security headers sent
and missing, human test titles, and the biggest gain said plainly (no result ids as the text).

The biggest gain here is the change a person can make, scored honestly: a failing CSP is
measured to "no unsafe sources" (what removing them earns), not to default-src 'none'; bonuses
for things the site does not have (scripts to give integrity hashes, cookies) are not offered.
The Observatory-style best_fix of the report stays as it is in the API.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from typing import Literal

from toolbox.core.headers.csp import BROAD_OR_UNSAFE_INLINE, DANGEROUSLY_BROAD
from toolbox.core.headers.findings_base import Headers, values_of
from toolbox.core.headers.fixes_cookies import cookie_repairs, needed_flags
from toolbox.core.headers.grading import GRADES, REACHABLE_RESULTS, build_report, score_modifier
from toolbox.core.headers.model import Report, TestResult
from toolbox.core.headers.profiles import profile

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
    "cross-origin-embedder-policy": "Cross-origin embedder policy",
    "cross-origin-opener-policy": "Cross-origin opener policy",
}

# The security headers shown as pills, with the test that grades each (None: no test grades it).
SECURITY_HEADERS: tuple[tuple[str, str | None], ...] = (
    ("Content-Security-Policy", "content-security-policy"),
    ("Strict-Transport-Security", "strict-transport-security"),
    ("X-Content-Type-Options", "x-content-type-options"),
    ("X-Frame-Options", "x-frame-options"),
    ("Referrer-Policy", "referrer-policy"),
    ("Permissions-Policy", None),
    ("Cross-Origin-Opener-Policy", "cross-origin-opener-policy"),  # graded from scoring v6 on
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


def _csp_change(test: TestResult) -> tuple[str, str] | None:
    """(target result, what to do in words) for a failing CSP; None when it passes."""
    result = test.result or ""
    if test.passed:
        return None
    if result in ("csp-not-implemented", "csp-not-implemented-but-reporting-enabled"):
        verb = "enforce" if result.endswith("reporting-enabled") else "add"
        return "csp-implemented-with-no-unsafe", f"{verb} a Content-Security-Policy without 'unsafe-inline'"
    if result == "csp-header-invalid":
        words = "fix the Content-Security-Policy so it parses (one of each directive)"
        return "csp-implemented-with-no-unsafe", words
    data = dict(test.data)
    default = data.get("default-src")
    script = (data.get("script-src") or default or "*").split()
    objects = (data.get("object-src") or default or "*").split()
    parts = []
    unsafe = [s for s in script if s in BROAD_OR_UNSAFE_INLINE or s == "'unsafe-eval'"]
    if unsafe:
        parts.append(f"remove {' '.join(unsafe)} from script-src")
    if any(s in DANGEROUSLY_BROAD for s in objects):
        parts.append("set object-src 'none'")
    if "'unsafe-eval'" in (data.get("style-src") or default or ""):
        parts.append("remove 'unsafe-eval' from style-src")
    if "insecure-scheme" in result:
        parts.append("drop its http: sources")
    if not parts:
        parts.append("remove its unsafe sources")
    return "csp-implemented-with-no-unsafe", "in the Content-Security-Policy, " + " and ".join(parts)


def _cookie_change(headers: Headers, https: bool, cookies: Iterable[str] | None) -> str:
    lines = list(cookies) if cookies is not None else values_of(headers, "set-cookie")
    repairs = cookie_repairs(lines, https)
    flags = [f.split("=")[0] for f in needed_flags(repairs)] or ["Secure", "HttpOnly", "SameSite"]
    names = ", ".join(r.name for r in repairs[:4]) + (" …" if len(repairs) > 4 else "")
    listed = ", ".join(flags[:-1]) + (" and " if len(flags) > 1 else "") + flags[-1]
    return f"add {listed} to the cookies" + (f" ({names})" if names else "")


# Results from which a test's bonus cannot be earned by a change (nothing to protect).
_NOTHING_TO_FIX = frozenset({
    "sri-not-implemented-response-not-html", "sri-not-implemented-but-no-scripts-loaded", "cookies-not-found",
})  # fmt: skip


def _candidates(report: Report, headers: Headers, https: bool,
                cookies: Iterable[str] | None) -> list[tuple[str, str, str]]:
    """(test id, result it would reach, the change in words) for every test a change can improve."""
    sent = {name.strip().lower() for name, _ in headers}
    out = []
    for test in report.tests:
        if test.result is None or test.result in _NOTHING_TO_FIX:
            continue
        if test.id == "content-security-policy":
            csp = _csp_change(test)
            if csp is not None:
                out.append((test.id, *csp))
            continue
        for target in REACHABLE_RESULTS.get(test.id, ()):
            if target == test.result:
                continue
            if test.id == "cookies":
                words = _cookie_change(headers, https, cookies)
            elif test.id == "x-frame-options":
                words = ("add frame-ancestors 'none' to the Content-Security-Policy"
                         if "content-security-policy" in sent
                         else "send a Content-Security-Policy with frame-ancestors 'none'")
            elif test.id == "strict-transport-security" and not https:
                words = "serve the site over HTTPS with Strict-Transport-Security: max-age=63072000"
            else:
                verb = "change" if test.id in sent else "add"
                words = _SIMPLE_CHANGES.get(test.id, "fix " + title_of(test.id)).format(verb=verb)
            out.append((test.id, target, words))
    return out


_SIMPLE_CHANGES = {
    "cross-origin-resource-sharing": "allow only the origins you trust in Access-Control-Allow-Origin",
    "redirection": "redirect http:// to https:// on the same host first",
    "referrer-policy": "{verb} Referrer-Policy: strict-origin-when-cross-origin",
    "strict-transport-security": "send Strict-Transport-Security: max-age=63072000",
    "subresource-integrity": "load every script over HTTPS, other sites' scripts with integrity= hashes",
    "x-content-type-options": "{verb} X-Content-Type-Options: nosniff",
    "cross-origin-resource-policy": "{verb} Cross-Origin-Resource-Policy: same-origin",
    "cross-origin-opener-policy": "{verb} Cross-Origin-Opener-Policy: same-origin",
    "cross-origin-embedder-policy": "{verb} Cross-Origin-Embedder-Policy: require-corp",
}


def _score_with(report: Report, test_id: str, result: str) -> tuple[int, str]:
    scoring = profile(report.scoring)
    tests = [replace(t, result=result, score_modifier=score_modifier(result, scoring))
             if t.id == test_id else t for t in report.tests]
    changed = build_report(tests, scoring)
    return changed.score, changed.grade


def biggest_gain(report: Report, headers: Headers, https: bool, cookies: Iterable[str] | None = None) -> str:
    """"add X-Content-Type-Options: nosniff — +5 points, grade B → B+", or "" when no single change
    raises the score, or the site already has the top grade."""
    if report.grade == GRADES[0]:
        return ""
    best: tuple[int, str, str] | None = None
    for test_id, target, words in _candidates(report, headers, https, cookies):
        score, grade = _score_with(report, test_id, target)
        if score > report.score and (best is None or score - report.score > best[0]):
            best = (score - report.score, grade, words)
    if best is None:
        return ""
    gain, grade, words = best
    change = f"still grade {grade}" if grade == report.grade else f"grade {report.grade} → {grade}"
    return f"{words} — +{gain} points, {change}"


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
