"""`toolbox json validate --lines`: every error as PATH:LINE[:COLUMN], a summary, exit codes, stdin."""

from __future__ import annotations

import json

from click.testing import CliRunner

from toolbox.cli import main

SCHEMA = {"type": "object", "required": ["id"], "properties": {"id": {"type": "integer"}}}


def run(*args: str, stdin: bytes | None = None):  # type: ignore[no-untyped-def]
    return CliRunner().invoke(main, list(args), input=stdin)


def test_every_invalid_line_is_printed_and_exit_is_1(tmp_path) -> None:  # type: ignore[no-untyped-def]
    lines = tmp_path / "orders.jsonl"
    lines.write_bytes(b'{"id": 1}\n{"id": "2"}\n{}\n[1,\n\xff\n\n{"id": 7}')
    schema = tmp_path / "schema.json"
    schema.write_text(json.dumps(SCHEMA))
    result = run("json", "validate", "--lines", str(lines), "--schema", str(schema))
    assert result.exit_code == 1
    out = result.stdout.splitlines()
    assert out == [f"{lines}:2:2: /id: \"2\" is not of type \"integer\" [type]",
                   f"{lines}:3:1: /: \"id\" is a required property [required]",
                   f"{lines}:4:4: Unexpected end of input: expected a value [syntax]",
                   f"{lines}:5:1: Not UTF-8: byte 0xff at column 1 (JSON Lines are UTF-8) [encoding]",
                   f"{lines}:6: Blank line: every line must hold one JSON value (a blank line is not one) [blank]"]
    assert "invalid: 5 of 7 lines" in result.stderr and "most common errors:" in result.stderr
    ignored = run("json", "validate", "--lines", str(lines), "--schema", str(schema), "--ignore-blank")
    assert ignored.exit_code == 1 and len(ignored.stdout.splitlines()) == 4


def test_valid_lines_exit_0_and_stdin_works() -> None:
    result = run("json", "validate", "--lines", "-", stdin=b'{"a": 1}\r\n[2]\r\n"three"\r\n')
    assert result.exit_code == 0 and result.stdout == ""
    assert result.stderr.startswith("-: valid · 3 lines, 3 valid")
    empty = run("json", "validate", "--lines", "-", stdin=b"")
    assert empty.exit_code == 0 and "No JSON values" in empty.stderr


def test_json_output_is_the_apis_answer(tmp_path) -> None:  # type: ignore[no-untyped-def]
    result = run("json", "validate", "--lines", "-", "--json", stdin=b"1\n{\n")
    assert result.exit_code == 1
    body = json.loads(result.stdout)
    assert body["lines"] == 2 and body["errors"][0]["line"] == 2 and body["schema"] is False


def test_an_unusable_schema_or_file_exits_2(tmp_path) -> None:  # type: ignore[no-untyped-def]
    bad = tmp_path / "bad.json"
    bad.write_text('{"type": 5}')
    broken = run("json", "validate", "--lines", "-", "--schema", str(bad), stdin=b"1\n")
    assert broken.exit_code == 2 and f"{bad}: schema error: /type:" in broken.stderr
    not_json = tmp_path / "nj.json"
    not_json.write_text('{"type": }')
    syntax = run("json", "validate", "--lines", "-", "--schema", str(not_json), stdin=b"1\n")
    assert syntax.exit_code == 2 and f"{not_json}:1:10:" in syntax.stderr
    assert run("json", "validate", "--lines", str(tmp_path / "missing.jsonl")).exit_code == 2
    assert run("json", "validate", "--lines", "-", "--schema", str(tmp_path / "missing.json")).exit_code == 2
    assert run("json", "validate", "-", stdin=b"{}").exit_code == 2  # without --lines the schema is required


def test_a_line_over_the_limit_is_reported_and_the_rest_read(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("TOOLBOX_JSON_LINE_MAX", "64")
    result = run("json", "validate", "--lines", "-", stdin=b"1\n[" + b"0," * 100 + b"0]\n3\n")
    assert result.exit_code == 1
    assert result.stdout.splitlines() == ["-:2: Line of 203 bytes, over the limit of 64 (TOOLBOX_JSON_LINE_MAX): "
                                          "not read [too-long]"]
