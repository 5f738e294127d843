"""Nothing lost: a plain form post (no JavaScript) that fails comes back as the same page, with
every field as typed and the error where the result would be — a spent rate limit included."""

from __future__ import annotations

from html.parser import HTMLParser

import pytest
from flask import Flask

from toolbox.web.errors import FRIENDLY_TITLE, KEEPS_INPUT

HOSTILE = '</textarea><script>alert("ü")</script> &amp; \u202e ñ 😀'

# Each tool page that takes a plain form post: the fields a user typed into it.
PAGES = {
    "jwt.index": ("/jwt/", {"token": "eyJ." + HOSTILE, "key": "secret " + HOSTILE, "audience": "api://ü"}),
    "jwt.encode_page": ("/jwt/encode", {"payload": '{"sub": "' + HOSTILE + '"}', "key": "k " + HOSTILE}),
    "jwt.keys": ("/jwt/keys", {"payload": '{"a": "' + HOSTILE + '"}'}),
    "json.index": ("/json/", {"text": '{"a": "' + HOSTILE + '"}', "mode": "minify"}),
    "json.download": ("/json/download", {"text": '{"b": "' + HOSTILE + '"}'}),
    "json.validate_page": ("/json/validate", {"instance": '{"c": "' + HOSTILE + '"}', "schema": "{}"}),
    "json_convert.convert_page": ("/json/convert", {"text": "a: " + HOSTILE, "from": "yaml", "to": "yaml"}),
    "json_lines.lines_page": ("/json/lines", {"text": '{"e": "' + HOSTILE + '"}\n[1,', "schema": '{"title": "'
                                               + HOSTILE + '"}'}),
    "json_diff.diff_page": ("/json/diff", {"a": '{"d": "' + HOSTILE + '"}', "b": "[" + HOSTILE, "array_key": "ü",
                                           "ignore": "/x/" + HOSTILE}),
    "json_compat.compat_page": ("/json/compat", {"old": '{"e": "' + HOSTILE + '"}', "new": "[" + HOSTILE}),
    "json_query.query_page": ("/json/query", {"text": '{"q": "' + HOSTILE + '"}', "expression": "$." + HOSTILE,
                                             "language": "jq"}),
    "json_query.query_download": ("/json/query/download", {"text": "[" + HOSTILE, "expression": "$"}),
    "headers.index": ("/headers/", {"url": "https://example.com/ü", "raw": "HTTP/1.1 200\nx-a: " + HOSTILE,
                                    "request_headers": "Authorization: Basic " + HOSTILE}),
    "headers_csp.index": ("/headers/csp", {"url": "https://example.com/ü", "html": "<p>" + HOSTILE,
                                           "policy": "img-src 'self' " + HOSTILE}),
    "headers.compare": ("/headers/compare", {"a_url": "https://a.example/ü", "a_raw": "x-a: " + HOSTILE,
                                             "b_url": "https://b.example/" + HOSTILE, "b_raw": "x-b: ü"}),
    "headers_har.index": ("/headers/har", {"har": '{"log": {"entries": [], "x": "' + HOSTILE + '"}}'}),
    "jwt_jwks.index": ("/jwt/jwks", {"jwks": '{"keys": [{"kid": "' + HOSTILE + '"}]}', "expected_issuer": "https://ü",
                                     "issuer": "https://example.com/" + HOSTILE}),
}


class Fields(HTMLParser):
    """The value of every named textarea and text input on a page, as a browser would show it."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.values: dict[str, str] = {}
        self._textarea: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        name = a.get("name")
        if tag == "textarea" and name:
            self._textarea = name
            self.values[name] = ""
        elif tag == "input" and name and a.get("type", "text") == "text":
            self.values[name] = a.get("value") or ""

    def handle_endtag(self, tag: str) -> None:
        if tag == "textarea":
            self._textarea = None

    def handle_data(self, data: str) -> None:
        if self._textarea:
            self.values[self._textarea] += data


def fields_of(html: str) -> dict[str, str]:
    parser = Fields()
    parser.feed(html)
    # A browser drops one newline right after <textarea>; templates write one so a text that starts
    # with a newline survives.
    return {name: value.removeprefix("\n") for name, value in parser.values.items()}


def test_every_page_that_keeps_input_is_tested(make_app) -> None:  # type: ignore[no-untyped-def]
    """Meta: every HTML endpoint that takes a POST keeps input, and each one is in PAGES."""
    app: Flask = make_app()
    posted = {rule.endpoint for rule in app.url_map.iter_rules()
              if "POST" in (rule.methods or ()) and not rule.rule.startswith("/api")}
    assert posted == set(KEEPS_INPUT) == set(PAGES)


@pytest.mark.parametrize("endpoint", sorted(PAGES))
def test_a_spent_rate_limit_keeps_what_was_typed(make_app, endpoint: str) -> None:  # type: ignore[no-untyped-def]
    path, typed = PAGES[endpoint]
    client = make_app(TOOLBOX_RATELIMIT_DEFAULT="1/minute").test_client()
    client.get("/")  # spends the budget
    response = client.post(path, data=typed)
    assert response.status_code == 429
    assert 0 < int(response.headers["Retry-After"]) <= 60
    html = response.get_data(as_text=True)
    assert "<form" in html, "the tool page itself, not a bare error page"
    shown = fields_of(html)
    for name, value in typed.items():
        if name in shown:
            assert shown[name] == value, name
    assert any(name in shown for name in typed), "no typed field came back"
    assert FRIENDLY_TITLE[429] in html and "Try again in" in html
    assert "Too Many Requests" not in html and "<script>alert" not in html


@pytest.mark.parametrize("endpoint", ["json.index", "json.validate_page", "jwt.index"])
def test_a_refused_field_keeps_the_others(make_app, endpoint: str) -> None:  # type: ignore[no-untyped-def]
    """A field the form cannot take (a wrong choice) is an error beside the rest, as typed."""
    path, typed = PAGES[endpoint]
    bad = {"json.index": {"mode": "sideways"}, "json.validate_page": {"dialect": "draft99"},
           "jwt.index": {"leeway": "¹²"}}[endpoint]
    response = make_app().test_client().post(path, data={**typed, **bad})
    assert 400 <= response.status_code < 500
    html = response.get_data(as_text=True)
    shown = fields_of(html)
    for name, value in typed.items():
        if name in shown:
            assert shown[name] == value, name
    assert 'role="alert"' in html


def test_a_body_too_large_to_read_gets_the_plain_error_page(make_app) -> None:  # type: ignore[no-untyped-def]
    client = make_app(TOOLBOX_MAX_BODY_BYTES="2048").test_client()
    response = client.post("/json/", data={"text": "[" + "1," * 5000 + "1]"})
    assert response.status_code == 413
    html = response.get_data(as_text=True)
    assert FRIENDLY_TITLE[413] in html and "<form" not in html
