"""POST /api/v1/jwt/decode|verify|encode|keys."""

from __future__ import annotations

import time

import jwt
import pytest

SECRET = "a-test-secret-that-is-long-enough-for-hs256-hs384-and-even-hs512-ok"
NOW = int(time.time())
TOKEN = jwt.encode({"sub": "ada", "iat": NOW, "exp": NOW + 600}, SECRET, algorithm="HS256")


def test_decode(client) -> None:  # type: ignore[no-untyped-def]
    body = client.post("/api/v1/jwt/decode", json={"token": TOKEN}).json
    assert body["kind"] == "jws"
    assert body["header"]["alg"] == "HS256"
    assert body["payload"]["sub"] == "ada"
    assert body["status"]["state"] == "valid"
    assert body["signature"] == TOKEN.rsplit(".", 1)[1]
    assert isinstance(body["claims"], list) and isinstance(body["findings"], list)
    assert "token" not in body  # the input is not echoed back whole


def test_decode_nothing_decodes_is_422(client) -> None:  # type: ignore[no-untyped-def]
    response = client.post("/api/v1/jwt/decode", json={"token": "!!!.???.***"})
    assert response.status_code == 422
    assert response.mimetype == "application/problem+json"
    assert response.json["errors"]


def test_decode_too_long_is_rejected_by_schema(client) -> None:  # type: ignore[no-untyped-def]
    response = client.post("/api/v1/jwt/decode", json={"token": "a" * 300_000})
    assert response.status_code == 422
    assert response.json["errors"][0]["pointer"] == "/token"


def test_verify(client) -> None:  # type: ignore[no-untyped-def]
    body = client.post("/api/v1/jwt/verify", json={"token": TOKEN, "key": SECRET, "key_type": "secret",
                                                    "audience": "x", "leeway": 5}).json
    assert body["verified"] is True
    assert body["alg"] == "HS256"
    assert body["claims_valid"] is False  # no aud in the token, one was expected
    assert body["claim_errors"]
    bad = client.post("/api/v1/jwt/verify", json={"token": TOKEN, "key": "nope-" + SECRET,
                                                   "key_type": "secret"}).json
    assert bad["verified"] is False and bad["reason"]


@pytest.mark.parametrize(
    "body",
    [
        {"token": TOKEN, "key": "x", "key_type": "jwks-uri"},  # no such key type
        {"token": TOKEN, "key": "x", "key_type": "secret", "leeway": -1},
        {"token": TOKEN, "key": "x", "key_type": "secret", "require": "exp"},
        {"token": 5, "key": "x", "key_type": "secret"},
    ],
)
def test_verify_bad_bodies_are_422(client, body) -> None:  # type: ignore[no-untyped-def]
    response = client.post("/api/v1/jwt/verify", json=body)
    assert response.status_code == 422
    assert response.json["errors"]


def test_verify_unusable_key_is_422_with_reason(client) -> None:  # type: ignore[no-untyped-def]
    response = client.post("/api/v1/jwt/verify", json={"token": TOKEN, "key": "{not json", "key_type": "jwk"})
    assert response.status_code == 422
    assert response.json["detail"]


def test_encode_and_keys_round_trip(client) -> None:  # type: ignore[no-untyped-def]
    key = client.post("/api/v1/jwt/keys", json={"kind": "P-256"}).json
    assert key["algorithm"] == "ES256" and "BEGIN PRIVATE KEY" in key["private_pem"]
    signed = client.post("/api/v1/jwt/encode", json={
        "payload": {"sub": "x", "exp": "+5m"}, "alg": "ES256", "key": key["private_pem"], "key_type": "pem"}).json
    verified = client.post("/api/v1/jwt/verify", json={
        "token": signed["token"], "key": key["public_pem"], "key_type": "pem"}).json
    assert verified["verified"] is True and verified["claims_valid"] is True


def test_encode_with_mismatched_key_is_422(client) -> None:  # type: ignore[no-untyped-def]
    response = client.post("/api/v1/jwt/encode", json={"payload": {}, "alg": "RS256", "key": SECRET,
                                                        "key_type": "secret"})
    assert response.status_code == 422


def test_openapi_lists_the_jwt_operations(client) -> None:  # type: ignore[no-untyped-def]
    paths = client.get("/api/openapi.json").json["paths"]
    for op in ("decode", "verify", "encode", "keys"):
        assert f"/api/v1/jwt/{op}" in paths


@pytest.mark.parametrize("claim", ["exp", "nbf", "iat", "auth_time"])
def test_huge_integer_time_claims_never_500(client, claim) -> None:  # type: ignore[no-untyped-def]
    payload = jwt.utils.base64url_encode(f'{{"{claim}": 1{"0" * 400}, "sub": "x"}}'.encode()).decode()
    header = jwt.utils.base64url_encode(b'{"alg":"HS256","typ":"JWT"}').decode()
    token = f"{header}.{payload}.c2lnbmF0dXJl"
    decoded = client.post("/api/v1/jwt/decode", json={"token": token})
    assert decoded.status_code == 200
    verified = client.post("/api/v1/jwt/verify", json={"token": token, "key": SECRET, "key_type": "secret"})
    assert verified.status_code == 200
    assert verified.json["verified"] is False
    page = client.post("/jwt/", data={"token": token, "key": SECRET})
    assert page.status_code == 200
