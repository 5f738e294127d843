"""Static files sent small: precompressed (brotli, gzip), immutable when versioned, hardened.

The budget of docs/design.md §5: a tool page with everything it loads (HTML, CSS, JS, favicon)
is at most 30 KB over the wire when the client accepts `br, gzip`. Response headers are not
counted (HTTP/2 compresses the repeated security headers to a few bytes each).
"""

from __future__ import annotations

import base64
import gzip
import hashlib
from html.parser import HTMLParser
from pathlib import Path

import brotli
import jwt
import pytest
from flask import Flask
from flask.testing import FlaskClient
from werkzeug.test import TestResponse

from tests.web.test_security_headers import assert_hardened
from toolbox.web.assets import PRECOMPRESSED_DIR, compress_static, load_static
from toolbox.web.security import STATIC_CACHE

ROOT = Path(__file__).resolve().parent.parent.parent
STATIC = ROOT / "static"
BUDGET = 30_000  # bytes: HTML + every asset it references, compressed as a browser accepts
ACCEPT = {"Accept-Encoding": "br, gzip"}
# Every tool page as it opens (/headers/algorithm is an explanation, not a tool).
PAGES = ["/", "/jwt/", "/jwt/encode", "/jwt/jwks", "/json/", "/json/validate", "/json/diff", "/json/query",
         "/json/convert", "/json/lines", "/json/compat", "/headers/", "/headers/compare", "/headers/har",
         "/headers/csp"]
# The 30 KB budget is a tool page as it opens. With a result shown, the HTML is never compressed
# (it reflects what the user pasted; docs/decisions.md) and is 10-26 KB, 30.7-46.2 KB in all
# (2026-12-05): a result page has a budget of its own that catches a template that balloons.
RESULT_BUDGET = 56_000
RESULT_PAGES = ["/jwt/?sample=hs256", "/jwt/?sample=rs256", "POST /jwt/", "/headers/?sample=shop"]
DECODE = {"br": brotli.decompress, "gzip": gzip.decompress}


class Subresources(HTMLParser):
    """Every URL a page makes the browser load: stylesheets, icons, scripts, images."""

    def __init__(self) -> None:
        super().__init__()
        self.urls: dict[str, str | None] = {}  # URL -> integrity attribute

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        url = a.get("src") if tag in ("script", "img") else a.get("href") if tag == "link" else None
        if url:
            self.urls.setdefault(url, a.get("integrity"))


def subresources(html: str) -> dict[str, str | None]:
    parser = Subresources()
    parser.feed(html)
    return parser.urls


def source_of(url: str) -> bytes:
    return (STATIC / url.removeprefix("/static/").partition("?")[0]).read_bytes()


def decoded(response: TestResponse) -> bytes:
    coding = response.headers.get("Content-Encoding")
    return DECODE[coding](response.data) if coding else response.data


def over_the_wire(client: FlaskClient, response: TestResponse) -> int:
    """Bytes of the page plus each distinct resource it loads, all checked on the way."""
    assert response.status_code == 200
    # Pages are never compressed by the app: they reflect pasted secrets (BREACH).
    assert "Content-Encoding" not in response.headers
    total = len(response.data)
    urls = subresources(response.get_data(as_text=True))
    assert any(".css" in u for u in urls) and any(".js" in u for u in urls), urls
    for url, integrity in urls.items():
        assert url.startswith("/static/") and "?v=" in url, f"not one of our versioned files: {url}"
        asset = client.get(url, headers=ACCEPT)
        assert asset.status_code == 200, url
        assert_hardened(asset)
        assert asset.headers["Cache-Control"] == STATIC_CACHE, url
        assert int(asset.headers["Content-Length"]) == len(asset.data), url
        body = decoded(asset)
        assert body == source_of(url), f"{url}: the decoded body is not the file"
        if url.endswith((".css", ".js")):
            assert asset.headers.get("Content-Encoding") == "br", (
                f"{url} was not sent compressed: run `make vendor` (precompresses into {PRECOMPRESSED_DIR})")
        if integrity:
            assert integrity == "sha384-" + base64.b64encode(hashlib.sha384(body).digest()).decode(), url
        total += len(asset.data)
    return total


@pytest.mark.parametrize("path", PAGES)
def test_a_tool_page_with_everything_it_loads_fits_the_budget(client: FlaskClient, path: str) -> None:
    total = over_the_wire(client, client.get(path, headers=ACCEPT))
    assert total <= BUDGET, f"{path}: {total} bytes over the wire (budget {BUDGET})"


def result_page(client: FlaskClient, case: str) -> TestResponse:
    """A page with a result: a sample (GET) or a decoded token posted by the form."""
    if case == "POST /jwt/":
        token = jwt.encode({"sub": "1234567890", "name": "Ada", "iat": 1700000000, "exp": 4100000000},
                           "a-secret-of-at-least-32-bytes-for-hs256", algorithm="HS256")
        return client.post("/jwt/", data={"token": token}, headers=ACCEPT)
    return client.get(case, headers=ACCEPT)


@pytest.mark.parametrize("case", RESULT_PAGES)
def test_a_result_page_loads_only_exact_compressed_files(client: FlaskClient, case: str) -> None:
    """Everything a result page loads is versioned, compressed, exact and SRI-matched."""
    response = result_page(client, case)
    assert 'class="verdict' in response.get_data(as_text=True), "no result shown"
    assert over_the_wire(client, response) > len(response.data)


@pytest.mark.parametrize("case", RESULT_PAGES)
def test_a_result_page_fits_its_budget(client: FlaskClient, case: str) -> None:
    total = over_the_wire(client, result_page(client, case))
    assert total <= RESULT_BUDGET, f"{case}: {total} bytes over the wire (budget {RESULT_BUDGET})"


def asset_url(client: FlaskClient, name: str) -> str:
    urls = subresources(client.get("/").get_data(as_text=True))
    return next(url for url in urls if url.startswith(f"/static/{name}?v="))


@pytest.mark.parametrize(
    ("accept", "coding"),
    [
        ("br, gzip", "br"),
        ("gzip, deflate, br, zstd", "br"),
        ("gzip", "gzip"),
        ("br;q=0.5, gzip", "gzip"),
        ("*", "br"),
        ("br;q=0, *;q=0.1", "gzip"),
        ("identity", None),
        ("", None),
        ("gzip;q=0, br;q=0", None),
        ("deflate, zstd", None),
    ],
)
def test_the_encoding_follows_accept_encoding(client: FlaskClient, accept: str, coding: str | None) -> None:
    url = asset_url(client, "css/app.css")
    response = client.get(url, headers={"Accept-Encoding": accept})
    assert response.status_code == 200
    assert response.headers.get("Content-Encoding") == coding
    assert decoded(response) == source_of(url)
    assert int(response.headers["Content-Length"]) == len(response.data)
    assert "Accept-Encoding" in response.headers["Vary"]
    assert response.headers["Content-Type"] == "text/css; charset=utf-8"
    assert_hardened(response)


def test_a_client_without_accept_encoding_gets_the_file_itself(client: FlaskClient) -> None:
    url = asset_url(client, "vendor/htmx.min.js")
    response = client.get(url)  # no Accept-Encoding header at all
    assert "Content-Encoding" not in response.headers
    assert response.data == source_of(url)
    assert response.headers["Content-Type"].startswith("text/javascript")


def test_each_representation_has_its_own_etag(client: FlaskClient) -> None:
    url = asset_url(client, "js/app.js")
    etags = {client.get(url, headers={"Accept-Encoding": a}).headers["ETag"] for a in ("br", "gzip", "identity")}
    assert len(etags) == 3


def test_only_the_current_version_is_immutable(client: FlaskClient) -> None:
    url = asset_url(client, "css/app.css")
    path, _, version = url.partition("?v=")
    assert client.get(url).headers["Cache-Control"] == STATIC_CACHE

    # No version: served, but revalidated every time, and cheaply (ETag -> 304).
    bare = client.get(path, headers=ACCEPT)
    assert bare.status_code == 200 and bare.headers["Cache-Control"] == "no-cache"
    again = client.get(path, headers={**ACCEPT, "If-None-Match": bare.headers["ETag"]})
    assert again.status_code == 304 and again.data == b""
    assert again.headers["Cache-Control"] == "no-cache"
    assert_hardened(again)

    # A version that is not the file's (an old deploy's, a typo, two of them): nothing is served,
    # so no cache keeps today's bytes for a year under another version's URL.
    wrong = "0" * 12 if version != "0" * 12 else "1" * 12
    for query in (f"?v={wrong}", "?v=", f"?v={version}&v={wrong}", f"?v={version.upper()}"):
        response = client.get(path + query, headers=ACCEPT)
        assert response.status_code == 404, query
        assert "immutable" not in response.headers.get("Cache-Control", ""), query
        assert_hardened(response)


@pytest.mark.parametrize(
    "path",
    [
        "/static/../pyproject.toml",
        "/static/%2e%2e/pyproject.toml",
        "/static/css/../../pyproject.toml",
        "/static/..%2fpyproject.toml",
        "/static/css/%2e%2e/%2e%2e/toolbox/config.py",
        "/static//etc/passwd",
        "/static/%2fetc/passwd",
        "/static/css\\..\\..\\pyproject.toml",
        "/static/vendor/.built",  # build stamps are not served
        "/static/css/app.css.br",  # nor the compressed copies as files of their own
        "/static/css/app.css%00.js",
        "/static/CSS/APP.CSS",
    ],
)
def test_nothing_outside_the_served_files_is_reachable(client: FlaskClient, path: str) -> None:
    response = client.get(path, headers=ACCEPT)
    assert response.status_code in (404, 308), path  # 308: werkzeug's merge of a double slash
    assert b"[project]" not in response.data and b"root:" not in response.data
    assert_hardened(response)


def test_head_sends_the_headers_of_get_without_a_body(client: FlaskClient) -> None:
    url = asset_url(client, "vendor/htmx.min.js")
    get = client.get(url, headers=ACCEPT)
    head = client.head(url, headers=ACCEPT)
    assert head.status_code == 200 and head.data == b""
    for name in ("Content-Encoding", "Content-Length", "Content-Type", "ETag", "Cache-Control", "Vary"):
        assert head.headers[name] == get.headers[name], name
    assert int(head.headers["Content-Length"]) == len(get.data)
    assert_hardened(head)


def test_ranges_are_served_from_the_chosen_representation(client: FlaskClient) -> None:
    url = asset_url(client, "css/app.css")
    source = source_of(url)
    plain = client.get(url, headers={"Range": "bytes=0-99"})
    assert plain.status_code == 206
    assert plain.data == source[:100]
    assert plain.headers["Content-Range"] == f"bytes 0-99/{len(source)}"
    assert plain.headers["Accept-Ranges"] == "bytes"
    assert_hardened(plain)

    whole = client.get(url, headers=ACCEPT)
    tail = client.get(url, headers={**ACCEPT, "Range": "bytes=10-"})
    assert tail.status_code == 206 and tail.headers["Content-Encoding"] == "br"
    assert tail.data == whole.data[10:]
    assert tail.headers["Content-Range"] == f"bytes 10-{len(whole.data) - 1}/{len(whole.data)}"

    beyond = client.get(url, headers={"Range": f"bytes={len(source) + 10}-"})
    assert beyond.status_code == 416
    # A range for an older representation (If-Range with another ETag) gets the whole file.
    stale = client.get(url, headers={"Range": "bytes=0-9", "If-Range": '"0123456789ab-identity"'})
    assert stale.status_code == 200 and stale.data == source


def test_precompressed_copies_are_written_and_stale_ones_ignored(tmp_path: Path, caplog) -> None:  # type: ignore[no-untyped-def]
    static, out = tmp_path / "static", tmp_path / "build" / "static"
    (static / "css").mkdir(parents=True)
    css = b"body { color: #111; }\n" * 200
    (static / "css" / "a.css").write_bytes(css)
    (static / "tiny.js").write_bytes(b"1")
    (static / "logo.png").write_bytes(bytes(range(256)) * 4)
    (static / ".stamp").write_bytes(b"")
    written = compress_static(static, out)
    assert sorted(Path(p).relative_to(out).as_posix() for p in written) == ["css/a.css.br", "css/a.css.gz"]
    assert brotli.decompress((out / "css/a.css.br").read_bytes()) == css
    assert gzip.decompress((out / "css/a.css.gz").read_bytes()) == css
    assert compress_static(static, out) == []  # nothing changed, nothing rewritten
    assert (out / "css/a.css.gz").stat().st_mode & 0o777 == 0o644

    files = load_static(static, out)
    assert sorted(files) == ["css/a.css", "logo.png", "tiny.js"]
    assert set(files["css/a.css"].encoded) == {"br", "gzip"}

    # The source changes after the build: its old copies are not used (never the old bytes).
    (static / "css" / "a.css").write_bytes(css + b"p { margin: 0; }\n")
    (out / "css/a.css.gz").write_bytes(b"not gzip at all")
    files = load_static(static, out)
    assert files["css/a.css"].encoded == {}
    assert "make vendor" in caplog.text and "a.css.br" in caplog.text

    # A rebuild brings them back and removes copies whose source is gone.
    (out / "gone.js.br").write_bytes(b"x")
    compress_static(static, out)
    assert not (out / "gone.js.br").exists()
    assert set(load_static(static, out)["css/a.css"].encoded) == {"br", "gzip"}


def test_what_is_served_is_what_was_hashed_at_start(tmp_path: Path) -> None:
    """Files are read once: an edit on disk after start cannot serve bytes the SRI does not match."""
    from toolbox.web import assets, security

    static = tmp_path / "static"
    for name in assets.REQUIRED:
        (static / name).parent.mkdir(parents=True, exist_ok=True)
        (static / name).write_text(f"/* {name} */\n" * 100)
    compress_static(static, tmp_path / PRECOMPRESSED_DIR)
    app = Flask(__name__, static_folder=str(static), static_url_path="/static")
    app.after_request(security.apply_security_headers)
    assets.init_app(app)
    with app.test_request_context():
        link = app.jinja_env.globals["asset"]("js/app.js")
    original = (static / "js/app.js").read_bytes()
    (static / "js/app.js").write_text("alert('changed after start')")
    client = app.test_client()
    for accept in ("br", "gzip", "identity"):
        body = decoded(client.get(link.url, headers={"Accept-Encoding": accept}))
        assert body == original, accept
        assert link.integrity == "sha384-" + base64.b64encode(hashlib.sha384(body).digest()).decode()
