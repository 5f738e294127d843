"""POST /api/v1/json/infer: samples → schema; the schema validates every sample through /json/validate."""

from __future__ import annotations

import json
from typing import Any

import pytest

SAMPLES = ['{"id": 1, "email": "ann@example.com", "tags": ["a"]}', '{"id": 2, "email": null, "tags": []}',
           '{"id": 3, "score": 0.5, "tags": ["b", "c"], "名前": "太郎"}']


def infer(client: Any, body: Any) -> Any:
    return client.post("/api/v1/json/infer", json=body)


def test_infer_and_validate_each_sample_with_it(client: Any) -> None:
    response = infer(client, {"samples": SAMPLES})
    assert response.status_code == 200
    body = response.json
    schema = body["schema"]
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert schema["required"] == ["id", "tags"]
    assert schema["properties"]["email"] == {"type": ["string", "null"], "format": "email"}
    assert body["notes"] and "3 samples" in body["notes"][0]
    for sample in SAMPLES:  # the one-click path: the schema as the validator's schema
        check = client.post("/api/v1/json/validate", json={"instance": sample, "schema": json.dumps(schema)})
        assert check.status_code == 200 and check.json["valid"] is True, check.json


def test_a_bad_sample_is_named_by_index_and_located(client: Any) -> None:
    response = infer(client, {"samples": ["{}", "[1,\n 2,,]"]})
    assert response.status_code == 422
    problem = response.json
    assert problem["sample"] == 1 and problem["line"] == 2 and problem["column"] == 4
    assert problem["detail"].startswith("Sample 2:") and problem["caret"].strip() == "^"
    assert problem["title"] == "Sample 2 is not valid JSON"


@pytest.mark.parametrize("text", ["", "NaN", "{'a': 1}", "[1] [2]", "\ufeff{}", '"\\ud800"', "01"])
def test_non_json_samples_422(client: Any, text: str) -> None:
    response = infer(client, {"samples": ["1", text]})
    assert response.status_code == 422 and response.json["sample"] == 1


def test_empty_list_too_many_and_too_deep(client: Any) -> None:
    empty = infer(client, {"samples": []})
    assert empty.status_code == 422 and "at least one" in empty.json["detail"]
    many = infer(client, {"samples": ["1"] * 1001})
    assert many.status_code == 413 and "1,000" in many.json["detail"]
    deep = infer(client, {"samples": ["[" * 1001 + "]" * 1001]})
    assert deep.status_code == 422 and deep.json["sample"] == 0 and "deep" in deep.json["detail"].lower()
    assert infer(client, {"samples": ["1"] * 1000}).json["schema"]["type"] == "integer"


@pytest.mark.parametrize("body", [{}, {"samples": "{}"}, {"samples": [1]}, {"samples": [None]},
                                  {"samples": [{"a": 1}]}, {"samples": ["{}"], "extra": 1}, [], "x", 0])
def test_wrong_types_422(client: Any, body: Any) -> None:
    response = infer(client, body)
    assert response.status_code in (400, 422), response.json


def test_big_and_deep_samples(client: Any) -> None:
    big = json.dumps({f"k{i}": [i, str(i)] for i in range(10_000)})
    response = infer(client, {"samples": [big]})
    assert response.status_code == 200 and len(response.json["schema"]["properties"]) == 10_000
    deep = "[" * 900 + "1" + "]" * 900
    body = infer(client, {"samples": [deep]}).json
    assert any("deeper than" in note for note in body["notes"])
    check = client.post("/api/v1/json/validate", json={"instance": deep, "schema": json.dumps(body["schema"])})
    assert check.json["valid"] is True


def test_numbers_stay_exact_and_listed_in_openapi(client: Any) -> None:
    schema = infer(client, {"samples": ["123456789012345678901234567890", "1e400"]}).json["schema"]
    assert schema["type"] == "number"
    assert "/api/v1/json/infer" in client.get("/api/openapi.json").json["paths"]


# --- the validator page's "Infer a schema from this Instance" -------------------------------------

def post_page(client: Any, data: dict[str, str], htmx: bool = False) -> Any:
    headers = {"HX-Request": "true"} if htmx else {}
    return client.post("/json/validate", data={"submitted": "1", **data}, headers=headers,
                       content_type="multipart/form-data")


def test_page_infer_fills_the_schema_field_and_it_validates(client: Any) -> None:
    instance = '{"id": 7, "when": "2026-12-06T00:00:00Z", "tags": ["a", "b"]}'
    page = post_page(client, {"instance": instance, "schema": "", "action": "infer"})
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "Schema inferred from the Instance" in html and 'id="schema"' in html
    assert "&#34;format&#34;: &#34;date-time&#34;" in html or '"format": "date-time"' in html
    schema_text = html.split('name="schema"', 1)[1].split(">", 1)[1].split("</textarea>", 1)[0]
    schema = json.loads(schema_text.replace("&amp;", "&").replace("&lt;", "<"))
    assert schema["required"] == ["id", "when", "tags"]
    # The one click after: Validate with that schema.
    checked = post_page(client, {"instance": instance, "schema": json.dumps(schema)})
    assert checked.status_code == 200 and 'data-status="Valid"' in checked.get_data(as_text=True)


def test_page_infer_with_htmx_swaps_the_schema_out_of_band(client: Any) -> None:
    partial = post_page(client, {"instance": "[1, 2.5]", "schema": "{}", "action": "infer"}, htmx=True)
    html = partial.get_data(as_text=True)
    assert partial.status_code == 200 and 'hx-swap-oob="true"' in html and "<html" not in html
    assert '&#34;type&#34;: &#34;number&#34;' in html or '"type": "number"' in html


@pytest.mark.parametrize(("instance", "status", "words"), [
    ("", 422, "Paste a JSON document into Instance"),
    ("{\n  'a': 1}", 422, "Instance is not valid JSON: line 2"),
    ("[" * 1001 + "]" * 1001, 422, "Cannot validate"),
])
def test_page_infer_refusals_keep_the_input(client: Any, instance: str, status: int, words: str) -> None:
    page = post_page(client, {"instance": instance, "schema": '{"keep": "me"}', "action": "infer"})
    html = page.get_data(as_text=True)
    assert page.status_code == status and words in html and "hx-swap-oob" not in html
    assert "keep" in html  # the schema typed is still there
