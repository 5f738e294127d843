"""The strict CSP builder's promise, in Chromium: the proposed policy, sent as the page's real header, lets
every script of the page run and blocks a script an attacker injects.

A fixture page (inline scripts with CRLF line ends, non-ASCII text, a NUL, an escaped `<!--<script>`, a
module, a data block, an external script that loads another) is served on loopback with the policy the
builder proposes for it, changed only as the builder's steps say: in hash mode the `<script src>` is
replaced by the builder's loader; in nonce mode every `<script>` gets the response's nonce.
"""

from __future__ import annotations

import re
import secrets
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING

import pytest

from tests.servers import FixtureHandler, serve_loopback
from toolbox.core.headers.csp_builder import build_strict_csp

if TYPE_CHECKING:
    from tests.browser.conftest import WatchedPage

pytestmark = pytest.mark.browser

PAGE = (
    "<!doctype html>\r\n<html lang=\"en\">\r\n<head>\r\n<meta charset=\"utf-8\">\r\n<title>fixture</title>\r\n"
    "<script>\r\n  window.markers = [\"head\"];\r\n</script>\r\n"
    "<script src=\"/lib.js\"></script>\r\n"
    "<script type=\"module\">window.markers.push(\"module\");</script>\r\n"
    "<script type=\"application/ld+json\">{\"@type\": \"Thing\"}</script>\r\n"
    "</head>\r\n<body>\r\n<p>é ü 😀</p>\r\n"
    "<script>window.markers.push(\"non-ascii é 😀 \u2028\".slice(0, 9));</script>\r\n"
    "<script>\r\r\n  window.markers.push(\"crlf\");\r</script>\r\n"
    "<script>window.markers.push(\"nul \0\".length === 5 ? \"nul\" : \"nul?\");</script>\r\n"
    "<script><!--<script>x()</script>-->\nwindow.markers.push(\"escaped\");</script>\r\n"
    "<script>window.markers.push(\"a &amp; b\");</script>\r\n"
    "</body>\r\n</html>\r\n"
)
SCRIPTS = {
    "/lib.js": "window.markers.push('external');\n"
               "var s = document.createElement('script'); s.src = '/dynamic.js'; document.head.appendChild(s);\n",
    "/dynamic.js": "window.markers.push('dynamic');\n",
}
EXPECTED = {"head", "external", "dynamic", "module", "non-ascii", "crlf", "nul", "escaped", "a &amp; b"}
# What an attacker manages to put into the page: none of it may run.
INJECTED = ("<script>window.injected = 'inline';</script>"
            "<script nonce=\"forged\">window.injected = 'forged nonce';</script>"
            "<button id=\"clicker\" onclick=\"window.injected = 'handler'\">x</button>"
            "<a id=\"linker\" href=\"javascript:window.injected = 'url'\">y</a>")


class Site(FixtureHandler):
    """Serves `pages` (path -> (policy, html)) with their policy as the real header, and the scripts."""

    pages: dict[str, tuple[str, str]] = {}

    def do_GET(self) -> None:  # noqa: N802
        if self.path in SCRIPTS:
            self.reply(200, [("Content-Type", "text/javascript")], SCRIPTS[self.path].encode())
        elif self.path in self.pages:
            policy, html = self.pages[self.path]
            self.reply(200, [("Content-Type", "text/html; charset=utf-8"), ("Content-Security-Policy", policy)],
                       html.encode())
        else:
            self.reply(404 if self.path != "/favicon.ico" else 204, [("Content-Type", "text/plain")], b"")


@pytest.fixture(scope="module")
def site() -> Iterator[str]:
    with serve_loopback(Site) as server:
        yield f"http://127.0.0.1:{server.server_address[1]}"


def hash_mode() -> tuple[str, Callable[[str], str]]:
    proposal = build_strict_csp(html=PAGE, mode="hashes")
    assert proposal.loader and len(proposal.inline_scripts) == 7  # the data block is not hashed
    loader = proposal.loader

    def page(html: str) -> str:
        return html.replace('<script src="/lib.js"></script>', loader)  # as the builder's steps say

    return proposal.policy, page


def nonce_mode() -> tuple[str, Callable[[str], str]]:
    proposal = build_strict_csp(html=PAGE, mode="nonce")
    nonce = secrets.token_urlsafe(18)

    def page(html: str) -> str:
        # Every <script> tag of the page gets the nonce (the builder's step); injected ones do not.
        own, _, injected = html.partition("<!--injected-->")
        return re.sub(r"<script(?=[\s>])", f'<script nonce="{nonce}"', own) + injected

    return proposal.policy.replace("{NONCE}", nonce), page


def load(open_page: Callable[..., WatchedPage], url: str) -> WatchedPage:
    watched = open_page()
    watched.goto(url)
    watched.page.wait_for_function("window.markers && window.markers.includes('dynamic') "
                                   "&& window.markers.includes('module')", timeout=10_000)
    return watched


@pytest.mark.parametrize("mode", [hash_mode, nonce_mode], ids=["hashes", "nonce"])
def test_every_script_of_the_page_runs_and_nothing_is_reported(site: str, open_page, mode) -> None:  # type: ignore[no-untyped-def]
    policy, page = mode()
    assert "'strict-dynamic'" in policy and "object-src 'none'" in policy
    Site.pages["/clean"] = (policy, page(PAGE))
    watched = load(open_page, site + "/clean")
    markers = watched.page.evaluate("window.markers")
    assert set(markers) == EXPECTED, markers
    assert watched.csp_violations() == []
    assert watched.noisy_console() == [] and watched.page_errors == []


@pytest.mark.parametrize("mode", [hash_mode, nonce_mode], ids=["hashes", "nonce"])
def test_an_injected_script_is_blocked(site: str, open_page, mode) -> None:  # type: ignore[no-untyped-def]
    policy, page = mode()
    attacked = PAGE.replace("</body>", "<!--injected-->" + INJECTED + "</body>")
    Site.pages["/attacked"] = (policy, page(attacked))
    watched = load(open_page, site + "/attacked")
    watched.page.click("#clicker")
    watched.page.click("#linker")
    watched.page.wait_for_timeout(200)
    assert set(watched.page.evaluate("window.markers")) == EXPECTED  # the page itself still works
    assert watched.page.evaluate("window.injected") is None
    violated = [v["directive"] for v in watched.csp_violations()]
    # Two inline scripts, the handler and the javascript: URL: each reported, none run.
    assert len(violated) == 4 and all(d.startswith("script-src") for d in violated), violated


def test_without_the_policy_the_injection_would_have_run(site: str, open_page) -> None:  # type: ignore[no-untyped-def]
    """The control: the same attacked page with no policy runs the attacker's script."""
    Site.pages["/open"] = ("", PAGE.replace("</body>", INJECTED + "</body>"))
    watched = open_page()
    watched.goto(site + "/open")
    assert watched.page.evaluate("window.injected") == "forged nonce"
