"""POST /api/v1/json/compat and `toolbox json compat`: hostile input is a 4xx, examples pass the oracle."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from click.testing import CliRunner

from tests.unit.json.test_compat import ORDER_NEW, ORDER_OLD, valid
from toolbox.cli import main


def compat(client: Any, body: Any) -> Any:
    return client.post("/api/v1/json/compat", json=body)


def test_api_answers_every_change_in_both_directions_with_checked_examples(client: Any) -> None:
    response = compat(client, {"old": json.dumps(ORDER_OLD), "new": json.dumps(ORDER_NEW)})
    assert response.status_code == 200
    body = response.json
    assert body["request"]["verdict"] == "breaking" and body["response"]["verdict"] == "breaking"
    assert body["dialects"] == {"old": "draft2020-12", "new": "draft2020-12"}
    changes = body["changes"]
    assert {c["direction"] for c in changes} == {"request", "response"}
    assert len(changes) == 2 * len({c["change"] for c in changes})
    for change in changes:
        assert change["breaking"] == (change["verdict"] == "breaking")
        assert ("example" in change) == change["breaking"]
        if change["breaking"]:
            accepting, rejecting = ((ORDER_OLD, ORDER_NEW) if change["direction"] == "request"
                                    else (ORDER_NEW, ORDER_OLD))
            assert valid(accepting, change["example"]) and not valid(rejecting, change["example"])
            check = client.post("/api/v1/json/validate", json={"instance": json.dumps(change["example"]),
                                                              "schema": json.dumps(ORDER_NEW)})
            assert check.json["valid"] is (change["direction"] == "response")
    removed = next(c for c in changes if c["kind"] == "enum-value-removed" and c["direction"] == "request")
    assert removed["path"] == "/status" and removed["old_pointer"] == "/properties/status/enum"
    assert removed["example"]["status"] == "shipped"


def test_exact_numbers_in_examples(client: Any) -> None:
    for old, new in (("9007199254740993", "9007199254740992"), ("0.30000000000000004", "0.3")):
        raw = client.post("/api/v1/json/compat", json={"old": f'{{"maximum": {old}}}', "new": f'{{"maximum": {new}}}'})
        assert f'"example":{old}'.encode() in raw.data  # not 9007199254740992.0 or 0.3
    # Beyond 64 bits jsonschema-rs compares as doubles: it cannot confirm an example, so none is claimed.
    huge = client.post("/api/v1/json/compat", json={"old": '{"maximum": 123456789012345678901234567890}',
                                                    "new": '{"maximum": 123456789012345678901234567889}'}).json
    assert huge["request"]["verdict"] == "unknown" and huge["changes"][0]["note"] == "no example found"
    raw = client.post("/api/v1/json/compat", json={"old": '{"maximum": 10.5}', "new": '{"maximum": 10.25}'})
    assert b'"example":10.5' in raw.data


def test_compatible_pair_and_formats_off(client: Any) -> None:
    body = compat(client, {"old": '{"type": "string"}', "new": '{"type": ["string", "null"]}'}).json
    assert body["request"] == {"verdict": "compatible", "breaking": 0, "unknown": 0}
    assert body["response"]["verdict"] == "breaking"
    off = compat(client, {"old": '{"type": "string"}', "new": '{"type": "string", "format": "email"}',
                          "formats": False}).json
    assert off["changes"] == [] and off["request"]["verdict"] == "compatible"


@pytest.mark.parametrize(("old", "new", "which", "words"), [
    ("{", "{}", "old", "not valid JSON"),
    ("{}", "[1,", "new", "not valid JSON"),
    ("[]", "{}", "old", "not a valid schema"),
    ("{}", '"x"', "new", "not a valid schema"),
    ('{"type": "strin"}', "{}", "old", "not a valid schema"),
    ("{}", '{"$ref": "https://example.com/s.json"}', "new", "never fetched"),
    ("{}", '{"$ref": "http://127.0.0.1/s.json"}', "new", "never fetched"),
    ("{}", '{"pattern": "(?=a)"}', "new", "not a valid schema"),
    ("", "{}", "old", "empty"),
    ("{}", "   ", "new", "empty"),
    ("{}", "[" * 2000 + "]" * 2000, "new", "deep"),
    ("{}", '{"a": 1, "a": 2}', None, None),
])
def test_hostile_schemas_are_4xx_naming_which(client: Any, old: str, new: str, which: str | None,
                                             words: str | None) -> None:
    response = compat(client, {"old": old, "new": new})
    if which is None:  # a duplicate key is read as the validator reads it (the last value wins)
        assert response.status_code == 200
        return
    assert response.status_code == 422, response.json
    assert response.json["which"] == which and words in response.json["detail"], response.json


@pytest.mark.parametrize("body", [{}, {"old": "{}"}, {"old": 1, "new": "{}"}, {"old": None, "new": "{}"},
                                  {"old": "{}", "new": "{}", "extra": 1}, {"old": "{}", "new": "{}", "formats": "x"},
                                  [], "x", 0])
def test_wrong_types_are_4xx(client: Any, body: Any) -> None:
    response = compat(client, body)
    assert 400 <= response.status_code < 500


def test_big_hostile_but_valid_schemas(client: Any) -> None:
    huge_enum = {"enum": [f"v{i}" for i in range(50_000)]}
    smaller = {"enum": [f"v{i}" for i in range(10, 50_000)]}
    body = compat(client, {"old": json.dumps(huge_enum), "new": json.dumps(smaller)}).json
    assert body["changes"][0]["message"].endswith("and 5 more no longer accepted")
    cycle = {"$defs": {"a": {"$ref": "#/$defs/b"}, "b": {"$ref": "#/$defs/a"}}, "$ref": "#/$defs/a"}
    assert compat(client, {"old": json.dumps(cycle), "new": "{}"}).status_code == 200
    names = {"properties": {"ключ": {"type": "string"}, "\u202egnp.exe": {"type": "integer"}}}
    renamed = {"properties": {"ключ": {"type": "integer"}}, "additionalProperties": False}
    body = compat(client, {"old": json.dumps(names), "new": json.dumps(renamed)}).json
    assert {c["path"] for c in body["changes"]} >= {"/ключ", "/\u202egnp.exe"}
    wide_old = {"properties": {f"p{i}": {"type": "integer", "maximum": 5} for i in range(3000)}}
    wide_new = {"properties": {f"p{i}": {"type": "integer", "maximum": 4} for i in range(3000)}}
    body = compat(client, {"old": json.dumps(wide_old), "new": json.dumps(wide_new)}).json
    assert body["notes"] and body["request"]["verdict"] == "breaking"


def test_listed_in_openapi(client: Any) -> None:
    document = client.get("/api/openapi.json").json
    assert "/api/v1/json/compat" in document["paths"]
    schema = document["components"]["schemas"]["CompatResult"]
    jsonschema.Draft202012Validator.check_schema(schema)


# --- the CLI -------------------------------------------------------------------------------------------

def cli(*args: str, stdin: str | None = None) -> Any:
    return CliRunner().invoke(main, ["json", "compat", *args], input=stdin)


def test_cli_exit_codes_and_directions(tmp_path: Path) -> None:
    old, new = tmp_path / "old.json", tmp_path / "new.json"
    old.write_text(json.dumps(ORDER_OLD), encoding="utf-8")
    new.write_text(json.dumps(ORDER_NEW), encoding="utf-8")
    result = cli(str(old), str(new))
    assert result.exit_code == 1
    assert 'request  breaking   /status enum-value-removed: "shipped" no longer accepted' in result.output
    assert "example: {" in result.output
    assert cli(str(old), str(old)).exit_code == 0
    widened = tmp_path / "widened.json"
    widened.write_text('{"type": ["string", "null"]}', encoding="utf-8")
    narrow = tmp_path / "narrow.json"
    narrow.write_text('{"type": "string"}', encoding="utf-8")
    assert cli(str(narrow), str(widened), "--direction", "request").exit_code == 0
    response = cli(str(narrow), str(widened), "--direction", "response")
    assert response.exit_code == 1 and "request " not in response.output
    as_json = cli(str(narrow), str(widened), "--json")
    assert as_json.exit_code == 1 and json.loads(as_json.output)["response"]["verdict"] == "breaking"


def test_cli_bad_input_exits_2_naming_the_file(tmp_path: Path) -> None:
    good = tmp_path / "good.json"
    good.write_text("{}", encoding="utf-8")
    broken = tmp_path / "broken.json"
    broken.write_text('{"type":\n  }', encoding="utf-8")
    result = cli(str(good), str(broken))
    assert result.exit_code == 2 and f"{broken}:2:3" in result.output
    invalid = cli(str(good), "-", stdin='{"minimum": "x"}')
    assert invalid.exit_code == 2 and "-: The new schema is not a valid schema" in invalid.output
    missing = cli(str(good), str(tmp_path / "nope.json"))
    assert missing.exit_code == 2
    assert cli(str(good), str(good), "--direction", "sideways").exit_code == 2
