"""`toolbox headers-har FILE`: text and JSON output, stdin, exit codes, hostile files."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from tests.unit.headers.test_har import PAGE_HEADERS, SECRET, chrome, entry, har
from toolbox.cli import main
from toolbox.core.headers.har import MAX_HAR_CHARS


def run(*args: str, stdin: bytes | None = None) -> Result:
    return CliRunner().invoke(main, ["headers-har", *args], input=stdin)


def write(tmp_path: Path, data: str | bytes, name: str = "site.har") -> str:
    path = tmp_path / name
    path.write_bytes(data.encode() if isinstance(data, str) else data)
    return str(path)


def test_text_output(tmp_path: Path) -> None:
    result = run(write(tmp_path, chrome()))
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0].startswith("https://shop.example/: ")
    assert "pass   +0  Redirect to HTTPS: redirection-to-https" in result.output
    assert "Site responses: 5 of 7 entries" in result.output
    assert "  Error page (1): HSTS 1/1, CSP 0/1, XFO 0/1, XCTO 0/1, Referrer 0/1" in lines
    assert "[medium] coverage-csp: Content-Security-Policy is missing on some responses" in result.output
    assert "  https://cdn.other.example: 1 (1 script)" in lines
    assert SECRET not in result.output


def test_json_output_is_the_apis_answer(tmp_path: Path) -> None:
    result = run(write(tmp_path, chrome()), "--json", "--scoring", "v6")
    assert result.exit_code == 0
    document = json.loads(result.output)
    assert set(document) == {"report", "main_url", "coverage", "other_origins", "entries"}
    assert document["report"]["scoring"] == "v6" and document["entries"] == 7
    assert SECRET not in result.output


def test_stdin(tmp_path: Path) -> None:
    text = har(entry("https://stdin.example/", 200, PAGE_HEADERS, kind="document"))
    result = run("-", stdin=text.encode())
    assert result.exit_code == 0
    assert result.output.startswith("https://stdin.example/: ")


@pytest.mark.parametrize(("data", "code", "message"), [
    ("", 1, "The HAR is empty"),
    ("{", 1, "The HAR is not valid JSON"),
    ('{"log": {"entries": [{"request": {"url": []}}]}}', 1, "log.entries[0].request.url is not a string"),
    (har(entry("https://a.example/x.js", 200, [("content-type", "text/javascript")])), 1, "no main document"),
    (b"\xff\xfe\x00garbage", 2, "not UTF-8 text"),
    (har(entry("https://a.example/", 200, [("x-a", "b")] * 600, kind="document")), 2, "at most 500"),
])
def test_bad_files_exit_with_a_message(tmp_path: Path, data: str | bytes, code: int, message: str) -> None:
    path = write(tmp_path, data)
    result = run(path)
    assert result.exit_code == code
    assert f"toolbox: {path}: " in result.output and message in result.output
    assert "Traceback" not in result.output


def test_a_file_over_the_size_bound_exits_2(tmp_path: Path) -> None:
    result = run(write(tmp_path, " " * (MAX_HAR_CHARS + 1)))
    assert result.exit_code == 2
    assert "at most 8 MiB" in result.output


def test_usage_errors_exit_2(tmp_path: Path) -> None:
    assert run().exit_code == 2
    assert run(str(tmp_path / "missing.har")).exit_code == 2
    assert run(str(tmp_path)).exit_code == 2  # a directory
    assert run(write(tmp_path, chrome()), "--scoring", "v9").exit_code == 2


# --- CI formats and the gate (the headers command's, with the coverage findings among the findings) ---

def test_sarif_lists_the_coverage_findings_and_is_valid(tmp_path: Path) -> None:
    from tests.unit.test_cli_headers_formats import SARIF

    path = write(tmp_path, chrome())
    result = run(path, "--format", "sarif")
    assert result.exit_code == 0, result.output
    log = json.loads(result.stdout)
    assert [f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in SARIF.iter_errors(log)] == []
    report = json.loads(run(path, "--json").stdout)
    (run_,) = log["runs"]
    ids = [item["ruleId"] for item in run_["results"]]
    coverage = [f["id"] for f in report["coverage"]["findings"]]
    assert coverage and "coverage-csp" in coverage
    failed = [t["id"] for t in report["report"]["tests"] if t["pass"] is False]
    assert sorted(ids) == sorted([*failed, *(f["id"] for f in report["report"]["findings"]), *coverage])
    rule_ids = {rule["id"] for rule in run_["tool"]["driver"]["rules"]}
    assert set(coverage) <= rule_ids
    uris = {item["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for item in run_["results"]}
    assert uris == {"https://shop.example/"}
    assert SECRET not in result.stdout


def test_junit_has_a_case_for_each_coverage_finding(tmp_path: Path) -> None:
    import xml.etree.ElementTree as ET

    result = run(write(tmp_path, chrome()), "--format", "junit")
    assert result.exit_code == 0, result.output
    (suite,) = ET.fromstring(result.stdout).iter("testsuite")
    assert suite.get("name") == "https://shop.example/"
    cases = {case.get("classname"): case for case in suite.iter("testcase")}
    csp = cases["headers.findings.coverage-csp"]
    assert csp.find("failure") is not None  # medium: a failure, as for the headers command
    assert int(suite.get("tests", "0")) == len(cases)
    assert SECRET not in result.stdout


def test_min_grade_gate(tmp_path: Path) -> None:
    bare = har(entry("https://bare.example/", 200, [("content-type", "text/html")], kind="document",
                     mime="text/html"))
    path = write(tmp_path, bare)
    grade = json.loads(run(path, "--json").stdout)["report"]["grade"]
    assert grade == "D"  # no security header at all, on https
    assert run(path, "--min-grade", grade).exit_code == 0
    assert run(write(tmp_path, chrome(), "good.har"), "--min-grade", "A+").exit_code == 0
    failing = run(path, "--fail-on", "grade-below:A+", "--format", "sarif")
    assert failing.exit_code == 1
    assert f"grade {grade} is below the minimum A+" in failing.stderr
    assert json.loads(failing.stdout)["runs"][0]["properties"]["grade"] == grade
    gated = json.loads(run(path, "--min-grade", "A+", "--json").stdout)
    assert gated["gate"]["passed"] is False and gated["report"]["grade"] == grade


@pytest.mark.parametrize(("args", "message"), [
    (("--json", "--format", "sarif"), "--json is --format json"),
    (("--fail-on", "regression"), "needs a baseline"),
    (("--fail-on", "grade-below:Z"), "the grade must be one of"),
    (("--format", "xml"), "Invalid value for '--format'"),
])
def test_gate_and_format_usage_errors(tmp_path: Path, args: tuple[str, ...], message: str) -> None:
    result = run(write(tmp_path, chrome()), *args)
    assert result.exit_code == 2 and message in result.output
