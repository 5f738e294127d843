"""The convert page /json/convert: the sample, a plain post and an htmx post, Download, located errors,
hostile and oversized input answered with a 4xx page, never a 500."""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

import pytest

URL = "/json/convert"
HTMX = {"HX-Request": "true"}


def post(client: Any, htmx: bool = False, **form: str) -> Any:
    return client.post(URL, data=form, headers=HTMX if htmx else {})


def test_empty_page_and_sub_nav(client) -> None:  # type: ignore[no-untyped-def]
    page = client.get(URL).get_data(as_text=True)
    assert '<a href="/json/convert" aria-current="page">Convert</a>' in page
    assert 'id="from-yaml" name="from" value="yaml" checked' in page and 'id="to-json" name="to" value="json" checked' in page
    assert "convert-output" not in page


def test_sample_shows_exact_json_and_what_changed(client) -> None:  # type: ignore[no-untyped-def]
    page = client.get(URL + "?sample=config").get_data(as_text=True)
    assert 'data-status="Converted: YAML → JSON, ' in page
    assert "&quot;timeout&quot;: 1.50" in page
    assert "123456789012345678901234567890" in page and "What changed (3)" in page
    assert "Merge keys" in page and "Aliases expanded" in page and "Comments are not carried over" in page
    assert client.get(URL + "?sample=nope").status_code == 200  # an unknown sample is the empty page


def test_htmx_post_answers_the_partial(client) -> None:  # type: ignore[no-untyped-def]
    response = post(client, True, text='{"on": "yes", "n": 1.10}', **{"from": "json"}, to="yaml")
    body = response.get_data(as_text=True)
    assert response.status_code == 200 and not body.lstrip().startswith("<!doctype")
    assert "&quot;on&quot;: &quot;yes&quot;" in body
    assert 'data-status="Converted: JSON → YAML, 2 lines"' in body and "What changed" not in body


def test_plain_post_keeps_the_text_and_choices(client) -> None:  # type: ignore[no-untyped-def]
    page = post(client, text="a = 1.0\n", **{"from": "toml"}, to="yaml").get_data(as_text=True)
    assert "<!doctype html>" in page and ">a = 1.0\n</textarea>" in page
    assert 'value="toml" checked' in page and 'id="to-yaml" name="to" value="yaml" checked' in page
    assert "a: 1.0\n</code></pre>" in page


def test_download(client) -> None:  # type: ignore[no-untyped-def]
    response = post(client, text="a: 1.10\nb: [x]\n", **{"from": "yaml"}, to="json", action="download")
    assert response.status_code == 200 and response.mimetype == "application/json"
    assert response.headers["Content-Disposition"] == 'attachment; filename="converted.json"'
    assert json.loads(response.data, parse_float=Decimal) == {"a": Decimal("1.10"), "b": ["x"]}
    response = post(client, text='{"a": 1}', **{"from": "json"}, to="yaml", action="download")
    assert response.mimetype == "application/yaml" and response.data == b"a: 1\n"
    # A text that cannot be read is not downloaded: the page says why.
    response = post(client, text="a: [", **{"from": "yaml"}, to="json", action="download")
    assert response.status_code == 422 and "Invalid YAML" in response.get_data(as_text=True)


@pytest.mark.parametrize(("form", "status", "words"), [
    ({"text": "a: 1\na: 2\n", "from": "yaml", "to": "json"}, 422, "Invalid YAML:</span> <span class=\"detail\">line 2"),
    ({"text": "x: !!python/object/apply:os.system [ls]", "from": "yaml", "to": "json"}, 422, "!!python/object/apply"),
    ({"text": "[" * 100_000, "from": "yaml", "to": "json"}, 422, "nested deeper than 64"),
    ({"text": "x = nan", "from": "toml", "to": "json"}, 422, "Cannot convert"),
    ({"text": "a = [1,", "from": "toml", "to": "yaml"}, 422, "Invalid TOML"),
    ({"text": "   ", "from": "yaml", "to": "json"}, 422, "Paste a YAML document to convert."),
    ({"text": "a: 1", "from": "xml", "to": "json"}, 400, "must be one of json, yaml, toml"),
    ({"text": "a: 1", "from": "yaml", "to": "toml"}, 400, "must be one of json, yaml"),
])
def test_errors_are_4xx_pages(client, form: dict[str, str], status: int, words: str) -> None:
    for htmx in (False, True):
        response = post(client, htmx, **form)
        assert response.status_code == status
        assert words in response.get_data(as_text=True)


def test_billion_laughs_on_the_page(client) -> None:  # type: ignore[no-untyped-def]
    lol = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for prev, name in zip("abcdefgh", "bcdefghi", strict=True):
        lol.append(f"{name}: &{name} [" + ",".join([f"*{prev}"] * 9) + "]")
    response = post(client, True, text="\n".join(lol), **{"from": "yaml"}, to="yaml")
    assert response.status_code == 422 and "Alias expansion would exceed" in response.get_data(as_text=True)


def test_hostile_text_is_escaped(client) -> None:  # type: ignore[no-untyped-def]
    hostile = '</textarea><script>alert(1)</script> \u202e ü'
    page = post(client, text=f"a: '{hostile}'\n", **{"from": "yaml"}, to="json").get_data(as_text=True)
    assert "<script>alert(1)</script>" not in page and "&lt;/textarea&gt;&lt;script&gt;" in page


def test_large_output_shows_the_head_and_downloads_all(client) -> None:  # type: ignore[no-untyped-def]
    text = json.dumps({"rows": [{"id": i, "name": f"row {i}"} for i in range(6000)]})
    page = post(client, True, text=text, **{"from": "json"}, to="yaml").get_data(as_text=True)
    assert "Showing the first 100,000 characters; Download has all of it." in page
    assert "data-copy" not in page  # Copy only when all of it is shown
    response = post(client, text=text, **{"from": "json"}, to="yaml", action="download")
    assert response.data.count(b"\n") == 12_001


def test_oversized_body_is_413(make_app) -> None:  # type: ignore[no-untyped-def]
    client = make_app(TOOLBOX_MAX_BODY_BYTES="1K").test_client()
    assert client.post(URL, data={"text": "a: " + "x" * 4000, "from": "yaml", "to": "json"}).status_code == 413
