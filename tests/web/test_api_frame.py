"""The API frame: bodies decoded into the operation's request type with clear 4xx, and OpenAPI."""

from __future__ import annotations

import json

import pytest
from jsonschema import Draft202012Validator

from tests.web.testapi import add_test_api

URL = "/api/v1/test/echo"


@pytest.fixture
def api(make_app):  # type: ignore[no-untyped-def]
    return add_test_api(make_app(TOOLBOX_MAX_BODY_BYTES="64k")).test_client()


def test_valid_body(api) -> None:  # type: ignore[no-untyped-def]
    response = api.post(URL, json={"text": "héllo", "count": 3, "mode": "upper"})
    assert response.status_code == 200
    assert response.json == {"length": 5, "subject": None}
    assert response.headers["Cache-Control"] == "no-store"


@pytest.mark.parametrize(
    ("data", "content_type", "status", "fragment"),
    [
        ('{"text": "a"}', "text/plain", 415, "application/json"),
        ("", "application/json", 400, "not valid JSON"),
        ("{", "application/json", 400, "line 1, column 2"),
        ('{"text": "a",}', "application/json", 400, "not valid JSON"),
        ('{"text": NaN}', "application/json", 400, "not valid JSON"),
        ('{"text": -Infinity}', "application/json", 400, "not valid JSON"),
        (b'{"text": "\xff\xfe"}', "application/json", 400, "not UTF-8"),
        ("[" * 100000 + "]" * 100000, "application/json", 413, "larger"),
        ("[" * 5000 + "]" * 5000, "application/json", 422, "does not fit the type"),
        ('{"text": "a", "count": ' + "9" * 5000 + "}", "application/json", 422, "/count"),
    ],
)
def test_unreadable_bodies(api, data, content_type, status, fragment) -> None:  # type: ignore[no-untyped-def]
    response = api.post(URL, data=data, content_type=content_type)
    assert response.status_code == status, response.json
    assert response.mimetype == "application/problem+json"
    assert fragment in response.json["detail"]


@pytest.mark.parametrize(
    ("body", "pointer", "fragment"),
    [
        ([], "", "type object"),
        ("text", "", "type object"),
        (None, "", "type object"),
        ({}, "", "missing required field 'text'"),
        ({"text": 5}, "/text", "type string"),
        ({"text": "a", "count": "3"}, "/count", "type integer"),
        ({"text": "a", "count": -1}, "/count", "minimum 0"),
        ({"text": "a", "count": True}, "/count", "type integer"),
        ({"text": "a", "count": 11}, "/count", "maximum 10"),
        ({"text": "a", "mode": "sideways"}, "/mode", 'one of "lower", "upper"'),
        ({"text": "a", "extra": "SECRET-EXTRA"}, "", "does not accept"),
        ({"text": "x" * 1001}, "/text", "maxLength 1000"),
        ({"text": {"nested": [1, 2, {"deep": True}]}}, "/text", "type string"),
    ],
)
def test_schema_violations_are_422_with_pointers(api, body, pointer, fragment) -> None:  # type: ignore[no-untyped-def]
    response = api.post(URL, data=json.dumps(body), content_type="application/json")
    assert response.status_code == 422
    problem = response.json
    assert problem["title"] == "Invalid request body"
    assert problem["errors"][0]["pointer"] == pointer
    assert fragment in problem["errors"][0]["message"]
    # The submitted values are never echoed back in the error.
    assert "SECRET-EXTRA" not in response.get_data(as_text=True)


def test_many_errors_are_capped(api) -> None:  # type: ignore[no-untyped-def]
    schema_errors = api.post(URL, json={"text": 1, "count": "x", "mode": 3}).json["errors"]
    assert {e["pointer"] for e in schema_errors} == {"/text", "/count", "/mode"}


def test_openapi_document(api) -> None:  # type: ignore[no-untyped-def]
    response = api.get("/api/openapi.json")
    assert response.status_code == 200
    doc = response.json
    assert doc["openapi"] == "3.1.0"
    operation = doc["paths"]["/api/v1/test/echo"]["post"]
    schema = operation["requestBody"]["content"]["application/json"]["schema"]
    request = doc["components"]["schemas"][schema["$ref"].rsplit("/", 1)[1]]
    assert request["required"] == ["text"] and request["additionalProperties"] is False
    assert request["properties"]["count"]["maximum"] == 10 and request["properties"]["mode"]["enum"]
    for code in ("400", "413", "415", "422", "429"):
        assert operation["responses"][code]["content"]["application/problem+json"]
    assert "/api/v1/test/fetch" in doc["paths"]
    # Every schema in the document is itself a valid 2020-12 schema.
    for schema in doc["components"]["schemas"].values():
        Draft202012Validator.check_schema(schema)
    assert "security" not in doc


def test_openapi_declares_bearer_auth_when_on(make_app) -> None:  # type: ignore[no-untyped-def]
    app = add_test_api(make_app(TOOLBOX_API_JWT_KEY="k" * 32))
    doc = app.test_client().get("/api/openapi.json").json
    assert doc["security"] == [{"bearer": []}]
    assert doc["components"]["securitySchemes"]["bearer"]["scheme"] == "bearer"


def test_oversized_chunked_body_is_413_not_malformed(make_app) -> None:  # type: ignore[no-untyped-def]
    import io

    client = add_test_api(make_app(TOOLBOX_MAX_BODY_BYTES="2k")).test_client()
    body = b'{"text": "' + b"x" * 5000 + b'"}'
    response = client.post(URL, input_stream=io.BytesIO(body), content_type="application/json",
                           environ_overrides={"wsgi.input_terminated": True})
    assert response.status_code == 413
    assert response.mimetype == "application/problem+json"
