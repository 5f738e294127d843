"""/json/compat: the page compares two schemas, shows both verdicts and each change, and sends an
example to the validator with the schema that rejects it; bad input comes back as a 4xx."""

from __future__ import annotations

import html
import json
import re
from typing import Any

import pytest

from toolbox.web.json_compat import SAMPLES

HTMX = {"HX-Request": "true"}


def post(client: Any, old: str, new: str, **headers: str) -> Any:
    return client.post("/json/compat", data={"old": old, "new": new}, headers=headers)


def test_the_empty_page_and_its_place_in_the_json_nav(client: Any) -> None:
    page = client.get("/json/compat")
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert 'id="old"' in text and 'id="new"' in text and "Try a sample" in text
    assert re.search(r'href="/json/compat" aria-current="page">Compatibility<', text)
    assert "Compatibility</a>" in client.get("/json/diff").get_data(as_text=True)


def test_the_sample_shows_both_verdicts_every_change_and_checked_examples(client: Any) -> None:
    text = client.get("/json/compat?sample=order").get_data(as_text=True)
    assert "Requests (what producers send): breaking" in text
    assert "Responses (what consumers read): breaking" in text
    for kind in ("required-added", "enum-value-removed", "enum-value-added", "format-added", "maximum-lowered",
                 "type-narrowed", "maxLength-raised", "property-removed", "property-added", "oneOf-changed"):
        assert f"<code>{kind}</code>" in text, kind
    assert "no example found" in text  # the oneOf change, for requests: review by hand
    assert "Validate against the new schema" in text and "Validate against the old schema" in text
    # The hidden forms carry each schema to the validator once.
    forms = re.findall(r'<form id="compat-(old|new)" method="post" action="/json/validate"', text)
    assert forms == ["old", "new"]


def test_one_click_validate_shows_the_new_schema_rejecting_a_request_example(client: Any) -> None:
    text = client.get("/json/compat?sample=order").get_data(as_text=True)
    example = html.unescape(re.search(r'form="compat-new" class="secondary small" name="instance" value="([^"]*)"',
                                      text).group(1))
    answer = client.post("/json/validate", data={"instance": example, "schema": SAMPLES["order"][1]})
    assert answer.status_code == 200
    assert "Invalid" in answer.get_data(as_text=True)
    api = client.post("/api/v1/json/validate", json={"instance": example, "schema": SAMPLES["order"][1]}).json
    assert api["valid"] is False
    old = client.post("/api/v1/json/validate", json={"instance": example, "schema": SAMPLES["order"][0]}).json
    assert old["valid"] is True


def test_htmx_gets_the_result_alone(client: Any) -> None:
    old, new = SAMPLES["order"]
    partial = post(client, old, new, **HTMX)
    assert partial.status_code == 200
    text = partial.get_data(as_text=True)
    assert "<html" not in text and 'data-status="Requests breaking, responses breaking"' in text


def test_a_compatible_pair_and_an_identical_one(client: Any) -> None:
    text = post(client, '{"type": "string"}', '{"type": "string", "title": "x"}').get_data(as_text=True)
    assert "Requests (what producers send): compatible" in text and "No change that affects" in text
    text = post(client, '{"type": "string"}', '{"type": ["string", "null"]}').get_data(as_text=True)
    assert "Requests (what producers send): compatible" in text
    assert "Responses (what consumers read): breaking" in text


@pytest.mark.parametrize(("old", "new", "status", "words"), [
    ('{"type": "string"}', '{"type":\n "string",, }', 422, "New schema is not valid JSON"),
    ("{,}", "{}", 422, "Old schema is not valid JSON"),
    ("[]", "{}", 422, "The old schema is not a valid schema"),
    ("{}", '{"$ref": "https://example.com/x.json"}', 422, "never fetched"),
    ("", "{}", 422, "Paste a JSON Schema into both"),
    ("{}", "[" * 5000 + "]" * 5000, 422, "deep"),
])
def test_bad_schemas_are_4xx_with_the_fields_kept(client: Any, old: str, new: str, status: int, words: str) -> None:
    for headers in ({}, HTMX):
        response = post(client, old, new, **headers)
        assert response.status_code == status
        text = response.get_data(as_text=True)
        assert words in html.unescape(text), text[-2000:]
        if not headers:
            assert html.escape(new[:50], quote=False) in text  # the page comes back with what was typed


def test_hostile_names_are_escaped_and_revealed(client: Any) -> None:
    old = json.dumps({"properties": {"<script>alert(1)</script>": {"type": "string"}, "\u202egnp.exe": {}}})
    new = json.dumps({"properties": {"<script>alert(1)</script>": {"type": "integer"}}, "additionalProperties": False})
    text = post(client, old, new).get_data(as_text=True)
    result = text.split("</textarea>", 2)[-1]
    assert "<script>alert(1)</script>" not in result and "&lt;script&gt;alert(1)&lt;/script&gt;" in result
    # Shown as an escape wherever it is seen; only the validate buttons' values carry it as it is.
    visible = re.sub(r' value="[^"]*"', "", result)
    assert "\u202e" not in visible and '<span class="cc">\\u202e</span>gnp.exe' in visible


def test_oversized_and_malformed_posts(client: Any) -> None:
    assert client.post("/json/compat", data={"old": "{}"}).status_code == 422  # new missing: empty
    big = client.post("/json/compat", data={"old": "{}", "new": "x" * (17 * 1024 * 1024)})
    assert 400 <= big.status_code < 500
    binary = client.post("/json/compat", data=b"\xff\xfe\x00", content_type="application/x-www-form-urlencoded")
    assert 400 <= binary.status_code < 500
