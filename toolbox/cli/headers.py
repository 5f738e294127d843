"""`toolbox headers URL|--raw FILE [--format F] [--fail-on C] [--baseline FILE]`: grade security headers,
usable as a CI gate; the formats and the gate are built by toolbox.ops.reporters."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Literal

import click

from toolbox.cli.common import EXIT_FAILED, echo, fail, read_input, run_op
from toolbox.core.headers.coverage import CLASS_LABELS
from toolbox.core.headers.grading import GRADES
from toolbox.core.headers.profiles import DEFAULT_SCORING, SCORINGS, Scoring
from toolbox.core.headers.routes import RoutePathError, checked_paths
from toolbox.core.jwt.invisible import reveal
from toolbox.core.text import escape_surrogates
from toolbox.ops import choices
from toolbox.ops.headers import (
    CheckRequest,
    CompareReport,
    CompareRequest,
    HeadersReport,
    Method,
    Side,
    request_headers_from_lines,
)
from toolbox.ops.reporters import (
    MAX_BASELINE_CHARS,
    PASTED_LOCATION,
    Baseline,
    BaselineError,
    Comparison,
    FailOn,
    GateResult,
    compare,
    evaluate,
    junit_xml,
    parse_baseline,
    parse_fail_on,
    sarif_log,
    toolbox_version,
)
from toolbox.ops.serialize import to_json

Format = Literal["text", "json", "sarif", "junit"]
FORMATS: tuple[Format, ...] = ("text", "json", "sarif", "junit")


@click.command("headers")
@click.argument("url", required=False)
@click.option("--raw", "raw_path", type=click.Path(dir_okay=False, allow_dash=True),
              help="Grade pasted headers from FILE (or - for stdin) instead of fetching.")
@click.option("--method", type=click.Choice(choices(Method)), default="GET", show_default=True,
              help="Method of the request to URL.")
@click.option("--no-follow", is_flag=True, help="Grade the first response instead of following redirects.")
@click.option("--header", "-H", "request_headers", multiple=True, metavar="'NAME: VALUE'",
              help="A request header for a private (staging) site, e.g. 'Authorization: Basic …'; sent over "
                   "https to the URL's own origin only. Repeatable.")
@click.option("--scoring", type=click.Choice(SCORINGS), default=DEFAULT_SCORING, show_default=True,
              help="Observatory scoring version: v5 (the public Observatory), v4 (npm 1.4.8), v6 (next: "
                   "adds COOP and COEP).")
@click.option("--routes", "sample_routes", is_flag=True,
              help="Also fetch / and a path that should 404, and show which security headers each sends.")
@click.option("--path", "paths", multiple=True, metavar="PATH",
              help="One more path of the site to sample (e.g. /api/health); implies --routes. At most 5.")
@click.option("--format", "output_format", type=click.Choice(FORMATS), default=None,
              help="Output: text (default), json (the API's report), sarif (SARIF 2.1.0), junit (JUnit XML).")
@click.option("--json", "as_json", is_flag=True, help="Same as --format json.")
@click.option("--fail-on", "fail_on", multiple=True, metavar="CONDITION",
              help="Exit 1 on grade-below:GRADE (e.g. grade-below:B+) or on regression (needs --baseline). "
                   "Repeatable.")
@click.option("--min-grade", type=click.Choice(GRADES), help="Same as --fail-on grade-below:GRADE.")
@click.option("--baseline", "baseline_path", type=click.Path(dir_okay=False), metavar="FILE",
              help="A previous --format json output of the same site: what regressed since is reported.")
def headers_command(url: str | None, raw_path: str | None, method: Method, no_follow: bool,
                    request_headers: tuple[str, ...], scoring: Scoring, sample_routes: bool,
                    paths: tuple[str, ...], output_format: Format | None, as_json: bool,
                    fail_on: tuple[str, ...], min_grade: str | None, baseline_path: str | None) -> None:
    """Grade URL's security headers like the MDN Observatory (or pasted headers with --raw).

    A bare host name (example.com) means its https:// URL, as on the page and in the API. Exit 1 when
    a --fail-on condition (or --min-grade) fails, 2 for a usage error or an unusable baseline.
    """
    fmt, conditions = output_options(as_json, output_format, fail_on, min_grade)
    if conditions.regression and not baseline_path:
        fail("--fail-on regression needs --baseline FILE (a previous --format json output)")
    if not raw_path and not url:
        fail("give a URL, or --raw FILE")
    baseline = _read_baseline(baseline_path) if baseline_path else None  # before fetching anything
    try:
        extra = request_headers_from_lines("\n".join(request_headers))
    except ValueError as err:
        fail(f"--header: {err}")
    try:
        checked_paths(paths)  # a usage error (exit 2), found before anything is fetched
    except RoutePathError as err:
        fail(f"--path: {err}")
    request = CheckRequest(url=url or "", raw=read_input(raw_path) if raw_path else "", method=method,
                           follow_redirects=not no_follow, scoring=scoring, request_headers=extra,
                           sample_routes=sample_routes, paths=list(paths))
    report: HeadersReport = run_op("headers/check", request, path=raw_path or url or "")
    comparison = None
    if baseline is not None:
        try:
            comparison = compare(report, baseline)
        except BaselineError as err:
            fail(f"--baseline {baseline_path}: {err}")
        for warning in comparison.warnings:
            _stderr(f"warning: --baseline {baseline_path}: {warning}")
    gated = conditions.min_grade or conditions.regression or comparison is not None
    gate = evaluate(report, conditions, comparison) if gated else None
    location = report.final_url if url and url.strip() else PASTED_LOCATION
    if fmt == "text":
        _print_text(report, comparison)
    else:
        emit_machine(fmt, report, to_json(report), location=location, gate=gate)
    if gate is not None and not gate.passed:
        fail_gate(gate, fmt)


def output_options(as_json: bool, output_format: Format | None, fail_on: tuple[str, ...],
                   min_grade: str | None) -> tuple[Format, FailOn]:
    """The output format (--json is --format json) and the gate's conditions, or exit 2 saying why."""
    if as_json and output_format not in (None, "json"):
        fail(f"--json is --format json: give one of --json and --format {output_format}")
    try:
        conditions = parse_fail_on(fail_on, min_grade)
    except ValueError as err:
        fail(f"--fail-on {err}")
    return ("json" if as_json else (output_format or "text")), conditions


def emit_machine(fmt: Format, report: HeadersReport, document: dict[str, object], *, location: str,
                 gate: GateResult | None) -> None:
    """Print `document` (the command's --json answer, with the gate's verdict added), or the SARIF log or
    JUnit XML of `report` (a check's report, every finding to be listed among its findings)."""
    if fmt == "json":
        if gate is not None:
            document["gate"] = to_json(gate)
        echo(json.dumps(document, indent=2, ensure_ascii=False))
    elif fmt == "sarif":
        log = sarif_log(report, location=location, version=toolbox_version(), gate=gate)
        echo(json.dumps(log, indent=2, ensure_ascii=False))
    else:
        started = datetime.now(UTC).replace(microsecond=0, tzinfo=None).isoformat()
        echo(junit_xml(report, location=location, gate=gate, timestamp=started).rstrip("\n"))


def _stderr(message: str) -> None:
    """A line on stderr, shown as `fail` shows it (invisible characters and lone surrogates escaped)."""
    click.echo(reveal(escape_surrogates(f"toolbox: {message}")), err=True)


def _read_baseline(path: str) -> Baseline:
    """The baseline report, or exit 2 saying why it cannot be used (never a traceback)."""
    try:
        with open(path, encoding="utf-8-sig") as handle:  # a BOM (Windows editors) is not an error
            text = handle.read(MAX_BASELINE_CHARS + 1)
        return parse_baseline(text)
    except UnicodeDecodeError as err:
        fail(f"--baseline {path}: not UTF-8 text (byte {err.start})")
    except OSError as err:
        fail(f"--baseline {path}: {err.strerror}")
    except BaselineError as err:
        fail(f"--baseline {path}: {err}")


def _print_text(report: HeadersReport, comparison: Comparison | None) -> None:
    summary = report.summary
    echo(f"{report.final_url}: {report.grade} (score {report.score}, {report.scoring_title})")
    upcoming = report.next
    if upcoming is not None and (upcoming.grade, upcoming.score) != (report.grade, report.score):
        echo(f"  Under the next version ({upcoming.title}): {upcoming.grade} (score {upcoming.score})")
    echo(f"  {summary.word}: {summary.detail}")
    if summary.biggest_gain:
        echo(f"  Biggest gain: {summary.biggest_gain}")
    for test in report.tests:
        mark = "pass" if test.passed else ("n/a " if test.passed is None else "FAIL")
        echo(f"  {mark} {test.score_modifier:+4d}  {test.title}: {test.result or 'not measurable'}")
    for finding in report.findings:
        echo(f"  [{finding.severity}] {finding.id}: {finding.title}")
    for note in report.notes:
        echo(f"  Note: {note}")
    tls = report.tls
    if tls is not None:
        left = tls.days_left
        days = ("" if left is None else f", expired {-left} days ago" if left < 0
                else f", expires in {left} days")
        echo(f"TLS: {tls.protocol} {tls.cipher}; certificate {tls.subject}, issuer {tls.issuer}{days}; "
             f"chain {tls.chain}")
    if report.routes is not None:
        echo("Routes:")
        width = max(len(row.label) for row in report.routes.rows)
        for row in report.routes.rows:
            lacks = f"  lacks {', '.join(row.lacking)}" if row.lacking else ""
            echo(f"  {row.label:<{width}}  {row.status}  {CLASS_LABELS[row.kind].lower()}{lacks}")
    if comparison is None:
        return
    echo(f"Baseline: {comparison.baseline_grade} (score {comparison.baseline_score}) → "
         f"{report.grade} (score {report.score})")
    if comparison.regressions:
        echo(f"  Regressions ({len(comparison.regressions)}):")
        for regression in comparison.regressions:
            echo(f"    {regression.message}")
    else:
        echo("  No regression.")
    for improvement in comparison.improvements:
        echo(f"  Improved: {improvement}")


def fail_gate(gate: GateResult, fmt: Format) -> None:
    """Say on stderr why the gate failed (regressions too, when stdout holds a machine format); exit 1."""
    if fmt != "text" and gate.fail_on_regression and gate.comparison is not None:
        for regression in gate.comparison.regressions:
            _stderr(f"regression: {regression.message}")
    for failure in gate.failures[:-1]:
        _stderr(failure)
    fail(gate.failures[-1], EXIT_FAILED)


@click.command("headers-compare")
@click.argument("url_a", required=False, metavar="A")
@click.argument("url_b", required=False, metavar="B")
@click.option("--raw-a", "raw_a", type=click.Path(dir_okay=False, allow_dash=True), metavar="FILE",
              help="Pasted headers for A from FILE (- for stdin) instead of fetching A.")
@click.option("--raw-b", "raw_b", type=click.Path(dir_okay=False, allow_dash=True), metavar="FILE",
              help="Pasted headers for B from FILE instead of fetching B.")
@click.option("--scoring", type=click.Choice(SCORINGS), default=DEFAULT_SCORING, show_default=True,
              help="Observatory scoring version for both.")
@click.option("--json", "as_json", is_flag=True, help="Machine-readable result (the API's compare report).")
def headers_compare_command(url_a: str | None, url_b: str | None, raw_a: str | None, raw_b: str | None,
                            scoring: Scoring, as_json: bool) -> None:
    """Compare two sites' security headers (staging and production, apex and www), or two pasted
    header sets (before and after): score, each test, each security header, the findings of one side.

    With --raw-a/--raw-b, A and B are only the pages' addresses (nothing is fetched).
    """
    if raw_a == "-" and raw_b == "-":
        fail("only one of --raw-a and --raw-b can read stdin")
    sides = []
    for name, url, raw_path in (("A", url_a, raw_a), ("B", url_b, raw_b)):
        if not url and not raw_path:
            fail(f"give {name} as a URL, or --raw-{name.lower()} FILE")
        sides.append(Side(url=url or "", raw=read_input(raw_path) if raw_path else ""))
    request = CompareRequest(a=sides[0], b=sides[1], scoring=scoring)
    report: CompareReport = run_op("headers/compare", request, path=raw_a or raw_b or url_a or "")
    if as_json:
        echo(json.dumps(to_json(report), indent=2, ensure_ascii=False))
        return
    a, b = report.a, report.b
    echo(f"A {a.final_url}: {a.grade} (score {a.score})")
    echo(f"B {b.final_url}: {b.grade} (score {b.score})")
    echo(f"  {report.score_delta:+d} points from A to B ({a.scoring_title})")
    changed = [t for t in report.tests if t.changed]
    echo("Tests that differ:" if changed else "Every test gives the same result.")
    for test in changed:
        echo(f"  {test.delta:+4d}  {test.title}: {test.a_result or 'not measurable'} → "
             f"{test.b_result or 'not measurable'}")
    differing = [h for h in report.headers if h.changed]
    if differing:
        echo("Headers that differ:")
    for header in differing:
        echo(f"  {header.name}")
        echo(f"    A: {' | '.join(header.a) if header.a else '(not sent)'}")
        echo(f"    B: {' | '.join(header.b) if header.b else '(not sent)'}")
    for label, findings in (("Only A", report.findings_only_a), ("Only B", report.findings_only_b)):
        for finding in findings:
            echo(f"  {label}: [{finding.severity}] {finding.id}: {finding.title}")
