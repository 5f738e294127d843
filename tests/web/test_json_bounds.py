"""Issue 8 through the pages and the API: no JSON input freezes a worker, amplifies, or gets a 500."""

from __future__ import annotations

import json
import time

import pytest

SAME_ORIGIN = {"Sec-Fetch-Site": "same-origin"}
DEEP = "[" + ",".join(["[" * 500 + "]" * 500] * 500) + "]"  # 500 KB: pretty-printed it was ~1 GB
HIDDEN_REGEX_SCHEMA = json.dumps({"x-stash": {"pattern": "^(a+)+$"},
                                  "anyOf": [{"$ref": "#/x-stash"}, {"type": "null"}]})
VICTIM = json.dumps("a" * 30 + "!")


@pytest.mark.parametrize("indent", [2, 4, "tab"])
def test_api_refuses_amplifying_pretty_print(client, indent) -> None:  # type: ignore[no-untyped-def]
    response = client.post("/api/v1/json/format", json={"text": DEEP, "indent": indent})
    assert response.status_code == 413  # the operation's too-large kind
    assert response.json["kind"] == "too-large"
    assert len(response.data) < 10_000
    assert "MB" in response.json["detail"] and "limit" in response.json["detail"]


def test_api_still_minifies_deep_nesting(client) -> None:  # type: ignore[no-untyped-def]
    response = client.post("/api/v1/json/format", json={"text": DEEP, "mode": "minify"})
    assert response.status_code == 200
    assert response.json["output"] == DEEP and response.json["stats"]["depth"] == 501


@pytest.mark.parametrize("path", ["/json/", "/json/download"])
@pytest.mark.parametrize("htmx", [False, True])
def test_pages_refuse_amplifying_pretty_print(client, path, htmx) -> None:  # type: ignore[no-untyped-def]
    headers = {**SAME_ORIGIN, **({"HX-Request": "true"} if htmx else {})}
    response = client.post(path, data={"text": DEEP, "mode": "pretty", "indent": "4"}, headers=headers)
    assert response.status_code == 413
    assert len(response.data) < 3 * len(DEEP)  # the page echoes the input once, nothing more


def test_validate_page_and_api_do_not_run_hidden_regexes(client) -> None:  # type: ignore[no-untyped-def]
    start = time.perf_counter()
    page = client.post("/json/validate", data={"instance": VICTIM, "schema": HIDDEN_REGEX_SCHEMA,
                                               "submitted": "1", "formats": "on"}, headers=SAME_ORIGIN)
    api = client.post("/api/v1/json/validate", json={"instance": VICTIM, "schema": HIDDEN_REGEX_SCHEMA})
    assert time.perf_counter() - start < 4.0  # ~40 s each in Python's `re` before the fix
    assert page.status_code == 200 and api.status_code == 200
    assert api.json["valid"] is False


@pytest.mark.parametrize(("instance", "schema"), [
    ("1e9999999999999999999", "{}"),
    ("1" * 5000, '{"type": "integer"}'),
    ("1", '{"maximum": 1e9999999999999999999}'),
    ("1e400", '{"multipleOf": 3}'),
    ("1", '{"$schema": "http://json-schema.org/draft-04/schema#", "$ref": 5}'),
])
def test_numbers_and_references_that_crashed_are_answered(client, instance, schema) -> None:  # type: ignore[no-untyped-def]
    api = client.post("/api/v1/json/validate", json={"instance": instance, "schema": schema})
    page = client.post("/json/validate", data={"instance": instance, "schema": schema, "submitted": "1"},
                       headers=SAME_ORIGIN)
    assert api.status_code in (200, 422) and page.status_code in (200, 422)
    if api.status_code == 422:
        assert api.json["detail"]


@pytest.mark.parametrize("text", ["[0x" + "f" * 5000 + "]", "[" + "1" * 5000 + "]"])
def test_format_of_huge_numbers_is_no_500(client, text) -> None:  # type: ignore[no-untyped-def]
    for lenient in (False, True):
        response = client.post("/api/v1/json/format", json={"text": text, "lenient": lenient})
        assert response.status_code in (200, 422)
