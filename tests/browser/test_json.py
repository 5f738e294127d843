"""The JSON pages in Chromium: errors shown at their line, JavaScript-off submit, no CSP noise."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from playwright.sync_api import Request

from tests.browser.conftest import WatchedPage
from tests.browser.test_jwt import assert_quiet

pytestmark = pytest.mark.browser

BROKEN = '{\n  "name": "Ada",\n  "langs": ["en", "fr",]\n}'


def test_pasting_invalid_json_shows_the_error_line(toolbox_server, open_page) -> None:  # type: ignore[no-untyped-def]
    watched = open_page()
    watched.goto(f"{toolbox_server.url}/json/")
    watched.page.fill("#text", BROKEN)  # an input event, as a paste gives: no click needed
    watched.page.wait_for_selector("#json-result .error-box", timeout=10_000)
    text = watched.page.inner_text("#json-result")
    assert "line 3" in text and "^" in text
    assert_quiet(watched, allow_status=(422,))


def test_formatting_keeps_numbers_and_shows_a_tree(toolbox_server, open_page) -> None:  # type: ignore[no-untyped-def]
    watched = open_page()
    watched.goto(f"{toolbox_server.url}/json/")
    watched.page.fill("#text", '{"n": 12345678901234567890, "x": [1.10, {"y": null}]}')
    watched.page.wait_for_selector("#json-output", timeout=10_000)
    assert "12345678901234567890" in watched.page.inner_text("#json-output")
    assert "1.10" in watched.page.inner_text("#json-output")
    watched.page.click(".tree-view > summary")
    assert watched.page.is_visible(".tree")
    assert_quiet(watched)


def test_without_javascript_format_and_validate_submit(toolbox_server, open_page) -> None:  # type: ignore[no-untyped-def]
    watched = open_page(java_script_enabled=False)
    watched.goto(f"{toolbox_server.url}/json/")
    watched.page.fill("#text", '{"b":1,"a":2}')
    with watched.page.expect_navigation():
        watched.page.click("button[type=submit] >> text=Format")
    assert '"b": 1' in watched.page.inner_text("#json-output")
    watched.page.wait_for_load_state("networkidle")  # the favicon too: leaving now would abort it
    watched.goto(f"{toolbox_server.url}/json/validate")
    watched.page.fill("#instance", '{"id": "x"}')
    watched.page.fill("#schema", '{"properties": {"id": {"type": "integer"}}}')
    with watched.page.expect_navigation():
        watched.page.click("button[type=submit]")
    assert "1 error" in watched.page.inner_text("#validate-result")
    watched.page.wait_for_load_state("networkidle")
    assert_quiet(watched)


def test_validation_errors_point_at_lines(toolbox_server, open_page) -> None:  # type: ignore[no-untyped-def]
    watched = open_page()
    watched.goto(f"{toolbox_server.url}/json/validate")
    watched.page.fill("#instance", '{\n  "id": 1,\n  "email": "nope"\n}')
    watched.page.fill("#schema", '{"properties": {"email": {"type": "string", "format": "email"}}}')
    watched.page.click("button[type=submit]")
    watched.page.wait_for_selector("#validate-result .validation", timeout=10_000)
    result = watched.page.inner_text("#validate-result")
    assert "3:" in result and "/email" in result
    assert watched.page.is_visible(".inline-errors .has-error")
    assert_quiet(watched)


# --- issue 10: paste at once, typing debounced, large outputs as a head with Download all ---------

BIG = json.dumps([{"id": i, "name": f"user {i}", "tags": ["a", "b"]} for i in range(6000)])  # 282 KB


def _posts(watched: WatchedPage) -> list[Request]:
    posts: list[Request] = []
    watched.page.on("request", lambda r: posts.append(r) if r.method == "POST" else None)
    return posts


def _paste(watched: WatchedPage, selector: str, text: str) -> None:
    """A real paste: the text on the clipboard, Ctrl+V in the field."""
    watched.page.evaluate("text => navigator.clipboard.writeText(text)", text)
    watched.page.focus(selector)
    watched.page.keyboard.press("Control+V")


def test_a_paste_formats_at_once_and_typing_is_debounced(toolbox_server, open_page) -> None:  # type: ignore[no-untyped-def]
    watched = open_page(permissions=["clipboard-read", "clipboard-write"])
    watched.goto(f"{toolbox_server.url}/json/")
    posts = _posts(watched)
    _paste(watched, "#text", '{"pasted": [1, 2.50]}')
    watched.page.wait_for_selector("#json-output", timeout=10_000)
    # The first request is the paste's own (the form's trigger), not the debounced typing one (live=1).
    first = posts[0].post_data or ""
    assert '"pasted"' in first and 'name="live"' not in first
    assert "2.50" in watched.page.inner_text("#json-output")
    assert watched.page.get_attribute("#json-result > .json-result", "data-status") == "Formatted: 6 lines"
    watched.page.wait_for_function(  # the page's one status line says it (app.js copies data-status)
        "() => document.getElementById('live-status').textContent === 'Formatted: 6 lines'", timeout=5_000)
    # Typing: one request after the pause, however many keys, marked live.
    watched.page.wait_for_load_state("networkidle")
    before = len(posts)
    watched.page.fill("#text", "")
    watched.page.keyboard.type('{"typed": true}')
    watched.page.wait_for_function("() => document.querySelector('#json-output')"
                                   " && document.querySelector('#json-output').textContent.includes('typed')",
                                   timeout=10_000)
    watched.page.wait_for_load_state("networkidle")
    typed = posts[before:]
    assert typed and all('name="live"' in (r.post_data or "") for r in typed)
    assert len(typed) <= 2  # ~15 keystrokes, debounced (the fill's clear may be a separate pause)
    assert_quiet(watched)


def test_a_large_paste_shows_the_head_and_downloads_all(toolbox_server, open_page) -> None:  # type: ignore[no-untyped-def]
    watched = open_page(permissions=["clipboard-read", "clipboard-write"], accept_downloads=True)
    watched.goto(f"{toolbox_server.url}/json/")
    posts = _posts(watched)
    _paste(watched, "#text", BIG)
    watched.page.wait_for_selector("#json-output .ln", timeout=20_000)
    assert watched.page.locator("#json-output .ln").count() == 1000
    # One request for the paste, sent before the textarea showed the text (app.js), with all of it;
    # then the textarea holds exactly what was pasted.
    watched.page.wait_for_load_state("networkidle")
    assert len(posts) == 1 and BIG in (posts[0].post_data or "")
    assert watched.page.input_value("#text") == BIG
    assert "Showing the first 1,000 of 48,002 lines" in watched.page.inner_text("#json-result")
    assert watched.page.is_visible("#json-result .verdict-ok")
    # Typing above the threshold does not reformat (the server answers 204): the head stays.
    watched.page.wait_for_load_state("networkidle")
    watched.page.keyboard.press("End")
    watched.page.keyboard.type(" ")
    watched.page.wait_for_timeout(800)  # past the debounce
    watched.page.wait_for_load_state("networkidle")
    assert len(posts) == 1  # above the limit a typing pause sends nothing (the browser knows the limit)
    assert watched.page.locator("#json-output .ln").count() == 1000
    assert "Large input: press Format" in watched.page.inner_text("#json-result")
    with watched.page.expect_download(timeout=20_000) as download:
        watched.page.click("text=Download all")
    body = Path(download.value.path()).read_text(encoding="utf-8")
    assert json.loads(body) == json.loads(BIG) and body.count("\n") == 48_001
    # Chromium reports a navigation that became a download as aborted: that is the download itself.
    assert watched.failed == [f"{toolbox_server.url}/json/download: net::ERR_ABORTED"]
    watched.failed.clear()
    assert_quiet(watched)


def test_pages_with_results_never_scroll_sideways_on_a_phone(toolbox_server, open_page) -> None:  # type: ignore[no-untyped-def]
    watched = open_page(viewport={"width": 390, "height": 844})
    long_line = json.dumps({"k" * 300: "v" * 3000, "n": [1] * 400})
    for path in ("/json/?sample=order", "/json/validate?sample=signup"):
        watched.goto(f"{toolbox_server.url}{path}")
        assert watched.page.evaluate("() => document.documentElement.scrollWidth") <= 390, path
    watched.goto(f"{toolbox_server.url}/json/")
    watched.page.fill("#text", long_line)
    watched.page.check("#mode-minify")
    watched.page.wait_for_selector("#json-output", timeout=10_000)
    watched.page.wait_for_load_state("networkidle")
    assert watched.page.evaluate("() => document.documentElement.scrollWidth") <= 390
    assert_quiet(watched)


def test_an_option_reformats_at_once(toolbox_server, open_page) -> None:  # type: ignore[no-untyped-def]
    watched = open_page()
    watched.goto(f"{toolbox_server.url}/json/")
    watched.page.fill("#text", '{"a": [1, 2]}')
    watched.page.wait_for_selector("#json-output", timeout=10_000)
    assert watched.page.locator("#json-output .ln").count() == 6
    watched.page.check("#mode-minify")  # a change in the options: no typing, no button
    watched.page.wait_for_function("() => document.querySelectorAll('#json-output .ln').length === 1",
                                   timeout=10_000)
    assert watched.page.inner_text("#json-output").strip() == '{"a":[1,2]}'
    assert watched.page.get_attribute("#json-result > .json-result", "data-status") == "Minified: 1 line"
    assert_quiet(watched)
