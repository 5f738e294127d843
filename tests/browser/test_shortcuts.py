"""Issue 10 in Chromium: Ctrl/Cmd+Enter submits, copy buttons appear only with JavaScript and copy,
and a JWKS URL is fetched only when the button is pressed (it sends action=verify through htmx)."""

from __future__ import annotations

import json
from pathlib import Path

import jwt
import pytest

from tests.browser.test_jwt import assert_quiet

pytestmark = pytest.mark.browser
TOKEN = jwt.encode({"sub": "ada"}, "browser-test-secret-long-enough-for-hs256", algorithm="HS256")


def test_ctrl_enter_submits_the_json_form(toolbox_server, open_page) -> None:  # type: ignore[no-untyped-def]
    watched = open_page()
    watched.goto(f"{toolbox_server.url}/json/validate")
    page = watched.page
    page.fill("#instance", '{"a": "x"}')
    page.fill("#schema", '{"properties": {"a": {"type": "integer"}}}')
    page.focus("#schema")
    page.keyboard.press("Control+Enter")
    page.wait_for_selector("#validate-result .validation", timeout=10_000)
    assert "1 error" in page.inner_text("#validate-result")
    assert_quiet(watched)


def test_copy_buttons_show_with_javascript_and_copy(toolbox_server, open_page) -> None:  # type: ignore[no-untyped-def]
    watched = open_page(permissions=["clipboard-read", "clipboard-write"])
    watched.goto(f"{toolbox_server.url}/json/")
    page = watched.page
    page.fill("#text", '{"b": [1, 2]}')
    page.keyboard.press("Control+Enter")
    button = page.locator("button[data-copy='#json-output']")
    button.wait_for(state="visible", timeout=10_000)
    button.click()
    page.wait_for_function("() => document.querySelector(\"button[data-copy='#json-output']\").textContent"
                           " === 'Copied'", timeout=5_000)
    assert '"b"' in page.evaluate("() => navigator.clipboard.readText()")
    assert_quiet(watched)


def test_copy_buttons_are_hidden_without_javascript(toolbox_server, open_page) -> None:  # type: ignore[no-untyped-def]
    watched = open_page(java_script_enabled=False)
    watched.goto(f"{toolbox_server.url}/json/")
    page = watched.page
    page.fill("#text", '{"b": [1, 2]}')
    page.click("form button[type=submit]:not([data-native-submit])")
    page.wait_for_selector("#json-output", timeout=10_000)
    assert not page.locator("button[data-copy='#json-output']").is_visible()


def test_a_jwks_url_is_fetched_only_by_the_button(toolbox_server, open_page) -> None:  # type: ignore[no-untyped-def]
    watched = open_page()
    watched.goto(f"{toolbox_server.url}/jwt/")
    page = watched.page
    page.fill("#token", TOKEN)
    page.click("summary")
    page.select_option("#key_type", "jwks-url")
    page.fill("#key", "http://127.0.0.1:9/jwks.json")  # typing: no fetch, a hint instead
    page.wait_for_selector("#jwt-result .notice", timeout=10_000)
    assert "Press Verify" in page.inner_text("#jwt-result")
    page.click("form button[type=submit]")  # the button: the (refused) fetch is attempted
    page.wait_for_selector("#jwt-result .error-box", timeout=10_000)
    assert "refused" in page.inner_text("#jwt-result").lower()
    assert_quiet(watched, allow_status=(422,))


def test_download_buttons_save_the_block_in_the_browser(toolbox_server, open_page) -> None:  # type: ignore[no-untyped-def]
    """Every code block's Download saves exactly its text under its own name, with no request."""
    watched = open_page(accept_downloads=True)
    watched.goto(f"{toolbox_server.url}/jwt/?sample=hs256")
    page = watched.page
    requests_before = len(watched.requests)
    names = []
    buttons = page.locator("button[data-download]")
    assert buttons.count() == 3  # header, payload, and the PyJWT check (in a closed <details>)
    for button in buttons.all():
        if not button.is_visible():
            continue
        block = page.locator(button.get_attribute("data-download") or "")
        with page.expect_download(timeout=10_000) as download:
            button.click()
        body = Path(download.value.path()).read_text(encoding="utf-8")
        assert body == block.text_content()
        names.append(download.value.suggested_filename)
    assert names == ["header.json", "payload.json"]
    assert json.loads(Path(download.value.path()).read_text(encoding="utf-8"))["sub"]
    assert watched.requests[requests_before:] == []  # made in the browser, sent nowhere
    page.wait_for_function("() => document.getElementById('live-status').textContent === 'Downloaded payload.json'")
    assert_quiet(watched)


def test_download_buttons_are_hidden_without_javascript(toolbox_server, open_page) -> None:  # type: ignore[no-untyped-def]
    watched = open_page(java_script_enabled=False)
    watched.goto(f"{toolbox_server.url}/headers/?sample=shop")
    buttons = watched.page.locator("button[data-download]")
    assert buttons.count() >= 3
    assert all(not button.is_visible() for button in buttons.all())
