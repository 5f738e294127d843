"""The home page in a real Chromium against a real `toolbox serve`, with and without JavaScript."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import TYPE_CHECKING

import pytest
from playwright.sync_api import expect

from tests.servers import Server

if TYPE_CHECKING:
    from tests.browser.conftest import WatchedPage

    OpenPage = Callable[..., WatchedPage]

pytestmark = pytest.mark.browser

HEADING = "Developer tools you can paste production secrets into"
LIGHT_BACKGROUND = "rgb(251, 251, 253)"  # --bg in static/css/app.css: proves the stylesheet applied


def assert_clean(watched: WatchedPage, origin: str) -> None:
    """No console errors or warnings, page errors, failed or >= 400 requests, foreign URLs."""
    assert watched.noisy_console() == []
    assert watched.page_errors == []
    assert watched.failed == []
    assert watched.bad_responses == []
    assert watched.requests, "no request was recorded"
    foreign = [url for url in watched.requests if not url.startswith(origin + "/")]
    assert foreign == []


def assert_home_content(watched: WatchedPage) -> None:
    """The heading, the privacy promise and our stylesheet are there for a reader."""
    page = watched.page
    expect(page.get_by_role("heading", level=1)).to_have_text(HEADING)
    promise = page.get_by_role("region", name="The privacy promise")
    expect(promise).to_be_visible()
    expect(promise.get_by_text("Nothing is kept.")).to_be_visible()
    expect(promise.get_by_text("No cookies.")).to_be_visible()
    background = page.evaluate("getComputedStyle(document.body).backgroundColor")
    assert background == LIGHT_BACKGROUND


def test_home_with_javascript(open_page: OpenPage, toolbox_server: Server) -> None:
    watched = open_page()
    response = watched.goto(toolbox_server.url + "/")
    assert response.status == 200

    assert_clean(watched, toolbox_server.url)
    assert watched.csp_violations() == []
    assert_home_content(watched)
    # Both deferred scripts were fetched (and, since nothing was logged, passed SRI and CSP).
    scripts = [url for url in watched.requests if ".js?v=" in url]
    assert any("/static/vendor/htmx.min.js?v=" in url for url in scripts)
    assert any("/static/js/app.js?v=" in url for url in scripts)

    config = watched.page.evaluate(
        """() => window.htmx && {
            allowEval: htmx.config.allowEval,
            allowScriptTags: htmx.config.allowScriptTags,
            historyCacheSize: htmx.config.historyCacheSize,
            includeIndicatorStyles: htmx.config.includeIndicatorStyles,
            selfRequestsOnly: htmx.config.selfRequestsOnly,
        }"""
    )
    assert config == {
        "allowEval": False,
        "allowScriptTags": False,
        "historyCacheSize": 0,
        "includeIndicatorStyles": False,
        "selfRequestsOnly": True,
    }
    # includeIndicatorStyles=true would make htmx inject a <style> (which the CSP would block).
    assert watched.page.evaluate("document.querySelectorAll('style').length") == 0
    assert watched.page.evaluate("document.querySelectorAll('[style]').length") == 0
    # htmx records the current *path* unconditionally when it loads; a snapshot of the page
    # (which could hold a pasted secret) would be under htmx-history-cache.
    storage = watched.page.evaluate(
        "Object.fromEntries(Object.keys(sessionStorage).map(k => [k, sessionStorage.getItem(k)]))"
    )
    assert storage == {"htmx-current-path-for-history": "/"}
    assert watched.page.evaluate("localStorage.length") == 0
    assert watched.page.evaluate("document.cookie") == ""


def test_home_without_javascript(open_page: OpenPage, toolbox_server: Server) -> None:
    watched = open_page(java_script_enabled=False)
    response = watched.goto(toolbox_server.url + "/")
    assert response.status == 200

    assert_clean(watched, toolbox_server.url)
    assert_home_content(watched)
    assert watched.page.evaluate("typeof window.htmx") == "undefined"


def test_htmx_request_leaves_no_history_snapshot(open_page: OpenPage, toolbox_server: Server) -> None:
    """An htmx request that pushes a URL saves a snapshot unless historyCacheSize is 0."""
    watched = open_page()
    watched.goto(toolbox_server.url + "/")
    watched.page.evaluate(
        """() => {
            const target = document.createElement("div");
            target.id = "probe-target";
            const button = document.createElement("button");
            button.type = "button";
            button.id = "probe";
            button.textContent = "probe";
            button.setAttribute("hx-get", "/");
            button.setAttribute("hx-select", "h1");
            button.setAttribute("hx-target", "#probe-target");
            button.setAttribute("hx-push-url", "true");
            document.body.append(target, button);
            htmx.process(button);
        }"""
    )
    with watched.page.expect_response(
        lambda response: response.request.headers.get("hx-request") == "true"
    ) as swap:
        watched.page.click("#probe")
    assert swap.value.status == 200
    assert swap.value.headers["cache-control"] == "no-store"
    expect(watched.page.locator("#probe-target h1")).to_have_text(HEADING)

    keys = watched.page.evaluate("Object.keys(sessionStorage)")
    assert "htmx-history-cache" not in keys
    assert [key for key in keys if key.startswith("htmx")] == ["htmx-current-path-for-history"]
    assert_clean(watched, toolbox_server.url)
    assert watched.csp_violations() == []


def test_not_found_page(open_page: OpenPage, toolbox_server: Server) -> None:
    watched = open_page()
    url = toolbox_server.url + "/no/such/page"
    response = watched.goto(url)
    assert response.status == 404
    assert response.headers["content-type"].startswith("text/html")

    # Chromium logs the document's own 404 as a console error; nothing else may appear.
    expected = [
        message
        for message in watched.console
        if message.type == "error" and message.location.get("url") == url and "404" in message.text
    ]
    assert len(expected) == 1
    others = [m for m in watched.console if m.type in ("error", "warning") and m not in expected]
    assert others == []
    assert watched.page_errors == []
    assert watched.failed == []
    assert watched.bad_responses == [(url, 404)]
    assert watched.csp_violations() == []

    page = watched.page
    expect(page.get_by_role("heading", level=1)).to_have_text("Page not found")
    expect(page.get_by_role("alert")).to_contain_text("There is nothing at this address.")
    expect(page.get_by_role("link", name="Back to the tools")).to_have_attribute("href", "/")
    assert page.evaluate("getComputedStyle(document.body).backgroundColor") == LIGHT_BACKGROUND


def test_no_third_party_requests_for_a_foreign_locale(open_page: OpenPage, toolbox_server: Server) -> None:
    watched = open_page(
        locale="de-DE",
        timezone_id="Europe/Berlin",
        extra_http_headers={
            "Accept-Language": "de-DE,de;q=0.9,fr;q=0.7,en;q=0.5",
            "DNT": "1",
            "Sec-GPC": "1",
        },
        user_agent=(
            "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 "
            "(KHTML, like Gecko) Chrome/130.0 Mobile Safari/537.36"
        ),
    )
    assert watched.goto(toolbox_server.url + "/").status == 200
    assert watched.goto(toolbox_server.url + "/missing").status == 404
    assert len(watched.requests) >= 8  # two documents, their CSS, scripts and icons
    foreign = [url for url in watched.requests if not url.startswith(toolbox_server.url + "/")]
    assert foreign == []
    assert watched.page_errors == []
    assert watched.failed == []


def test_narrow_viewport_does_not_scroll_sideways(open_page: OpenPage, toolbox_server: Server) -> None:
    watched = open_page(viewport={"width": 375, "height": 740}, is_mobile=True, has_touch=True)
    watched.goto(toolbox_server.url + "/")
    page = watched.page
    assert page.evaluate("window.innerWidth") == 375
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    heading = page.get_by_role("heading", level=1)
    expect(heading).to_be_visible()
    box = heading.bounding_box()
    assert box is not None
    assert box["x"] >= 0
    assert box["x"] + box["width"] <= 375
    assert_clean(watched, toolbox_server.url)


def luminance(rgb: str) -> float:
    """Relative brightness (0-255) of a computed `rgb(r, g, b)` colour."""
    match = re.fullmatch(r"rgba?\((\d+), (\d+), (\d+)(?:, [\d.]+)?\)", rgb)
    assert match, rgb
    red, green, blue = (int(part) for part in match.groups())
    return 0.2126 * red + 0.7152 * green + 0.0722 * blue


def test_dark_mode_changes_the_background(open_page: OpenPage, toolbox_server: Server) -> None:
    backgrounds = {}
    for scheme in ("light", "dark"):
        watched = open_page(color_scheme=scheme)
        watched.goto(toolbox_server.url + "/")
        backgrounds[scheme] = watched.page.evaluate("getComputedStyle(document.body).backgroundColor")
        assert_clean(watched, toolbox_server.url)
    assert backgrounds["light"] == LIGHT_BACKGROUND
    assert backgrounds["dark"] != backgrounds["light"]
    assert luminance(backgrounds["dark"]) < 64 < luminance(backgrounds["light"])
