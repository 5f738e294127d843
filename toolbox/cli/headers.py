"""`toolbox headers URL|--raw FILE [--min-grade A]`: grade security headers, usable as a CI gate."""

from __future__ import annotations

import click

from toolbox.cli.common import EXIT_FAILED, echo, fail, print_json, read_input, run_op
from toolbox.core.headers.grading import GRADES
from toolbox.ops import choices
from toolbox.ops.headers import CheckRequest, HeadersReport, Method


@click.command("headers")
@click.argument("url", required=False)
@click.option("--raw", "raw_path", type=click.Path(dir_okay=False, allow_dash=True),
              help="Grade pasted headers from FILE (or - for stdin) instead of fetching.")
@click.option("--method", type=click.Choice(choices(Method)), default="GET", show_default=True,
              help="Method of the request to URL.")
@click.option("--no-follow", is_flag=True, help="Grade the first response instead of following redirects.")
@click.option("--min-grade", type=click.Choice(GRADES), help="Exit 1 when the grade is below this.")
@click.option("--json", "as_json", is_flag=True, help="Machine-readable result.")
def headers_command(url: str | None, raw_path: str | None, method: Method, no_follow: bool,
                    min_grade: str | None, as_json: bool) -> None:
    """Grade URL's security headers like the MDN Observatory (or pasted headers with --raw).

    A bare host name (example.com) means its https:// URL, as on the page and in the API.
    """
    if not raw_path and not url:
        fail("give a URL, or --raw FILE")
    request = CheckRequest(url=url or "", raw=read_input(raw_path) if raw_path else "", method=method,
                           follow_redirects=not no_follow)
    report: HeadersReport = run_op("headers/check", request, path=raw_path or url or "")
    if as_json:
        print_json(report)
    else:
        summary = report.summary
        echo(f"{report.final_url}: {report.grade} (score {report.score})")
        echo(f"  {summary.word}: {summary.detail}")
        if summary.biggest_gain:
            echo(f"  Biggest gain: {summary.biggest_gain}")
        for test in report.tests:
            mark = "pass" if test.passed else ("n/a " if test.passed is None else "FAIL")
            echo(f"  {mark} {test.score_modifier:+4d}  {test.title}: {test.result or 'not measurable'}")
        for finding in report.findings:
            echo(f"  [{finding.severity}] {finding.id}: {finding.title}")
    if min_grade and GRADES.index(report.grade) > GRADES.index(min_grade):
        fail(f"grade {report.grade} is below the minimum {min_grade}", EXIT_FAILED)
