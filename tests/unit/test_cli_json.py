"""`toolbox json format|validate`: output and exit codes."""

from __future__ import annotations

import json

from click.testing import CliRunner

from toolbox.cli import main


def run(*args: str, stdin: str | bytes | None = None):  # type: ignore[no-untyped-def]
    return CliRunner().invoke(main, list(args), input=stdin)


def test_format_stdin_and_file(tmp_path) -> None:  # type: ignore[no-untyped-def]
    result = run("json", "format", "-", stdin='{"a":[1,2.50]}')
    assert result.exit_code == 0
    assert result.output == '{\n  "a": [\n    1,\n    2.50\n  ]\n}\n'
    path = tmp_path / "doc.json"
    path.write_text('{"b":1,"a":2}')
    sorted_ = run("json", "format", str(path), "--sort-keys", "--minify")
    assert sorted_.exit_code == 0 and sorted_.output.strip() == '{"a":2,"b":1}'


def test_format_invalid_exits_1_with_location() -> None:
    result = run("json", "format", "-", stdin='{"a": 01}')
    assert result.exit_code == 1
    assert "-:1:" in result.output


def test_format_usage_errors_exit_2(tmp_path) -> None:  # type: ignore[no-untyped-def]
    assert run("json", "format", str(tmp_path / "missing.json")).exit_code == 2
    binary = tmp_path / "bin.json"
    binary.write_bytes(b'{"a": "\xff"}')
    assert run("json", "format", str(binary)).exit_code == 2


def test_validate_exit_codes(tmp_path) -> None:  # type: ignore[no-untyped-def]
    schema = tmp_path / "schema.json"
    schema.write_text('{"type": "object", "required": ["id"]}')
    assert run("json", "validate", "--schema", str(schema), "-", stdin='{"id": 1}').exit_code == 0
    invalid = run("json", "validate", "--schema", str(schema), "-", stdin="{}")
    assert invalid.exit_code == 1 and "required" in invalid.output
    as_json = run("json", "validate", "--schema", str(schema), "--json", "-", stdin="{}")
    assert json.loads(as_json.output)["valid"] is False
    broken = tmp_path / "broken.json"
    broken.write_text("{")
    assert run("json", "validate", "--schema", str(broken), "-", stdin="{}").exit_code == 2


def test_validate_points_at_an_unexpected_key(tmp_path) -> None:  # type: ignore[no-untyped-def]
    # Issue 10: at the key's line and column with its pointer, not at the object's `{`.
    schema = tmp_path / "schema.json"
    schema.write_text('{"properties": {"a": {"properties": {"x": {}}, "additionalProperties": false}}}')
    result = run("json", "validate", "--schema", str(schema), "-", stdin='{"a": {\n  "x": 1,\n  "extra": 2}}')
    assert result.exit_code == 1
    assert "-:3:3: /a/extra: Additional properties are not allowed ('extra' was unexpected)" in result.output
