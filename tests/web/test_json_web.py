"""The JSON pages: format and validate, with and without htmx, and their bad-input paths."""

from __future__ import annotations

import re

import pytest

EXACT = '{"big": 12345678901234567890123456789, "tiny": 0.1000000000000000055511151231257827, "e": 1E+2, "z": -0.0, "huge": 1e400}'
SCHEMA = '{"type": "object", "required": ["id"], "properties": {"id": {"type": "integer"}, "email": {"type": "string", "format": "email"}}}'


def test_format_page_is_a_real_form(client) -> None:  # type: ignore[no-untyped-def]
    html = client.get("/json/").get_data(as_text=True)
    assert 'method="post"' in html and 'hx-post="/json/"' in html
    assert re.search(r'<textarea id="text"[^>]*spellcheck="false"', html)


def test_plain_post_formats_and_keeps_numbers_exactly(client) -> None:  # type: ignore[no-untyped-def]
    response = client.post("/json/", data={"text": EXACT, "mode": "pretty", "indent": "2"})
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert html.startswith("<!doctype html>")
    for literal in ("12345678901234567890123456789", "0.1000000000000000055511151231257827", "1E+2", "-0.0", "1e400"):
        assert literal in html
    assert response.headers["Cache-Control"] == "no-store"


def test_htmx_post_returns_the_partial(client) -> None:  # type: ignore[no-untyped-def]
    response = client.post("/json/", data={"text": "[1,2]", "mode": "minify"}, headers={"HX-Request": "true"})
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "<html" not in html and "[1,2]" in re.sub(r"<[^>]+>", "", html)


def test_syntax_error_is_422_with_line_column_and_caret(client) -> None:  # type: ignore[no-untyped-def]
    response = client.post("/json/", data={"text": '{\n  "a": 1,\n  "b": [1, 2,]\n}'}, headers={"HX-Request": "true"})
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert "line 3" in html and "^" in html


def test_duplicate_keys_are_kept_and_warned(client) -> None:  # type: ignore[no-untyped-def]
    html = client.post("/json/", data={"text": '{"a": 1, "a": 2}'}, headers={"HX-Request": "true"}).get_data(as_text=True)
    assert "duplicate-key" in html
    assert html.count("&#34;a&#34;") + html.count("&quot;a&quot;") + html.count('"a"') >= 2


def test_download_is_an_attachment(client) -> None:  # type: ignore[no-untyped-def]
    response = client.post("/json/download", data={"text": '{"b":1,"a":[true,null]}', "indent": "4", "sort_keys": "on"})
    assert response.status_code == 200
    assert response.headers["Content-Disposition"].startswith("attachment")
    assert response.mimetype == "application/json"
    body = response.get_data(as_text=True)
    assert body.index('"a"') < body.index('"b"') and '\n    "a"' in body


@pytest.mark.parametrize(
    ("data", "status"),
    [
        ({"text": "{}", "mode": "sideways"}, 400),
        ({"text": "{}", "indent": "3"}, 400),
        ({"text": "[" * 5000 + "]" * 5000}, 422),
        ({"text": "\x00"}, 400),
        ({"text": "NaN"}, 422),
        ({"text": "{'a': 1}"}, 422),
        ({"text": "1 2"}, 422),
    ],
)
def test_bad_format_input(client, data, status) -> None:  # type: ignore[no-untyped-def]
    response = client.post("/json/", data=data, headers={"HX-Request": "true"})
    assert response.status_code == status


def test_lenient_mode_repairs_and_says_so(client) -> None:  # type: ignore[no-untyped-def]
    html = client.post("/json/", data={"text": "{a: 1, // note\n 'b': [2,],}", "lenient": "on"},
                       headers={"HX-Request": "true"}).get_data(as_text=True)
    assert "repaired" in html.lower()
    assert "&#34;a&#34;" in html or "&quot;a&quot;" in html or '"a"' in html


def test_validate_page_lists_located_errors(client) -> None:  # type: ignore[no-untyped-def]
    response = client.post("/json/validate", data={
        "instance": '{\n  "id": "seven",\n  "email": "not-an-email"\n}', "schema": SCHEMA,
        "submitted": "1", "formats": "on"}, headers={"HX-Request": "true"})
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert '<span class="word">Invalid: 2 errors</span>' in html
    assert "2:" in html and "3:" in html  # line numbers of the two errors
    assert "/id" in html and "/email" in html


def test_validate_without_formats(client) -> None:  # type: ignore[no-untyped-def]
    html = client.post("/json/validate", data={"instance": '{"id": 1, "email": "nope"}', "schema": SCHEMA,
                                               "submitted": "1"}, headers={"HX-Request": "true"}).get_data(as_text=True)
    assert "Valid" in html and "not asserted" in html


def test_validate_bad_inputs(client) -> None:  # type: ignore[no-untyped-def]
    broken_schema = client.post("/json/validate", data={"instance": "{}", "schema": "{", "submitted": "1"},
                                headers={"HX-Request": "true"})
    assert broken_schema.status_code == 422 and "schema" in broken_schema.get_data(as_text=True).lower()
    missing = client.post("/json/validate", data={"instance": "", "schema": "{}"}, headers={"HX-Request": "true"})
    assert missing.status_code == 422
    bad_dialect = client.post("/json/validate", data={"instance": "{}", "schema": "{}", "dialect": "draft99"})
    assert bad_dialect.status_code == 400


def test_remote_refs_are_refused_not_fetched(client) -> None:  # type: ignore[no-untyped-def]
    schema = '{"$ref": "http://169.254.169.254/latest/meta-data"}'
    response = client.post("/json/validate", data={"instance": "{}", "schema": schema, "submitted": "1"},
                           headers={"HX-Request": "true"})
    assert response.status_code < 500
    assert "169.254.169.254" in response.get_data(as_text=True)


def test_nav_links_to_the_json_tool(client) -> None:  # type: ignore[no-untyped-def]
    assert 'href="/json/"' in client.get("/").get_data(as_text=True)


def test_download_of_invalid_json_keeps_the_input_and_shows_the_error(client) -> None:  # type: ignore[no-untyped-def]
    # Issue 10: it used to answer a bare 422 page, and Back showed an empty textarea.
    text = '{"keep": "my input", }'
    response = client.post("/json/download", data={"text": text}, headers={"Sec-Fetch-Site": "same-origin"})
    html = response.get_data(as_text=True)
    assert response.status_code == 422 and "Content-Disposition" not in response.headers
    assert "my input" in html and "Trailing comma" in html and 'name="text"' in html
