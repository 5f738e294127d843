"""Huge keys through the page, the API and fetched key sets: a clear 422 (or a cheap verify), in seconds."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator

import pytest

from tests.servers import serve_json
from tests.unit.jwt import hugekeys
from tests.unit.jwt.test_key_bounds import TOO_BIG, TOO_BIG_TO_SIGN, rs256_token

SECONDS = 2.0  # the whole request; the attack cost 3 to 9 s (8192 bits) and 26 s (16384 bits)
HTMX = {"HX-Request": "true"}


def timed_post(client, url: str, **kwargs: object):  # type: ignore[no-untyped-def]
    start = time.perf_counter()
    response = client.post(url, **kwargs)
    return response, time.perf_counter() - start


def test_page_verifies_with_the_public_half_of_a_real_8192_bit_private_key(client) -> None:  # type: ignore[no-untyped-def]
    response, elapsed = timed_post(client, "/jwt/", data={"token": rs256_token(1024), "key_type": "pem",
                                                          "key": hugekeys.real_rsa_8192_pem()}, headers=HTMX)
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "Signature not verified" in html and "only its public half" in html
    assert elapsed < SECONDS


@pytest.mark.parametrize(("key", "key_type"), [
    (lambda: hugekeys.rsa_private_pem(16384), "pem"),
    (lambda: hugekeys.rsa_public_pem(16384), "pem"),
    (lambda: json.dumps(hugekeys.rsa_jwk(16384)), "jwk"),
    (lambda: hugekeys.rsa_jwks(16384, 3), "jwks"),
])
def test_page_and_api_refuse_oversized_verify_keys_with_422(client, key, key_type) -> None:  # type: ignore[no-untyped-def]
    text = key()
    page, elapsed = timed_post(client, "/jwt/", data={"token": rs256_token(2048), "key": text,
                                                      "key_type": key_type}, headers=HTMX)
    assert page.status_code == 422 and TOO_BIG in page.get_data(as_text=True)
    assert elapsed < SECONDS
    api, elapsed = timed_post(client, "/api/v1/jwt/verify", json={"token": rs256_token(2048), "key": text,
                                                                  "key_type": key_type})
    assert api.status_code == 422 and api.mimetype == "application/problem+json"
    assert TOO_BIG in api.json["detail"]
    assert elapsed < SECONDS


def test_api_verify_with_a_real_8192_bit_private_key_is_fast(client) -> None:  # type: ignore[no-untyped-def]
    response, elapsed = timed_post(client, "/api/v1/jwt/verify", json={
        "token": rs256_token(1024), "key": hugekeys.real_rsa_8192_pem(), "key_type": "pem"})
    assert response.status_code == 200 and response.json["verified"] is False
    assert response.json["notes"] == ["a private key was given: only its public half is needed (and used) to verify"]
    assert elapsed < SECONDS


@pytest.mark.parametrize(("key", "key_type"), [
    (hugekeys.real_rsa_8192_pem, "pem"),
    (lambda: json.dumps(hugekeys.rsa_jwk(8192, private=True)), "jwk"),
])
def test_signing_with_an_8192_bit_key_is_a_fast_422(client, key, key_type) -> None:  # type: ignore[no-untyped-def]
    page, elapsed = timed_post(client, "/jwt/encode", data={"payload": '{"sub": "x"}', "alg": "RS256",
                                                            "key": key(), "key_type": key_type}, headers=HTMX)
    assert page.status_code == 422 and TOO_BIG_TO_SIGN in page.get_data(as_text=True)
    assert elapsed < SECONDS
    api, elapsed = timed_post(client, "/api/v1/jwt/encode", json={"payload": {"sub": "x"}, "alg": "RS256",
                                                                  "key": key(), "key_type": key_type})
    assert api.status_code == 422 and TOO_BIG_TO_SIGN in api.json["detail"]
    assert elapsed < SECONDS


def _huge_idp(path: str, origin: str) -> bytes | None:
    """An identity provider whose JWK Set holds only 16384-bit keys."""
    if path == "/jwks.json":
        return hugekeys.rsa_jwks(16384, 3).encode()
    if path == "/.well-known/openid-configuration":
        return json.dumps({"issuer": origin, "jwks_uri": origin + "/jwks.json"}).encode()
    return None


@pytest.fixture(scope="module")
def huge_issuer() -> Iterator[str]:
    with serve_json(_huge_idp) as origin:
        yield origin


@pytest.mark.parametrize("key_type", ["jwks-url", "issuer"])
def test_fetched_key_sets_are_bounded_too(make_app, huge_issuer, key_type) -> None:  # type: ignore[no-untyped-def]
    client = make_app(TOOLBOX_FETCH_ALLOW="127.0.0.0/8", TOOLBOX_FETCH_PORTS="any").test_client()
    url = huge_issuer + "/jwks.json" if key_type == "jwks-url" else huge_issuer
    response, elapsed = timed_post(client, "/api/v1/jwt/verify", json={"token": rs256_token(2048), "key": url,
                                                                       "key_type": key_type})
    assert response.status_code == 422 and TOO_BIG in response.json["detail"]
    assert elapsed < SECONDS
