"""Contract fuzzing (issue 9): bodies generated from the OpenAPI document itself, plus hostile values.

For every operation: no 5xx for any body, every 200 conforms to the declared response schema, and
every refusal is problem+json. The three page forms get the same treatment with arbitrary field
values. Seeded (derandomized), so a failure reproduces; the examples per operation are bounded.
"""

from __future__ import annotations

import json
from typing import Any

import jsonschema
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.conftest import TEST_CONFIG
from toolbox import create_app

HOSTILE_TEXT = st.sampled_from([
    "", " ", "\x00", "\u202enimda", "\ud7ff", "¹²³", "٣", "1e9999999999999999999", "-0", "NaN", "Infinity",
    "[" * 300, "{" * 300, '{"a":' * 200, "'", '"', "\\", "<script>alert(1)</script>", "%00", "\r\n\r\n",
    "eyJhbGciOiJub25lIn0.e30.", "Bearer x.y.z", "-----BEGIN PUBLIC KEY-----\nAA==\n-----END PUBLIC KEY-----",
    "http://127.0.0.1/", "http://[::1]:22/", "file:///etc/passwd", "https://169.254.169.254/latest/meta-data",
    "x" * 5000, "1" * 4400, "[0x" + "f" * 4000 + "]", '{"$ref": 5}', '{"pattern": "^(a+)+$"}',
])
TEXT = st.one_of(HOSTILE_TEXT, st.text(max_size=200))
FUZZ = settings(max_examples=60, deadline=None, derandomize=True, database=None,
                suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])


@pytest.fixture(scope="module")
def api() -> Any:
    app = create_app(TEST_CONFIG)
    app.config["TESTING"] = True
    return app.test_client()


@pytest.fixture(scope="module")
def document(api: Any) -> dict[str, Any]:
    return api.get("/api/openapi.json").json


def strategy(schema: dict[str, Any], components: dict[str, Any], depth: int = 0) -> st.SearchStrategy[Any]:
    """Values for a JSON Schema of the subset our documents use, widened with hostile values."""
    if "$ref" in schema:
        return strategy(components[schema["$ref"].rsplit("/", 1)[1]], components, depth)
    for key in ("anyOf", "oneOf"):
        if key in schema:
            return st.one_of([strategy(s, components, depth) for s in schema[key]])
    if "enum" in schema:
        return st.sampled_from(schema["enum"])
    kind = schema.get("type")
    if isinstance(kind, list):
        return st.one_of([strategy({**schema, "type": k}, components, depth) for k in kind])
    if kind == "string":
        return TEXT
    if kind == "boolean":
        return st.booleans()
    if kind == "integer":
        return st.one_of(st.integers(schema.get("minimum", -10**6), schema.get("maximum", 10**6)),
                         st.sampled_from([0, -1, 2**63, -(2**63)]))
    if kind == "number":
        return st.floats(allow_nan=False, allow_infinity=False)
    if kind == "null":
        return st.none()
    if kind == "array":
        items = schema.get("items", {})
        return st.lists(strategy(items, components, depth + 1) if depth < 3 else st.none(), max_size=3)
    if kind == "object" or "properties" in schema:
        properties = schema.get("properties", {})
        required = set(schema.get("required", ()))
        fields = {name: strategy(sub, components, depth + 1) for name, sub in properties.items()}
        if not fields:  # a free-form object (a JWT header or payload)
            return st.dictionaries(st.text(max_size=8), st.one_of(st.none(), st.integers(), TEXT), max_size=4)
        return st.fixed_dictionaries({k: v for k, v in fields.items() if k in required},
                                     optional={k: v for k, v in fields.items() if k not in required})
    return st.none()


def _operations(document: dict[str, Any]) -> list[tuple[str, dict[str, Any]]]:
    return sorted(document["paths"].items())


def _check(response: Any, operation: dict[str, Any], components: dict[str, Any]) -> None:
    assert response.status_code < 500, response.get_data(as_text=True)[:500]
    if response.status_code == 200:
        schema = operation["responses"]["200"]["content"]["application/json"]["schema"]
        jsonschema.validate(response.json, {**schema, "components": {"schemas": components}})
    else:
        assert response.mimetype == "application/problem+json"
        assert response.json["status"] == response.status_code and response.json["detail"]


FUZZED_OPERATIONS = 18


def test_every_operation_is_fuzzed(document: dict[str, Any]) -> None:
    # Exactly: a new operation must raise FUZZED_OPERATIONS, or the last ones would go unfuzzed.
    assert len(_operations(document)) == FUZZED_OPERATIONS


@pytest.mark.parametrize("index", range(FUZZED_OPERATIONS))
def test_no_body_gives_a_5xx_and_every_200_conforms(api: Any, document: dict[str, Any], index: int) -> None:
    operations = _operations(document)
    if index >= len(operations):
        pytest.fail("fewer operations than the fuzzer expects")
    path, item = operations[index]
    operation = item["post"]
    components = document["components"]["schemas"]
    request_schema = operation["requestBody"]["content"]["application/json"]["schema"]
    bodies = strategy(request_schema, components)
    junk = st.one_of(st.none(), st.integers(), TEXT, st.lists(st.integers(), max_size=3),
                     st.dictionaries(st.text(max_size=10), TEXT, max_size=3))

    @FUZZ
    @given(body=st.one_of(bodies, bodies, junk))
    def run(body: Any) -> None:
        _check(api.post(path, data=json.dumps(body), content_type="application/json"), operation, components)

    run()


@pytest.mark.parametrize("path", ["/api/v1/json/format", "/api/v1/json/query", "/api/v1/json/convert", "/api/v1/jwt/decode", "/api/v1/headers/check",
                                  "/api/v1/headers/compare", "/api/v1/headers/har", "/api/v1/headers/csp"])
@pytest.mark.parametrize("raw", [b"", b"{", b"[]", b"\xff\xfe", b'{"text": "\\ud800"}', b"{" * 10000,
                                 b'{"text": 1e999}', b'{"text": NaN}'])
def test_malformed_bodies_are_4xx(api: Any, path: str, raw: bytes) -> None:
    response = api.post(path, data=raw, content_type="application/json")
    assert 400 <= response.status_code < 500


PAGES = {
    "/jwt/": {"token": TEXT, "leeway": TEXT, "key": TEXT, "key_type": TEXT, "alg": TEXT, "audience": TEXT},
    "/json/": {"text": TEXT, "mode": TEXT, "indent": TEXT, "sort_keys": TEXT, "lenient": TEXT, "ascii": TEXT},
    "/json/validate": {"instance": TEXT, "schema": TEXT, "dialect": TEXT, "formats": TEXT, "submitted": TEXT},
    "/json/convert": {"text": TEXT, "from": st.one_of(st.sampled_from(["json", "yaml", "toml"]), TEXT),
                      "to": st.one_of(st.sampled_from(["json", "yaml"]), TEXT)},
    "/headers/": {"raw": TEXT, "url": st.sampled_from(["", "http://127.0.0.1/", "ftp://x", "¹"]),
                  "paths": TEXT, "sample_routes": TEXT, "live": st.one_of(st.sampled_from(["1", "0"]), TEXT),
                  "request_headers": TEXT, "scoring": TEXT},
    "/headers/compare": {"a_raw": TEXT, "b_raw": TEXT, "a_url": st.sampled_from(["", "ftp://x", "¹"]),
                         "b_url": st.sampled_from(["", "http://127.0.0.1/", "¹"]), "scoring": TEXT},
    "/headers/har": {"har": TEXT, "scoring": TEXT},
    "/json/query": {"text": TEXT, "expression": TEXT, "language": st.one_of(st.sampled_from(["jq", "jsonpath"]), TEXT)},
    "/json/compat": {"old": TEXT, "new": TEXT},
    "/json/lines": {"text": TEXT, "schema": TEXT, "blank_lines": st.one_of(st.just("ignore"), TEXT)},
}


@pytest.mark.parametrize("page", sorted(PAGES))
def test_page_forms_never_answer_5xx(api: Any, page: str) -> None:
    fields = PAGES[page]

    @FUZZ
    @given(form=st.fixed_dictionaries({}, optional=fields), htmx=st.booleans())
    def run(form: dict[str, str], htmx: bool) -> None:
        headers = {"Sec-Fetch-Site": "same-origin", **({"HX-Request": "true"} if htmx else {})}
        response = api.post(page, data=form, headers=headers)
        assert response.status_code < 500, response.get_data(as_text=True)[:300]

    run()
