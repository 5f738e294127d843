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


def test_try_a_sample_asks_before_replacing_what_was_typed(toolbox_server, open_page) -> None:  # type: ignore[no-untyped-def]
    watched = open_page()
    watched.goto(f"{toolbox_server.url}/json/")
    page = watched.page
    # The typing pause formats it (500 ms later): wait for that answer, or leaving the page below
    # would abort it (a failed request).
    with page.expect_response(lambda response: response.request.method == "POST"):
        page.fill("#text", '{"mine": true}')
    asked: list[str] = []

    def dismiss(dialog) -> None:  # type: ignore[no-untyped-def]
        asked.append(dialog.message)
        dialog.dismiss()

    page.once("dialog", dismiss)
    page.get_by_role("link", name="Try a sample").click()
    page.wait_for_timeout(300)
    assert asked == ["Replace what you typed? It is not kept anywhere."]
    assert page.input_value("#text") == '{"mine": true}' and "sample" not in page.url  # stayed

    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("link", name="Try a sample").click()
    page.wait_for_url("**/json/?sample=*")
    assert page.input_value("#text") != '{"mine": true}'
    # The sample's own text is not "typed": Clear leaves without asking.
    page.on("dialog", lambda dialog: asked.append("unexpected: " + dialog.message))
    page.get_by_role("link", name="Clear").click()
    page.wait_for_url(f"{toolbox_server.url}/json/")
    assert page.input_value("#text") == "" and len(asked) == 1
    assert_quiet(watched)


def test_a_phone_is_brought_to_the_result_after_an_explicit_action(toolbox_server, open_page) -> None:  # type: ignore[no-untyped-def]
    """At 390 px the result sits below the whole form: pressing Check scrolls to it."""
    watched = open_page(viewport={"width": 390, "height": 700})
    watched.goto(f"{toolbox_server.url}/headers/")
    page = watched.page
    page.click("summary")
    page.fill("#raw", "HTTP/2 200\ncontent-type: text/html\n")
    page.get_by_role("button", name="Check", exact=True).click()
    page.wait_for_selector("#headers-result .verdict")
    page.wait_for_timeout(200)
    top = page.evaluate("document.getElementById('headers-result').getBoundingClientRect().top")
    assert -2 < top < 60  # at the top of the screen, not somewhere below the button
    assert_quiet(watched)


def test_without_javascript_the_answer_opens_at_the_result(toolbox_server, open_page) -> None:  # type: ignore[no-untyped-def]
    """A plain form post lands on the result (the form's action ends in #<tool>-result)."""
    watched = open_page(java_script_enabled=False, viewport={"width": 390, "height": 700})
    watched.goto(f"{toolbox_server.url}/json/")
    page = watched.page
    page.fill("#text", '{"a": [1, 2, 3]}')
    page.get_by_role("button", name="Format", exact=True).click()
    page.wait_for_selector("#json-result .verdict")
    assert page.url.endswith("/json/#json-result")
    top, scrolled = page.evaluate(
        "[document.getElementById('json-result').getBoundingClientRect().top, window.scrollY]")
    assert scrolled > 0 and -2 < top < 350  # in view (as high as the page's end allows)
