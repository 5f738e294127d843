"""encode(): tokens we sign with every algorithm and private-key form verify with PyJWT (and with ours)."""

from __future__ import annotations

import base64
import json
from typing import Any

import jwt
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, ed448, ed25519, rsa

from toolbox.core.jwt import b64
from toolbox.core.jwt.encode import encode, resolve_time
from toolbox.core.jwt.model import JwtInputError
from toolbox.core.jwt.verify import verify

NOW = 1_700_000_000
PEM = serialization.Encoding.PEM
NO_PASSWORD = serialization.NoEncryption()
ALGS = ["HS256", "HS384", "HS512", "RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES256K", "ES384",
        "ES512", "EdDSA", "EdDSA-448"]


@pytest.fixture(scope="module")
def private_keys() -> dict[str, Any]:
    rsa_key = rsa.generate_private_key(65537, 2048)
    keys: dict[str, Any] = {f"{p}{n}": rsa_key for p in ("RS", "PS") for n in (256, 384, 512)}
    keys |= {"ES256": ec.generate_private_key(ec.SECP256R1()), "ES256K": ec.generate_private_key(ec.SECP256K1()),
             "ES384": ec.generate_private_key(ec.SECP384R1()), "ES512": ec.generate_private_key(ec.SECP521R1()),
             "EdDSA": ed25519.Ed25519PrivateKey.generate(), "EdDSA-448": ed448.Ed448PrivateKey.generate()}
    return keys


def private_texts(private: Any) -> list[tuple[str, str]]:
    """Every private-key form we accept for this key: PKCS#8, the traditional PEM where one exists, JWK."""
    forms = [(private.private_bytes(PEM, serialization.PrivateFormat.PKCS8, NO_PASSWORD).decode(), "pem")]
    if isinstance(private, rsa.RSAPrivateKey | ec.EllipticCurvePrivateKey):  # PKCS#1 "RSA PRIVATE KEY", SEC1
        traditional = private.private_bytes(PEM, serialization.PrivateFormat.TraditionalOpenSSL, NO_PASSWORD)
        assert traditional.startswith((b"-----BEGIN RSA PRIVATE KEY", b"-----BEGIN EC PRIVATE KEY"))
        forms.append((traditional.decode(), "pem"))
    algorithm = jwt.get_algorithm_by_name("RS256" if isinstance(private, rsa.RSAPrivateKey) else
                                          "ES256" if isinstance(private, ec.EllipticCurvePrivateKey) else "EdDSA")
    forms.append((algorithm.to_jwk(private), "jwk"))
    return forms


@pytest.mark.parametrize("alg", ALGS)
def test_tokens_we_sign_verify_with_pyjwt_and_with_ours(private_keys: dict[str, Any], alg: str) -> None:
    name = alg.split("-")[0]
    payload = {"sub": "user-1", "exp": "+15m", "iat": "now", "nested": {"é": [1, 2.5, None]}}
    if alg.startswith("HS"):
        secret = b"\x05" * {"HS256": 32, "HS384": 48, "HS512": 64}[alg]
        forms = [(secret.decode(), "secret"), (base64.b64encode(secret).decode(), "secret-base64"),
                 (b64.encode(secret), "secret-base64url"), (json.dumps({"kty": "oct", "k": b64.encode(secret)}), "jwk")]
        verify_with: Any = secret
    else:
        forms = private_texts(private_keys[alg])
        verify_with = private_keys[alg].public_key()
    for text, key_type in forms:
        token = encode({"typ": "JWT", "kid": "k1"}, payload, name, text, key_type, now=NOW)
        header = jwt.get_unverified_header(token)
        assert header == {"alg": name, "typ": "JWT", "kid": "k1"} and list(header)[0] == "alg"
        claims = jwt.decode(token, verify_with, algorithms=[name], options={"verify_exp": False})
        assert claims == {"sub": "user-1", "exp": NOW + 900, "iat": NOW, "nested": {"é": [1, 2.5, None]}}
        ours = verify(token, text, key_type, now=NOW + 60)
        assert ours.verified and ours.claims_valid, (key_type, ours.reason)


def test_signing_with_a_public_key_is_refused(private_keys: dict[str, Any]) -> None:
    public = private_keys["RS256"].public_key().public_bytes(PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
    with pytest.raises(JwtInputError, match="signing needs the private key, but this is a public key"):
        encode({}, {}, "RS256", public.decode(), "pem")
    jwk = jwt.get_algorithm_by_name("ES256").to_jwk(private_keys["ES256"].public_key())
    with pytest.raises(JwtInputError, match="signing needs the private key, but the JWK has no \"d\" member"):
        encode({}, {}, "ES256", jwk, "jwk")


@pytest.mark.parametrize(
    ("alg", "key", "message"),
    [
        ("HS256", "RS256", "algorithm/key mismatch: HS256 needs an HMAC secret but the key is an RSA private key"),
        ("RS256", "ES256", "algorithm/key mismatch: RS256 needs an RSA key but the key is an EC P-256 private key"),
        ("ES256", "ES384", "wrong curve: ES256 needs an EC key on P-256 but the key is on P-384"),
        ("EdDSA", "ES256K", "algorithm/key mismatch: EdDSA needs an Ed25519 or Ed448 key but the key is an EC"),
        ("ES256K", "EdDSA", "needs an EC key on secp256k1 but the key is an Ed25519 private key"),
    ],
)
def test_algorithm_and_key_must_match(private_keys: dict[str, Any], alg: str, key: str, message: str) -> None:
    text = private_keys[key].private_bytes(PEM, serialization.PrivateFormat.PKCS8, NO_PASSWORD).decode()
    with pytest.raises(JwtInputError, match=message):
        encode({}, {}, alg, text, "pem")


def test_secret_for_an_asymmetric_algorithm_is_refused() -> None:
    with pytest.raises(JwtInputError, match="RS256 needs an RSA key but the key is an HMAC secret"):
        encode({}, {}, "RS256", "s" * 32, "secret")


def test_jwk_alg_member_binds_the_key(private_keys: dict[str, Any]) -> None:
    jwk = json.loads(jwt.get_algorithm_by_name("RS256").to_jwk(private_keys["RS256"]))
    with pytest.raises(JwtInputError, match="the JWK is for RS256 \\(its \"alg\" member\\), not PS256"):
        encode({}, {}, "PS256", json.dumps({**jwk, "alg": "RS256"}), "jwk")


@pytest.mark.parametrize("alg", ["none", "None", "NONE"])
def test_alg_none_only_when_asked_makes_an_unsecured_token(alg: str) -> None:
    token = encode({}, {"sub": "x"}, alg, "", "secret")
    header, payload, signature = token.split(".")
    assert signature == "" and json.loads(b64.decode(header).data or b"") == {"alg": alg}
    assert not verify(token, "k" * 32, "secret").verified
    with pytest.raises(jwt.InvalidAlgorithmError):
        jwt.decode(token, "k" * 32, algorithms=["HS256"])


@pytest.mark.parametrize(
    ("header", "payload", "alg", "message"),
    [
        ([], {}, "HS256", "the header must be a JSON object"),
        ({}, "text", "HS256", "the payload must be a JSON object"),
        ({}, [1], "HS256", "the payload must be a JSON object"),
        ({"alg": "RS256"}, {}, "HS256", "the header says alg \"RS256\" but the token is to be signed with 'HS256'"),
        ({}, {}, "HS257", "unsupported algorithm 'HS257'"),
        ({}, {}, "", "choose an algorithm"),
        ({}, {"x": float("nan")}, "HS256", "the payload cannot be written as JSON"),
        ({}, {"x": "\udcff"}, "HS256", "the payload cannot be written as JSON"),
        ({"x": {1, 2}}, {}, "HS256", "the header cannot be written as JSON"),
        ({}, {"exp": "+15x"}, "HS256", "cannot read exp '\\+15x': use now, \\+30s, \\+15m, -1h, \\+2d or \\+1w"),
        ({}, {"nbf": "now!"}, "HS256", "cannot read nbf 'now!'"),
    ],
)
def test_bad_input(header: Any, payload: Any, alg: str, message: str) -> None:
    with pytest.raises(JwtInputError, match=message):
        encode(header, payload, alg, "k" * 32, "secret", now=NOW)


def test_header_alg_equal_to_the_argument_is_fine() -> None:
    assert jwt.get_unverified_header(encode({"alg": "HS256"}, {}, "HS256", "k" * 32, "secret"))["alg"] == "HS256"


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("now", NOW), ("+15m", NOW + 900), ("-1h", NOW - 3600), ("+2d", NOW + 172800), ("+30s", NOW + 30),
        ("+1w", NOW + 604800), ("+30", NOW + 30), ("now+1h", NOW + 3600), ("NOW - 5 min", NOW - 300),
        ("+3 days", NOW + 259200), (NOW, NOW), (12.5, 12.5), ("2026-01-01", "2026-01-01"), (None, None),
    ],
)
def test_time_helpers(value: Any, expected: Any) -> None:
    assert resolve_time(value, NOW) == expected


def test_time_helpers_apply_only_to_time_claims() -> None:
    token = encode({}, {"exp": "+1h", "auth_time": "-5m", "note": "+1h"}, "HS256", "k" * 32, "secret", now=NOW)
    claims = json.loads(b64.decode(token.split(".")[1]).data or b"")
    assert claims == {"exp": NOW + 3600, "auth_time": NOW - 300, "note": "+1h"}


@pytest.mark.parametrize(
    ("jwk", "message"),
    [
        ({"kty": "EC", "crv": "P-256", "x": "f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU",
          "y": "x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0", "d": "jpsQnnGQmL-YBIffH1136cLnT8EgfH3cTzP9kGkoFtM"},
         "the EC key has a \"d\" that does not belong to its public point"),
        ({"kty": "OKP", "crv": "Ed25519", "x": "11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo",
          "d": "jpsQnnGQmL-YBIffH1136cLnT8EgfH3cTzP9kGkoFtM"}, "Public key does not match private key"),
        ({"kty": "RSA", "n": "AQAB", "e": "AQAB", "d": "AQAB"}, "the RSA key"),
    ],
)
def test_private_jwks_whose_parts_do_not_belong_together_are_refused(jwk: dict[str, str], message: str) -> None:
    with pytest.raises(JwtInputError, match=message):
        encode({}, {}, {"EC": "ES256", "OKP": "EdDSA", "RSA": "RS256"}[jwk["kty"]], json.dumps(jwk), "jwk")
