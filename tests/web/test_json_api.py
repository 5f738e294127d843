"""POST /api/v1/json/format and /api/v1/json/validate."""

from __future__ import annotations

import json

import pytest

SCHEMA = {"type": "object", "required": ["id"], "properties": {"id": {"type": "integer"}}}


def test_format_pretty_exact(client) -> None:  # type: ignore[no-untyped-def]
    body = client.post("/api/v1/json/format", json={"text": '{"n":12345678901234567890123456789,"f":1.50}',
                                                    "indent": 4}).json
    assert body["output"] == '{\n    "n": 12345678901234567890123456789,\n    "f": 1.50\n}'
    assert body["stats"]["numbers"] == 2 and body["warnings"] == []


def test_format_minify_tab_and_sort(client) -> None:  # type: ignore[no-untyped-def]
    assert client.post("/api/v1/json/format", json={"text": '{ "a" : [ 1 , 2 ] }', "mode": "minify"}).json["output"] == '{"a":[1,2]}'
    tab = client.post("/api/v1/json/format", json={"text": '{"b":1,"a":2}', "indent": "tab", "sort_keys": True}).json
    assert tab["output"] == '{\n\t"a": 2,\n\t"b": 1\n}'


def test_format_invalid_is_422_with_location(client) -> None:  # type: ignore[no-untyped-def]
    response = client.post("/api/v1/json/format", json={"text": '{\n  "a": tru\n}'})
    assert response.status_code == 422
    problem = response.json
    assert problem["line"] == 2 and problem["column"] >= 8
    assert isinstance(problem["offset"], int) and problem["caret"].strip() == "^"


def test_format_duplicate_key_warning(client) -> None:  # type: ignore[no-untyped-def]
    body = client.post("/api/v1/json/format", json={"text": '{"a": {"x": 1, "x": 2}}'}).json
    warning = body["warnings"][0]
    assert warning["id"] == "duplicate-key" and warning["pointer"] == "/a/x" and warning["line"] == 1


@pytest.mark.parametrize(
    "body",
    [{}, {"text": 5}, {"text": "{}", "indent": 3}, {"text": "{}", "mode": "pretty-ish"}, {"text": "{}", "extra": 1}],
)
def test_format_bad_bodies(client, body) -> None:  # type: ignore[no-untyped-def]
    assert client.post("/api/v1/json/format", json=body).status_code == 422


def test_validate(client) -> None:  # type: ignore[no-untyped-def]
    ok = client.post("/api/v1/json/validate", json={"instance": '{"id": 1}', "schema": json.dumps(SCHEMA)}).json
    assert ok["valid"] is True and ok["dialect"] == "draft2020-12" and ok["formats_asserted"] is True
    bad = client.post("/api/v1/json/validate", json={"instance": '{\n "id": "x"\n}', "schema": json.dumps(SCHEMA)}).json
    assert bad["valid"] is False
    error = bad["errors"][0]
    assert error["instance_path"] == "/id" and error["keyword"] == "type" and error["line"] == 2


def test_validate_unparseable_inputs(client) -> None:  # type: ignore[no-untyped-def]
    instance = client.post("/api/v1/json/validate", json={"instance": "{", "schema": "{}"})
    assert instance.status_code == 422 and instance.json["which"] == "instance"
    schema = client.post("/api/v1/json/validate", json={"instance": "{}", "schema": "[1,"})
    assert schema.status_code == 422 and schema.json["which"] == "schema"


def test_validate_dialect_and_bad_regex(client) -> None:  # type: ignore[no-untyped-def]
    draft4 = client.post("/api/v1/json/validate", json={"instance": "{}", "schema": "{}", "dialect": "draft4"}).json
    assert draft4["dialect"] == "draft4"
    regex = client.post("/api/v1/json/validate", json={"instance": '"a"', "schema": '{"pattern": "(unclosed"}'})
    assert regex.status_code in (200, 422)
    assert regex.status_code == 422 or regex.json["schema_errors"] or not regex.json["valid"]


def test_openapi_lists_the_json_operations(client) -> None:  # type: ignore[no-untyped-def]
    paths = client.get("/api/openapi.json").json["paths"]
    assert "/api/v1/json/format" in paths and "/api/v1/json/validate" in paths
