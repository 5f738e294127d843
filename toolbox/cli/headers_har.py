"""`toolbox headers-har FILE [--scoring v5] [--json]`: grade a HAR's main document and list which
security headers the site's other responses send."""

from __future__ import annotations

import json

import click

from toolbox.cli.common import echo, read_input, run_op
from toolbox.core.headers.coverage import CLASS_LABELS, COVERED
from toolbox.core.headers.profiles import DEFAULT_SCORING, SCORINGS, Scoring
from toolbox.ops.headers_har import HarReport, HarRequest
from toolbox.ops.serialize import to_json

SHORT = {c.name: c.short for c in COVERED}


@click.command("headers-har")
@click.argument("file", type=click.Path(dir_okay=False, allow_dash=True))
@click.option("--scoring", type=click.Choice(SCORINGS), default=DEFAULT_SCORING, show_default=True,
              help="Observatory scoring version: v5 (the public Observatory), v4 (npm 1.4.8), v6 (next: "
                   "adds COOP and COEP).")
@click.option("--json", "as_json", is_flag=True, help="Machine-readable result (the API's HAR report).")
def headers_har_command(file: str, scoring: Scoring, as_json: bool) -> None:
    """Grade the main document of a HAR (FILE, or - for stdin) exported from a browser's devtools, and
    list which security headers each class of the site's other responses sends.

    Nothing is fetched. Exit 1 when FILE is not a usable HAR, 2 for a usage error or a HAR over a limit.
    """
    report: HarReport = run_op("headers/har", HarRequest(har=read_input(file), scoring=scoring), path=file)
    if as_json:
        echo(json.dumps(to_json(report), indent=2, ensure_ascii=False))
        return
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
