"""HTTPS: certificates are verified against the URL's name, with an operator CA bundle when set."""

from __future__ import annotations

import contextlib
import dataclasses
import ssl
from collections.abc import Iterator

import pytest

from tests.unit.net.conftest import (
    LOOPBACK_ALLOWED,
    CAFiles,
    FakeResolver,
    RecordingConnector,
    Server,
    _serve,
)
from toolbox.core.net import FetchFailed, FetchRefused, fetch
from toolbox.core.net.errors import FetchReason


def test_valid_certificate_for_the_name_passes_with_the_ca_bundle(https_server: Server, test_ca: CAFiles) -> None:
    policy = dataclasses.replace(LOOPBACK_ALLOWED, ca_bundle=str(test_ca.ca_pem))
    connector = RecordingConnector()
    resolver = FakeResolver({"localhost": ["127.0.0.1"]})
    result = fetch(
        f"https://localhost:{https_server.port}/ok", policy=policy, resolver=resolver, connector=connector
    )
    assert (result.final.status, result.body) == (200, b"hello")
    assert connector.addresses == ["127.0.0.1"]  # connected to the checked address …
    assert https_server.sni == ["localhost"]  # … while SNI carries the name


def test_wrong_host_name_fails_with_a_clear_reason(https_server: Server, test_ca: CAFiles) -> None:
    policy = dataclasses.replace(LOOPBACK_ALLOWED, ca_bundle=str(test_ca.ca_pem))
    resolver = FakeResolver({"other.test": ["127.0.0.1"]})
    with pytest.raises(FetchFailed) as caught:
        fetch(f"https://other.test:{https_server.port}/ok", policy=policy, resolver=resolver)
    assert caught.value.why is FetchReason.TLS_HOSTNAME
    assert caught.value.reason == "the TLS certificate does not match the host name"
    assert https_server.seen == []


def test_ip_literal_is_checked_against_ip_names_in_the_certificate(https_server: Server, test_ca: CAFiles) -> None:
    policy = dataclasses.replace(LOOPBACK_ALLOWED, ca_bundle=str(test_ca.ca_pem))
    with pytest.raises(FetchFailed) as caught:
        fetch(f"https://127.0.0.1:{https_server.port}/ok", policy=policy)
    assert caught.value.why is FetchReason.TLS_HOSTNAME


def test_without_the_ca_bundle_the_private_ca_is_not_trusted(https_server: Server) -> None:
    resolver = FakeResolver({"localhost": ["127.0.0.1"]})
    with pytest.raises(FetchFailed) as caught:
        fetch(f"https://localhost:{https_server.port}/ok", policy=LOOPBACK_ALLOWED, resolver=resolver)
    assert caught.value.why is FetchReason.TLS_UNTRUSTED
    assert https_server.seen == []


def test_plain_http_to_a_tls_port_fails_cleanly(https_server: Server) -> None:
    with pytest.raises(FetchFailed) as caught:
        fetch(f"http://127.0.0.1:{https_server.port}/ok", policy=dataclasses.replace(LOOPBACK_ALLOWED, total_timeout=2))
    assert caught.value.why in {FetchReason.BAD_RESPONSE, FetchReason.TIMEOUT}


def test_an_expired_certificate_fails_with_a_clear_reason(expired_https_server: Server, test_ca: CAFiles) -> None:
    policy = dataclasses.replace(LOOPBACK_ALLOWED, ca_bundle=str(test_ca.ca_pem))
    resolver = FakeResolver({"localhost": ["127.0.0.1"]})
    with pytest.raises(FetchFailed) as caught:
        fetch(f"https://localhost:{expired_https_server.port}/ok", policy=policy, resolver=resolver)
    assert caught.value.why is FetchReason.TLS_EXPIRED


# Credentials for a staging site (private_headers): their own origin over https only.
SECRET = [("Authorization", "Basic c3RhZ2luZzpjYW5hcnktNzcxMg==")]


def _received(result_body: bytes) -> dict[str, str]:
    import json

    return {name.lower(): value for name, value in json.loads(result_body)["headers"]}


@contextlib.contextmanager
def _second_https_server(test_ca: CAFiles) -> Iterator[Server]:
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(test_ca.cert_pem, test_ca.key_pem)
    yield from _serve(context)


def test_private_headers_reach_the_https_origin(https_server: Server, test_ca: CAFiles) -> None:
    policy = dataclasses.replace(LOOPBACK_ALLOWED, ca_bundle=str(test_ca.ca_pem))
    result = fetch(f"https://localhost:{https_server.port}/echo", policy=policy, private_headers=SECRET,
                   resolver=FakeResolver({"localhost": ["127.0.0.1"]}))
    assert _received(result.body)["authorization"] == SECRET[0][1]


def test_private_headers_are_never_sent_over_plain_http(http_server: Server) -> None:
    with pytest.raises(FetchRefused) as caught:
        fetch(f"http://127.0.0.1:{http_server.port}/echo", policy=LOOPBACK_ALLOWED, private_headers=SECRET)
    assert caught.value.why is FetchReason.CREDENTIALS_OVER_HTTP
    assert http_server.seen == []  # refused before any connection
    assert "c3RhZ2luZz" not in str(caught.value)


@pytest.mark.parametrize("where", ["another-port", "plain-http"])
def test_private_headers_stay_behind_on_a_redirect_to_another_origin(
        https_server: Server, http_server: Server, test_ca: CAFiles, where: str) -> None:
    policy = dataclasses.replace(LOOPBACK_ALLOWED, ca_bundle=str(test_ca.ca_pem))
    resolver = FakeResolver({"localhost": ["127.0.0.1"]})
    if where == "another-port":
        with _second_https_server(test_ca) as other:
            target = f"https://localhost:{other.port}/echo"
            result = fetch(f"https://localhost:{https_server.port}/redirect?to={target}", policy=policy,
                           private_headers=SECRET, headers=[("Origin", "https://probe.invalid")], resolver=resolver)
    else:
        target = f"http://localhost:{http_server.port}/echo"
        result = fetch(f"https://localhost:{https_server.port}/redirect?to={target}", policy=policy,
                       private_headers=SECRET, headers=[("Origin", "https://probe.invalid")], resolver=resolver)
    assert [hop.status for hop in result.hops] == [302, 200]
    received = _received(result.body)
    assert "authorization" not in received  # the other origin never sees the credentials …
    assert received["origin"] == "https://probe.invalid"  # … while ordinary extra headers go on


def test_a_bad_private_header_is_refused_without_echoing_it(https_server: Server, test_ca: CAFiles) -> None:
    policy = dataclasses.replace(LOOPBACK_ALLOWED, ca_bundle=str(test_ca.ca_pem))
    for bad in ([("Authorization", "Basic x\r\nX-Evil: 1")], [("Host", "evil.example")],
                [("Bad Name", "v")], [("Authorization", "caf\u00e9-secret")]):
        with pytest.raises(FetchRefused) as caught:
            fetch(f"https://localhost:{https_server.port}/echo", policy=policy, private_headers=bad,
                  resolver=FakeResolver({"localhost": ["127.0.0.1"]}))
        assert caught.value.why is FetchReason.BAD_HEADER
        assert bad[0][1] not in str(caught.value)
    assert https_server.seen == []
