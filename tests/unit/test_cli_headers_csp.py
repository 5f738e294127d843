"""`toolbox headers-csp`: pasted HTML and policies (nothing fetched) and a loopback site."""

from __future__ import annotations

import base64
import hashlib
import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from tests.servers import FixtureHandler, serve_loopback
from toolbox.cli import main

PAGE = "<!doctype html>\r\n<script>\r\nboot();\r\n</script><a href='javascript:x()'>x</a>"


def sha(text: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode()).digest()).decode() + "'"


def run(*args: str, stdin: str | None = None, **env: str):  # type: ignore[no-untyped-def]
    return CliRunner().invoke(main, ["headers-csp", *args], input=stdin, env=env)


def test_pasted_html_from_stdin_in_hash_mode() -> None:
    result = run("--html", "-", "--mode", "hashes", "--policy", "img-src 'self'", stdin=PAGE)
    assert result.exit_code == 0, result.output
    assert f"Content-Security-Policy: script-src {sha(chr(10) + 'boot();' + chr(10))} 'strict-dynamic'" in result.output
    assert "img-src 'self'" in result.output and "[high] csp-javascript-url" in result.output
    assert "Content-Security-Policy-Report-Only:" in result.output


def test_json_is_the_api_answer(tmp_path: Path) -> None:
    page, policy = tmp_path / "page.html", tmp_path / "policy.txt"
    page.write_text(PAGE, encoding="utf-8")
    policy.write_text("Content-Security-Policy: default-src 'self'; script-src *\n", encoding="utf-8")
    result = run("https://example.com/", "--html", str(page), "--policy", str(policy), "--json")
    assert result.exit_code == 0, result.output
    body = json.loads(result.output)
    assert body["mode"] == "nonce" and body["kept"] == ["default-src"] and body["url"] == "https://example.com/"
    assert body["observatory"]["proposed_result"] == "csp-implemented-with-no-unsafe"


@pytest.mark.parametrize(("args", "stdin", "code", "words"), [
    ((), None, 1, "Fill in URL"),
    (("--policy", "img-src é"), None, 1, "not allowed in a header value"),
    (("--mode", "strict"), None, 2, "Invalid value for '--mode'"),
    (("--html", "/no/such/file.html"), None, 2, "No such file or directory"),
    (("--html", "-", "--policy", "-"), "x", 2, "cannot both read stdin"),
    (("http://127.0.0.1:1/",), None, 2, "cannot be fetched"),
    (("--html", "-", "--mode", "hashes"), "".join(f"<script>a({i})</script>" for i in range(300)), 2, "at most 256"),
])
def test_errors_exit_with_a_message(args: tuple[str, ...], stdin: str | None, code: int, words: str) -> None:
    result = run(*args, stdin=stdin)
    assert result.exit_code == code and words in result.output, result.output


def test_non_utf8_html_is_a_usage_error(tmp_path: Path) -> None:
    page = tmp_path / "page.html"
    page.write_bytes(b"<script>\xff</script>")
    result = run("--html", str(page))
    assert result.exit_code == 2 and "not UTF-8" in result.output


def test_hostile_output_is_shown_escaped() -> None:
    result = run("--html", "-", stdin="<a onclick='\u202ealert(1)'>x</a>")
    assert result.exit_code == 0 and "\u202e" not in result.output


class Site(FixtureHandler):
    def do_GET(self) -> None:  # noqa: N802
        self.reply(200, [("Content-Type", "text/html; charset=utf-8"),
                         ("Content-Security-Policy", "default-src 'self'; frame-ancestors 'none'")], PAGE.encode())


@pytest.fixture(scope="module")
def site() -> Iterator[str]:
    with serve_loopback(Site) as server:
        yield f"http://127.0.0.1:{server.server_address[1]}/page.html"


def test_a_fetched_page(site: str) -> None:
    result = run(site, "--json", TOOLBOX_FETCH_ALLOW="127.0.0.0/8", TOOLBOX_FETCH_PORTS="any")
    assert result.exit_code == 0, result.output
    body = json.loads(result.output)
    assert body["mode"] == "hashes"  # an .html path
    assert body["kept"] == ["default-src", "frame-ancestors"]
    assert body["inline_scripts"][0]["hash"] == sha("\nboot();\n")
    refused = run(site)  # loopback without the allow list
    assert refused.exit_code == 2 and "cannot be fetched" in refused.output
