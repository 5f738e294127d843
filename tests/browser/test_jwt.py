"""The JWT pages in Chromium: live decode while typing, plain submit without JavaScript, samples, generated
keys put to use, a status line for screen readers, nothing wider than a phone, no CSP noise."""

from __future__ import annotations

import re
import time

import jwt
import pytest
from playwright.sync_api import expect

from tests.browser.conftest import WatchedPage

pytestmark = pytest.mark.browser

SECRET = "browser-test-secret-long-enough-for-hs256"
NOW = int(time.time())
TOKEN = jwt.encode({"sub": "grace-hopper", "iat": NOW, "exp": NOW + 900}, SECRET, algorithm="HS256")


def assert_quiet(watched: WatchedPage, *, allow_status: tuple[int, ...] = ()) -> None:
    # Chromium logs every 4xx response as "Failed to load resource"; an expected 422 (a token
    # or document that does not parse) is the answer, not a page error.
    expected = tuple(f"status of {status} " for status in allow_status)
    noisy = [m for m in watched.noisy_console() if not (expected and any(e in m for e in expected))]
    assert noisy == []
    assert watched.page_errors == []
    assert watched.failed == []
    assert [r for r in watched.bad_responses if r[1] not in allow_status] == []
    if watched.javascript:
        assert watched.csp_violations() == []


def test_pasting_a_token_decodes_it_without_a_click(toolbox_server, open_page) -> None:  # type: ignore[no-untyped-def]
    watched = open_page()
    watched.goto(f"{toolbox_server.url}/jwt/")
    page = watched.page
    page.fill("#token", TOKEN)  # fires an input event, as a paste does
    page.wait_for_selector("#jwt-result .jwt-result", timeout=10_000)
    result = page.inner_text("#jwt-result")
    assert "grace-hopper" in result
    assert "HS256" in result
    assert page.url.rstrip("/").endswith("/jwt")  # no navigation, nothing in the URL
    assert TOKEN not in page.url
    # Adding the key verifies, still without a click.
    page.click("summary")
    page.fill("#key", SECRET)
    page.wait_for_selector("#jwt-result .verdict-ok", timeout=10_000)
    assert "Signature verified" in page.inner_text("#jwt-result")
    assert page.inner_text("#jwt-submit") == "Verify"  # relabelled by the live result (it said Decode)
    assert_quiet(watched)


def test_a_real_paste_sends_one_request_at_once(toolbox_server, open_page) -> None:  # type: ignore[no-untyped-def]
    """Ctrl+V: the paste is sent as soon as the text is in the field, not after the typing pause,
    and the pause the paste also started sends nothing more (one request per paste)."""
    watched = open_page(permissions=["clipboard-read", "clipboard-write"])
    watched.goto(f"{toolbox_server.url}/jwt/")
    page = watched.page
    posts: list[str] = []
    page.on("request", lambda r: posts.append(r.url) if r.method == "POST" else None)
    # In the page's own clock: when the paste happened and when htmx sent its request.
    page.evaluate("""() => {
      window.__seen = {};
      document.getElementById("token").addEventListener("paste", () => { window.__seen.paste = performance.now(); });
      document.addEventListener("htmx:beforeRequest", () => { window.__seen.sent = performance.now(); });
    }""")
    page.evaluate("text => navigator.clipboard.writeText(text)", TOKEN)
    page.focus("#token")
    page.keyboard.press("Control+V")
    page.wait_for_selector("#jwt-result .verdict", timeout=10_000)
    page.wait_for_timeout(600)  # past the 300 ms typing pause
    assert len(posts) == 1
    seen = page.evaluate("() => window.__seen")
    assert seen["sent"] - seen["paste"] < 250, seen  # not held back by the 300 ms typing pause
    assert page.inner_text("#jwt-result .verdict .word") == "Decoded, not verified"
    assert_quiet(watched)


def test_damaged_token_shows_the_422_partial(toolbox_server, open_page) -> None:  # type: ignore[no-untyped-def]
    watched = open_page()
    watched.goto(f"{toolbox_server.url}/jwt/")
    watched.page.fill("#token", "eyJhbGciOiJIUzI1NiJ9.%%%%.abc")
    watched.page.wait_for_selector("#jwt-result .error-box", timeout=10_000)
    assert "char" in watched.page.inner_text("#jwt-result")
    assert_quiet(watched, allow_status=(422,))


def test_without_javascript_submit_works(toolbox_server, open_page) -> None:  # type: ignore[no-untyped-def]
    watched = open_page(java_script_enabled=False)
    watched.goto(f"{toolbox_server.url}/jwt/")
    watched.page.fill("#token", TOKEN)
    with watched.page.expect_navigation():
        watched.page.click("button[type=submit]")
    assert "grace-hopper" in watched.page.inner_text("#jwt-result")
    assert TOKEN not in watched.page.url
    assert_quiet(watched)


def test_encode_page_signs_and_generates_keys(toolbox_server, open_page) -> None:  # type: ignore[no-untyped-def]
    watched = open_page()
    watched.goto(f"{toolbox_server.url}/jwt/encode")
    page = watched.page
    page.fill("#sign-key", SECRET)
    page.click("form.tool-form >> nth=0 >> button[type=submit]")
    page.wait_for_selector("#encoded-token", timeout=10_000)
    signed = page.inner_text("#encoded-token").strip()
    assert jwt.decode(signed, SECRET, algorithms=["HS256"])["sub"] == "1234567890"
    page.select_option("#kind", "P-256")
    page.click(".keygen button[type=submit]")
    page.wait_for_selector("#gen-public-pem", timeout=10_000)
    assert "BEGIN PUBLIC KEY" in page.inner_text("#gen-public-pem")
    assert_quiet(watched)


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "no-js"])
def test_try_a_sample_shows_verified(toolbox_server, open_page, javascript: bool) -> None:  # type: ignore[no-untyped-def]
    watched = open_page(java_script_enabled=javascript)
    watched.goto(f"{toolbox_server.url}/jwt/")
    page = watched.page
    with page.expect_navigation():
        page.click("text=Try a sample")
    assert page.inner_text("#jwt-result .verdict .word") == "Verified"
    assert "verdict-ok" in (page.get_attribute("#jwt-result .verdict", "class") or "")
    assert "Key read as: HMAC secret" in page.inner_text("#jwt-result")
    assert page.input_value("#token").startswith("eyJ")
    if javascript:
        # Changing a field re-verifies live; the status line says what the result is, in a few words.
        page.fill("#audience", "someone-else")
        page.wait_for_selector("#jwt-result .verdict-bad", timeout=10_000)
        page.wait_for_function("() => document.getElementById('live-status').textContent.startsWith('Rejected: ')",
                               timeout=10_000)
        assert page.text_content("#live-status") == "Rejected: audience mismatch"
        # Clear asks before replacing what was typed (app.js); Playwright would dismiss the question.
        page.once("dialog", lambda dialog: dialog.accept())
    with page.expect_navigation():
        page.click("text=Clear")
    assert page.input_value("#token") == ""
    assert page.inner_text("#jwt-submit") == "Decode"
    assert_quiet(watched)


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "no-js"])
def test_check_audience_fills_the_field_and_verifies(toolbox_server, open_page, javascript: bool) -> None:  # type: ignore[no-untyped-def]
    """A token for an audience with Expected audience empty is Rejected (as PyJWT says); one click on
    "Check audience" fills the field and verifies again, with or without JavaScript."""
    watched = open_page(java_script_enabled=javascript)
    watched.goto(f"{toolbox_server.url}/jwt/")
    page = watched.page
    token = jwt.encode({"sub": "ada", "aud": "api", "exp": NOW + 900}, SECRET, algorithm="HS256")
    page.fill("#token", token)
    page.click("summary")
    page.fill("#key", SECRET)
    if not javascript:
        with page.expect_navigation():
            page.click("#jwt-submit")
    page.wait_for_selector("#jwt-result .verdict-bad", timeout=10_000)
    assert "Expected audience is empty" in page.inner_text("#jwt-result .verdict")
    page.click('text=Check audience "api"')
    expect(page.locator("#jwt-result .verdict .word")).to_have_text("Verified", timeout=10_000)
    assert page.input_value("#audience") == "api"
    assert_quiet(watched)


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "no-js"])
def test_decode_it_verifies_with_the_signing_key(toolbox_server, open_page, javascript: bool) -> None:  # type: ignore[no-untyped-def]
    watched = open_page(java_script_enabled=javascript)
    watched.goto(f"{toolbox_server.url}/jwt/encode")
    page = watched.page
    page.fill("#sign-key", SECRET)
    page.click("#sign-form button[value=sign]")
    expect(page.locator("#encode-result .verdict .word")).to_have_text("Signed", timeout=10_000)
    with page.expect_navigation():
        page.click("text=Decode it")
    assert page.inner_text("#jwt-result .verdict .word") == "Verified"
    assert_quiet(watched)


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "no-js"])
def test_use_this_key_then_sign_keeps_the_pair(toolbox_server, open_page, javascript: bool) -> None:  # type: ignore[no-untyped-def]
    watched = open_page(java_script_enabled=javascript)
    watched.goto(f"{toolbox_server.url}/jwt/encode")
    page = watched.page
    page.fill("#payload", '{"sub": "typed-before-generate"}')
    page.select_option("#kind", "P-256")
    page.click(".keygen button[type=submit]")
    page.wait_for_selector("#gen-public-pem", timeout=10_000)
    public_pem = page.inner_text("#gen-public-pem")
    assert page.input_value("#payload") == '{"sub": "typed-before-generate"}'
    page.click("text=Use this key")
    # expect() retries across the navigation a form post without JavaScript makes.
    expect(page.locator("#sign-key")).to_have_value(re.compile(r"^-----BEGIN PRIVATE KEY"), timeout=10_000)
    assert page.input_value("#key_type") == "pem" and page.input_value("#alg") == "ES256"
    assert page.input_value("#payload") == '{"sub": "typed-before-generate"}'
    assert page.inner_text("#gen-public-pem") == public_pem  # the public key stays shown
    page.click("#sign-form button[value=sign]")
    page.wait_for_selector("#encoded-token", timeout=10_000)
    signed = page.inner_text("#encoded-token").strip()
    assert jwt.decode(signed, public_pem, algorithms=["ES256"])["sub"] == "typed-before-generate"
    assert page.inner_text("#gen-public-pem") == public_pem  # Sign did not lose the key pair
    assert_quiet(watched)


@pytest.mark.parametrize("path", ["/jwt/?sample=rs256", "/jwt/?sample=expired", "/jwt/encode?sample=hs256"])
def test_no_sideways_scrolling_on_a_phone(toolbox_server, open_page, path: str) -> None:  # type: ignore[no-untyped-def]
    watched = open_page(viewport={"width": 390, "height": 844})
    watched.goto(f"{toolbox_server.url}{path}")
    page = watched.page
    if "encode" in path:
        page.click(".keygen button[type=submit]")
        page.wait_for_selector("#gen-public-pem", timeout=10_000)
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, width
    assert_quiet(watched)
