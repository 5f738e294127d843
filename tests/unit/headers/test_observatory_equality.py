"""Our scores equal MDN HTTP Observatory 1.4.8's on the recorded cases (run by its own code)."""

from __future__ import annotations

from typing import Any

import pytest

from tests.unit.headers.conftest import load_cases, to_input
from toolbox.core.headers import TEST_IDS, analyze

CASES = load_cases()


@pytest.mark.parametrize("case", CASES, ids=[c["name"] for c in CASES])
def test_score_grade_and_every_test_match_the_observatory(case: dict[str, Any]) -> None:
    report = analyze(to_input(case))
    expected = case["expected"]
    got = {
        t.id: {"result": t.result, "score_modifier": t.score_modifier, "pass": t.passed} for t in report.tests
    }
    want = {k: {f: v[f] for f in ("result", "score_modifier", "pass")} for k, v in expected["tests"].items()}
    assert got == want
    assert (report.score, report.grade) == (expected["score"], expected["grade"])
    assert tuple(t.id for t in report.tests) == TEST_IDS


def test_our_own_headers_grade_a_plus_with_the_cookieless_maximum() -> None:
    case = next(c for c in CASES if c["name"] == "toolbox-own")
    report = analyze(to_input(case))
    assert (report.score, report.grade) == (135, "A+")
    assert report.extra_credit_applied and report.withheld_bonuses == () and report.best_fix is None
