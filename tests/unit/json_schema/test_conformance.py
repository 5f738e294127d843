"""The official JSON Schema Test Suite through our core validate path (texts in, ValidationResult out).

Required tests (tests/<dialect>/*.json) run as the suite means them: format is an annotation.
optional/format/ runs with format assertion on. `$ref`s to http://localhost:1234/ resolve to the
suite's remotes/ folder read from disk (the test-only `resources` hook), never the network.
Tests we fail are listed with a reason in expected_failures.json and are strict xfails, so a
fixed one fails loudly. Pass rates: `python -m tests.unit.json_schema.conformance_report`.
"""

from __future__ import annotations

import pytest

from tests.unit.json_schema import suite

CASES = suite.all_cases()
EXPECTED = suite.expected_failures()


def _param(case: suite.Case) -> object:
    reason = EXPECTED["ours"].get(case.id)
    marks = [pytest.mark.xfail(strict=True, reason=reason)] if reason else []
    return pytest.param(case, id=case.id, marks=marks)


@pytest.mark.parametrize("case", [_param(case) for case in CASES])
def test_suite(case: suite.Case) -> None:
    assert suite.ours_valid(case) is case.valid


def test_every_expected_failure_names_a_real_test() -> None:
    ids = {case.id for case in CASES}
    assert set(EXPECTED["ours"]) <= ids
    assert set(EXPECTED["engines_disagree"]) <= ids
    assert all(reason.strip() for reason in EXPECTED["ours"].values())


def test_suite_is_all_there() -> None:
    """Guard against an empty or moved suite silently passing."""
    required = [case for case in CASES if case.required]
    assert len(required) > 4500
    assert len(CASES) - len(required) > 2500
    assert {case.dialect for case in CASES} == set(suite.DIALECTS)


def test_engines_agree_except_where_recorded() -> None:
    """jsonschema-rs (our engine) against jsonschema (the reference), verdict by verdict.

    Every disagreement is recorded in expected_failures.json with both verdicts and the
    suite's; a new one (or one that went away) fails here.
    """
    found = {}
    for case in CASES:
        fast = suite.fast_valid(case)
        try:
            reference: bool | None = suite.reference_valid(case)
        except Exception:  # e.g. Python's re cannot compile an ECMA-262 \p{...} escape
            reference = None
        if fast != reference:
            found[case.id] = suite.disagreement(reference, fast, case.valid)
    assert found == EXPECTED["engines_disagree"]


def test_ours_gives_the_fast_engines_verdict() -> None:
    """Our path (parse, metaschema check, refs policy, locating) never changes jsonschema-rs's verdict."""
    differ = [
        case.id for case in CASES
        if case.id not in EXPECTED["ours"] and suite.ours_valid(case) is not suite.fast_valid(case)
    ]
    assert differ == []
