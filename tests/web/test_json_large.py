"""Issue 10, large documents on the format page: what triggers formatting (paste at once, typing
debounced and only below the threshold), the head of a large output with its full size and Download
all, a no-JavaScript page without megabytes of spans, and the input echoed exactly."""

from __future__ import annotations

import html as htmllib
import json
import re
from html.parser import HTMLParser

from toolbox.web.json_tool import HEAD_CHARS, HEAD_LINES, LIVE_LIMIT, output_head

HX = {"HX-Request": "true", "Sec-Fetch-Site": "same-origin"}
PAGE = {"Sec-Fetch-Site": "same-origin"}
BIG = json.dumps([{"id": i, "name": f"user {i}", "tags": ["a", "b"]} for i in range(6000)])  # 282 KB, 48,002 lines


def _attrs(markup: str, tag: str, ident: str) -> dict[str, str]:
    found = re.search(rf'<{tag}\b[^>]*\bid="{ident}"[^>]*>', markup, re.S)
    assert found, ident
    pairs = re.findall(r'([\w:-]+)=(?:"([^"]*)"|\'([^\']*)\')', found.group(0))
    return {k: htmllib.unescape(double or single) for k, double, single in pairs}


def test_the_form_says_what_triggers_formatting(client) -> None:  # type: ignore[no-untyped-def]
    markup = client.get("/json/").get_data(as_text=True)
    form = _attrs(markup, "form", "json-form")
    triggers = [t.strip() for t in form["hx-trigger"].split(",")]
    assert "paste delay:1ms" in triggers  # at once (the delay lets the browser insert the text first)
    assert not any(t.startswith("input") for t in triggers)  # typing is the textarea's own trigger
    assert form["data-live-limit"] == str(LIVE_LIMIT) == "200000"
    assert form["enctype"] == form["hx-encoding"] == "multipart/form-data"
    area = _attrs(markup, "textarea", "text")
    assert area["hx-trigger"] == "input changed delay:500ms"  # typing stays debounced
    assert json.loads(area["hx-vals"]) == {"live": "1"}
    assert area["hx-sync"] == "closest form:queue last" and area["hx-post"] == "/json/"
    assert area["data-live-limit"] == str(LIVE_LIMIT)


def test_typing_below_the_threshold_formats(client) -> None:  # type: ignore[no-untyped-def]
    response = client.post("/json/", data={"text": '{"a": 1}', "live": "1"}, headers=HX)
    assert response.status_code == 200 and "Valid JSON" in response.get_data(as_text=True)


def test_typing_above_the_threshold_waits_for_format(client) -> None:  # type: ignore[no-untyped-def]
    assert len(BIG) > LIVE_LIMIT
    paused = client.post("/json/", data={"text": BIG, "live": "1"}, headers=HX)
    assert paused.status_code == 204 and paused.data == b""  # htmx swaps nothing: the result stays
    pressed = client.post("/json/", data={"text": BIG}, headers=HX)  # Format, a paste or an option
    markup = pressed.get_data(as_text=True)
    assert pressed.status_code == 200 and "Valid JSON" in markup
    assert "Large input: press Format" in markup
    small = client.post("/json/", data={"text": "[1]"}, headers=HX).get_data(as_text=True)
    assert "Large input" not in small


def test_a_large_output_shows_its_head_full_size_and_download_all(client) -> None:  # type: ignore[no-untyped-def]
    markup = client.post("/json/", data={"text": BIG}, headers=HX).get_data(as_text=True)
    code = re.search(r'<pre class="code numbered" id="json-output"[^>]*><code>(.*?)</code></pre>', markup, re.S)
    assert code is not None
    assert code.group(1).count('<span class="ln">') == HEAD_LINES
    total = BIG.count("{") * 8 + 2  # each record: 8 lines; plus [ and ]
    assert f"Showing the first {HEAD_LINES:,} of {total:,} lines" in markup
    assert "(10.6 KB of 531.0 KB)" in markup  # the full size is stated
    button = re.search(r'<button type="submit" form="json-form"[^>]*>Download all</button>', markup)
    assert button and 'formaction="/json/download"' in button.group(0) and "data-native-submit" in button.group(0)
    assert "data-copy" not in markup  # a copy would copy only the head
    assert len(markup) < 150_000


def test_download_all_sends_the_same_fields_and_gets_everything(client) -> None:  # type: ignore[no-untyped-def]
    fields = {"text": BIG, "mode": "pretty", "indent": "4", "sort_keys": "on"}
    response = client.post("/json/download", data=fields, headers=PAGE)
    assert response.status_code == 200 and response.headers["Content-Disposition"].startswith("attachment")
    body = response.get_data(as_text=True)
    assert body.count("\n") >= 48_000 and json.loads(body) == json.loads(BIG)
    assert body.startswith('[\n    {\n        "id": 0,\n        "name": "user 0"')  # indent 4, keys sorted


def test_the_page_without_javascript_has_no_megabytes_of_spans(client) -> None:  # type: ignore[no-untyped-def]
    text = json.dumps([list(range(40))] * 20_000)  # 2.7 MB in, 820,002 lines, ~5 M tokens out
    response = client.post("/json/", data={"text": text}, headers=PAGE)
    markup = response.get_data(as_text=True)
    assert response.status_code == 200 and markup.startswith("<!doctype html>")
    assert markup.count("<span") < 10_000
    assert len(markup) < len(text) + 200_000  # the input once, the head, the page


def test_a_minified_output_is_cut_too(client) -> None:  # type: ignore[no-untyped-def]
    markup = client.post("/json/", data={"text": BIG, "mode": "minify"}, headers=HX).get_data(as_text=True)
    assert re.search(r"Showing the first \d+\.\d KB of \d+\.\d KB \(one line\)", markup)
    assert "Download all" in markup


def test_a_small_output_is_whole_with_copy(client) -> None:  # type: ignore[no-untyped-def]
    markup = client.post("/json/", data={"text": "[1, 2]"}, headers=HX).get_data(as_text=True)
    assert "Showing the first" not in markup and "Download all" not in markup
    assert 'data-copy="#json-output"' in markup


def test_output_head_cuts_at_lines_or_characters() -> None:
    text = "\n".join(f"line {i}" for i in range(5000))
    head = output_head(text)
    assert head.lines == HEAD_LINES and head.text == text[: head.size] and head.total_lines == 5000
    assert head.truncated and not output_head("short").truncated
    long_line = "x" * (HEAD_CHARS * 3)
    cut = output_head(long_line)
    assert len(cut.text) == HEAD_CHARS and cut.lines == 1 and cut.total_lines == 1 and cut.truncated
    assert output_head("a\nb", max_lines=1).text == "a"


class _Textarea(HTMLParser):
    def __init__(self, ident: str) -> None:
        super().__init__(convert_charrefs=True)
        self.ident, self.inside, self.value = ident, False, ""

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.inside = tag == "textarea" and ("id", self.ident) in attrs

    def handle_endtag(self, tag: str) -> None:
        self.inside = False

    def handle_data(self, data: str) -> None:
        if self.inside:
            self.value += data


def _textarea(markup: str, ident: str) -> str:
    parser = _Textarea(ident)
    parser.feed(markup)
    return parser.value


TRICKY = '{"x": "</textarea><script>alert(1)</script>", "y": "&amp; &lt; &#34; \\" < > &"}'


def test_the_textarea_gives_back_exactly_what_was_sent(client) -> None:  # type: ignore[no-untyped-def]
    for text in (TRICKY, TRICKY + ",", BIG):
        markup = client.post("/json/", data={"text": text}, headers=PAGE).get_data(as_text=True)
        assert "<script>alert" not in markup
        assert _textarea(markup, "text") == text
    markup = client.post("/json/validate", data={"instance": TRICKY, "schema": TRICKY, "submitted": "1"},
                         headers=PAGE).get_data(as_text=True)
    assert _textarea(markup, "instance") == TRICKY == _textarea(markup, "schema")
    assert "<script>alert" not in markup


def test_multipart_and_urlencoded_posts_both_work(client) -> None:  # type: ignore[no-untyped-def]
    import io

    for data in ({"text": '{"a": 1}'}, {"text": '{"a": 1}', "file": (io.BytesIO(b""), "")}):
        response = client.post("/json/", data=data, headers=HX)
        assert response.status_code == 200 and "Valid JSON" in response.get_data(as_text=True)
