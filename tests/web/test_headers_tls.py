"""Grading an HTTPS fixture site signed by a private test CA (TOOLBOX_FETCH_CA_BUNDLE)."""

from __future__ import annotations

import ssl
from collections.abc import Iterator

import pytest
from click.testing import CliRunner

from tests.servers import serve_loopback
from tests.unit.net.conftest import CAFiles, test_ca  # noqa: F401 - the session fixture
from tests.unit.net.test_tls_info import Authority  # a CA that issues leaves with any dates
from tests.web.test_headers_check import FIXTURES, Fixture
from toolbox.cli import main

HSTS = ("Strict-Transport-Security", "max-age=63072000; includeSubDomains")


def _site(issued) -> Iterator[str]:  # type: ignore[no-untyped-def]
    """The fixture site over TLS with `issued`'s certificate and key (anything with cert_pem, key_pem)."""
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(issued.cert_pem, issued.key_pem)
    FIXTURES["/good-https"] = [*FIXTURES["/good"], HSTS]
    try:
        with serve_loopback(Fixture, context) as server:
            yield f"https://localhost:{server.server_address[1]}"
    finally:
        FIXTURES.pop("/good-https", None)


@pytest.fixture
def https_site(test_ca: CAFiles) -> Iterator[str]:  # noqa: F811
    yield from _site(test_ca)


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


# --- the TLS and certificate summary, through the API, the page and the CLI ---------------------------


@pytest.fixture(scope="module")
def authority(tmp_path_factory: pytest.TempPathFactory) -> Authority:
    return Authority(tmp_path_factory.mktemp("headers-tls"))




@pytest.fixture
def tls_client(make_app, authority):  # type: ignore[no-untyped-def]
    return make_app(TOOLBOX_FETCH_ALLOW="127.0.0.0/8,::1/128", TOOLBOX_FETCH_PORTS="any",
                    TOOLBOX_FETCH_CA_BUNDLE=str(authority.ca_pem)).test_client()


def test_the_summary_of_a_site_whose_certificate_expires_in_5_days(tls_client, authority, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    for site in _site(authority.issue(days=5.5)):
        body = tls_client.post("/api/v1/headers/check", json={"url": site + "/good-https"}).json
        tls = body["tls"]
        assert tls["protocol"] in {"TLSv1.2", "TLSv1.3"} and tls["cipher"] and tls["cipher_bits"] >= 128
        assert (tls["subject"], tls["name_matches"], tls["matched_by"]) == ("localhost", True, "localhost")
        assert tls["issuer"] == "toolbox tls-info CA (Toolbox Test Org)" and tls["chain"] == "verified"
        assert tls["days_left"] == 5 and tls["key"] == "EC P-256 (256 bits)"
        expiring = {f["id"]: f for f in body["findings"]}["tls-cert-expiring"]
        assert expiring["severity"] == "high"  # under 7 days, and HSTS makes the error unclickable
        # The grade is the Observatory's: the certificate changes no score.
        tests = {t["id"]: t for t in body["tests"]}
        assert tests["strict-transport-security"]["pass"] is True
        html = tls_client.post("/headers/", data={"url": site + "/good-https"},
                               headers={"HX-Request": "true"}).get_data(as_text=True)
        assert "Connection and certificate" in html and "5 days left" in html and "tls-cert-expiring" in html
        monkeypatch.setenv("TOOLBOX_FETCH_ALLOW", "127.0.0.0/8,::1/128")
        monkeypatch.setenv("TOOLBOX_FETCH_PORTS", "any")
        monkeypatch.setenv("TOOLBOX_FETCH_CA_BUNDLE", str(authority.ca_pem))
        text = CliRunner().invoke(main, ["headers", site + "/good-https"]).output
        assert "TLS: TLSv1." in text and "certificate localhost, issuer toolbox tls-info CA" in text
        assert "expires in 5 days" in text and "[high] tls-cert-expiring" in text


def test_a_plain_http_site_has_no_tls_summary(make_app) -> None:  # type: ignore[no-untyped-def]
    from tests.web.test_headers_check import Fixture as Plain

    client = make_app(TOOLBOX_FETCH_ALLOW="127.0.0.0/8", TOOLBOX_FETCH_PORTS="any").test_client()
    with serve_loopback(Plain) as server:
        body = client.post("/api/v1/headers/check", json={"url": f"http://127.0.0.1:{server.server_address[1]}/good"})
    assert body.json["tls"] is None


@pytest.mark.parametrize(("issue", "words"), [
    ({"days": -3, "start_days": -30}, "The certificate expired 3 days ago"),
    ({"dns": ("other.example",), "cn": "other.example"}, "is for other.example, not for localhost"),
    ({"self_signed": True}, "self-signed"),
])
def test_a_rejected_certificate_is_described_in_the_422(tls_client, authority, issue, words) -> None:  # type: ignore[no-untyped-def]
    for site in _site(authority.issue(**issue)):
        response = tls_client.post("/api/v1/headers/check", json={"url": site + "/good-https"})
        assert response.status_code == 422
        assert words in response.json["detail"] and words in response.json["certificate"]
        page = tls_client.post("/headers/", data={"url": site + "/good-https"}).get_data(as_text=True)
        assert words in page
