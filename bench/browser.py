"""What the browser benchmarks share: a real `toolbox serve` on loopback and Debian's Chromium."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from contextlib import contextmanager

from playwright.sync_api import Browser, sync_playwright

from tests.servers import Server, start_toolbox

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"]


class InvalidRun(Exception):
    """The measurement cannot be trusted (exit status 2)."""


@contextmanager
def served_browser(env: Mapping[str, str]) -> Iterator[tuple[Server, Browser]]:
    """A `toolbox serve` with `env` and a headless Chromium; both stopped on the way out."""
    server = start_toolbox(env=env)
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
            try:
                yield server, browser
            finally:
                browser.close()
    finally:
        server.stop()
        server.log_path.unlink(missing_ok=True)
