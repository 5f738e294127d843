"""The header checker in Chromium: the check runs with a progress indicator; JS-off submit works."""

from __future__ import annotations

import pytest

from tests.browser.test_jwt import assert_quiet

pytestmark = pytest.mark.browser

RAW = "HTTP/2 200\nstrict-transport-security: max-age=63072000\nx-content-type-options: nosniff\nx-powered-by: PHP/8.1"


def test_check_shows_progress_then_the_grade(toolbox_server, open_page) -> None:  # type: ignore[no-untyped-def]
    watched = open_page()
    watched.goto(f"{toolbox_server.url}/headers/")
    page = watched.page
    assert page.locator("#headers-busy").evaluate("e => getComputedStyle(e).opacity") == "0"
    page.click("summary")
    page.fill("#raw", RAW)
    # Hold the request so the indicator can be seen while it is in flight.
    page.route("**/headers/", lambda route: (page.wait_for_timeout(500), route.continue_()))
    page.click("button[type=submit]")
    page.wait_for_function("() => document.querySelector('#headers-busy').closest('.htmx-request') !== null"
                           " || getComputedStyle(document.querySelector('#headers-busy')).opacity !== '0'")
    page.wait_for_selector("#headers-result .grade", timeout=10_000)
    assert page.inner_text("#headers-result .grade") in {"A+", "A", "A-", "B+", "B", "B-", "C+", "C", "C-", "D+", "D", "D-", "F"}
    assert "info-disclosure-x-powered-by" in page.inner_text("#headers-result")
    page.unroute_all(behavior="ignoreErrors")  # the what-if's own request may still be held
    assert_quiet(watched)


def test_without_javascript_submit_works(toolbox_server, open_page) -> None:  # type: ignore[no-untyped-def]
    watched = open_page(java_script_enabled=False)
    watched.goto(f"{toolbox_server.url}/headers/")
    watched.page.click("summary")
    watched.page.fill("#raw", RAW)
    with watched.page.expect_navigation():
        watched.page.click("button[type=submit]")
    assert watched.page.inner_text("#headers-result .grade")
    assert_quiet(watched)


def test_refused_url_is_explained(toolbox_server, open_page) -> None:  # type: ignore[no-untyped-def]
    watched = open_page()
    watched.goto(f"{toolbox_server.url}/headers/")
    watched.page.fill("#url", "http://169.254.169.254/latest/meta-data/")
    watched.page.click("button[type=submit]")
    watched.page.wait_for_selector("#headers-result .error-box", timeout=10_000)
    text = watched.page.inner_text("#headers-result")
    assert "cannot be checked" in text and "169.254" not in text.split("checked:", 1)[1]
    assert_quiet(watched, allow_status=(422,))


def test_sample_verdict_is_announced_and_fits_a_phone(toolbox_server, open_page) -> None:  # type: ignore[no-untyped-def]
    watched = open_page(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
    watched.goto(f"{toolbox_server.url}/headers/")
    page = watched.page
    page.click("text=Try a sample")
    page.wait_for_selector("#headers-result .verdict")
    assert page.inner_text("#headers-result .verdict .word") == "Poor"
    assert page.input_value("#raw").startswith("HTTP/2 200")
    # The page never scrolls sideways on a phone; the tests table is one card per row.
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, width
    display = page.locator("#headers-result table.stack td").first.evaluate("e => getComputedStyle(e).display")
    assert display == "block"
    label = page.locator("#headers-result table.stack td").first.evaluate(
        "e => getComputedStyle(e, '::before').content")
    assert "Result" in label
    # Checking again through htmx: the result's data-status lands in the one status line.
    page.click("button[type=submit]")
    page.wait_for_selector("#live-status:has-text('Graded D: 6 of 10 tests passed')", state="attached")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.click("text=Clear")
    page.wait_for_load_state("networkidle")
    assert page.input_value("#raw") == "" and page.locator("#headers-result .verdict").count() == 0
    assert_quiet(watched)


def test_long_values_wrap_on_a_phone(toolbox_server, open_page) -> None:  # type: ignore[no-untyped-def]
    """Long URLs, cookie names and CSP hosts wrap inside the result instead of widening the page."""
    watched = open_page(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
    watched.goto(f"{toolbox_server.url}/headers/")
    page = watched.page
    page.click("summary")
    page.fill("#url", "https://" + "a" * 60 + ".example.com/" + "p" * 120 + "?q=" + "x" * 80)
    page.fill("#raw", "HTTP/2 200\ncontent-security-policy: default-src 'self'; script-src 'self' https://"
              + "c" * 90 + ".example.net\nset-cookie: " + "n" * 80 + "=1\n")
    page.click("button[type=submit]")
    page.wait_for_selector("#headers-result .verdict")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    assert_quiet(watched)


def test_what_if_grades_pasted_headers_as_they_are_edited(toolbox_server, open_page) -> None:  # type: ignore[no-untyped-def]
    watched = open_page()
    watched.goto(f"{toolbox_server.url}/headers/")
    page = watched.page
    page.click("summary")
    posts: list[str] = []
    page.on("request", lambda r: posts.append(r.post_data or "") if r.method == "POST" else None)
    page.fill("#raw", RAW)  # no button: a pause in typing grades it
    page.wait_for_selector("#headers-result .grade", timeout=10_000)
    before = int(page.inner_text("#headers-result .score strong"))
    page.locator("#raw").press("End")
    page.locator("#raw").type("\ncontent-security-policy: default-src 'none'; frame-ancestors 'none'", delay=5)
    page.wait_for_function(f"() => Number(document.querySelector('#headers-result .score strong')?.textContent) > {before}",
                           timeout=10_000)
    assert "csp-implemented-with-no-unsafe-default-src-none" in page.inner_text("#headers-result")
    assert posts and all("live" in body for body in posts)  # every request was the what-if's own
    # Emptying the textarea sends a live request the server answers with 204: the grade stays.
    page.fill("#raw", "")
    page.wait_for_timeout(900)
    assert page.locator("#headers-result .grade").count() == 1
    assert_quiet(watched, allow_status=(204,))
