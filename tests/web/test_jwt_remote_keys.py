"""Verify with a JWKS URL or through OIDC discovery: only through the SSRF-safe fetcher."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator

import jwt
import pytest
from cryptography.hazmat.primitives.asymmetric import rsa

from tests.servers import serve_json

KEY = rsa.generate_private_key(public_exponent=65537, key_size=2048)
JWK = {**json.loads(jwt.algorithms.RSAAlgorithm.to_jwk(KEY.public_key())), "kid": "k1", "use": "sig"}
NOW = int(time.time())


def identity_provider(path: str, origin: str) -> bytes | None:
    """An identity provider on loopback: a JWKS and an OpenID configuration."""
    if path == "/jwks.json":
        return json.dumps({"keys": [JWK]}).encode()
    if path == "/.well-known/openid-configuration":
        return json.dumps({"issuer": origin, "jwks_uri": origin + "/jwks.json"}).encode()
    return None


@pytest.fixture(scope="module")
def issuer() -> Iterator[str]:
    with serve_json(identity_provider) as origin:
        yield origin


@pytest.fixture
def remote_app(make_app):  # type: ignore[no-untyped-def]
    return make_app(TOOLBOX_FETCH_ALLOW="127.0.0.0/8", TOOLBOX_FETCH_PORTS="any",
                    TOOLBOX_RATELIMIT_FETCH="3/minute")


def token(iss: str) -> str:
    return jwt.encode({"sub": "a", "iss": iss, "iat": NOW, "exp": NOW + 600}, KEY, algorithm="RS256",
                      headers={"kid": "k1"})


def test_verify_with_a_jwks_url(remote_app, issuer) -> None:  # type: ignore[no-untyped-def]
    body = remote_app.test_client().post("/api/v1/jwt/verify", json={
        "token": token(issuer), "key": issuer + "/jwks.json", "key_type": "jwks-url"}).json
    assert body["verified"] is True and body["kid"] == "k1"
    assert body["key_source"] == f"JWKS fetched from {issuer}/jwks.json"


def test_verify_through_oidc_discovery_in_the_page(remote_app, issuer) -> None:  # type: ignore[no-untyped-def]
    html = remote_app.test_client().post("/jwt/", data={
        "token": token(issuer), "key": issuer, "key_type": "issuer", "issuer": issuer, "action": "verify"},
        headers={"HX-Request": "true"}).get_data(as_text=True)
    assert "Signature verified" in html and "OIDC discovery" in html


def test_private_addresses_are_refused_by_default(make_app, logs, issuer) -> None:  # type: ignore[no-untyped-def]
    client = make_app(TOOLBOX_FETCH_PORTS="any").test_client()
    response = client.post("/api/v1/jwt/verify", json={
        "token": token(issuer), "key": issuer + "/jwks.json", "key_type": "jwks-url"})
    assert response.status_code == 422
    assert "refused" in response.json["detail"] and "127.0.0.1" not in response.json["detail"]
    events = logs.events("fetch-refused")
    assert events and all("127.0.0.1" not in str(e["reason"]) for e in events)


@pytest.mark.parametrize("url", ["file:///etc/passwd", "http://user:pw@example.com/jwks", "gopher://x/", "not a url"])
def test_hostile_urls_are_422(remote_app, url) -> None:  # type: ignore[no-untyped-def]
    response = remote_app.test_client().post("/api/v1/jwt/verify", json={
        "token": token("x"), "key": url, "key_type": "jwks-url"})
    assert response.status_code == 422


def test_fetching_requests_have_the_stricter_limit(remote_app, issuer) -> None:  # type: ignore[no-untyped-def]
    client = remote_app.test_client()
    fetching = {"token": token(issuer), "key": issuer + "/jwks.json", "key_type": "jwks-url"}
    codes = [client.post("/api/v1/jwt/verify", json=fetching).status_code for _ in range(4)]
    assert codes == [200, 200, 200, 429]
    # Verifying with a pasted key does not fetch, so the fetch limit does not apply to it.
    pasted = {"token": token(issuer), "key": json.dumps({"keys": [JWK]}), "key_type": "jwks"}
    assert client.post("/api/v1/jwt/verify", json=pasted).status_code == 200


def test_urls_inside_the_token_are_never_followed(remote_app, issuer) -> None:  # type: ignore[no-untyped-def]
    # A jku header is reported by the audit, never fetched: verifying with a pasted key works
    # and the server we point jku at gets no request for it.
    forged = jwt.encode({"sub": "a"}, KEY, algorithm="RS256", headers={"jku": issuer + "/jwks.json"})
    body = remote_app.test_client().post("/api/v1/jwt/decode", json={"token": forged}).json
    assert "remote-key-url" in {f["id"] for f in body["findings"]}


def test_cli_verify_with_jwks_url(issuer, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from click.testing import CliRunner

    from toolbox.cli import main

    env = {"TOOLBOX_FETCH_ALLOW": "127.0.0.0/8", "TOOLBOX_FETCH_PORTS": "any"}
    ok = CliRunner().invoke(main, ["jwt", "verify", token(issuer), "--key-type", "issuer", "--url", issuer], env=env)
    assert ok.exit_code == 0, ok.output
    refused = CliRunner().invoke(main, ["jwt", "verify", token(issuer), "--key-type", "jwks-url",
                                        "--url", issuer + "/jwks.json"], env={"TOOLBOX_FETCH_ALLOW": ""})
    assert refused.exit_code == 2 and "refused" in refused.output
    assert CliRunner().invoke(main, ["jwt", "verify", token(issuer), "--key-type", "jwks-url"]).exit_code == 2


def test_cli_detects_an_issuer_or_a_jwks_url(issuer) -> None:  # type: ignore[no-untyped-def]
    from click.testing import CliRunner

    from toolbox.cli import main

    env = {"TOOLBOX_FETCH_ALLOW": "127.0.0.0/8", "TOOLBOX_FETCH_PORTS": "any"}
    for url, read_as in ((issuer, "Issuer URL: JWK Set (1 key)"), (issuer + "/jwks.json", "JWKS URL: JWK Set (1 key)")):
        result = CliRunner().invoke(main, ["jwt", "verify", token(issuer), "--url", url, "--json"], env=env)
        assert result.exit_code == 0, result.output
        assert json.loads(result.output)["key_read_as"] == read_as


def test_api_and_page_detect_an_issuer_url(remote_app, issuer) -> None:  # type: ignore[no-untyped-def]
    client = remote_app.test_client()
    body = client.post("/api/v1/jwt/verify", json={"token": token(issuer), "key": issuer + "/"}).json
    assert body["verified"] is True and body["key_type"] == "issuer"
    assert body["key_read_as"] == "Issuer URL: JWK Set (1 key)"
    html = client.post("/jwt/", data={"token": token(issuer), "key": issuer, "action": "verify"},
                       headers={"HX-Request": "true"}).get_data(as_text=True)
    assert "Key read as: Issuer URL: JWK Set (1 key)" in html and "OIDC discovery" in html
