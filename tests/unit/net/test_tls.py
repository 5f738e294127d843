"""HTTPS: certificates are verified against the URL's name, with an operator CA bundle when set."""

from __future__ import annotations

import dataclasses

import pytest

from tests.unit.net.conftest import LOOPBACK_ALLOWED, CAFiles, FakeResolver, RecordingConnector, Server
from toolbox.core.net import FetchFailed, fetch
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
