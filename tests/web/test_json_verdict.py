"""Issue 10, the JSON pages' results: one verdict line first (shared classes), the syntax error's place,
the Lenient input hint for what lenient input reads, data-status for the page's status line,
errors about keys at the key, the labels the user sees and no HTTP jargon."""

from __future__ import annotations

import html as htmllib
import re

import pytest

HX = {"HX-Request": "true", "Sec-Fetch-Site": "same-origin"}
PAGE = {"Sec-Fetch-Site": "same-origin"}


def _text(markup: str) -> str:
    return re.sub(r"\s+", " ", htmllib.unescape(re.sub(r"<[^>]+>", " ", markup))).strip()


def _verdict(markup: str) -> re.Match[str]:
    found = re.search(r'<p class="verdict (verdict-ok|verdict-bad|verdict-warn)"><span class="word">(.*?)</span>'
                      r' <span class="detail">(.*?)</span></p>', markup, re.S)
    assert found, markup[:500]
    return found


def _root_status(markup: str) -> str:
    found = re.match(r'\s*<div class="[^"]*" data-status="([^"]*)">', markup)
    assert found, markup[:300]
    return htmllib.unescape(found.group(1))


def _format(client, text: str, **fields: str):  # type: ignore[no-untyped-def]
    return client.post("/json/", data={"text": text, **fields}, headers=HX)


def test_valid_json_opens_with_the_verdict_line(client) -> None:  # type: ignore[no-untyped-def]
    markup = _format(client, '{"a": {"b": [1, 2]}, "c": null}').get_data(as_text=True)
    verdict = _verdict(markup)
    assert verdict.groups() == ("verdict-ok", "Valid JSON", "· 3 keys · depth 3")
    assert markup.index('class="verdict') < markup.index("json-output")  # first, before the output
    assert markup.count('class="verdict') == 1


def test_the_status_counts_lines_with_separators(client) -> None:  # type: ignore[no-untyped-def]
    text = "[" + ",".join(["1"] * 1202) + "]"  # pretty: 1,204 lines
    assert _root_status(_format(client, text).get_data(as_text=True)) == "Formatted: 1,204 lines"
    assert _root_status(_format(client, text, mode="minify").get_data(as_text=True)) == "Minified: 1 line"


def test_invalid_json_says_where_in_the_verdict(client) -> None:  # type: ignore[no-untyped-def]
    response = _format(client, '{\n  "a": 1,\n  "b" 2\n}')
    markup = response.get_data(as_text=True)
    assert response.status_code == 422
    verdict = _verdict(markup)
    assert verdict.group(1) == "verdict-bad"
    assert _text(verdict.group(0)).startswith("Invalid JSON: line 3, column 7 — ")
    assert _root_status(markup) == "Invalid JSON: line 3"
    assert "^" in markup  # the caret snippet follows the verdict
    assert "Turn on Lenient input" not in _text(markup)  # a missing colon is not lenient's business


@pytest.mark.parametrize(("text", "cause"), [
    ('{\n  "a": 1 // the answer\n}', "Comments"),
    ('{"a": [1, 2,]}', "Trailing commas"),
    ("{'a': 1}", "Single quotes"),
])
def test_the_lenient_hint_names_the_cause(client, text, cause) -> None:  # type: ignore[no-untyped-def]
    markup = _format(client, text).get_data(as_text=True)
    shown = _text(markup)
    assert f"Turn on Lenient input to read {cause.lower()} and repair the text to strict JSON." in shown
    assert "not allowed in strict JSON" not in shown  # the verdict says what is wrong, once
    assert 'href="#lenient"' in markup
    assert _format(client, text, lenient="on").status_code == 200  # and the hint is right


def test_no_lenient_hint_once_it_is_on(client) -> None:  # type: ignore[no-untyped-def]
    markup = _format(client, '{"a": 1,, }', lenient="on").get_data(as_text=True)
    assert "Invalid JSON" in _text(markup) and "Turn on Lenient input" not in _text(markup)


def test_the_lenient_hint_on_a_failed_download(client) -> None:  # type: ignore[no-untyped-def]
    response = client.post("/json/download", data={"text": "[1, 2,]"}, headers=PAGE)
    assert response.status_code == 422
    assert "Turn on Lenient input" in _text(response.get_data(as_text=True))


def test_result_sections_are_not_live_regions_and_pages_use_the_workspace(client) -> None:  # type: ignore[no-untyped-def]
    for path, section in (("/json/", "json-result"), ("/json/validate", "validate-result")):
        markup = client.get(path).get_data(as_text=True)
        tag = re.search(rf'<section id="{section}"[^>]*>', markup)
        assert tag and "aria-live" not in tag.group(0) and 'aria-label="Result"' in tag.group(0)
        assert '<main id="main" tabindex="-1" class="workspace">' in markup
        assert markup.count("aria-live") == 1  # the page's one status line (base.html)
        # Empty: the workspace's placeholder (CSS :empty) shows.
        assert re.search(rf'<section id="{section}"[^>]*></section>', markup)


# --- the validator ---------------------------------------------------------------------------------

def _validate(client, instance: str, schema: str):  # type: ignore[no-untyped-def]
    return client.post("/json/validate", data={"instance": instance, "schema": schema, "submitted": "1"},
                       headers=HX)


@pytest.mark.parametrize(("instance", "schema", "css", "word", "status"), [
    ("1", '{"type": "integer"}', "verdict-ok", "Valid", "Valid"),
    ('["x", "y", "z"]', '{"items": {"type": "integer"}}', "verdict-bad", "Invalid: 3 errors", "Invalid: 3 errors"),
    ("1", '{"type": 5}', "verdict-warn", "Schema cannot be used:", "Schema cannot be used"),
])
def test_validator_verdict_line_and_status(client, instance, schema, css, word, status) -> None:  # type: ignore[no-untyped-def]
    markup = _validate(client, instance, schema).get_data(as_text=True)
    verdict = _verdict(markup)
    assert verdict.group(1, 2) == (css, word)
    assert _root_status(markup) == status
    assert markup.count('class="verdict') == 1


def test_additional_properties_point_at_the_key_on_the_page(client) -> None:  # type: ignore[no-untyped-def]
    instance = '{\n  "a": {\n    "x": 1,\n    "extra": true\n  }\n}'
    schema = '{"properties": {"a": {"properties": {"x": {}}, "additionalProperties": false}}}'
    markup = _validate(client, instance, schema).get_data(as_text=True)
    row = re.search(r"<tr><td class=\"mono\"[^>]*>([^<]*)</td><td[^>]*><code>([^<]*)</code></td><td[^>]*><code>"
                    r"additionalProperties</code>", markup)
    assert row and row.groups() == ("4:5", "/a/extra")  # the key's line and column, not the object's {
    assert '<span class="ln has-error">    &quot;extra&quot;: true<span class="inline-error">' in markup


@pytest.mark.parametrize(("instance", "schema", "said"), [
    ('{"a": }', "{}", "Instance is not valid JSON: line 1, column 7 — "),
    ("{}", '{"type": "object",}', "Schema is not valid JSON: line 1, column 18 — "),
    ("", "{}", "Cannot validate: Paste JSON into both Instance and Schema."),
])
def test_validator_messages_use_the_labels_on_the_page(client, instance, schema, said) -> None:  # type: ignore[no-untyped-def]
    markup = _validate(client, instance, schema).get_data(as_text=True)
    assert _text(_verdict(markup).group(0)).startswith(said)
    page = client.get("/json/validate").get_data(as_text=True)
    assert '<label for="instance">Instance</label>' in page and '<label for="schema">Schema</label>' in page


JARGON = re.compile(r"\b(400|413|422|500)\b|Unprocessable|Bad Request|(Payload|Content) Too Large|Entity|\bHTTP\b")


@pytest.mark.parametrize(("path", "data"), [
    ("/json/", {"text": "[1,]"}),
    ("/json/", {"text": "[" * 2000 + "]" * 2000}),
    ("/json/", {"text": "[" + ",".join(["[" * 200 + "]" * 200] * 300) + "]", "indent": "4"}),
    ("/json/download", {"text": "{,}"}),
    ("/json/download", {"text": ""}),
    ("/json/validate", {"instance": "{", "schema": "{}", "submitted": "1"}),
    ("/json/validate", {"instance": "", "schema": "", "submitted": "1"}),
    ("/json/validate", {"instance": "1", "schema": '{"$ref": "https://example.com/s.json"}', "submitted": "1"}),
])
@pytest.mark.parametrize("htmx", [False, True])
def test_no_http_jargon_on_the_page(client, path, data, htmx) -> None:  # type: ignore[no-untyped-def]
    response = client.post(path, data=data, headers=HX if htmx else PAGE)
    assert response.status_code in (200, 413, 422)
    shown = _text(re.sub(r"<(script|style|head)\b.*?</\1>", "", response.get_data(as_text=True), flags=re.S))
    assert not JARGON.search(shown), JARGON.search(shown)
