"""The JSON pages in Chromium: errors shown at their line, JavaScript-off submit, no CSP noise."""

from __future__ import annotations

import pytest

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
    watched.goto(f"{toolbox_server.url}/json/validate")
    watched.page.fill("#instance", '{"id": "x"}')
    watched.page.fill("#schema", '{"properties": {"id": {"type": "integer"}}}')
    with watched.page.expect_navigation():
        watched.page.click("button[type=submit]")
    assert "1 error" in watched.page.inner_text("#validate-result")
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
