"""generate_key(): every kind yields a usable PEM and JWK pair, kid = RFC 7638 thumbprint."""

from __future__ import annotations

import json

import jwt
import pytest
from cryptography.hazmat.primitives import serialization

from toolbox.core.jwt import b64
from toolbox.core.jwt.encode import encode
from toolbox.core.jwt.keygen import KEY_KINDS, generate_key, jwk_thumbprint
from toolbox.core.jwt.model import GeneratedKey, JwtInputError
from toolbox.core.jwt.verify import verify

# RFC 7638 §3.1 example key and its published thumbprint
RFC7638_N = (
    "0vx7agoebGcQSuuPiLJXZptN9nndrQmbXEps2aiAFbWhM78LhWx4cbbfAAtVT86zwu1RK7aPFFxuhDR1L6tSoc_BJECPebWKRXjBZCiFV4n3oknjhM"
    "stn64tZ_2W-5JsGY4Hc5n9yBXArwl93lqt7_RN5w6Cf0h4QyQ5v-65YGjQR0_FDW2QvzqY368QQMicAtaSqzs8KJZgnYb9c7d0zgdAZHzu6qMQvRL5"
    "hajrn1n91CbOpbISD08qNLyrdkt-bFTWhAI4vMQFh6WeZu0fM4lFd2NcRwr3XPksINHaQ-G_xBniIqbw0Ls1jF44-csFCur-kEgU8awapJzKnqDKgw"
)


@pytest.fixture(scope="module")
def generated() -> dict[str, GeneratedKey]:
    return {kind: generate_key(kind) for kind in KEY_KINDS}


def test_key_kinds() -> None:
    assert KEY_KINDS == ("HS256", "HS384", "HS512", "RSA-2048", "RSA-3072", "P-256", "P-384", "P-521", "secp256k1",
                         "Ed25519", "Ed448")


@pytest.mark.parametrize("kind", ["HS256", "HS384", "HS512"])
def test_hmac_secrets_are_hash_length_random_and_base64url(generated: dict[str, GeneratedKey], kind: str) -> None:
    key = generated[kind]
    size = int(kind[2:]) // 8
    assert (key.kind, key.algorithm, key.private_pem, key.public_pem, key.public_jwk) == (
        f"{kind} secret", kind, None, None, {})
    assert key.secret is not None and len(b64.decode(key.secret).data or b"") == size
    assert key.private_jwk == {"kty": "oct", "kid": jwk_thumbprint(key.private_jwk), "use": "sig", "alg": kind,
                               "k": key.secret}
    assert generate_key(kind).secret != key.secret
    token = encode({}, {"sub": "x"}, kind, key.secret, "secret-base64url")
    result = verify(token, key.secret, "secret-base64url")
    assert result.verified and result.findings == ()  # exactly the RFC 7518 minimum: no short-key finding
    assert verify(token, json.dumps(key.private_jwk), "jwk").verified


@pytest.mark.parametrize(
    ("kind", "label", "alg", "bits"),
    [
        ("RSA-2048", "RSA 2048", "RS256", 2048), ("RSA-3072", "RSA 3072", "RS256", 3072),
        ("P-256", "EC P-256", "ES256", 256), ("P-384", "EC P-384", "ES384", 384), ("P-521", "EC P-521", "ES512", 521),
        ("secp256k1", "EC secp256k1", "ES256K", 256), ("Ed25519", "Ed25519", "EdDSA", None), ("Ed448", "Ed448", "EdDSA", None),
    ],
)
def test_key_pairs(generated: dict[str, GeneratedKey], kind: str, label: str, alg: str, bits: int | None) -> None:
    key = generated[kind]
    assert (key.kind, key.algorithm, key.secret) == (label, alg, None)
    assert key.private_pem and key.private_pem.startswith("-----BEGIN PRIVATE KEY-----")  # PKCS#8
    assert key.public_pem and key.public_pem.startswith("-----BEGIN PUBLIC KEY-----")  # SPKI
    private = serialization.load_pem_private_key(key.private_pem.encode(), None)
    if bits:
        assert private.key_size == bits  # type: ignore[union-attr]
    kid = jwk_thumbprint(key.public_jwk)
    for jwk in (key.private_jwk, key.public_jwk):
        assert list(jwk)[:4] == ["kty", "kid", "use", "alg"] and "key_ops" not in jwk
        assert (jwk["kid"], jwk["use"], jwk["alg"]) == (kid, "sig", alg)
    assert "d" in key.private_jwk and "d" not in key.public_jwk and "p" not in key.public_jwk
    # Signed with each private form, verified by PyJWT with the public forms and by ours.
    for text, key_type in ((key.private_pem, "pem"), (json.dumps(key.private_jwk), "jwk")):
        token = encode({"kid": kid}, {"sub": "x"}, alg, text, key_type)
        assert jwt.decode(token, jwt.PyJWK(key.public_jwk), algorithms=[alg]) == {"sub": "x"}
        assert jwt.decode(token, key.public_pem, algorithms=[alg]) == {"sub": "x"}
        result = verify(token, json.dumps({"keys": [key.public_jwk]}), "jwks")
        assert result.verified and result.kid == kid


def test_rfc7638_thumbprint_example() -> None:
    jwk = {"kty": "RSA", "n": RFC7638_N, "e": "AQAB", "alg": "RS256", "kid": "2011-04-29"}
    assert jwk_thumbprint(jwk) == "NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs"


def test_rfc8037_a3_thumbprint_example() -> None:
    jwk = {"kty": "OKP", "crv": "Ed25519", "x": "11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo"}
    assert jwk_thumbprint(jwk) == "kPrK_qmxVWaYVA9wwBF6Iuo3vVzz7TxHCTwXBygrS4k"


@pytest.mark.parametrize("kind", ["RSA-1024", "hs256", "", "P-192", "X25519"])
def test_unknown_kind(kind: str) -> None:
    with pytest.raises(JwtInputError, match="unknown key kind"):
        generate_key(kind)


@pytest.mark.parametrize("jwk", [{"kty": "RSA", "n": "x"}, {"kty": "XYZ"}, {}, {"kty": "oct", "k": 5}])
def test_thumbprint_of_an_incomplete_jwk(jwk: dict) -> None:
    with pytest.raises(JwtInputError, match="a thumbprint needs"):
        jwk_thumbprint(jwk)


def test_generated_rsa_sizes_stay_within_the_signing_bound() -> None:
    from toolbox.core.jwt.keybounds import MAX_SIGNING_RSA_BITS
    from toolbox.core.jwt.keygen import KEY_KINDS

    sizes = [int(kind[4:]) for kind in KEY_KINDS if kind.startswith("RSA-")]
    assert sizes and max(sizes) <= MAX_SIGNING_RSA_BITS
