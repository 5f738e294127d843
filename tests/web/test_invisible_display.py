"""Issue 8: bidi and invisible characters from input or fetched headers are shown as escapes on
every tool page, so "\u202enimda" can never display as "admin"."""

from __future__ import annotations

import json
import re

SAME_ORIGIN = {"Sec-Fetch-Site": "same-origin"}
TRICK = "\u202enimda"


def _shown_safely(html: str) -> None:
    # The textarea gives the input back exactly as typed (resubmitting must not change it);
    # everything the page shows about it reveals the character.
    shown = re.sub(r"<textarea[^>]*>.*?</textarea>", "", html, flags=re.DOTALL)
    assert "\u202e" not in shown
    assert '<span class="cc">\\u202e</span>' in html


def test_json_output_tree_and_warnings_reveal_controls(client) -> None:  # type: ignore[no-untyped-def]
    text = json.dumps({TRICK: TRICK, "a": 1}, ensure_ascii=False).replace('"a": 1', f'"{TRICK}": 2')
    _shown_safely(client.post("/json/", data={"text": text}, headers=SAME_ORIGIN).get_data(as_text=True))
    big = json.dumps([TRICK] * 60_000, ensure_ascii=False)  # past the highlighting limit: plain output
    _shown_safely(client.post("/json/", data={"text": big, "mode": "minify"}, headers=SAME_ORIGIN)
                  .get_data(as_text=True))


def test_json_validation_messages_and_lines_reveal_controls(client) -> None:  # type: ignore[no-untyped-def]
    instance = json.dumps({"name": TRICK}, ensure_ascii=False, indent=2)
    schema = json.dumps({"properties": {"name": {"maxLength": 2}}})
    html = client.post("/json/validate", data={"instance": instance, "schema": schema, "submitted": "1"},
                       headers=SAME_ORIGIN).get_data(as_text=True)
    _shown_safely(html)


def test_pasted_header_values_reveal_controls(client) -> None:  # type: ignore[no-untyped-def]
    raw = f"HTTP/1.1 200 OK\nx-powered-by: {TRICK}\nset-cookie: {TRICK}=1\n"
    html = client.post("/headers/", data={"raw": raw}, headers=SAME_ORIGIN).get_data(as_text=True)
    _shown_safely(html)
