"""Edit and re-sign in Chromium: one click carries a decoded token into the encoder, with and without
JavaScript; Sign then lists what changed against the original, and the token stays out of the URL."""

from __future__ import annotations

import json

import pytest

from tests.browser.test_jwt import assert_quiet

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("javascript", [True, False])
def test_edit_a_decoded_token_and_sign_it_again(toolbox_server, open_page, javascript) -> None:  # type: ignore[no-untyped-def]
    watched = open_page(java_script_enabled=javascript)
    watched.goto(f"{toolbox_server.url}/jwt/?sample=hs256")
    page = watched.page
    token = page.input_value("#token")
    with page.expect_navigation():
        page.click("text=Edit and re-sign")
    assert page.url.endswith("/jwt/encode") and token not in page.url
    assert "Editing the decoded token" in page.inner_text("main")
    payload = json.loads(page.input_value("#payload"))
    assert payload["sub"] == "sample-user" and page.input_value("#sign-key")  # the HMAC secret came along
    payload["name"] = "Grace Hopper"
    page.fill("#payload", json.dumps(payload, indent=2))
    if javascript:
        page.click("button[value=sign]")
        page.wait_for_selector("#encode-result .token-changes", timeout=10_000)
    else:
        with page.expect_navigation():
            page.click("button[value=sign]")
    changes = page.inner_text(".token-changes")
    assert "payload.name" in changes and "Grace Hopper" in changes and "Sample User" in changes
    assert token not in page.url
    assert_quiet(watched)
