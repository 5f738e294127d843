"""Each scoring profile's results equal its Observatory version's on the recorded cases (run by its own code).

v4: @mdn/mdn-http-observatory 1.4.8; v5: release 1.6.3 (the public site); v6: main.
"""

from __future__ import annotations

from typing import Any

import pytest

from tests.unit.headers.conftest import load_cases, to_input
from toolbox.core.headers import analyze
from toolbox.core.headers.profiles import PROFILES, SCORINGS, Scoring

CASES = load_cases()
PROFILE_CASES = [(scoring, case) for scoring in SCORINGS for case in load_cases(scoring)]


@pytest.mark.parametrize(("scoring", "case"), PROFILE_CASES, ids=[f"{s}-{c['name']}" for s, c in PROFILE_CASES])
def test_score_grade_and_every_test_match_the_observatory(scoring: Scoring, case: dict[str, Any]) -> None:
    report = analyze(to_input(case), scoring)
    expected = case["expected"]
    got = {
        t.id: {"result": t.result, "score_modifier": t.score_modifier, "pass": t.passed} for t in report.tests
    }
    want = {k: {f: v[f] for f in ("result", "score_modifier", "pass")} for k, v in expected["tests"].items()}
    assert got == want
    assert (report.score, report.grade) == (expected["score"], expected["grade"])
    assert tuple(t.id for t in report.tests) == PROFILES[scoring].test_ids == tuple(expected["tests"])
    assert (report.scoring, report.algorithm_version) == (scoring, PROFILES[scoring].algorithm_version)


def test_our_own_headers_grade_a_plus_with_the_cookieless_maximum() -> None:
    case = next(c for c in CASES if c["name"] == "toolbox-own")
    report = analyze(to_input(case))
    assert (report.score, report.grade) == (135, "A+")
    assert report.extra_credit_applied and report.withheld_bonuses == () and report.best_fix is None
