"""The CI gate of `toolbox headers`: `--fail-on grade-below:X|regression` and the baseline comparison.

A baseline is a previous `--format json` output (the HeadersReport as the API answers it). Only the
fields the comparison needs are read, and read strictly: anything else is a BaselineError whose
message says what is wrong and never echoes the file's content.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Literal
from urllib.parse import urlsplit

import msgspec

from toolbox.core.findings import SEVERITY_ORDER
from toolbox.core.headers.grading import GRADES, Grade
from toolbox.core.headers.summary import title_of
from toolbox.ops.headers import HeadersReport

MAX_BASELINE_CHARS = 16 * 1024 * 1024  # a real report is tens of KB; the pasted input is capped at 256 KiB
# New findings at this severity or above are regressions (JUnit fails their cases); an info finding
# (hsts-preload-eligible, coop-missing) is advice, and can appear because something got better.
REGRESSION_SEVERITY = "low"
RegressionKind = Literal["score", "test", "test-worse", "finding", "finding-worse"]
_DEFAULT_PORTS = {"http": 80, "https": 443}


class BaselineError(ValueError):
    """The baseline file cannot be used: not JSON, not a report, or a report of another site."""


class _BaselineTest(msgspec.Struct):
    id: str
    passed: bool | None = msgspec.field(name="pass")
    score_modifier: int
    result: str | None = None


class _BaselineFinding(msgspec.Struct):
    id: str
    severity: str


class _BaselineHop(msgspec.Struct):
    url: str


class Baseline(msgspec.Struct):
    """The parts of a previous `toolbox headers --format json` report the comparison reads."""

    grade: Grade
    score: int
    tests: tuple[_BaselineTest, ...]
    findings: tuple[_BaselineFinding, ...]
    final_url: str
    chain: tuple[_BaselineHop, ...] = ()
    algorithm_version: int | None = None

    @property
    def checked_url(self) -> str:
        """The URL the baseline's check started from."""
        return self.chain[0].url if self.chain else self.final_url


class Regression(msgspec.Struct, frozen=True, kw_only=True):
    """One thing that got worse since the baseline: the score, a test, or a finding."""

    kind: RegressionKind
    id: str  # the test or finding id; "score" for the score
    baseline: str
    current: str
    message: str


class Comparison(msgspec.Struct, frozen=True, kw_only=True):
    """This check against its baseline: what regressed, what improved, and warnings (another path)."""

    baseline_url: str
    baseline_grade: Grade
    baseline_score: int
    regressions: tuple[Regression, ...]
    improvements: tuple[str, ...]
    warnings: tuple[str, ...]


class FailOn(msgspec.Struct, frozen=True, kw_only=True):
    """The gate's conditions: the strictest minimum grade, and whether a regression fails."""

    min_grade: Grade | None = None
    regression: bool = False


class GateResult(msgspec.Struct, frozen=True, kw_only=True):
    """The gate's verdict: passed, or the reasons it failed (exit 1); with the baseline comparison."""

    passed: bool
    failures: tuple[str, ...]
    min_grade: Grade | None
    fail_on_regression: bool
    comparison: Comparison | None


def parse_fail_on(values: Sequence[str], min_grade: str | None = None) -> FailOn:
    """The `--fail-on` values ("regression", "grade-below:B+"; `--min-grade X` adds grade-below:X).

    Raises ValueError for anything else."""
    grades: list[Grade] = []
    regression = False
    for value in [*values, *([f"grade-below:{min_grade}"] if min_grade else [])]:
        kind, _, argument = value.strip().partition(":")
        kind = kind.strip().lower()
        if kind == "regression" and not argument:
            regression = True
        elif kind == "grade-below":
            grade = argument.strip().upper()
            if grade not in GRADES:
                raise ValueError(f"{value!r}: the grade must be one of {', '.join(GRADES)}")
            grades.append(grade)
        else:
            raise ValueError(f"{value!r}: expected regression or grade-below:GRADE (e.g. grade-below:B+)")
    strictest = min(grades, key=GRADES.index) if grades else None
    return FailOn(min_grade=strictest, regression=regression)


def _short(text: str, limit: int = 200) -> str:
    """An error message cut short (msgspec quotes a bad enum value, which could be megabytes)."""
    return text if len(text) <= limit else text[: limit - 1] + "…"


def parse_baseline(text: str) -> Baseline:
    """A previous `--format json` report, or BaselineError saying what is wrong with it."""
    if len(text) > MAX_BASELINE_CHARS:
        raise BaselineError(
            f"too large for a report ({len(text):,} characters; at most {MAX_BASELINE_CHARS:,})"
        )
    if not text.strip():
        raise BaselineError("empty: expected the output of `toolbox headers --format json`")
    try:
        return msgspec.json.decode(text, type=Baseline)
    except msgspec.ValidationError as err:
        raise BaselineError(f"not a `toolbox headers --format json` report: {_short(str(err))}") from None
    except msgspec.DecodeError as err:
        raise BaselineError(f"not JSON: {_short(str(err))}") from None
    except RecursionError:  # msgspec skips unknown fields recursively: a report is never this deep
        raise BaselineError("nested too deeply for a report") from None


def _origin(url: str) -> tuple[str, str, int | None]:
    try:
        parts = urlsplit(url.strip())
        port = parts.port
    except ValueError:
        return (url, "", None)
    scheme = parts.scheme.lower()
    return scheme, (parts.hostname or "").lower(), port or _DEFAULT_PORTS.get(scheme)


def _origin_text(url: str) -> str:
    scheme, host, port = _origin(url)
    if not host:
        return repr(url[:200])
    return f"{scheme}://{host}" + ("" if port == _DEFAULT_PORTS.get(scheme) else f":{port}")


def checked_url(report: HeadersReport) -> str:
    """The URL a check started from (the first hop; the final URL may follow a redirect elsewhere)."""
    return report.chain[0].url if report.chain else report.final_url


def _text(grade: str, score: int) -> str:
    return f"{grade} ({score})"


def compare(report: HeadersReport, baseline: Baseline) -> Comparison:
    """What got worse and better since the baseline; BaselineError when it is of another site.

    Regressions: a lower score; a test that passed and now fails; a test whose score modifier went
    down (a lost bonus, a worse failing result); a finding of severity low or above that the baseline
    did not have, or one that is now more severe (info findings are advice and never regress).
    Findings are matched by id (their documented, stable vocabulary), not by detail.
    """
    here, there = checked_url(report), baseline.checked_url
    if _origin(here) != _origin(there):
        raise BaselineError(
            f"it is a report of {_origin_text(there)}, and this check is of {_origin_text(here)}: "
            "compare a site with its own baseline"
        )
    warnings = []
    if urlsplit(here).path.rstrip("/") != urlsplit(there).path.rstrip("/"):
        warnings.append(
            f"the baseline checked {there[:300]}, this check {here[:300]} (same site, compared anyway)"
        )
    if baseline.algorithm_version not in (None, report.algorithm_version):
        warnings.append(
            f"the baseline was scored with algorithm version {baseline.algorithm_version}, this check "
            f"with version {report.algorithm_version}: part of a score change may be the scoring's"
        )
    regressions: list[Regression] = []
    improvements: list[str] = []
    was, now = _text(baseline.grade, baseline.score), _text(report.grade, report.score)
    if report.score < baseline.score:
        regressions.append(
            Regression(
                kind="score", id="score", baseline=was, current=now, message=f"score went down: {was} → {now}"
            )
        )
    elif report.score > baseline.score:
        improvements.append(f"score went up: {was} → {now}")
    before = {test.id: test for test in baseline.tests}
    for test in report.tests:
        old = before.get(test.id)
        if old is None or test.passed is None:  # not measurable now (pasted headers): nothing to compare
            continue
        old_text = f"{old.result or 'not measurable'} ({old.score_modifier:+d})"
        new_text = f"{test.result or 'not measurable'} ({test.score_modifier:+d})"
        if old.passed is True and test.passed is False:
            regressions.append(
                Regression(
                    kind="test",
                    id=test.id,
                    baseline=old_text,
                    current=new_text,
                    message=f"{title_of(test.id)} passed, now fails: {old_text} → {new_text}",
                )
            )
        elif old.passed is not None and test.score_modifier < old.score_modifier:
            regressions.append(
                Regression(
                    kind="test-worse",
                    id=test.id,
                    baseline=old_text,
                    current=new_text,
                    message=f"{title_of(test.id)} got worse: {old_text} → {new_text}",
                )
            )
        elif old.passed is False and test.passed:
            improvements.append(f"{title_of(test.id)} now passes: {old_text} → {new_text}")
    severity_before: dict[str, int] = {}
    for finding in baseline.findings:
        rank = SEVERITY_ORDER.get(finding.severity, len(SEVERITY_ORDER))
        severity_before[finding.id] = min(rank, severity_before.get(finding.id, rank))
    seen: set[str] = set()
    for found in report.findings:
        if found.id in seen:
            continue
        seen.add(found.id)
        rank = SEVERITY_ORDER[found.severity]
        if rank > SEVERITY_ORDER[REGRESSION_SEVERITY]:
            continue
        if found.id not in severity_before:
            regressions.append(
                Regression(
                    kind="finding",
                    id=found.id,
                    baseline="absent",
                    current=found.severity,
                    message=f"new finding [{found.severity}] {found.id}: {found.title}",
                )
            )
        elif rank < severity_before[found.id]:
            old_severity = next(f.severity for f in baseline.findings if f.id == found.id)
            regressions.append(
                Regression(
                    kind="finding-worse",
                    id=found.id,
                    baseline=old_severity,
                    current=found.severity,
                    message=f"finding {found.id} is more severe: {old_severity} → {found.severity}",
                )
            )
    improvements += [f"finding {gone} is gone" for gone in sorted(set(severity_before) - seen)]
    return Comparison(
        baseline_url=there,
        baseline_grade=baseline.grade,
        baseline_score=baseline.score,
        regressions=tuple(regressions),
        improvements=tuple(improvements),
        warnings=tuple(warnings),
    )


def evaluate(report: HeadersReport, fail_on: FailOn, comparison: Comparison | None = None) -> GateResult:
    """Apply the gate: a grade below the minimum, or a regression when `fail_on.regression`, fails it."""
    failures = []
    if fail_on.min_grade and GRADES.index(report.grade) > GRADES.index(fail_on.min_grade):
        failures.append(f"grade {report.grade} is below the minimum {fail_on.min_grade}")
    if fail_on.regression and comparison is not None and comparison.regressions:
        count = len(comparison.regressions)
        failures.append(f"{count} regression{'s' if count > 1 else ''} since the baseline "
                        f"({comparison.baseline_grade}, score {comparison.baseline_score})")
    return GateResult(
        passed=not failures,
        failures=tuple(failures),
        min_grade=fail_on.min_grade,
        fail_on_regression=fail_on.regression,
        comparison=comparison,
    )
