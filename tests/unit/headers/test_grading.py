"""The grade chart, the extra-credit rule and the "best fix" breakdown."""

from __future__ import annotations

import pytest

from toolbox.core.headers.grading import build_report, grade_for_score, make_result
from toolbox.core.headers.headermap import HeaderMap
from toolbox.core.headers.model import Report, TestResult
from toolbox.core.headers.profiles import PROFILES

V5 = PROFILES["v5"]


def result_of(test_id: str, result: str, passed: bool) -> TestResult:
    return make_result(test_id, result, passed, None, V5)


def report_of(results: list[TestResult]) -> Report:
    return build_report(results, V5)


@pytest.mark.parametrize(
    ("score", "grade"),
    [(-40, "F"), (0, "F"), (24, "F"), (25, "D-"), (44, "D+"), (45, "C-"), (64, "C+"), (65, "B-"),
     (84, "B+"), (85, "A-"), (90, "A"), (99, "A"), (100, "A+"), (145, "A+")],
)  # fmt: skip
def test_grade_chart(score: int, grade: str) -> None:
    assert grade_for_score(score) == (max(score, 0), grade)


def test_bonuses_count_when_the_score_without_them_is_exactly_90() -> None:
    report = report_of(
        [
            result_of("strict-transport-security", "hsts-implemented-max-age-less-than-six-months", False),
            result_of("cross-origin-resource-policy", "corp-implemented-with-same-origin", True),
        ]
    )
    assert (report.uncurved_score, report.score, report.extra_credit_applied) == (90, 100, True)


def test_bonuses_are_withheld_below_90_and_the_reason_is_given() -> None:
    report = report_of(
        [
            result_of("x-frame-options", "x-frame-options-not-implemented", False),
            result_of("cross-origin-resource-policy", "corp-implemented-with-same-origin", True),
            result_of("referrer-policy", "referrer-policy-private", True),
        ]
    )
    assert (report.score, report.grade, report.score_with_extra_credit) == (80, "B+", 95)
    assert report.withheld_bonuses == (
        "Your Cross-Origin-Resource-Policy would earn +10, but bonuses only count once the score before "
        "bonuses reaches 90 (it is 80).",
        "Your Referrer-Policy would earn +5, but bonuses only count once the score before bonuses "
        "reaches 90 (it is 80).",
    )
    assert not any("withheld" in why or "<" in why for why in report.withheld_bonuses)  # no jargon
    # Fixing framing both removes -20 and unlocks the +15 of bonuses.
    assert report.best_fix is not None
    assert (report.best_fix.test_id, report.best_fix.new_score, report.best_fix.gain) == (
        "x-frame-options",
        120,
        40,
    )


def test_headermap_merges_duplicates_like_node() -> None:
    headers = HeaderMap(
        [("X-Frame-Options", "DENY"), ("x-frame-options", "DENY"), ("Set-Cookie", "a=1"), ("set-cookie", "b=2"),
         ("Content-Type", "text/html"), ("content-type", "text/plain"), ("Cookie", "a"), ("cookie", "b")]
    )  # fmt: skip
    assert headers.first("x-frame-options") == "DENY, DENY"
    assert headers.all("set-cookie") == ["a=1", "b=2"]
    assert headers.first("content-type") == "text/html"
    assert headers.first("cookie") == "a; b" and headers.first("missing") is None


def test_statuses_the_observatory_refuses_to_grade() -> None:
    from toolbox.core.headers import observatory_would_scan

    assert [s for s in (101, 200, 204, 301, 308, 400, 401, 403, 404, 500) if observatory_would_scan(s)] == [
        200,
        204,
        301,
        308,
        401,
        403,
    ]
