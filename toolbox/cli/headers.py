"""`toolbox headers URL|--raw FILE [--min-grade A]`: grade security headers, usable as a CI gate."""

from __future__ import annotations

import sys

import click

from toolbox.cli.common import EXIT_FAILED, cli_settings, echo, fail, print_json

GRADES = ("A+", "A", "A-", "B+", "B", "B-", "C+", "C", "C-", "D+", "D", "D-", "F")


@click.command("headers")
@click.argument("url", required=False)
@click.option("--raw", "raw_path", type=click.Path(dir_okay=False, allow_dash=True),
              help="Grade pasted headers from FILE (or - for stdin) instead of fetching.")
@click.option("--min-grade", type=click.Choice(GRADES), help="Exit 1 when the grade is below this.")
@click.option("--json", "as_json", is_flag=True, help="Machine-readable result.")
def headers_command(url: str | None, raw_path: str | None, min_grade: str | None, as_json: bool) -> None:
    """Grade URL's security headers like the MDN Observatory (or pasted headers with --raw)."""
    from toolbox.core.headers.check import check_raw, check_url
    from toolbox.core.headers.raw import RawHeadersError
    from toolbox.core.net import FetchError

    if raw_path:
        try:
            text = sys.stdin.read() if raw_path == "-" else open(raw_path, encoding="utf-8").read()  # noqa: SIM115
            result = check_raw(text, url=url)
        except (OSError, UnicodeDecodeError) as err:
            fail(f"cannot read {raw_path}: {err}")
        except RawHeadersError as err:
            fail(str(err))
    elif url:
        try:
            result = check_url(url, cli_settings().fetch_policy())
        except FetchError as err:
            fail(f"{url}: {err.reason}")
    else:
        fail("give a URL, or --raw FILE")
    report = result.report
    if as_json:
        from toolbox.ops.headers import report_json

        print_json(report_json(result))
    else:
        echo(f"{result.final_url}: {report.grade} ({report.score}/100)")
        for test in report.tests:
            mark = "pass" if test.passed else ("n/a " if test.passed is None else "FAIL")
            echo(f"  {mark} {test.score_modifier:+4d}  {test.id}: {test.result or 'not measurable'}")
        for finding in result.findings:
            echo(f"  [{finding.severity}] {finding.id}: {finding.title}")
    if min_grade and GRADES.index(report.grade) > GRADES.index(min_grade):
        fail(f"grade {report.grade} is below the minimum {min_grade}", EXIT_FAILED)
