"""The app as deployed: `toolbox serve` (gunicorn) over real HTTP on loopback."""

from __future__ import annotations

import base64
import hashlib
import http.client
import json
import os
import re
import socket
import subprocess
import time
from collections.abc import Iterator
from html.parser import HTMLParser

import pytest

from tests.servers import ROOT, TOOLBOX, Server, free_port, start_toolbox
from toolbox.web.security import CONTENT_SECURITY_POLICY, SECURITY_HEADERS, STATIC_CACHE

pytestmark = pytest.mark.server

MAX_BODY = 1024  # TOOLBOX_MAX_BODY_BYTES=1k
CANARY = "CANARYxyz"


@pytest.fixture(scope="module")
def served() -> Iterator[Server]:
    """Two workers (to see the memory:// warning) and a 1 KiB body limit."""
    server = start_toolbox({"TOOLBOX_MAX_BODY_BYTES": "1k"}, workers=2)
    try:
        yield server
    finally:
        server.stop()
        server.log_path.unlink(missing_ok=True)


def fetch(
    server: Server,
    method: str,
    path: str,
    body: bytes | None = None,
    headers: dict[str, str] | None = None,
) -> tuple[http.client.HTTPResponse, bytes]:
    """One request on a fresh connection; the response (headers kept) and its body."""
    connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=10)
    try:
        connection.request(method, path, body=body, headers=headers or {})
        response = connection.getresponse()
        return response, response.read()
    finally:
        connection.close()


def log_entries(server: Server) -> list[dict[str, object]]:
    """Every line the server wrote to stderr, each parsed as a JSON object."""
    entries = []
    for line in server.log().splitlines():
        if line.strip():
            entry = json.loads(line)  # a non-JSON line fails the test here
            assert isinstance(entry, dict), line
            entries.append(entry)
    return entries


def wait_for_log(server: Server, needle: str, timeout: float = 3.0) -> str:
    """The server log once it contains `needle` (log lines are flushed per line)."""
    deadline = time.monotonic() + timeout
    while True:
        text = server.log()
        if needle in text or time.monotonic() > deadline:
            return text
        time.sleep(0.05)


def assert_security_headers(response: http.client.HTTPResponse) -> None:
    """The fixed header set from docs/design.md §2, each exactly once, and no cookie."""
    for name, value in SECURITY_HEADERS.items():
        assert response.headers.get_all(name) == [value], name
    assert response.getheader("Set-Cookie") is None


class AssetTags(HTMLParser):
    """Collect (url, integrity) of every <script src> and <link href> carrying SRI."""

    def __init__(self) -> None:
        super().__init__()
        self.assets: list[tuple[str, str]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        url = values.get("src") if tag == "script" else values.get("href")
        if tag in ("script", "link") and url and values.get("integrity"):
            self.assets.append((url, values["integrity"] or ""))


def test_home_sends_the_full_security_header_set(served: Server) -> None:
    response, body = fetch(served, "GET", "/")
    assert response.status == 200
    assert b"<h1" in body
    assert_security_headers(response)
    assert response.getheader("Content-Security-Policy") == CONTENT_SECURITY_POLICY
    assert "unsafe" not in CONTENT_SECURITY_POLICY
    hsts = response.getheader("Strict-Transport-Security", "")
    max_age = re.fullmatch(r"max-age=(\d+); includeSubDomains", hsts)
    assert max_age and int(max_age.group(1)) >= 31536000
    vary = [part.strip().lower() for part in response.getheader("Vary", "").split(",")]
    assert "hx-request" in vary
    assert response.getheader("Cache-Control") == "no-store"
    assert response.getheader("Content-Type", "").startswith("text/html")


def test_server_header_has_no_version(served: Server) -> None:
    for path in ("/", "/healthz", "/no-such-page"):
        response, _ = fetch(served, "GET", path)
        server = response.getheader("Server", "")
        assert server == "gunicorn", server
        assert not re.search(r"\d", server)
        assert response.getheader("X-Powered-By") is None


def test_static_assets_are_immutable_with_headers_and_match_sri(served: Server) -> None:
    _, body = fetch(served, "GET", "/")
    parser = AssetTags()
    parser.feed(body.decode())
    urls = [url for url, _ in parser.assets]
    assert any(url.startswith("/static/css/app.css?v=") for url in urls), urls
    assert any(url.startswith("/static/vendor/htmx.min.js?v=") for url in urls), urls
    assert any(url.startswith("/static/js/app.js?v=") for url in urls), urls
    for url, integrity in parser.assets:
        response, content = fetch(served, "GET", url)
        assert response.status == 200, url
        assert_security_headers(response)
        assert response.getheader("Cache-Control") == STATIC_CACHE
        assert "immutable" in STATIC_CACHE and "max-age=31536000" in STATIC_CACHE
        digest = "sha384-" + base64.b64encode(hashlib.sha384(content).digest()).decode()
        assert digest == integrity, f"{url}: SRI does not match the served file"


@pytest.mark.parametrize(
    "headers",
    [
        {"Sec-Fetch-Site": "cross-site"},
        {"Sec-Fetch-Site": "same-site"},
        {"Origin": "https://evil.example"},
        {"Origin": "null"},
    ],
    ids=["sec-fetch-cross-site", "sec-fetch-same-site", "foreign-origin", "null-origin"],
)
def test_cross_site_post_is_refused(served: Server, headers: dict[str, str]) -> None:
    response, body = fetch(
        served,
        "POST",
        "/",
        body=b"a=1",
        headers={"Content-Type": "application/x-www-form-urlencoded", **headers},
    )
    assert response.status == 403
    assert response.getheader("Content-Type", "").startswith("text/html")
    assert b"Cross-site requests are refused." in body
    assert_security_headers(response)


def test_same_origin_and_programmatic_posts_are_not_refused(served: Server) -> None:
    """Control for the 403s above: the same POST from our own origin reaches routing (405)."""
    for headers in ({"Origin": served.url, "Sec-Fetch-Site": "same-origin"}, {}):
        response, _ = fetch(
            served,
            "POST",
            "/",
            body=b"a=1",
            headers={"Content-Type": "application/x-www-form-urlencoded", **headers},
        )
        assert response.status == 405


@pytest.mark.parametrize(
    ("path", "content_type", "expected_type"),
    [
        ("/", "application/x-www-form-urlencoded", "text/html"),
        ("/api/openapi.json", "application/json", "application/problem+json"),
    ],
)
def test_oversized_body_is_refused_before_it_is_read(
    served: Server, path: str, content_type: str, expected_type: str
) -> None:
    declared = 50 * 1024 * 1024
    sent = 4 * MAX_BODY  # over the limit, yet a tiny part of what is declared
    head = (
        f"POST {path} HTTP/1.1\r\nHost: 127.0.0.1:{served.port}\r\n"
        f"Content-Type: {content_type}\r\nContent-Length: {declared}\r\n\r\n"
    ).encode()
    with socket.create_connection(("127.0.0.1", served.port), timeout=10) as sock:
        sock.sendall(head + b"x" * sent)
        started = time.monotonic()
        response = http.client.HTTPResponse(sock)
        response.begin()  # would time out if the server waited for all 50 MiB
        elapsed = time.monotonic() - started
        body = response.read()
    assert response.status == 413
    assert elapsed < 3
    assert response.getheader("Content-Type", "").startswith(expected_type)
    assert_security_headers(response)
    if expected_type == "application/problem+json":
        assert json.loads(body)["status"] == 413
    else:
        assert b"larger than this server accepts" in body
    assert fetch(served, "GET", "/healthz")[0].status == 200


def test_unknown_api_path_is_problem_json(served: Server) -> None:
    response, body = fetch(served, "GET", "/api/v1/no-such-thing")
    assert response.status == 404
    assert response.getheader("Content-Type") == "application/problem+json"
    problem = json.loads(body)
    assert problem["status"] == 404
    assert problem["title"] == "Not Found"
    assert problem["request_id"] == response.getheader("X-Request-ID")
    assert_security_headers(response)


def test_overlong_request_line_is_refused_by_gunicorn(served: Server) -> None:
    path = f"/?token={CANARY}long&pad=" + "a" * 9000
    assert len(f"GET {path} HTTP/1.1") > 8190
    response, _ = fetch(served, "GET", path)
    assert 400 <= response.status < 500
    log = wait_for_log(served, "Request Line is too large")
    assert "Request Line is too large" in log
    assert f"{CANARY}long" not in log
    assert fetch(served, "GET", "/healthz")[0].status == 200


def test_log_is_json_lines_without_query_strings(served: Server) -> None:
    response, _ = fetch(served, "GET", f"/?token={CANARY}")
    assert response.status == 200
    request_id = response.getheader("X-Request-ID")
    assert request_id and re.fullmatch(r"[0-9a-f]{16}", request_id)
    text = wait_for_log(served, request_id)

    entries = log_entries(served)
    mine = [entry for entry in entries if entry.get("request_id") == request_id]
    assert len(mine) == 1
    assert mine[0]["event"] == "request"
    assert mine[0]["method"] == "GET"
    assert mine[0]["route"] == "/"
    assert mine[0]["status"] == 200
    assert isinstance(mine[0]["duration_ms"], int | float)
    assert all("time" in entry and "level" in entry for entry in entries)
    assert CANARY not in text


def test_several_workers_with_memory_storage_log_a_warning(served: Server) -> None:
    warnings = [
        entry
        for entry in log_entries(served)
        if entry.get("level") == "warning" and entry.get("event") == "config-warning"
    ]
    assert len(warnings) == 1
    assert "TOOLBOX_RATELIMIT_STORAGE" in str(warnings[0]["message"])


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("TOOLBOX_PORT", "abc"),
        ("TOOLBOX_MAX_BODY_BYTES", "-1"),
        ("TOOLBOX_RATELIMIT_DEFAULT", "lots"),
        ("TOOLBOX_RATELIMIT_STORAGE", "mongodb://127.0.0.1/"),
    ],
)
def test_serve_refuses_a_bad_setting(name: str, value: str) -> None:
    env = {key: val for key, val in os.environ.items() if not key.startswith("TOOLBOX_")}
    env.update({"TOOLBOX_HOST": "127.0.0.1", "TOOLBOX_PORT": str(free_port()), name: value})
    result = subprocess.run(
        [str(TOOLBOX), "serve"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert result.returncode == 2, result.stderr
    assert name in result.stderr
    assert "Traceback" not in result.stderr
    assert "Listening at" not in result.stderr
