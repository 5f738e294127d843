"""Grading an HTTPS fixture site signed by a private test CA (TOOLBOX_FETCH_CA_BUNDLE)."""

from __future__ import annotations

import ssl
from collections.abc import Iterator

import pytest

from tests.servers import serve_loopback
from tests.unit.net.conftest import CAFiles, test_ca  # noqa: F401 - the session fixture
from tests.web.test_headers_check import FIXTURES, Fixture

HSTS = ("Strict-Transport-Security", "max-age=63072000; includeSubDomains")


@pytest.fixture
def https_site(test_ca: CAFiles) -> Iterator[str]:  # noqa: F811
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(test_ca.cert_pem, test_ca.key_pem)
    FIXTURES["/good-https"] = [*FIXTURES["/good"], HSTS]
    try:
        with serve_loopback(Fixture, context) as server:
            yield f"https://localhost:{server.server_address[1]}"
    finally:
        FIXTURES.pop("/good-https", None)


def test_https_site_with_a_private_ca(make_app, https_site, test_ca) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    client = make_app(TOOLBOX_FETCH_ALLOW="127.0.0.0/8,::1/128", TOOLBOX_FETCH_PORTS="any",
                      TOOLBOX_FETCH_CA_BUNDLE=str(test_ca.ca_pem)).test_client()
    body = client.post("/api/v1/headers/check", json={"url": https_site + "/good-https"}).json
    tests = {t["id"]: t for t in body["tests"]}
    assert tests["strict-transport-security"]["pass"] is True
    assert tests["content-security-policy"]["result"] == "csp-implemented-with-no-unsafe-default-src-none"
    assert body["final_url"] == https_site + "/good-https"
    # The TLS port answers no plain HTTP: the Observatory counts that as "no HTTP to redirect".
    assert tests["redirection"]["result"] == "redirection-not-needed-no-http"
    assert any("http://" in note for note in body["notes"])


def test_untrusted_certificate_is_a_clear_422(make_app, https_site) -> None:  # type: ignore[no-untyped-def]
    client = make_app(TOOLBOX_FETCH_ALLOW="127.0.0.0/8,::1/128", TOOLBOX_FETCH_PORTS="any").test_client()
    response = client.post("/api/v1/headers/check", json={"url": https_site + "/good-https"})
    assert response.status_code == 422
    assert "not trusted" in response.json["reason"]
