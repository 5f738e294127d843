"""The fetcher against fake resolvers and real loopback servers (127.0.0.1 only)."""

from __future__ import annotations

import dataclasses
import ipaddress
import json
import socket
import time

import pytest

from tests.unit.net.conftest import LOOPBACK_ALLOWED, FakeResolver, RecordingConnector, Server
from toolbox.core.net import FetchFailed, FetchPolicy, FetchRefused, fetch
from toolbox.core.net.errors import FetchReason
from toolbox.core.net.transport import system_resolver

INTERNAL = ["10.0.0.1", "169.254.169.254", "127.0.0.1", "::1", "fd00::1", "::ffff:10.0.0.1", "64:ff9b::a00:1"]


def _refused(url: str, policy: FetchPolicy = FetchPolicy(), resolver: FakeResolver | None = None) -> FetchRefused:
    connector = RecordingConnector()
    with pytest.raises(FetchRefused) as caught:
        fetch(url, policy=policy, resolver=resolver or FakeResolver({}), connector=connector)
    assert connector.addresses == [], "a refused fetch must not connect"
    return caught.value


@pytest.mark.parametrize("address", INTERNAL)
def test_a_name_resolving_to_an_internal_address_is_refused_without_revealing_it(address: str) -> None:
    resolver = FakeResolver({"internal.example": [address]})
    err = _refused("http://internal.example/", resolver=resolver)
    assert err.why is FetchReason.PRIVATE_RESOLVED
    assert address not in str(err) and address.split(":")[-1] not in err.reason
    assert resolver.calls == ["internal.example"]


def test_one_private_answer_among_public_ones_is_enough_to_refuse() -> None:
    resolver = FakeResolver({"mixed.example": ["93.184.216.34", "2606:2800:220:1::1", "10.0.0.7"]})
    assert _refused("https://mixed.example/", resolver=resolver).why is FetchReason.PRIVATE_RESOLVED


def test_an_unparseable_resolver_answer_is_refused() -> None:
    resolver = FakeResolver({"odd.example": ["93.184.216.34", "not-an-ip"]})
    assert _refused("https://odd.example/", resolver=resolver).why is FetchReason.PRIVATE_RESOLVED


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1/", "http://2130706433/", "http://0x7f.1/", "http://017700000001/", "http://127.1/",
        "http://0/", "http://10.0.0.1/", "http://169.254.169.254/latest/meta-data/", "http://[::1]/",
        "http://[::ffff:127.0.0.1]/", "http://[::ffff:7f00:1]/", "http://[::127.0.0.1]/",
        "http://[64:ff9b::7f00:1]/", "http://[2002:7f00:1::]/", "http://[2001:0:4136:e378:8000:63bf:80ff:fffe]/",
        "http://[fe80::1]/", "http://[fd00::1]/", "http://[ff02::1]/", "http://100.64.0.1/",
        "http://198.18.0.1/", "http://224.0.0.1/", "http://255.255.255.255/",
    ],
)
def test_literal_internal_addresses_in_every_spelling_are_refused(url: str) -> None:
    resolver = FakeResolver({})
    assert _refused(url, resolver=resolver).why is FetchReason.PRIVATE_LITERAL
    assert resolver.calls == []  # literals are never sent to a resolver


@pytest.mark.parametrize("port", [22, 25, 6379, 11211, 8081])
def test_ports_outside_the_policy_are_refused(port: int) -> None:
    resolver = FakeResolver({"example.com": ["93.184.216.34"]})
    err = _refused(f"http://example.com:{port}/", resolver=resolver)
    assert err.why is FetchReason.PORT_NOT_ALLOWED and err.reason == f"port {port} is not allowed"
    assert resolver.calls == []  # the port is checked before resolving


def test_url_refusals_come_before_resolving() -> None:
    resolver = FakeResolver({})
    assert _refused("http://user@example.com/", resolver=resolver).why is FetchReason.USERINFO
    assert _refused("gopher://example.com/", resolver=resolver).why is FetchReason.NOT_HTTP
    assert resolver.calls == []


def test_methods_with_bodies_and_reserved_headers_are_refused() -> None:
    with pytest.raises(FetchRefused, match="only GET"):
        fetch("http://example.com/", policy=FetchPolicy(), method="POST", resolver=FakeResolver({}))
    for header in [("Host", "evil"), ("X-A", "b\r\nInjected: 1"), ("Bad Name", "x"), ("Transfer-Encoding", "chunked"),
                   ("X(y)", "1"), ("", "x"), ("X-Ü", "1"), ("X-A", "é")]:
        with pytest.raises(FetchRefused, match="header"):
            fetch("http://example.com/", policy=FetchPolicy(), headers=[header], resolver=FakeResolver({}))


def test_unresolvable_names_fail_clearly() -> None:
    with pytest.raises(FetchFailed) as caught:
        fetch("http://nowhere.example/", policy=FetchPolicy(), resolver=FakeResolver({}))
    assert caught.value.why is FetchReason.NO_RESOLVE


# --- real loopback servers ----------------------------------------------------------------


def test_loopback_is_refused_by_default_even_with_a_server_listening(http_server: Server) -> None:
    url = f"http://127.0.0.1:{http_server.port}/ok"
    assert _refused(url).why is FetchReason.PORT_NOT_ALLOWED
    assert _refused(url, FetchPolicy(ports=None)).why is FetchReason.PRIVATE_LITERAL
    assert http_server.seen == []


def test_allowed_loopback_fetch_keeps_headers_in_order_with_duplicates(http_server: Server) -> None:
    connector = RecordingConnector()
    result = fetch(f"http://127.0.0.1:{http_server.port}/ok", policy=LOOPBACK_ALLOWED, connector=connector)
    hop = result.final
    assert (hop.status, result.body, result.body_truncated) == (200, b"hello", False)
    names = [name for name, _ in hop.headers]
    assert [v for n, v in hop.headers if n == "Set-Cookie"] == ["a=1", "b=2"]
    assert names.index("Set-Cookie") < names.index("X-Dup") < len(names) - 1 - names[::-1].index("Set-Cookie")
    assert hop.elapsed >= 0 and result.final_url == f"http://127.0.0.1:{http_server.port}/ok"
    assert connector.addresses == ["127.0.0.1"]


def test_connection_goes_to_the_checked_address_and_host_keeps_the_name(http_server: Server) -> None:
    # A rebinding resolver: the first answer is the allowed loopback, later answers are internal.
    resolver = FakeResolver({"app.test": ["127.0.0.1"]}, later={"app.test": ["10.0.0.1"]})
    connector = RecordingConnector()
    result = fetch(
        f"http://app.test:{http_server.port}/echo",
        policy=LOOPBACK_ALLOWED,
        resolver=resolver,
        connector=connector,
        headers=[("Origin", "https://evil.example")],
    )
    assert resolver.calls == ["app.test"]  # resolved once
    assert connector.addresses == ["127.0.0.1"]  # connected to what was checked
    echoed = json.loads(result.body)
    headers = dict(echoed["headers"])
    assert headers["Host"] == f"app.test:{http_server.port}"
    assert headers["Origin"] == "https://evil.example"
    assert headers["Accept-Encoding"] == "identity"
    assert "Cookie" not in headers


def test_redirect_to_a_private_address_is_refused_before_connecting(http_server: Server) -> None:
    connector = RecordingConnector()
    start = f"http://127.0.0.1:{http_server.port}/redirect?to=http://10.0.0.1/"
    with pytest.raises(FetchRefused) as caught:
        fetch(start, policy=LOOPBACK_ALLOWED, connector=connector, resolver=FakeResolver({}))
    assert caught.value.why is FetchReason.PRIVATE_LITERAL
    assert connector.addresses == ["127.0.0.1"]  # only the first hop connected
    assert [h.status for h in caught.value.hops] == [302]
    assert "10.0.0.1" not in caught.value.reason


def test_redirect_to_a_name_resolving_privately_is_refused(http_server: Server) -> None:
    connector = RecordingConnector()
    resolver = FakeResolver({"metadata.internal": ["169.254.169.254"]})
    start = f"http://127.0.0.1:{http_server.port}/redirect?to=http://metadata.internal:{http_server.port}/"
    with pytest.raises(FetchRefused) as caught:
        fetch(start, policy=LOOPBACK_ALLOWED, connector=connector, resolver=resolver)
    assert caught.value.why is FetchReason.PRIVATE_RESOLVED
    assert connector.addresses == ["127.0.0.1"]


@pytest.mark.parametrize(
    ("location", "reason"),
    [
        ("file:///etc/passwd", FetchReason.NOT_HTTP),
        ("http://user:pw@127.0.0.1/", FetchReason.USERINFO),
        ("http://127.0.0.1:22/", FetchReason.PORT_NOT_ALLOWED),
        ("/\\10.0.0.1/", FetchReason.BACKSLASH),
    ],
)
def test_every_redirect_hop_is_checked_again(http_server: Server, location: str, reason: FetchReason) -> None:
    policy = dataclasses.replace(LOOPBACK_ALLOWED, ports=frozenset({http_server.port}))
    with pytest.raises(FetchRefused) as caught:
        fetch(f"http://127.0.0.1:{http_server.port}/redirect?to={location}", policy=policy)
    assert caught.value.why is reason


def test_redirects_are_followed_by_hand_without_cookies(http_server: Server) -> None:
    start = f"http://127.0.0.1:{http_server.port}/redirect?to=/redirect?to=/echo"
    result = fetch(start, policy=LOOPBACK_ALLOWED)
    assert [h.status for h in result.hops] == [302, 302, 200]
    assert "Cookie" not in dict(json.loads(result.body)["headers"])
    assert fetch(start, policy=LOOPBACK_ALLOWED, follow_redirects=False).final.status == 302


def test_see_other_turns_into_get(http_server: Server) -> None:
    result = fetch(f"http://127.0.0.1:{http_server.port}/see-other", policy=LOOPBACK_ALLOWED, method="OPTIONS")
    assert json.loads(result.body)["method"] == "GET"


def test_a_redirect_loop_stops_after_five(http_server: Server) -> None:
    with pytest.raises(FetchFailed) as caught:
        fetch(f"http://127.0.0.1:{http_server.port}/loop", policy=LOOPBACK_ALLOWED)
    assert caught.value.why is FetchReason.TOO_MANY_REDIRECTS
    assert len(caught.value.hops) == 6  # the first response and five followed redirects
    assert http_server.seen.count("/loop") == 6


def test_a_slow_server_hits_the_total_deadline(http_server: Server) -> None:
    policy = dataclasses.replace(LOOPBACK_ALLOWED, total_timeout=0.5)
    started = time.monotonic()
    with pytest.raises(FetchFailed) as caught:
        fetch(f"http://127.0.0.1:{http_server.port}/slow", policy=policy)
    assert caught.value.why is FetchReason.TIMEOUT
    assert time.monotonic() - started < 1.5


def test_a_dripping_server_cannot_extend_the_deadline_read_by_read(http_server: Server) -> None:
    policy = dataclasses.replace(LOOPBACK_ALLOWED, total_timeout=1.0)
    started = time.monotonic()
    with pytest.raises(FetchFailed) as caught:
        fetch(f"http://127.0.0.1:{http_server.port}/drip", policy=policy)
    assert caught.value.why is FetchReason.TIMEOUT
    assert time.monotonic() - started < 2.0  # the drip alone would take 4 s


def test_a_two_second_server_is_fine_within_the_default_deadline(http_server: Server) -> None:
    assert fetch(f"http://127.0.0.1:{http_server.port}/slow", policy=LOOPBACK_ALLOWED).body == b"slow"


@pytest.mark.parametrize("path", ["/huge", "/huge-chunked"])
def test_a_huge_body_is_capped(http_server: Server, path: str) -> None:
    result = fetch(f"http://127.0.0.1:{http_server.port}{path}", policy=LOOPBACK_ALLOWED)
    assert len(result.body) == LOOPBACK_ALLOWED.max_body_bytes == 256 * 1024
    assert result.body_truncated


def test_head_reads_no_body(http_server: Server) -> None:
    result = fetch(f"http://127.0.0.1:{http_server.port}/huge", policy=LOOPBACK_ALLOWED, method="HEAD")
    assert (result.final.status, result.body, result.body_truncated) == (200, b"", False)


def test_oversized_response_headers_are_refused(http_server: Server) -> None:
    with pytest.raises(FetchFailed) as caught:
        fetch(f"http://127.0.0.1:{http_server.port}/big-headers", policy=LOOPBACK_ALLOWED)
    assert caught.value.why is FetchReason.HEADERS_TOO_LARGE
    with pytest.raises(FetchFailed) as caught:
        fetch(f"http://127.0.0.1:{http_server.port}/many-headers", policy=LOOPBACK_ALLOWED)
    assert caught.value.why is FetchReason.HEADERS_TOO_LARGE


def test_a_closed_port_fails_clearly(http_server: Server) -> None:
    # Port 1 on loopback: nothing listens there in the test environment.
    with pytest.raises(FetchFailed) as caught:
        fetch("http://127.0.0.1:1/", policy=LOOPBACK_ALLOWED)
    assert caught.value.why is FetchReason.CONNECT_FAILED


def test_allow_list_does_not_open_other_private_ranges(http_server: Server) -> None:
    policy = FetchPolicy(ports=None, allow=(ipaddress.ip_network("127.0.0.0/8"),))
    resolver = FakeResolver({"db.internal": ["10.0.0.5"]})
    assert _refused("http://db.internal/", policy, resolver).why is FetchReason.PRIVATE_RESOLVED


def test_environment_proxies_are_ignored(http_server: Server, monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("http_proxy", "HTTP_PROXY", "https_proxy", "HTTPS_PROXY", "all_proxy", "ALL_PROXY"):
        monkeypatch.setenv(name, "http://10.9.9.9:3128")
    monkeypatch.setenv("no_proxy", "")
    connector = RecordingConnector()
    result = fetch(f"http://127.0.0.1:{http_server.port}/ok", policy=LOOPBACK_ALLOWED, connector=connector)
    assert result.final.status == 200
    assert connector.addresses == ["127.0.0.1"]


def test_ipv4_mapped_answers_connect_over_ipv4(http_server: Server) -> None:
    resolver = FakeResolver({"mapped.test": ["::ffff:127.0.0.1"]})
    connector = RecordingConnector()
    result = fetch(f"http://mapped.test:{http_server.port}/ok", policy=LOOPBACK_ALLOWED, resolver=resolver,
                   connector=connector)
    assert result.final.status == 200
    assert connector.addresses == ["127.0.0.1"]


@pytest.mark.parametrize("answer", ["2002:7f00:1::", "64:ff9b::7f00:1", "::127.0.0.1"])
def test_tunnelled_loopback_is_refused_even_with_loopback_allowed(answer: str) -> None:
    resolver = FakeResolver({"tunnel.test": [answer]})
    assert _refused("http://tunnel.test/", LOOPBACK_ALLOWED, resolver).why is FetchReason.PRIVATE_RESOLVED


def test_conflicting_location_headers_fail(http_server: Server) -> None:
    with pytest.raises(FetchFailed) as caught:
        fetch(f"http://127.0.0.1:{http_server.port}/two-locations", policy=LOOPBACK_ALLOWED)
    assert caught.value.why is FetchReason.CONFLICTING_LOCATION


def _fake_getaddrinfo(answers: list[str], delay: float = 0.0):  # type: ignore[no-untyped-def]
    def getaddrinfo(host, port, *args, **kwargs):  # type: ignore[no-untyped-def]
        time.sleep(delay)
        return [(socket.AF_INET6 if ":" in a else socket.AF_INET, socket.SOCK_STREAM, 6, "", (a, port)) for a in answers]

    return getaddrinfo


def test_the_default_resolver_answers_are_checked_too(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(socket, "getaddrinfo", _fake_getaddrinfo(["93.184.216.34", "10.0.0.1"]))
    connector = RecordingConnector()
    with pytest.raises(FetchRefused) as caught:
        fetch("http://example.com/", policy=FetchPolicy(), connector=connector)
    assert caught.value.why is FetchReason.PRIVATE_RESOLVED
    assert connector.addresses == []


def test_the_default_resolver_is_bounded_by_the_deadline(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(socket, "getaddrinfo", _fake_getaddrinfo(["93.184.216.34"], delay=2.0))
    started = time.monotonic()
    with pytest.raises(FetchFailed) as caught:
        fetch("http://example.com/", policy=dataclasses.replace(FetchPolicy(), total_timeout=0.3))
    assert caught.value.why is FetchReason.TIMEOUT
    assert time.monotonic() - started < 1.0


def test_system_resolver_returns_address_strings(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(socket, "getaddrinfo", _fake_getaddrinfo(["127.0.0.1", "::1"]))
    assert system_resolver("app.test", 80, 1.0) == ["127.0.0.1", "::1"]
