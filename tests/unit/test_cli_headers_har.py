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
