"""deploy/nginx/toolbox.conf and deploy/caddy/Caddyfile in front of two `toolbox serve` on one Redis.

The topology (stack.py, started by conftest.py) is what docs/deployment.md tells an operator to
run: the proxy terminates TLS with a certificate from a CA made for the test (the client trusts
that CA only), and the instances run with TOOLBOX_TRUSTED_PROXIES=1 and their rate limits in
Redis. Each proxy's clients connect from their own loopback addresses (127.0.1.x through nginx,
127.0.2.x through Caddy), so every test has budgets of its own.
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

PROXIES = ["nginx", "caddy"]

# Headers that differ per connection or per response, or that the proxy sets itself.
HOP_HEADERS = {"date", "server", "connection", "keep-alive", "transfer-encoding", "content-length",
               "x-request-id", "alt-svc", UPSTREAM_HEADER.lower()}

JSON = {"Content-Type": "application/json"}
FORMAT_BODY = json.dumps({"text": '{"b": 1, "a": [1, 2]}'}).encode()


def client(proxy: str, n: int) -> str:
    """A loopback source address of this proxy's client number n."""
    return f"127.0.{PROXIES.index(proxy) + 1}.{n}"


def served_by(stack: Topology, reply: Reply) -> int:
    """Which instance answered: the one whose log has the response's request id."""
    return stack.request_log()[str(reply.header("X-Request-ID"))][0]


def assert_app_headers(reply: Reply) -> None:
    """The app's full security header set, each exactly once, as the app defines it."""
    for name, value in SECURITY_HEADERS.items():
        assert reply.header(name) == value, name


@pytest.mark.parametrize("proxy", PROXIES)
def test_security_headers_arrive_through_tls(stack: Topology, proxy: str) -> None:
    """(a) HSTS and the whole header set, over TLS 1.3, exactly as the instances send them."""
    cases = [("GET", "/", None, {}), ("GET", "/jwt/", None, {}),
             ("POST", "/api/v1/json/format", FORMAT_BODY, JSON)]
    for method, path, body, headers in cases:
        # Debian's nginx.conf says "gzip on" (the test's nginx.conf too): pages must stay uncompressed.
        headers = {**headers, "Accept-Encoding": "gzip, br"}
        proxied = stack.https(method, path, source=client(proxy, 1), headers=headers, body=body, proxy=proxy)
        direct = stack.direct(0, method, path, headers=headers, body=body)
        assert proxied.status == direct.status == 200, (path, proxied.status, proxied.body[:300])
        assert proxied.tls_version == "TLSv1.3"
        assert_app_headers(proxied)
        assert proxied.header("Strict-Transport-Security") == "max-age=63072000; includeSubDomains"
        # Nothing added, lost or doubled on the way: every other header as the app sent it.
        assert {k.lower(): v for k, v in proxied.header_lines if k.lower() not in HOP_HEADERS} == \
               {k.lower(): v for k, v in direct.header_lines if k.lower() not in HOP_HEADERS}, path
        assert len(proxied.header_lines) == len(proxied.names()), proxied.header_lines
        assert proxied.header("Content-Encoding") is None
        assert proxied.header("Cache-Control") == "no-store"
        assert proxied.header("X-Request-ID")
        assert proxied.body == direct.body, path
        # nginx: server_tokens off, no version, gunicorn's replaced; Caddy: `header -Server` removes both.
        assert proxied.header("Server") == {"nginx": "nginx", "caddy": None}[proxy]
        assert direct.header("Server") == "gunicorn"


@pytest.mark.parametrize("proxy", PROXIES)
def test_forwarded_scheme_host_and_port(stack: Topology, proxy: str) -> None:
    """The app sees https://localhost:<proxy port>: a browser's own Origin passes, another is refused."""
    port = {"nginx": stack.https_port, "caddy": stack.caddy.port}[proxy]
    ours = f"https://{SERVER_NAME}:{port}"
    source = client(proxy, 2)
    same = stack.https("POST", "/api/v1/json/format", source=source, proxy=proxy,
                       headers={**JSON, "Origin": ours}, body=FORMAT_BODY)
    assert same.status == 200, same.body[:300]
    cross = stack.https("POST", "/api/v1/json/format", source=source, proxy=proxy,
                        headers={**JSON, "Origin": "https://evil.example"}, body=FORMAT_BODY)
    assert cross.status == 403
    assert cross.header("Content-Type") == "application/problem+json"
    assert_app_headers(cross)
    # Forged X-Forwarded-Host/-Proto/-Port are overwritten or removed by the proxy: had the app
    # believed them, the host check would answer 400, or the origin would not match.
    for forged in ({"X-Forwarded-Host": "evil.example"}, {"X-Forwarded-Proto": "http"},
                   {"X-Forwarded-Port": "8080"}):
        reply = stack.https("POST", "/api/v1/json/format", source=source, proxy=proxy, body=FORMAT_BODY,
                            headers={**JSON, "Origin": ours, **forged})
        assert reply.status == 200, (forged, reply.body[:300])


@pytest.mark.parametrize("proxy", PROXIES)
def test_forged_forwarded_for_does_not_change_the_client(stack: Topology, proxy: str) -> None:
    """(b) The rate-limit key is the address the proxy saw, whatever X-Forwarded-For a client sends."""
    source, other = client(proxy, 3), client(proxy, 4)
    replies = [stack.https("GET", "/", source=source, proxy=proxy, headers={"X-Forwarded-For": f"198.51.100.{i}"})
               for i in range(LIMIT + 1)]
    assert [r.status for r in replies] == [200] * LIMIT + [429]
    refused = replies[-1]
    assert_app_headers(refused)  # the 429 is the app's, with its header set, through the proxy
    assert 0 < int(refused.header("Retry-After") or "0") <= 60
    # Another client keeps its own budget (the key is per client, not one for everybody), and
    # naming each other in X-Forwarded-For changes nothing either way.
    assert stack.https("GET", "/", source=other, proxy=proxy, headers={"X-Forwarded-For": source}).status == 200
    assert stack.https("GET", "/", source=source, proxy=proxy, headers={"X-Forwarded-For": other}).status == 429
    # What the instances logged as the client: the real address, never a forged one.
    log = stack.request_log()
    assert {log[str(r.header("X-Request-ID"))][1]["client"] for r in replies} == {source}


@pytest.mark.parametrize("proxy", PROXIES)
def test_one_limit_across_both_instances(stack: Topology, proxy: str) -> None:
    """(c) LIMIT requests through the proxy, spread over both instances; then 429 from either."""
    source = client(proxy, 5)
    allowed = [stack.https("GET", "/", source=source, proxy=proxy) for _ in range(LIMIT)]
    assert [r.status for r in allowed] == [200] * LIMIT
    instances = [served_by(stack, r) for r in allowed]
    assert sorted(set(instances)) == [0, 1], instances
    if proxy == "nginx":  # nginx's own account ($upstream_addr, test-only header) agrees with the logs
        ports = stack.upstream_ports()
        assert [ports.index(int(str(r.header(UPSTREAM_HEADER)).rpartition(":")[2])) for r in allowed] == instances

    refused = [stack.https("GET", "/", source=source, proxy=proxy) for _ in range(2)]
    assert [r.status for r in refused] == [429, 429]
    assert sorted(served_by(stack, r) for r in refused) == [0, 1]  # both instances refuse
    for reply in refused:
        assert_app_headers(reply)
        assert reply.header("Retry-After")


@pytest.mark.parametrize("proxy", PROXIES)
def test_body_over_the_app_limit(stack: Topology, proxy: str) -> None:
    """(d) A body the proxy lets through but over TOOLBOX_MAX_BODY_BYTES: the app's 413 problem."""
    source = client(proxy, 6)
    too_big_for_app = b'{"text": "' + b"x" * APP_MAX_BODY + b'"}'
    assert len(too_big_for_app) < NGINX_MAX_BODY
    problem = stack.https("POST", "/api/v1/json/format", source=source, proxy=proxy, headers=JSON,
                          body=too_big_for_app)
    assert problem.status == 413
    assert problem.header("Content-Type") == "application/problem+json"
    assert problem.json()["status"] == 413  # type: ignore[index]
    assert_app_headers(problem)
    entry = stack.request_log()[str(problem.header("X-Request-ID"))][1]
    assert (entry["status"], entry["client"]) == (413, source)


def test_nginx_refuses_a_body_over_its_limit(stack: Topology) -> None:
    """(d) Over client_max_body_size (8m) nginx answers 413 itself; no instance sees the request."""
    before = len(stack.request_log())
    too_big_for_nginx = b'{"text": "' + b"x" * NGINX_MAX_BODY + b'"}'
    refused = stack.https("POST", "/api/v1/json/format", source=client("nginx", 7), headers=JSON,
                          body=too_big_for_nginx)
    assert refused.status == 413
    assert refused.header(UPSTREAM_HEADER) is None  # no instance was asked
    assert refused.header("Content-Type") == "text/html"
    assert refused.header("Content-Security-Policy") is None  # nginx's own page, not the app's
    assert b"<center>nginx</center>" in refused.body
    assert len(stack.request_log()) == before


def test_nginx_other_names_and_plain_http(stack: Topology) -> None:
    """nginx's catch-all server refuses other names; port 80 only redirects to https://."""
    for name in ("other.example", "127.0.0.1"):  # an IP address sends no SNI at all
        with pytest.raises(ssl.SSLError):
            stack.https("GET", "/", source=client("nginx", 8), server_name=name)
    redirect = stack.http("GET", "/jwt/?x=1")
    assert redirect.status == 301
    assert redirect.header("Location") == f"https://{SERVER_NAME}/jwt/?x=1"
    assert redirect.header(UPSTREAM_HEADER) is None
    with pytest.raises(ConnectionError):  # return 444: closed without an answer
        stack.http("GET", "/", host="other.example")
