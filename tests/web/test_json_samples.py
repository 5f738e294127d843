"""Issue 10: "Try a sample" and "Clear" on both JSON pages: links in the form's actions row; a sample is
a GET that fills the form and shows its result; an unknown sample is the empty page, never an error."""

from __future__ import annotations

import html as htmllib
import re

import pytest

from toolbox.core.json.samples import ORDER, SIGNUP_INSTANCE, SIGNUP_SCHEMA


def _actions(markup: str) -> str:
    found = re.search(r'<div class="actions">(.*?)</div>', markup, re.S)
    assert found
    return found.group(1)


@pytest.mark.parametrize(("path", "sample"), [("/json/", "/json/?sample=order"),
                                              ("/json/validate", "/json/validate?sample=signup")])
def test_both_pages_offer_a_sample_and_clear(client, path, sample) -> None:  # type: ignore[no-untyped-def]
    actions = _actions(client.get(path).get_data(as_text=True))
    assert f'<a class="button secondary" href="{sample}">Try a sample</a>' in actions
    assert f'<a class="button secondary" href="{path}">Clear</a>' in actions


def test_the_format_sample_is_filled_in_and_formatted(client) -> None:  # type: ignore[no-untyped-def]
    response = client.get("/json/?sample=order")
    markup = response.get_data(as_text=True)
    assert response.status_code == 200
    area = re.search(r'<textarea id="text"[^>]*>(.*?)</textarea>', markup, re.S)
    assert area and htmllib.unescape(area.group(1)) == ORDER
    assert '<span class="word">Valid JSON</span>' in markup
    assert "12345678901234567890" in markup and "19.90" in markup  # numbers exactly as written
    assert re.search(r'<pre class="code numbered" id="json-output"', markup)
    assert response.headers["Cache-Control"] == "no-store"


def test_the_validator_sample_has_three_located_errors(client) -> None:  # type: ignore[no-untyped-def]
    markup = client.get("/json/validate?sample=signup").get_data(as_text=True)
    for name, text in (("instance", SIGNUP_INSTANCE), ("schema", SIGNUP_SCHEMA)):
        area = re.search(rf'<textarea id="{name}"[^>]*>(.*?)</textarea>', markup, re.S)
        assert area and htmllib.unescape(area.group(1)) == text.lstrip("\n")
    assert '<span class="word">Invalid: 3 errors</span>' in markup
    rows = re.findall(r'<tr><td class="mono"[^>]*>([^<]*)</td><td[^>]*><code>([^<]*)</code></td><td[^>]*><code>([^<]*)</code>',
                      markup)
    assert rows == [("1:1", "/", "required"), ("3:3", "/email", "format"), ("5:3", "/referrer", "additionalProperties")]


@pytest.mark.parametrize("path", ["/json/?sample=nope", "/json/?sample=", "/json/?sample=%00%ff",
                                  "/json/validate?sample=order", "/json/?sample=signup",
                                  "/json/?sample=__class__", "/json/validate?sample=" + "x" * 5000])
def test_an_unknown_sample_is_the_empty_page(client, path) -> None:  # type: ignore[no-untyped-def]
    response = client.get(path)
    markup = response.get_data(as_text=True)
    assert response.status_code == 200
    assert re.search(r'<section id="(json|validate)-result"[^>]*></section>', markup)
    assert not re.search(r"<textarea[^>]*>[^<]+</textarea>", markup)
