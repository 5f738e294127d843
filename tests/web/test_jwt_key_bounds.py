"""Huge keys through the page, the API and fetched key sets: a clear 422 (or a cheap verify), in seconds."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler

import pytest

from tests.servers import serve_loopback
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


class HugeKeys(BaseHTTPRequestHandler):
    """An identity provider whose JWK Set holds only 16384-bit keys."""

    origin = ""

    def do_GET(self) -> None:  # noqa: N802 - http.server's naming
        if self.path == "/jwks.json":
            body = hugekeys.rsa_jwks(16384, 3).encode()
        elif self.path == "/.well-known/openid-configuration":
            body = json.dumps({"issuer": self.origin, "jwks_uri": self.origin + "/jwks.json"}).encode()
        else:
            self.send_response(404)
            self.end_headers()
            return
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture(scope="module")
def huge_issuer() -> Iterator[str]:
    with serve_loopback(HugeKeys) as server:
        HugeKeys.origin = f"http://127.0.0.1:{server.server_address[1]}"
        yield HugeKeys.origin


@pytest.mark.parametrize("key_type", ["jwks-url", "issuer"])
def test_fetched_key_sets_are_bounded_too(make_app, huge_issuer, key_type) -> None:  # type: ignore[no-untyped-def]
    client = make_app(TOOLBOX_FETCH_ALLOW="127.0.0.0/8", TOOLBOX_FETCH_PORTS="any").test_client()
    url = huge_issuer + "/jwks.json" if key_type == "jwks-url" else huge_issuer
    response, elapsed = timed_post(client, "/api/v1/jwt/verify", json={"token": rs256_token(2048), "key": url,
                                                                       "key_type": key_type})
    assert response.status_code == 422 and TOO_BIG in response.json["detail"]
    assert elapsed < SECONDS
