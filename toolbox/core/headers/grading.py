"""Scoring and grading exactly as the MDN HTTP Observatory (scoring versions 4 to 6, profiles.py).

The total starts at 100 and adds every test's modifier; positive modifiers ("extra
credit") count only when 100 plus the negative ones alone is at least 90. The grade
comes from the score rounded down to a multiple of 5, capped at 100 (A+).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Literal, get_args

from toolbox.core.headers.model import FixGain, Report, TestResult
from toolbox.core.headers.profiles import ScoringProfile
from toolbox.core.headers.score_table import SCORE_TABLE

MINIMUM_SCORE_FOR_EXTRA_CREDIT = 90
_MDN = "https://developer.mozilla.org"

Grade = Literal["A+", "A", "A-", "B+", "B", "B-", "C+", "C", "C-", "D+", "D", "D-", "F"]
GRADES: tuple[Grade, ...] = get_args(Grade)  # best first: the one list of grades
GRADE_CHART: dict[int, str] = {
    100: "A+", 95: "A", 90: "A", 85: "A-", 80: "B+", 75: "B", 70: "B", 65: "B-",
    60: "C+", 55: "C", 50: "C", 45: "C-", 40: "D+", 35: "D", 30: "D", 25: "D-",
    20: "F", 15: "F", 10: "F", 5: "F", 0: "F",
}  # fmt: skip

TOPIC_LINKS: dict[str, str] = {
    "content-security-policy": "/en-US/docs/Web/Security/Practical_implementation_guides/CSP",
    "cookies": "/en-US/docs/Web/Security/Practical_implementation_guides/Cookies",
    "cross-origin-resource-policy": "/en-US/docs/Web/Security/Practical_implementation_guides/CORP",
    "cross-origin-embedder-policy": "/en-US/docs/Web/HTTP/Reference/Headers/Cross-Origin-Embedder-Policy",
    "cross-origin-opener-policy": "/en-US/docs/Web/HTTP/Reference/Headers/Cross-Origin-Opener-Policy",
    "cross-origin-resource-sharing": "/en-US/docs/Web/Security/Practical_implementation_guides/CORS",
    "redirection": "/en-US/docs/Web/Security/Practical_implementation_guides/TLS#http_redirection",
    "referrer-policy": "/en-US/docs/Web/Security/Practical_implementation_guides/Referrer_policy",
    "strict-transport-security": "/en-US/docs/Web/Security/Practical_implementation_guides/TLS"
    "#http_strict_transport_security_implementation",
    "subresource-integrity": "/en-US/docs/Web/Security/Subresource_Integrity",
    "x-content-type-options": "/en-US/docs/Web/Security/Practical_implementation_guides/MIME_types",
    "x-frame-options": "/en-US/docs/Web/Security/Practical_implementation_guides/Clickjacking",
}

# Results a site can reach by changing its own configuration, per test (for "best fix").
REACHABLE_RESULTS: dict[str, tuple[str, ...]] = {
    "content-security-policy": ("csp-implemented-with-no-unsafe-default-src-none",),
    "cookies": ("cookies-secure-with-httponly-sessions-and-samesite",),
    "cross-origin-resource-sharing": ("cross-origin-resource-sharing-not-implemented",),
    "redirection": ("redirection-to-https",),
    "referrer-policy": ("referrer-policy-private",),
    "strict-transport-security": ("hsts-implemented-max-age-at-least-six-months",),
    "subresource-integrity": ("sri-implemented-and-all-scripts-loaded-securely",),
    "x-content-type-options": ("x-content-type-options-nosniff",),
    "x-frame-options": ("x-frame-options-implemented-via-csp",),
    "cross-origin-resource-policy": ("corp-implemented-with-same-origin",),
    "cross-origin-embedder-policy": ("coep-implemented-with-require-corp",),
    "cross-origin-opener-policy": ("coop-implemented-with-same-origin",),
}


def score_modifier(result: str | None, scoring: ScoringProfile) -> int:
    """Return the score modifier of a result name under a profile (0 when unknown)."""
    if result is None:
        return 0
    if result in scoring.modifiers:
        return scoring.modifiers[result]
    return SCORE_TABLE[result].modifier if result in SCORE_TABLE else 0


def grade_for_score(score: int) -> tuple[int, str]:
    """Clamp at 0 and map the score to its grade like the Observatory's getGradeForScore."""
    score = max(score, 0)
    return score, GRADE_CHART[min(score - score % 5, 100)]


def make_result(
    test_id: str, result: str | None, passed: bool | None, data: dict[str, str] | None,
    scoring: ScoringProfile,
) -> TestResult:
    """Build a TestResult with the profile's modifier, explanation, recommendation and MDN link."""
    entry = SCORE_TABLE.get(result or "")
    return TestResult(
        id=test_id,
        passed=passed,
        result=result,
        score_modifier=score_modifier(result, scoring),
        explanation=entry.description if entry else "Not measurable from pasted headers.",
        recommendation=entry.recommendation if entry else "",
        link=_MDN + TOPIC_LINKS.get(test_id, ""),
        data=tuple(sorted((data or {}).items())),
    )


def _totals(modifiers: Sequence[int]) -> tuple[int, int, int]:
    """Return (final score, uncurved score, score with extra credit)."""
    with_credit = 100 + sum(modifiers)
    uncurved = 100 + sum(m for m in modifiers if m < 0)
    final = with_credit if uncurved >= MINIMUM_SCORE_FOR_EXTRA_CREDIT else uncurved
    return final, uncurved, with_credit


def _fixes(tests: Sequence[TestResult], score: int, scoring: ScoringProfile) -> tuple[FixGain, ...]:
    """Score each single-test change to its best reachable result, biggest gain first."""
    gains: list[FixGain] = []
    for i, test in enumerate(tests):
        for target in REACHABLE_RESULTS.get(test.id, ()):
            if target == test.result or test.result in (None, "cookies-not-found"):
                continue  # setting cookies just to earn their bonus is no fix
            mods = [t.score_modifier for t in tests]
            mods[i] = score_modifier(target, scoring)
            new_score, grade = grade_for_score(_totals(mods)[0])
            if new_score > score:
                gains.append(FixGain(test.id, target, new_score, grade, new_score - score))
    return tuple(sorted(gains, key=lambda g: (-g.gain, g.test_id)))


# What earns each test's bonus, in the words of a sentence ("Your Referrer-Policy would earn +5").
BONUS_SUBJECTS: dict[str, str] = {
    "content-security-policy": "Content-Security-Policy",
    "cookies": "cookies",
    "cross-origin-resource-policy": "Cross-Origin-Resource-Policy",
    "cross-origin-embedder-policy": "Cross-Origin-Embedder-Policy",
    "cross-origin-opener-policy": "Cross-Origin-Opener-Policy",
    "referrer-policy": "Referrer-Policy",
    "strict-transport-security": "HSTS preload listing",
    "subresource-integrity": "script integrity (SRI)",
    "x-frame-options": "CSP frame-ancestors",
}


def withheld_bonus(test: TestResult, uncurved: int) -> str:
    """A withheld bonus in plain words: what would earn it, and why it does not count yet."""
    subject = BONUS_SUBJECTS.get(test.id, test.id)
    return (f"Your {subject} would earn +{test.score_modifier}, but bonuses only count once the score "
            f"before bonuses reaches {MINIMUM_SCORE_FOR_EXTRA_CREDIT} (it is {uncurved}).")


def build_report(tests: Sequence[TestResult], scoring: ScoringProfile) -> Report:
    """Total the modifiers with the extra-credit rule and grade the result."""
    final, uncurved, with_credit = _totals([t.score_modifier for t in tests])
    score, grade = grade_for_score(final)
    applied = uncurved >= MINIMUM_SCORE_FOR_EXTRA_CREDIT
    withheld: tuple[str, ...] = ()
    if not applied:
        withheld = tuple(withheld_bonus(t, uncurved) for t in tests if t.score_modifier > 0)
    fixes = _fixes(tests, score, scoring)
    return Report(
        score=score,
        grade=grade,
        tests=tuple(tests),
        uncurved_score=uncurved,
        score_with_extra_credit=with_credit,
        extra_credit_applied=applied,
        withheld_bonuses=withheld,
        best_fix=fixes[0] if fixes else None,
        fixes=fixes,
        algorithm_version=scoring.algorithm_version,
        scoring=scoring.name,
    )
