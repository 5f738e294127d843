"""Browser fixtures: one real `toolbox serve` per module, Debian's Chromium through Playwright."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest
from playwright.sync_api import (
    Browser,
    BrowserContext,
    ConsoleMessage,
    Page,
    Request,
    Response,
    sync_playwright,
)

from tests.servers import Server, start_toolbox

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

# Runs before any page script: records every CSP violation the document reports.
CSP_RECORDER = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", function (event) {
  window.__cspViolations.push({
    directive: event.violatedDirective,
    blocked: event.blockedURI,
    source: event.sourceFile,
    line: event.lineNumber,
  });
});
"""


@dataclass
class WatchedPage:
    """A page plus everything it reported: console, page errors, requests and responses."""

    page: Page
    javascript: bool
    console: list[ConsoleMessage] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)
    requests: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)
    bad_responses: list[tuple[str, int]] = field(default_factory=list)

    def attach(self) -> WatchedPage:
        """Start recording the page's events."""
        self.page.on("console", lambda message: self.console.append(message))
        self.page.on("pageerror", lambda error: self.page_errors.append(str(error)))
        self.page.on("request", lambda request: self.requests.append(request.url))
        self.page.on("requestfailed", self._on_failed)
        self.page.on("response", self._on_response)
        return self

    def _on_failed(self, request: Request) -> None:
        self.failed.append(f"{request.url}: {request.failure}")

    def _on_response(self, response: Response) -> None:
        if response.status >= 400:
            self.bad_responses.append((response.url, response.status))

    def goto(self, url: str) -> Response:
        """Navigate and wait until the network is quiet (favicon, deferred scripts)."""
        response = self.page.goto(url, wait_until="networkidle")
        assert response is not None
        return response

    def noisy_console(self) -> list[str]:
        """Console messages of type error or warning (CSP violations are logged as errors)."""
        return [
            f"{message.type}: {message.text} @ {message.location.get('url')}"
            for message in self.console
            if message.type in ("error", "warning")
        ]

    def csp_violations(self) -> list[dict[str, Any]]:
        """What the securitypolicyviolation recorder saw (needs JavaScript on)."""
        assert self.javascript, "the recorder is an init script: it needs JavaScript"
        violations = self.page.evaluate("window.__cspViolations")
        assert isinstance(violations, list), "the CSP recorder did not run"
        return violations


@pytest.fixture(scope="module")
def toolbox_server() -> Iterator[Server]:
    """A real gunicorn `toolbox serve` on loopback with default settings."""
    server = start_toolbox()
    try:
        yield server
    finally:
        server.stop()
        server.log_path.unlink(missing_ok=True)


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    """Debian's headless Chromium (never a downloaded browser)."""
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        try:
            yield launched
        finally:
            launched.close()


@pytest.fixture
def open_page(browser: Browser) -> Iterator[Callable[..., WatchedPage]]:
    """Factory: a fresh context (options as for `browser.new_context`) and a watched page."""
    contexts: list[BrowserContext] = []

    def open_(**context_options: Any) -> WatchedPage:
        context = browser.new_context(**context_options)
        contexts.append(context)
        javascript = context_options.get("java_script_enabled", True)
        if javascript:
            context.add_init_script(CSP_RECORDER)
        return WatchedPage(context.new_page(), javascript).attach()

    yield open_
    for context in contexts:
        context.close()
