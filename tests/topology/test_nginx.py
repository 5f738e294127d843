"""deploy/nginx/toolbox.conf in front of two `toolbox serve` instances sharing one redis-server.

The topology (stack.py, started by conftest.py) is what docs/deployment.md tells an operator to run: nginx terminates
TLS with a certificate from a CA made for the test (the client trusts that CA only), and the
instances run with TOOLBOX_TRUSTED_PROXIES=1 and their rate limits in Redis.
"""

from __future__ import annotations

import json
import ssl

import pytest

from tests.topology.stack import (
    APP_MAX_BODY,
    LIMIT,
    NGINX_MAX_BODY,
    SERVER_NAME,
    UPSTREAM_HEADER,
    Reply,
    Topology,
)
from toolbox.web.security import SECURITY_HEADERS

pytestmark = [pytest.mark.server, pytest.mark.xdist_group("topology")]

# Headers that differ per connection or per response, or that nginx makes itself.
HOP_HEADERS = {"date", "server", "connection", "keep-alive", "transfer-encoding", "content-length",
               "x-request-id", UPSTREAM_HEADER.lower()}

JSON = {"Content-Type": "application/json"}
FORMAT_BODY = json.dumps({"text": '{"b": 1, "a": [1, 2]}'}).encode()


def served_by(stack: Topology, reply: Reply) -> int:
    """Which instance answered, from the test-only header nginx adds ($upstream_addr)."""
    upstream = reply.header(UPSTREAM_HEADER)
    assert upstream is not None, reply.header_lines
    return stack.upstream_ports().index(int(upstream.rpartition(":")[2]))


def assert_app_headers(reply: Reply) -> None:
    """The app's full security header set, each exactly once, as the app defines it."""
    for name, value in SECURITY_HEADERS.items():
        assert reply.header(name) == value, name


def test_security_headers_arrive_through_tls(stack: Topology) -> None:
    """(a) HSTS and the whole header set, over TLS 1.3, exactly as the instances send them."""
    cases = [("GET", "/", None, {}), ("GET", "/jwt/", None, {}),
             ("POST", "/api/v1/json/format", FORMAT_BODY, JSON)]
    for method, path, body, headers in cases:
        # Debian's nginx.conf says "gzip on" (the test's nginx.conf too): pages must stay uncompressed.
        headers = {**headers, "Accept-Encoding": "gzip"}
        proxied = stack.https(method, path, source="127.0.0.6", headers=headers, body=body)
        direct = stack.direct(0, method, path, headers=headers, body=body)
        assert proxied.status == direct.status == 200, (path, proxied.status, proxied.body[:300])
        assert proxied.tls_version == "TLSv1.3"
        assert_app_headers(proxied)
        assert proxied.header("Strict-Transport-Security") == "max-age=63072000; includeSubDomains"
        # Nothing added, lost or doubled on the way: every other header as the app sent it.
        assert {k.lower(): v for k, v in proxied.header_lines if k.lower() not in HOP_HEADERS} == \
               {k.lower(): v for k, v in direct.header_lines if k.lower() not in HOP_HEADERS}, path
        assert len(proxied.header_lines) - len(proxied.names()) == 0, proxied.header_lines
        assert proxied.header("Content-Encoding") is None
        assert proxied.header("Cache-Control") == "no-store"
        assert proxied.header("Server") == "nginx"  # server_tokens off: no version; gunicorn's is gone
        assert proxied.header("X-Request-ID")
        assert proxied.body == direct.body, path


def test_forwarded_scheme_host_and_port(stack: Topology) -> None:
    """The app sees https://localhost:<nginx port>: a browser's own Origin passes, another is refused."""
    ours = f"https://{SERVER_NAME}:{stack.https_port}"
    same = stack.https("POST", "/api/v1/json/format", source="127.0.0.7",
                       headers={**JSON, "Origin": ours}, body=FORMAT_BODY)
    assert same.status == 200, same.body[:300]
    cross = stack.https("POST", "/api/v1/json/format", source="127.0.0.7",
                        headers={**JSON, "Origin": "https://evil.example"}, body=FORMAT_BODY)
    assert cross.status == 403
    assert cross.header("Content-Type") == "application/problem+json"
    assert_app_headers(cross)
    # Forged X-Forwarded-Host/-Proto/-Port are overwritten by nginx: had the app believed them,
    # the host check would answer 400 and the http:// origin would not match.
    forged = stack.https("POST", "/api/v1/json/format", source="127.0.0.7", body=FORMAT_BODY,
                         headers={**JSON, "Origin": ours, "X-Forwarded-Host": "evil.example",
                                  "X-Forwarded-Proto": "http", "X-Forwarded-Port": "8080"})
    assert forged.status == 200, forged.body[:300]


def test_forged_forwarded_for_does_not_change_the_client(stack: Topology) -> None:
    """(b) The rate-limit key is the address nginx saw, whatever X-Forwarded-For a client sends."""
    client = "127.0.0.2"
    replies = [stack.https("GET", "/", source=client, headers={"X-Forwarded-For": f"198.51.100.{i}"})
               for i in range(LIMIT + 1)]
    assert [r.status for r in replies] == [200] * LIMIT + [429]
    refused = replies[-1]
    assert_app_headers(refused)  # the 429 is the app's, with its header set, through nginx
    assert 0 < int(refused.header("Retry-After") or "0") <= 60
    # Another client keeps its own budget: the key is per client, not one for everybody.
    assert stack.https("GET", "/", source="127.0.0.3",
                       headers={"X-Forwarded-For": client}).status == 200
    assert stack.https("GET", "/", source=client, headers={"X-Forwarded-For": "127.0.0.3"}).status == 429
    # What the instances logged as the client: the real address, never a forged one.
    log = stack.request_log()
    clients = {log[str(r.header("X-Request-ID"))][1]["client"] for r in replies}
    assert clients == {client}


def test_one_limit_across_both_instances(stack: Topology) -> None:
    """(c) LIMIT requests through nginx, spread over both instances; the next one is 429 on either."""
    client = "127.0.0.4"
    allowed = [stack.https("GET", "/", source=client) for _ in range(LIMIT)]
    assert [r.status for r in allowed] == [200] * LIMIT
    instances = [served_by(stack, r) for r in allowed]
    assert sorted(set(instances)) == [0, 1], instances
    # The instances' own logs agree with nginx about who served what.
    log = stack.request_log()
    assert [log[str(r.header("X-Request-ID"))][0] for r in allowed] == instances

    refused = [stack.https("GET", "/", source=client) for _ in range(2)]
    assert [r.status for r in refused] == [429, 429]
    assert sorted(served_by(stack, r) for r in refused) == [0, 1]  # both instances refuse
    for reply in refused:
        assert_app_headers(reply)
        assert reply.header("Retry-After")


def test_body_limits(stack: Topology) -> None:
    """(d) Over client_max_body_size nginx answers 413 itself; over TOOLBOX_MAX_BODY_BYTES the app does."""
    client = "127.0.0.5"
    before = len(stack.request_log())

    too_big_for_nginx = b'{"text": "' + b"x" * NGINX_MAX_BODY + b'"}'
    refused = stack.https("POST", "/api/v1/json/format", source=client, headers=JSON, body=too_big_for_nginx)
    assert refused.status == 413
    assert refused.header(UPSTREAM_HEADER) is None  # no instance was asked
    assert refused.header("Content-Type") == "text/html"
    assert refused.header("Content-Security-Policy") is None  # nginx's own page, not the app's
    assert b"nginx" in refused.body
    assert len(stack.request_log()) == before

    too_big_for_app = b'{"text": "' + b"x" * APP_MAX_BODY + b'"}'
    assert len(too_big_for_app) < NGINX_MAX_BODY
    problem = stack.https("POST", "/api/v1/json/format", source=client, headers=JSON, body=too_big_for_app)
    assert problem.status == 413
    assert problem.header(UPSTREAM_HEADER)
    assert problem.header("Content-Type") == "application/problem+json"
    assert problem.json()["status"] == 413  # type: ignore[index]
    assert_app_headers(problem)
    entry = stack.request_log()[str(problem.header("X-Request-ID"))][1]
    assert (entry["status"], entry["client"]) == (413, client)


def test_other_names_and_plain_http(stack: Topology) -> None:
    """The catch-all server refuses other names; port 80 only redirects to https://."""
    for name in ("other.example", "127.0.0.1"):  # an IP address sends no SNI at all
        with pytest.raises(ssl.SSLError):
            stack.https("GET", "/", source="127.0.0.8", server_name=name)
    redirect = stack.http("GET", "/jwt/?x=1")
    assert redirect.status == 301
    assert redirect.header("Location") == f"https://{SERVER_NAME}/jwt/?x=1"
    assert redirect.header(UPSTREAM_HEADER) is None
    with pytest.raises(ConnectionError):  # return 444: closed without an answer
        stack.http("GET", "/", host="other.example")
