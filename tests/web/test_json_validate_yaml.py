"""YAML and TOML on the validate page (the instance and the schema each in its own format), and
json/infer's `from` (page button, API and CLI): the same reader as json/convert, errors at the
YAML's own lines, nothing lost on a refusal."""

from __future__ import annotations

import html
import json
import re
from pathlib import Path
from typing import Any

from click.testing import CliRunner

from toolbox.cli import main

INSTANCE = "# a user\nname: Ada\nage: -3\ntags:\n  - 1\n  - ok\n"
SCHEMA = ("type: object\nrequired: [name, id]\nproperties:\n  age: {type: integer, minimum: 0}\n"
          "  tags: {type: array, items: {type: string}}\n")
TOML_INSTANCE = 'name = "Ada"\nage = 3\n'
JSON_SCHEMA = '{"type": "object", "properties": {"age": {"type": "integer", "maximum": 2}}}'


def post(client: Any, **form: str) -> Any:
    return client.post("/json/validate", data={"submitted": "1", **form})


def marked_lines(page: str) -> list[int]:
    """The numbers of the instance's lines marked with an error in the inline view."""
    view = page.partition('class="code numbered inline-errors"')[2].partition("</pre>")[0]
    return [i for i, line in enumerate(view.split('<span class="ln')[1:], start=1) if line.startswith(" has-error")]


def test_yaml_instance_and_schema_errors_at_the_yamls_lines(client: Any) -> None:
    response = post(client, instance=INSTANCE, schema=SCHEMA, **{"from": "yaml", "schema_from": "yaml"})
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    # the root (required: its mapping starts at line 2, after the comment), age: -3 (minimum), the tag 1 (type)
    assert marked_lines(page) == [2, 3, 5]
    assert '<td data-label="Message">"id" is a required property</td>' in html.unescape(page)
    chosen = re.findall(r'<select id="(from|schema_from)".*?<option value="(\w+)" selected>', page, re.S)
    assert chosen == [("from", "yaml"), ("schema_from", "yaml")]


def test_toml_instance_against_a_json_schema(client: Any) -> None:
    page = post(client, instance=TOML_INSTANCE, schema=JSON_SCHEMA, **{"from": "toml"}).get_data(as_text=True)
    assert "3 is greater than the maximum of 2" in html.unescape(page)


def test_a_yaml_syntax_error_is_located_and_keeps_both_texts(client: Any) -> None:
    response = post(client, instance="a: [1, 2\n", schema=SCHEMA, **{"from": "yaml", "schema_from": "yaml"})
    assert response.status_code == 422
    page = html.unescape(response.get_data(as_text=True))
    assert "a: [1, 2" in page and "required: [name, id]" in page
    assert "line 2" in page or "2:1" in page


def test_json_read_as_yaml_still_validates(client: Any) -> None:
    """JSON is YAML 1.2: choosing YAML for a JSON text gives the same verdict."""
    as_json = post(client, instance='{"age": 5}', schema=JSON_SCHEMA).get_data(as_text=True)
    as_yaml = post(client, instance='{"age": 5}', schema=JSON_SCHEMA, **{"from": "yaml"}).get_data(as_text=True)
    verdict = re.compile(r'data-status="([^"]*)"')
    assert verdict.findall(as_json) == verdict.findall(as_yaml) and verdict.findall(as_json)


def test_an_unknown_format_is_a_400_that_keeps_the_input(client: Any) -> None:
    response = post(client, instance=INSTANCE, schema=SCHEMA, **{"from": "xml", "schema_from": "<b>"})
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "must be one of json, yaml, toml" in page
    assert "name: Ada" in page and "<b>" not in page.partition("<main")[2].partition("</main>")[0].replace(
        "&lt;b&gt;", "")


def test_infer_from_a_yaml_instance_fills_a_json_schema(client: Any) -> None:
    response = post(client, instance=INSTANCE, schema="type: string\n", action="infer",
                    **{"from": "yaml", "schema_from": "yaml"})
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    schema_text = html.unescape(page.partition('id="schema"')[2].partition(">")[2].partition("</textarea>")[0])
    schema = json.loads(schema_text)
    assert schema["properties"]["age"]["type"] == "integer" and "name" in schema["required"]
    # the inferred schema is JSON, so the schema's format is set back to JSON
    assert re.findall(r'<select id="schema_from".*?<option value="(\w+)" selected>', page, re.S) == ["json"]


def test_infer_api_reads_yaml_and_toml(client: Any) -> None:
    for fmt, text in (("yaml", INSTANCE), ("toml", TOML_INSTANCE)):
        response = client.post("/api/v1/json/infer", json={"samples": [text], "from": fmt})
        assert response.status_code == 200, response.json
        assert response.json["schema"]["properties"]["name"] == {"type": "string"}
    bad = client.post("/api/v1/json/infer", json={"samples": ['{"a": 1}', "a: [1"], "from": "yaml"})
    assert bad.status_code == 422 and bad.json["sample"] == 1 and bad.json["line"] == 1
    assert bad.json["detail"].startswith("Sample 2: ")
    wrong = client.post("/api/v1/json/infer", json={"samples": ["a: 1"], "from": "ini"})
    assert wrong.status_code == 422 and "/from" in wrong.json["detail"]


def test_infer_cli_by_extension_and_mixed_formats(tmp_path: Path) -> None:
    (tmp_path / "a.yaml").write_text(INSTANCE, encoding="utf-8")
    (tmp_path / "b.yml").write_text("name: Bo\nage: 4\ntags: []\n", encoding="utf-8")
    (tmp_path / "c.json").write_text('{"name": "Cy"}', encoding="utf-8")
    runner = CliRunner()
    result = runner.invoke(main, ["json", "infer", str(tmp_path / "a.yaml"), str(tmp_path / "b.yml")])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["properties"]["age"]["type"] == "integer"
    mixed = runner.invoke(main, ["json", "infer", str(tmp_path / "a.yaml"), str(tmp_path / "c.json")])
    assert mixed.exit_code == 2 and "different formats (json, yaml): give --from" in mixed.output
    forced = runner.invoke(main, ["json", "infer", "--from", "yaml", str(tmp_path / "a.yaml"),
                                  str(tmp_path / "c.json")])
    assert forced.exit_code == 0, forced.output  # JSON is YAML
