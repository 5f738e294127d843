"""POST /api/v1/json/convert, the `from` choice of json/format, json/validate and json/diff, and
`toolbox json convert` / `--from`: exact numbers, notes, located 4xx for malformed and hostile input."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from toolbox.cli import main

URL = "/api/v1/json/convert"
SAMPLE = """# A service, its defaults shared by anchors
defaults: &defaults
  retries: 3
  timeout: 1.50
service:
  name: api
  settings: *defaults
  limit: 123456789012345678901234567890
  ratio: 1e400
  enabled: yes
  released: 2024-05-01
  script: |
    echo start
    exit 0
"""


def post(client: Any, **body: Any) -> Any:
    return client.post(URL, json=body)


def test_yaml_to_json_exact_with_notes(client) -> None:  # type: ignore[no-untyped-def]
    response = post(client, text=SAMPLE, **{"from": "yaml"}, to="json")
    assert response.status_code == 200
    body = response.json
    output = json.loads(body["output"], parse_float=Decimal)
    assert output["service"]["settings"] == {"retries": 3, "timeout": Decimal("1.50")}
    assert '"limit": 123456789012345678901234567890' in body["output"] and '"ratio": 1E+400' in body["output"]
    assert output["service"]["enabled"] == "yes" and output["service"]["released"] == "2024-05-01"
    assert output["service"]["script"] == "echo start\nexit 0\n"
    assert body["notes"] == [
        "Aliases expanded: *defaults (line 7). Each became a copy of its anchor's value.",
        "Comments are not carried over (they are not data)."]


def test_json_to_yaml_and_back(client) -> None:  # type: ignore[no-untyped-def]
    text = '{"on": "yes", "n": 1.10, "big": 1e400, "s": "a\\nb\\n", "k": {"": null, "0x10": [true, "1e3"]}}'
    body = post(client, text=text, **{"from": "json"}, to="yaml").json
    assert body == {"output": '"on": "yes"\n"n": 1.10\nbig: 1E+400\ns: |\n  a\n  b\nk:\n  "": null\n  "0x10":\n'
                              '    - true\n    - "1e3"\n', "notes": []}
    back = post(client, text=body["output"], **{"from": "yaml"}, to="json").json
    assert json.loads(back["output"], parse_float=str) == json.loads(text.replace("1e400", "1E+400"),
                                                                     parse_float=str)


def test_toml_to_json(client) -> None:  # type: ignore[no-untyped-def]
    body = post(client, text='n = 1.10\nwhen = 1979-05-27T07:32:00Z\n[t]\nx = [1, 2]\n', **{"from": "toml"},
                to="json").json
    assert body["output"] == ('{\n  "n": 1.10,\n  "when": "1979-05-27T07:32:00+00:00",\n  "t": {\n    "x": [\n'
                              '      1,\n      2\n    ]\n  }\n}\n')
    assert body["notes"][0].startswith("1 dates and times became RFC 3339 strings")


def test_a_yaml_stream_becomes_an_array(client) -> None:  # type: ignore[no-untyped-def]
    body = post(client, text="kind: A\n---\nkind: B\n", **{"from": "yaml"}, to="json").json
    assert json.loads(body["output"]) == [{"kind": "A"}, {"kind": "B"}]
    assert body["notes"] == ["The YAML stream holds 2 documents: converted to a JSON array of them, in order"]


@pytest.mark.parametrize(("fmt", "text", "line", "column", "title", "words"), [
    ("yaml", "a: [1,\n", 2, 1, "Invalid YAML", "expected the node content"),
    ("yaml", "a:\n\tb: 1\n", 2, 1, "Invalid YAML", "'\\t' that cannot start any token"),
    ("yaml", "a: 1\na: 2\n", 2, 1, "Invalid YAML", "repeated"),
    ("yaml", "x: !!python/object/apply:os.system [ls]\n", 1, 4, "Invalid YAML", "!!python/object/apply"),
    ("yaml", "x: !!binary aGk=\n", 1, 4, "Invalid YAML", "!!binary"),
    ("yaml", "x: .inf\n", 1, 4, "Invalid YAML", "no JSON form"),
    ("yaml", "&a [*a]\n", 1, 5, "Invalid YAML", "inside its own anchor"),
    ("yaml", "? [a]\n: 1\n", 1, 3, "Invalid YAML", "JSON keys are strings"),
    ("yaml", "[" * 100_000, 1, 65, "Invalid YAML", "nested deeper than 64"),
    ("yaml", "a: \x07\n", 1, 4, "Invalid YAML", "U+0007"),
    ("toml", "a = 1\nb = \n", 2, 5, "Invalid TOML", "Invalid value"),
    ("json", '{"a": 1,}', 1, 8, "Invalid JSON", "Trailing comma"),
])
def test_malformed_input_is_a_located_422(client, fmt: str, text: str, line: int, column: int, title: str,
                                          words: str) -> None:
    response = post(client, text=text, **{"from": fmt}, to="json")
    assert response.status_code == 422, response.json
    problem = response.json
    assert problem["title"] == title and (problem["line"], problem["column"]) == (line, column)
    assert words.lower() in problem["reason"].lower() and problem["caret"].strip() == "^"


def test_billion_laughs_is_a_quick_422(client) -> None:  # type: ignore[no-untyped-def]
    lol = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for prev, name in zip("abcdefgh", "bcdefghi", strict=True):
        lol.append(f"{name}: &{name} [" + ",".join([f"*{prev}"] * 9) + "]")
    response = post(client, text="\n".join(lol), **{"from": "yaml"}, to="json")
    assert response.status_code == 422
    assert response.json["reason"].startswith("Alias expansion would exceed the output limit of 16.0 MB")


@pytest.mark.parametrize(("text", "status", "words"), [
    ("x = inf\n", 422, "The TOML value at /x is inf"),
    ("a = " + "[" * 100_000, 422, "nested too deeply"),
])
def test_toml_values_without_json_form(client, text: str, status: int, words: str) -> None:
    response = post(client, text=text, **{"from": "toml"}, to="yaml")
    assert response.status_code == status and words in response.json["detail"]


@pytest.mark.parametrize("body", [
    {"text": "a: 1", "to": "json"},  # from is required
    {"text": "a: 1", "from": "yml", "to": "json"},
    {"text": "a: 1", "from": "yaml", "to": "toml"},
    {"text": 5, "from": "yaml", "to": "json"},
    {"text": "a", "from": "yaml", "to": "json", "extra": 1},
])
def test_wrong_requests_are_4xx(client, body: dict[str, Any]) -> None:  # type: ignore[no-untyped-def]
    response = client.post(URL, json=body)
    assert 400 <= response.status_code < 500


def test_oversized_and_non_utf8_bodies(make_app) -> None:  # type: ignore[no-untyped-def]
    client = make_app(TOOLBOX_MAX_BODY_BYTES="1K").test_client()
    assert client.post(URL, json={"text": "a: " + "x" * 2000, "from": "yaml", "to": "json"}).status_code == 413
    response = client.post(URL, data=b'{"text": "a: \xff", "from": "yaml", "to": "json"}',
                           content_type="application/json")
    assert response.status_code == 400


# ----------------------------------------------------------------------------- from on format/validate/diff

def test_format_reads_yaml_and_toml(client) -> None:  # type: ignore[no-untyped-def]
    body = client.post("/api/v1/json/format", json={"text": SAMPLE, "from": "yaml", "mode": "minify"}).json
    assert body["output"].startswith('{"defaults":{"retries":3,"timeout":1.50},"service":{"name":"api"')
    assert [w["id"] for w in body["warnings"]] == ["converted", "converted"]
    assert body["stats"]["bytes_in"] == len(SAMPLE.encode())
    body = client.post("/api/v1/json/format", json={"text": "a = 1.0\n", "from": "toml"}).json
    assert body["output"] == '{\n  "a": 1.0\n}'
    response = client.post("/api/v1/json/format", json={"text": "a: [1,\n", "from": "yaml"})
    assert response.status_code == 422 and response.json["title"] == "Invalid YAML"
    # Existing clients: no `from` is JSON, as before.
    assert client.post("/api/v1/json/format", json={"text": "a: 1"}).status_code == 422


SCHEMA_YAML = """type: object
properties:
  port:
    type: integer
    maximum: 65535
  name:
    type: string
additionalProperties: false
"""


def test_validate_yaml_errors_at_yaml_lines(client) -> None:  # type: ignore[no-untyped-def]
    instance = "# deploy\nname: api\nport: 70000\nextra: true\n"
    body = client.post("/api/v1/json/validate", json={"instance": instance, "schema": SCHEMA_YAML, "from": "yaml",
                                                       "schema_from": "yaml"}).json
    assert body["valid"] is False
    places = {(e["instance_path"], e["keyword"]): (e["line"], e["column"], e["schema_line"]) for e in body["errors"]}
    assert places == {("/port", "maximum"): (3, 1, 5), ("/extra", "additionalProperties"): (4, 1, 8)}
    # A JSON schema with a YAML instance (schema_from defaults to json).
    schema = json.dumps({"type": "object", "properties": {"port": {"type": "integer", "maximum": 65535}}})
    body = client.post("/api/v1/json/validate", json={"instance": instance, "schema": schema, "from": "yaml"}).json
    assert [(e["instance_path"], e["line"]) for e in body["errors"]] == [("/port", 3)]


def test_validate_names_the_unreadable_document(client) -> None:  # type: ignore[no-untyped-def]
    response = client.post("/api/v1/json/validate", json={"instance": "a: [", "schema": "{}", "from": "yaml"})
    assert response.status_code == 422 and response.json["which"] == "instance"
    assert response.json["title"] == "The instance is not valid YAML"
    response = client.post("/api/v1/json/validate", json={"instance": "{}", "schema": "type: [", "schema_from":
                                                          "yaml"})
    assert response.status_code == 422 and response.json["which"] == "schema" and response.json["line"] == 1


def test_validate_a_schema_that_fails_its_metaschema_in_yaml(client) -> None:  # type: ignore[no-untyped-def]
    schema = "type: object\nproperties:\n  a:\n    type: 12\n"
    body = client.post("/api/v1/json/validate", json={"instance": "{}", "schema": schema,
                                                       "schema_from": "yaml"}).json
    assert body["schema_errors"] and body["schema_errors"][0]["line"] == 4


def test_diff_yaml_against_json(client) -> None:  # type: ignore[no-untyped-def]
    body = client.post("/api/v1/json/diff", json={"a": "a: 1.10\nb: [x, 2]\n", "b": '{"a": 1.1, "b": ["x", 3]}',
                                                   "from": "yaml", "b_from": "json"}).json
    assert [(d["op"], d["path"]) for d in body["differences"]] == [("changed", "/b/1")]
    response = client.post("/api/v1/json/diff", json={"a": "{}", "b": "x = ", "b_from": "toml"})
    assert response.status_code == 422 and response.json["which"] == "b"
    assert response.json["title"] == "The b is not valid TOML"


# ----------------------------------------------------------------------------- CLI

def run(*args: str, stdin: str | bytes | None = None) -> Any:
    return CliRunner().invoke(main, list(args), input=stdin)


def test_cli_convert_by_extension_and_stdin(tmp_path: Path) -> None:
    source = tmp_path / "deploy.yaml"
    source.write_text(SAMPLE, encoding="utf-8")
    result = run("json", "convert", str(source))
    assert result.exit_code == 0 and json.loads(result.stdout, parse_float=str)["service"]["ratio"] == "1E+400"
    assert f"{source}: note: Aliases expanded" in result.stderr
    result = run("json", "convert", "--to", "yaml", "--from", "json", stdin='{"a": "yes", "b": 1.50}')
    assert result.exit_code == 0 and result.stdout == 'a: "yes"\nb: 1.50\n'
    result = run("json", "convert", stdin='{"a": 1}')  # JSON in: YAML out by default
    assert result.stdout == "a: 1\n"
    toml = tmp_path / "c.toml"
    toml.write_text("a = 1.0\n", encoding="utf-8")
    assert json.loads(run("json", "convert", str(toml), "--json").stdout) == {"output": '{\n  "a": 1.0\n}\n',
                                                                              "notes": []}


def test_cli_errors(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yml"
    bad.write_text("a: 1\na: 2\n", encoding="utf-8")
    result = run("json", "convert", str(bad))
    assert result.exit_code == 1 and result.stderr.startswith(f"{bad}:2:1: The key \"a\" is repeated")
    binary = tmp_path / "b.yaml"
    binary.write_bytes(b"a: \xff\n")
    result = run("json", "convert", str(binary))
    assert result.exit_code == 2 and "not UTF-8" in result.stderr
    assert run("json", "convert", "--from", "xml", stdin="a").exit_code == 2
    result = run("json", "convert", "--from", "yaml", stdin="[" * 100_000)
    assert result.exit_code == 1 and "-:1:65: Flow collections" in result.stderr


def test_cli_from_on_format_and_diff(tmp_path: Path) -> None:
    a = tmp_path / "a.yml"
    a.write_text("a: 1.10\nb: [x, 2]\n", encoding="utf-8")
    b = tmp_path / "b.json"
    b.write_text('{"a": 1.1, "b": ["x", 3]}', encoding="utf-8")
    result = run("json", "diff", str(a), str(b))
    assert result.exit_code == 1 and result.stdout == "changed /b/1: 2 -> 3\n"
    result = run("json", "format", str(a), "--minify")
    assert result.exit_code == 0 and result.stdout == '{"a":1.10,"b":["x",2]}\n'
    result = run("json", "format", "--from", "toml", stdin="a = [1,")
    assert result.exit_code == 1 and result.stderr.startswith("-:1:8: Invalid value")
    # --from wins over the extension.
    assert run("json", "format", str(a), "--from", "json").exit_code == 1


def test_cli_validate_yaml_against_a_yaml_schema(tmp_path: Path) -> None:
    schema = tmp_path / "schema.yaml"
    schema.write_text(SCHEMA_YAML, encoding="utf-8")
    instance = tmp_path / "deploy.yml"
    instance.write_text("# deploy\nname: api\nport: 70000\n", encoding="utf-8")
    result = run("json", "validate", str(instance), "--schema", str(schema))
    assert result.exit_code == 1
    assert result.stdout.startswith(f"{instance}:3:1: /port: 70000 is greater than the maximum of 65535 [maximum]")
    bad = tmp_path / "bad.yaml"
    bad.write_text("type: [\n", encoding="utf-8")
    result = run("json", "validate", str(instance), "--schema", str(bad))
    assert result.exit_code == 2 and result.stderr.startswith(f"{bad}:2:1:")
    # --schema-from wins over the extension: the YAML schema read as JSON is not JSON.
    assert run("json", "validate", str(instance), "--schema", str(schema), "--schema-from", "json").exit_code == 2
