"""Limits that depend on the server: chunked bodies and the Host header, over real HTTP (gunicorn)."""

from __future__ import annotations

import http.client
import json
import socket
from collections.abc import Iterator

import pytest

from tests.conftest import TEST_CONFIG
from tests.servers import Server, start_toolbox
from toolbox import create_app

pytestmark = pytest.mark.server

MAX_BODY = 1024  # TOOLBOX_MAX_BODY_BYTES=1k
FORM = "application/x-www-form-urlencoded"


@pytest.fixture(scope="module")
def served() -> Iterator[Server]:
    # The JSON Lines upload routes have their own limit (read as they stream): the same 1k here.
    server = start_toolbox({"TOOLBOX_MAX_BODY_BYTES": "1k", "TOOLBOX_JSON_LINES_MAX_BYTES": "1k"}, workers=1)
    try:
        yield server
    finally:
        server.stop()
        server.log_path.unlink(missing_ok=True)


def exchange(server: Server, head: str, body: bytes = b"") -> tuple[http.client.HTTPResponse, bytes]:
    """Send raw request bytes on a fresh connection; the parsed response and its body."""
    with socket.create_connection(("127.0.0.1", server.port), timeout=10) as sock:
        sock.sendall(head.encode("latin-1") + body)
        response = http.client.HTTPResponse(sock)
        response.begin()
        return response, response.read()


def chunked(body: bytes, size: int = 300) -> bytes:
    """`body` in Transfer-Encoding: chunked framing, `size` bytes per chunk."""
    pieces = [body[i:i + size] for i in range(0, len(body), size)]
    return b"".join(b"%x\r\n%s\r\n" % (len(p), p) for p in pieces) + b"0\r\n\r\n"


def post_chunked(server: Server, path: str, content_type: str, body: bytes) -> tuple[http.client.HTTPResponse, bytes]:
    head = (f"POST {path} HTTP/1.1\r\nHost: 127.0.0.1:{server.port}\r\nContent-Type: {content_type}\r\n"
            "Transfer-Encoding: chunked\r\nConnection: close\r\n\r\n")
    return exchange(server, head, chunked(body))


def post_routes() -> list[str]:
    """Every route that accepts POST (pages and API), read from the app itself."""
    app = create_app(TEST_CONFIG)
    return sorted(rule.rule for rule in app.url_map.iter_rules() if "POST" in (rule.methods or ()))


def oversized(path: str, size: int) -> tuple[str, bytes]:
    """A body of exactly `size` bytes for `path`: JSON for the API, a form for pages."""
    if path == "/api/v1/json/lines/stream":  # JSON Lines, not a JSON body
        return "application/x-ndjson", b"1\n" * (size // 2) + b" " * (size % 2)
    if path.startswith("/api/"):
        frame = b'{"text": ""}'
        return "application/json", b'{"text": "' + b"a" * (size - len(frame)) + b'"}'
    return FORM, b"text=" + b"1" * (size - 5)


ROUTES = post_routes()


def test_every_post_route_is_covered() -> None:
    assert {"/jwt/", "/json/", "/headers/", "/api/v1/json/format", "/api/v1/headers/check"} <= set(ROUTES)


@pytest.mark.parametrize("size", [MAX_BODY + 1, 3 * MAX_BODY])
@pytest.mark.parametrize("path", ROUTES)
def test_chunked_body_over_the_limit_is_413_on_every_route(served: Server, path: str, size: int) -> None:
    content_type, body = oversized(path, size)
    assert len(body) == size
    response, content = post_chunked(served, path, content_type, body)
    assert response.status == 413, (path, response.status, content[:300])
    if path.startswith("/api/"):
        assert response.getheader("Content-Type") == "application/problem+json"
        assert json.loads(content)["status"] == 413
    else:
        assert response.getheader("Content-Type", "").startswith("text/html")
        assert b"larger than this server accepts" in content


def test_chunked_form_within_the_limit_is_processed_whole(served: Server) -> None:
    # The body is exactly the limit: not refused, and the last byte reaches the formatter.
    text = b"[" + b"1," * ((MAX_BODY - len(b"text=[987654]")) // 2) + b"987654]"
    body = b"text=" + text
    body += b"&" * (MAX_BODY - len(body))
    assert len(body) == MAX_BODY
    response, content = post_chunked(served, "/json/", FORM, body)
    assert response.status == 200, content[:300]
    assert b"987654" in content


def test_chunked_api_body_of_exactly_the_limit_is_processed(served: Server) -> None:
    body = b'{"text": "[1]"' + b" " * (MAX_BODY - len(b'{"text": "[1]"}')) + b"}"
    assert len(body) == MAX_BODY
    response, content = post_chunked(served, "/api/v1/json/format", "application/json", body)
    assert response.status == 200, content[:300]
    assert json.loads(content)["output"].split() == ["[", "1", "]"]


def get(server: Server, path: str, host: str, extra: str = "") -> tuple[http.client.HTTPResponse, bytes]:
    return exchange(server, f"GET {path} HTTP/1.1\r\nHost: {host}\r\n{extra}Connection: close\r\n\r\n")


@pytest.mark.parametrize("host", ["127.0.0.1:{port}", "localhost:{port}", "[::1]:{port}"])
def test_make_run_addresses_are_served(served: Server, host: str) -> None:
    response, _ = get(served, "/", host.format(port=served.port))
    assert response.status == 200


@pytest.mark.parametrize("host", ["evil.example", "rebind.example:{port}", "127.0.0.1.nip.io:{port}"])
def test_foreign_host_gets_400(served: Server, host: str) -> None:
    response, body = get(served, "/", host.format(port=served.port))
    assert response.status == 400
    assert b"evil" not in body and b"rebind" not in body
    body = b'{"text": "1"}'
    problem, _ = exchange(
        served,
        f"POST /api/v1/json/format HTTP/1.1\r\nHost: {host.format(port=served.port)}\r\n"
        f"Content-Type: application/json\r\nContent-Length: {len(body)}\r\nConnection: close\r\n\r\n",
        body,
    )
    assert problem.status == 400
    assert problem.getheader("Content-Type") == "application/problem+json"


def test_forwarded_host_is_ignored_without_trusted_proxies(served: Server) -> None:
    response, _ = get(served, "/", "evil.example", extra=f"X-Forwarded-Host: 127.0.0.1:{served.port}\r\n")
    assert response.status == 400


def test_health_check_answers_the_pod_address(served: Server) -> None:
    response, body = get(served, "/healthz", "10.42.0.7:8000")
    assert response.status == 200
    assert json.loads(body) == {"status": "ok"}


@pytest.mark.parametrize(("path", "location"), [("/jwt", "/jwt/"), ("//jwt", "/jwt/"), ("/headers?a=1", "/headers/?a=1")])
def test_redirects_do_not_repeat_the_host(served: Server, path: str, location: str) -> None:
    response, _ = get(served, path, f"localhost:{served.port}")
    assert response.status == 308
    assert response.getheader("Location") == location


def test_chunked_multipart_form_over_the_limit_is_413(served: Server) -> None:
    boundary = "toolboxboundary"
    body = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"token\"\r\n\r\n".encode()
            + b"a" * (2 * MAX_BODY) + f"\r\n--{boundary}--\r\n".encode())
    response, content = post_chunked(served, "/jwt/", f"multipart/form-data; boundary={boundary}", body)
    assert response.status == 413, content[:300]
    assert get(served, "/healthz", "127.0.0.1")[0].status == 200
