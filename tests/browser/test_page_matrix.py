"""Every page in every state, at 390 / 1280 / 1920 px, light and dark, as a user sees it.

For each combination: the page never scrolls sideways, the console stays quiet, the CSP reports
no violation, and axe-core (npm, test-only; run through the DevTools protocol, never served by
the app) finds no accessibility violation. States are reached the way a user reaches them:
the "Try a sample" link, a pasted input and a click, an address that does not exist.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import Page

from tests.servers import Server, start_toolbox

if TYPE_CHECKING:
    from tests.browser.conftest import WatchedPage

    OpenPage = Callable[..., WatchedPage]

pytestmark = pytest.mark.browser

AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
WIDTHS = (390, 1280, 1920)
SCHEMES = ("light", "dark")
# A document whose minified output is one 300 KB line: the "big output" state.
BIG_JSON = json.dumps({"rows": [{"id": i, "name": f"row {i}", "tags": ["a", "b"]} for i in range(9000)]})


@dataclass(frozen=True)
class State:
    """How to bring a page into one state, starting from its empty form."""

    name: str
    path: str
    act: Callable[[Page], None] | None = None
    error: bool = False  # the state is an error answer: Chromium logs its status as a console error


def sample(page: Page) -> None:
    page.get_by_role("link", name="Try a sample").first.click()
    page.wait_for_load_state("networkidle")


def submit(field: str, text: str, button: str) -> Callable[[Page], None]:
    def act(page: Page) -> None:
        page.locator(f"#{field}").fill(text)
        page.get_by_role("button", name=button, exact=True).first.click()
        page.wait_for_load_state("networkidle")
        page.wait_for_timeout(150)  # an htmx swap settles after the response

    return act


def validate_yaml(page: Page) -> None:
    """A YAML configuration checked against a YAML schema: errors marked at the YAML's lines."""
    page.locator("#instance").fill("# a user\nname: Ada\nage: -3\ntags:\n  - 1\n  - ok\n")
    page.locator("#schema").fill("type: object\nrequired: [name, id]\nproperties:\n"
                                 "  age: {type: integer, minimum: 0}\n  tags: {type: array, items: {type: string}}\n")
    page.locator("#from").select_option("yaml")
    page.locator("#schema_from").select_option("yaml")
    page.get_by_role("button", name="Validate", exact=True).click()
    page.wait_for_load_state("networkidle")
    page.wait_for_timeout(150)


def paste_har(text: str) -> Callable[[Page], None]:
    def act(page: Page) -> None:
        page.locator("#har").evaluate("e => e.closest('details').open = true")
        submit("har", text, "Grade")(page)

    return act


def edit_and_resign(page: Page) -> None:
    """The decoded sample carried into the encoder, a claim changed, signed: the changes table."""
    page.get_by_role("button", name="Edit and re-sign").click()
    page.wait_for_load_state("networkidle")
    page.locator("#payload").fill('{"sub": "sample-user", "name": "Grace Hopper", "exp": "+1h"}')
    page.get_by_role("button", name="Sign", exact=True).click()
    page.locator(".token-changes").wait_for()


def diff_invalid_b(page: Page) -> None:
    """Before is JSON, After is not: the error names After (B) and its line."""
    page.locator("#a").fill('{"a": [1, 2]}')
    submit("b", '{"a": [1, 2,]}', "Compare")(page)


def compat_invalid_new(page: Page) -> None:
    """The old schema is JSON, the new one is not: the error names the New schema and its line."""
    page.locator("#old").fill('{"type": "string"}')
    submit("new", '{"type": "string",, }', "Compare")(page)


def query_invalid(page: Page) -> None:
    """An expression that does not parse: the 422 answer is in the page before the next state."""
    page.locator("#expression").fill("$.store.book[?@.price <")
    page.get_by_role("button", name="Run query", exact=True).click()
    page.locator("#query-result .validation.bad").wait_for()
    page.wait_for_load_state("networkidle")
    page.wait_for_timeout(300)  # the busy line fades out after the swap


def upload_lines(page: Page) -> None:
    """A JSON Lines file chosen and validated (syntax only): the upload path, two invalid lines."""
    lines = b"".join(b'{"id": %d, "sku": "A-%d"}\n' % (i, i) for i in range(1, 300)) + b'{"id": 300,}\n\n'
    page.locator("#file").set_input_files(files=[{"name": "orders.jsonl", "mimeType": "application/x-ndjson",
                                                  "buffer": lines}])
    page.get_by_role("button", name="Validate", exact=True).click()
    page.locator("#lines-result .validation").wait_for()
    page.wait_for_load_state("networkidle")


def lines_bad_schema(page: Page) -> None:
    """Lines pasted, a schema that is not JSON: the error names the Schema and its line."""
    page.locator("#text").fill('{"id": 1}')
    submit("schema", '{"type": }', "Validate")(page)


def minify_big(page: Page) -> None:
    page.locator("#text").fill(BIG_JSON)
    page.locator("#mode-minify").check()
    page.get_by_role("button", name="Format", exact=True).click()
    page.wait_for_load_state("networkidle")
    page.locator(".json-result").wait_for()


STATES = (
    State("home", "/"),
    State("not-found", "/no-such-page", error=True),
    State("jwt-empty", "/jwt/"),
    State("jwt-result", "/jwt/", sample),
    State("jwt-error", "/jwt/", submit("token", "not a token at all", "Decode"), error=True),
    State("jwt-decrypted", "/jwt/?sample=jwe"),
    State("jwt-sd-jwt", "/jwt/?sample=sd-jwt"),
    State("jwt-encode-empty", "/jwt/encode"),
    State("jwt-encode-result", "/jwt/encode", sample),
    State("jwt-edit-resign", "/jwt/?sample=hs256", edit_and_resign),
    State("jwks-empty", "/jwt/jwks"),
    State("jwks-result", "/jwt/jwks", sample),
    State("jwks-error", "/jwt/jwks", submit("jwks", '{"keys": 5}', "Lint"), error=True),
    State("json-empty", "/json/"),
    State("json-result", "/json/", sample),
    State("json-error", "/json/", submit("text", '{"a": 1,, "b": [1, 2}', "Format"), error=True),
    State("json-big", "/json/", minify_big),
    State("validate-empty", "/json/validate"),
    State("validate-result", "/json/validate", sample),
    State("validate-inferred", "/json/validate",
          submit("instance", '{"id": 7, "email": "ann@example.com", "tags": ["a"]}', "Infer a schema from this Instance")),
    State("validate-yaml", "/json/validate", validate_yaml),
    State("diff-empty", "/json/diff"),
    State("diff-result", "/json/diff", sample),
    State("diff-error", "/json/diff", diff_invalid_b, error=True),
    State("query-empty", "/json/query"),
    State("query-result", "/json/query", sample),
    State("query-jq", "/json/query?sample=store-jq"),
    State("query-error", "/json/query?sample=store", query_invalid, error=True),
    State("convert-empty", "/json/convert"),
    State("convert-result", "/json/convert", sample),
    State("convert-error", "/json/convert", submit("text", "a: 1\nb:\n  c: 2\n  c: 3\n", "Convert"), error=True),
    State("compat-empty", "/json/compat"),
    State("compat-result", "/json/compat", sample),
    State("compat-error", "/json/compat", compat_invalid_new, error=True),
    State("lines-empty", "/json/lines"),
    State("lines-result", "/json/lines", sample),
    State("lines-upload", "/json/lines", upload_lines),
    State("lines-error", "/json/lines", lines_bad_schema, error=True),
    State("headers-empty", "/headers/"),
    State("headers-result", "/headers/", sample),
    State("headers-error", "/headers/", submit("url", "http://127.0.0.1:1/", "Check"), error=True),
    State("headers-algorithm", "/headers/algorithm"),
    State("compare-empty", "/headers/compare"),
    State("compare-result", "/headers/compare", sample),
    State("compare-error", "/headers/compare", submit("a_raw", "not headers", "Compare"), error=True),
    State("har-empty", "/headers/har"),
    State("har-result", "/headers/har", sample),
    State("har-error", "/headers/har", paste_har('{"log": {"entries": [{"request": {"url": 5}}]}}'), error=True),
    State("csp-empty", "/headers/csp"),
    State("csp-result", "/headers/csp", sample),
    State("csp-error", "/headers/csp", submit("url", "http://127.0.0.1:1/", "Build"), error=True),
)


@pytest.fixture(scope="module")
def server() -> Iterator[Server]:
    """One real `toolbox serve` for the whole matrix (a budget that the matrix cannot spend)."""
    running = start_toolbox({"TOOLBOX_RATELIMIT_DEFAULT": "5000/minute", "TOOLBOX_RATELIMIT_FETCH": "500/minute"})
    try:
        yield running
    finally:
        running.stop()
        running.log_path.unlink(missing_ok=True)


def problems_of(watched: WatchedPage, state: State) -> list[str]:
    """Everything wrong with the page as it is now, each as one readable line."""
    page = watched.page
    found: list[str] = []
    scroll, inner = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    if scroll > inner:
        wide = page.evaluate(
            """() => Array.from(document.querySelectorAll('body *'))
                 .filter(e => e.getBoundingClientRect().right > window.innerWidth + 1)
                 .slice(0, 3).map(e => e.tagName + '.' + e.className)"""
        )
        found.append(f"scrolls sideways: {scroll} > {inner} px ({', '.join(wide)})")
    # Nor may a pane of the two-pane layout (it scrolls on its own): a table too wide for the
    # result pane hides its last columns behind a sideways scroll of the pane.
    panes = page.evaluate(
        """() => Array.from(document.querySelectorAll('.result, .tool-form'))
             .filter(e => e.scrollWidth > e.clientWidth + 1)
             .map(e => `${e.tagName}.${e.className} ${e.scrollWidth} > ${e.clientWidth} px`)"""
    )
    found += [f"pane scrolls sideways: {pane}" for pane in panes]
    found += [f"console {line}" for line in watched.noisy_console()
              if not (state.error and "Failed to load resource: the server responded with a status of 4" in line)]
    found += [f"page error {error}" for error in watched.page_errors]
    found += [f"CSP violation {v}" for v in watched.csp_violations()]
    # A busy indicator fading out after an htmx swap (200 ms) is half transparent text, which axe
    # rightly calls low contrast: check the page once no request is running and every fade is over.
    page.wait_for_function(
        """() => !document.querySelector('.htmx-request') && Array.from(
             document.querySelectorAll('.htmx-indicator')).every(e => getComputedStyle(e).opacity === '0')"""
    )
    page.evaluate(AXE.read_text(encoding="utf-8"))
    results: dict[str, Any] = page.evaluate(
        "axe.run(document, {resultTypes: ['violations'], reporter: 'v2'})"
    )
    for violation in results["violations"]:
        targets = [" ".join(map(str, node["target"])) for node in violation["nodes"][:3]]
        found.append(f"axe {violation['id']} ({violation['impact']}): {violation['help']} at {targets}")
    return [f"{state.name}: {line}" for line in found]


@pytest.mark.parametrize("scheme", SCHEMES)
@pytest.mark.parametrize("width", WIDTHS)
def test_every_page_and_state(server: Server, open_page: OpenPage, width: int, scheme: str) -> None:
    watched = open_page(viewport={"width": width, "height": 900}, color_scheme=scheme)
    watched.page.set_default_timeout(10_000)
    problems: list[str] = []
    for state in STATES:
        watched.console.clear()
        watched.page_errors.clear()
        watched.goto(server.url + state.path)
        if state.act is not None:
            try:
                state.act(watched.page)
            except PlaywrightError as err:
                problems.append(f"{state.name}: could not be reached: {str(err).splitlines()[0]}")
                continue
        problems += problems_of(watched, state)
    assert not problems, "\n".join(problems)
