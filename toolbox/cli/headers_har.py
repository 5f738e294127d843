"""`toolbox headers-har FILE [--scoring v5] [--format F] [--fail-on C]`: grade a HAR's main document and
list which security headers the site's other responses send; the formats and the gate are the headers
command's (toolbox.ops.reporters)."""

from __future__ import annotations

import click
import msgspec

from toolbox.cli.common import echo, fail, read_input, run_op
from toolbox.cli.headers import FORMATS, Format, emit_machine, fail_gate, output_options
from toolbox.core.headers.coverage import CLASS_LABELS, COVERED
from toolbox.core.headers.grading import GRADES
from toolbox.core.headers.profiles import DEFAULT_SCORING, SCORINGS, Scoring
from toolbox.ops.headers_har import HarReport, HarRequest
from toolbox.ops.reporters import evaluate
from toolbox.ops.serialize import to_json

SHORT = {c.name: c.short for c in COVERED}


@click.command("headers-har")
@click.argument("file", type=click.Path(dir_okay=False, allow_dash=True))
@click.option("--scoring", type=click.Choice(SCORINGS), default=DEFAULT_SCORING, show_default=True,
              help="Observatory scoring version: v5 (the public Observatory), v4 (npm 1.4.8), v6 (next: "
                   "adds COOP and COEP).")
@click.option("--format", "output_format", type=click.Choice(FORMATS), default=None,
              help="Output: text (default), json (the API's HAR report), sarif (SARIF 2.1.0), junit (JUnit "
                   "XML); SARIF and JUnit list the coverage findings with the main document's.")
@click.option("--json", "as_json", is_flag=True, help="Same as --format json.")
@click.option("--fail-on", "fail_on", multiple=True, metavar="CONDITION",
              help="Exit 1 on grade-below:GRADE (e.g. grade-below:B+). Repeatable.")
@click.option("--min-grade", type=click.Choice(GRADES), help="Same as --fail-on grade-below:GRADE.")
def headers_har_command(file: str, scoring: Scoring, output_format: Format | None, as_json: bool,
                        fail_on: tuple[str, ...], min_grade: str | None) -> None:
    """Grade the main document of a HAR (FILE, or - for stdin) exported from a browser's devtools, and
    list which security headers each class of the site's other responses sends.

    Nothing is fetched. Exit 1 when FILE is not a usable HAR or a --fail-on condition (or --min-grade)
    fails, 2 for a usage error or a HAR over a limit.
    """
    fmt, conditions = output_options(as_json, output_format, fail_on, min_grade)
    if conditions.regression:
        fail("--fail-on regression needs a baseline, which headers-har does not take (use grade-below:GRADE)")
    report: HarReport = run_op("headers/har", HarRequest(har=read_input(file), scoring=scoring), path=file)
    gate = evaluate(report.report, conditions) if conditions.min_grade else None
    if fmt != "text":
        # One report for SARIF and JUnit: the main document's tests, and its findings followed by the
        # coverage findings of the site's other responses (the API's answer keeps them apart).
        findings = (*report.report.findings, *report.coverage.findings)
        combined = msgspec.structs.replace(report.report, findings=findings)
        emit_machine(fmt, combined, to_json(report), location=report.main_url, gate=gate)
    else:
        _print_text(report)
    if gate is not None and not gate.passed:
        fail_gate(gate, fmt)


def _print_text(report: HarReport) -> None:
    graded = report.report
    echo(f"{report.main_url}: {graded.grade} (score {graded.score}, {graded.scoring_title})")
    echo(f"  {graded.summary.word}: {graded.summary.detail}")
    for note in graded.notes:
        echo(f"  Note: {note}")
    for test in graded.tests:
        mark = "pass" if test.passed else ("n/a " if test.passed is None else "FAIL")
        echo(f"  {mark} {test.score_modifier:+4d}  {test.title}: {test.result or 'not measurable'}")
    for finding in graded.findings:
        echo(f"  [{finding.severity}] {finding.id}: {finding.title}")
    coverage = report.coverage
    echo(f"Site responses: {len(coverage.rows)} of {report.entries} entries")
    for summary in coverage.classes:
        counts = ", ".join(f"{SHORT[name]} {n}/{summary.responses}" for name, n in summary.counts)
        echo(f"  {summary.label} ({summary.responses}): {counts or '-'}")
    for finding in coverage.findings:
        echo(f"  [{finding.severity}] {finding.id}: {finding.title}")
    if report.other_origins:
        echo("Other origins (not counted):")
    for other in report.other_origins:
        kinds = ", ".join(f"{n} {CLASS_LABELS[kind].lower()}" for kind, n in other.classes)
        echo(f"  {other.origin}: {other.responses} ({kinds})")
