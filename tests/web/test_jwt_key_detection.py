"""Issue 10: the key type is detected from what is pasted and the token's alg, by one function, and the
page, the API and the command line agree on every input (docs/jwt.md, "Key type detection")."""

from __future__ import annotations

import base64
import datetime
import html
import json
import re
import time
from typing import Any

import jwt
import pytest
from click.testing import CliRunner
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.x509.oid import NameOID

from toolbox.cli import main
from toolbox.core.jwt.infer import infer_key_type
from toolbox.core.jwt.model import JwtInputError

SAME_ORIGIN = {"Sec-Fetch-Site": "same-origin"}
HTMX = {**SAME_ORIGIN, "HX-Request": "true"}
NOW = int(time.time())
CLAIMS = {"sub": "ada", "iat": NOW, "exp": NOW + 600}
SECRET = "a-long-enough-hmac-secret-for-hs256-0123456789"
RSA_KEY = rsa.generate_private_key(public_exponent=65537, key_size=2048)
EC_KEY = ec.generate_private_key(ec.SECP256R1())


def _public_pem(key: Any) -> str:
    return key.public_key().public_bytes(serialization.Encoding.PEM,
                                         serialization.PublicFormat.SubjectPublicKeyInfo).decode()


def _private_pem(key: Any) -> str:
    return key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                             serialization.NoEncryption()).decode()


def _certificate(key: rsa.RSAPrivateKey) -> str:
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "detect.example")])
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
            .serial_number(1).not_valid_before(datetime.datetime(2026, 1, 1))
            .not_valid_after(datetime.datetime(2036, 1, 1)).sign(key, hashes.SHA256()))
    return cert.public_bytes(serialization.Encoding.PEM).decode()


RSA_JWK = {**json.loads(jwt.algorithms.RSAAlgorithm.to_jwk(RSA_KEY.public_key())), "kid": "r1"}
EC_JWK = {**json.loads(jwt.algorithms.ECAlgorithm.to_jwk(EC_KEY.public_key())), "kid": "e1"}
RS256 = jwt.encode(CLAIMS, RSA_KEY, algorithm="RS256", headers={"kid": "r1"})
ES256 = jwt.encode(CLAIMS, EC_KEY, algorithm="ES256", headers={"kid": "e1"})
HS256 = jwt.encode(CLAIMS, SECRET, algorithm="HS256")
BARE_DER = "".join(_public_pem(RSA_KEY).strip().splitlines()[1:-1])  # what some identity providers show

# (name, token, key text, detected key type, "Key read as" on every surface, verified)
TABLE = [
    ("secret", HS256, SECRET, "secret", f"HMAC secret (UTF-8, {len(SECRET)} bytes)", True),
    ("pem-public", RS256, _public_pem(RSA_KEY), "pem", "PEM public key (RSA 2048)", True),
    ("pem-private", RS256, _private_pem(RSA_KEY), "pem", "PEM private key (RSA 2048)", True),
    ("certificate", RS256, _certificate(RSA_KEY), "pem", "X.509 certificate (RSA 2048)", True),
    ("pem-ec", ES256, _public_pem(EC_KEY), "pem", "PEM public key (EC P-256)", True),
    ("jwk", RS256, json.dumps(RSA_JWK), "jwk", "JWK (RSA 2048)", True),
    ("jwks", ES256, json.dumps({"keys": [RSA_JWK, EC_JWK]}), "jwks", "JWK Set (2 keys)", True),
    ("bare-der", RS256, BARE_DER, "pem", "PEM public key (RSA 2048)", True),
    # The key-confusion attack: an HS256 token and the issuer's public key. Never an HMAC secret.
    ("pem-for-hs256", HS256, _public_pem(RSA_KEY), "pem", "PEM public key (RSA 2048)", False),
    ("wrong-secret", HS256, "another-long-enough-hmac-secret-0123456789", "secret",
     "HMAC secret (UTF-8, 42 bytes)", False),
]
IDS = [row[0] for row in TABLE]


@pytest.mark.parametrize(("name", "token", "key", "key_type", "read_as", "verified"), TABLE, ids=IDS)
def test_core_detects_the_key_type(name, token, key, key_type, read_as, verified) -> None:  # type: ignore[no-untyped-def]
    alg = jwt.get_unverified_header(token)["alg"]
    assert infer_key_type(key, alg).key_type == key_type


@pytest.mark.parametrize(("name", "token", "key", "key_type", "read_as", "verified"), TABLE, ids=IDS)
def test_api_detects_by_default(client, name, token, key, key_type, read_as, verified) -> None:  # type: ignore[no-untyped-def]
    for body in ({"token": token, "key": key}, {"token": token, "key": key, "key_type": "auto"}):
        answer = client.post("/api/v1/jwt/verify", json=body)
        assert answer.status_code == 200, answer.json
        assert answer.json["key_type"] == key_type
        assert answer.json["key_read_as"] == read_as
        assert answer.json["verified"] is verified


@pytest.mark.parametrize(("name", "token", "key", "key_type", "read_as", "verified"), TABLE, ids=IDS)
def test_page_detects_by_default_and_says_so(client, name, token, key, key_type, read_as, verified) -> None:  # type: ignore[no-untyped-def]
    page = client.post("/jwt/", data={"token": token, "key": key}, headers=HTMX).get_data(as_text=True)
    assert f"Key read as: {read_as}" in html.unescape(page)
    word = re.search(r'class="verdict verdict-(\w+)"><span class="word">(\w+)</span>', page)
    assert word and word.groups() == (("ok", "Verified") if verified else ("bad", "Rejected"))


@pytest.mark.parametrize(("name", "token", "key", "key_type", "read_as", "verified"), TABLE, ids=IDS)
def test_cli_detects_by_default(tmp_path, name, token, key, key_type, read_as, verified) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "key"
    path.write_text(key)
    result = CliRunner().invoke(main, ["jwt", "verify", token, "--key", str(path), "--json"])
    assert result.exit_code == (0 if verified else 1), result.output
    answer = json.loads(result.output)
    assert (answer["key_type"], answer["key_read_as"]) == (key_type, read_as)
    plain = CliRunner().invoke(main, ["jwt", "verify", token, "--key", str(path)])
    assert f"Key read as: {read_as}" in plain.output


def test_a_public_key_is_never_an_hmac_secret(client) -> None:  # type: ignore[no-untyped-def]
    """The classic forgery: HMAC a token with the issuer's public key PEM as the secret."""
    pem = _public_pem(RSA_KEY)
    forged = jwt.api_jws.PyJWS().encode(json.dumps(CLAIMS).encode(), b"placeholder", algorithm="HS256")
    head, body, _ = forged.split(".")
    import hashlib
    import hmac

    signature = hmac.new(pem.encode(), f"{head}.{body}".encode(), hashlib.sha256).digest()
    forged = f"{head}.{body}.{base64.urlsafe_b64encode(signature).rstrip(b'=').decode()}"
    answer = client.post("/api/v1/jwt/verify", json={"token": forged, "key": pem}).json
    assert answer["verified"] is False
    assert "key-confusion" in answer["reason"] and answer["key_type"] == "pem"
    page = client.post("/jwt/", data={"token": forged, "key": pem}, headers=HTMX).get_data(as_text=True)
    assert '<span class="word">Rejected</span>' in page and "key-confusion" in page
    # Asking for an HMAC secret explicitly is refused outright, with the reason.
    explicit = client.post("/api/v1/jwt/verify", json={"token": forged, "key": pem, "key_type": "secret"})
    assert explicit.status_code == 422 and "key-confusion" in explicit.json["detail"]


@pytest.mark.parametrize(("key", "expected"), [
    ("https://idp.example", "issuer"),
    ("https://idp.example/realms/main/", "issuer"),
    ("https://idp.example/.well-known/openid-configuration", "issuer"),
    ("https://idp.example/.well-known/jwks.json", "jwks-url"),
    ("https://www.googleapis.com/oauth2/v3/certs", "jwks-url"),
    ("https://login.example.com/common/discovery/v2.0/keys", "jwks-url"),
    ("  HTTP://idp.example/protocol/openid-connect/certs\n", "jwks-url"),
    ('{"keys": []}', "jwks"),
    ("[]", "jwks"),
    ('{"keys": [{"kty": "RSA"', "jwks"),  # half-typed: the JWK Set reader says where it breaks
    ('{"kty": "oct", "k": "c2VjcmV0"}', "jwk"),
    ('{"kty": "RSA", "n": "', "jwk"),
    ("ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIFake", "pem"),
    ("-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----", "pem"),
    ("my secret", "secret"),
    ("MIIBIjANBgkqhkiG9w0BAQEFAAOC", "secret"),  # too short to be a DER key: a secret
    ("https:/half-typed", "secret"),  # not a URL (yet)
])
def test_the_rules_in_order(key: str, expected: str) -> None:
    assert infer_key_type(key, "RS256").key_type == expected


def test_bare_base64_is_a_key_only_for_an_asymmetric_alg() -> None:
    assert infer_key_type(BARE_DER, "RS256").key_type == "pem"
    assert infer_key_type(BARE_DER, "HS256").key_type == "secret"
    assert infer_key_type(BARE_DER, None).key_type == "secret"


@pytest.mark.parametrize(("key", "message"), [
    ("https://idp.example/jwks.json", "a URL cannot sign"),
    ('{"keys": []}', "a JWK Set cannot sign"),
    ("   ", "no key given"),
])
def test_what_cannot_sign(key: str, message: str) -> None:
    with pytest.raises(JwtInputError, match=message):
        infer_key_type(key, "RS256", signing=True)


def test_signing_detects_the_key_on_every_surface(client, tmp_path) -> None:  # type: ignore[no-untyped-def]
    pem = _private_pem(EC_KEY)
    api = client.post("/api/v1/jwt/encode", json={"payload": {"sub": "x"}, "alg": "ES256", "key": pem}).json
    assert api["key_type"] == "pem" and api["key_read_as"] == "PEM private key (EC P-256)"
    assert jwt.decode(api["token"], EC_KEY.public_key(), algorithms=["ES256"])["sub"] == "x"
    page = client.post("/jwt/encode", data={"payload": '{"sub": "x"}', "alg": "ES256", "key": pem},
                       headers=HTMX).get_data(as_text=True)
    assert "Key read as: PEM private key (EC P-256)" in page
    path = tmp_path / "key.pem"
    path.write_text(pem)
    cli = CliRunner().invoke(main, ["jwt", "encode", "--payload", '{"sub": "x"}', "--alg", "ES256", "--key",
                                    str(path)])
    assert cli.exit_code == 0, cli.output
    assert jwt.decode(cli.output.strip(), EC_KEY.public_key(), algorithms=["ES256"])["sub"] == "x"
    # HS256 with a private key PEM: refused, never the PEM text as a secret.
    refused = client.post("/api/v1/jwt/encode", json={"payload": {}, "alg": "HS256", "key": pem})
    assert refused.status_code == 422 and "HS256 needs an HMAC secret" in refused.json["detail"]


def test_an_explicit_key_type_still_wins(client) -> None:  # type: ignore[no-untyped-def]
    token = jwt.encode(CLAIMS, base64.urlsafe_b64decode("c2VjcmV0LXNlY3JldC1zZWNyZXQtc2VjcmV0LXNlY3JldA=="),
                       algorithm="HS256")
    text = "c2VjcmV0LXNlY3JldC1zZWNyZXQtc2VjcmV0LXNlY3JldA"
    detected = client.post("/api/v1/jwt/verify", json={"token": token, "key": text}).json
    assert detected["key_type"] == "secret" and detected["verified"] is False
    assert "verifies if the secret is read as base64" in detected["reason"]  # the hint says how
    chosen = client.post("/api/v1/jwt/verify", json={"token": token, "key": text,
                                                      "key_type": "secret-base64url"}).json
    assert chosen["key_type"] == "secret-base64url" and chosen["verified"] is True
    page = client.post("/jwt/", data={"token": token, "key": text, "key_type": "secret-base64url"},
                       headers=HTMX).get_data(as_text=True)
    assert "Key read as: HMAC secret (base64url, 34 bytes)" in page and "(detected" not in page
