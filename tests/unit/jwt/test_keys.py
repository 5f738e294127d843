"""Parsing pasted key material: every accepted form, and clear JwtInputErrors for everything else."""

from __future__ import annotations

import base64
import contextlib
import datetime
import json

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import dsa, ec, ed448, ed25519, rsa, x25519
from cryptography.x509.oid import NameOID
from jwt.algorithms import ECAlgorithm, OKPAlgorithm, RSAAlgorithm

from toolbox.core.jwt.keys import MAX_JWKS_KEYS, load_jwks, load_key, mismatch
from toolbox.core.jwt.model import JwtInputError

PEM = serialization.Encoding.PEM
SPKI = serialization.PublicFormat.SubjectPublicKeyInfo


@pytest.fixture(scope="module")
def rsa_key() -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(65537, 2048)


@pytest.fixture(scope="module")
def p256() -> ec.EllipticCurvePrivateKey:
    return ec.generate_private_key(ec.SECP256R1())


def public_pem(private: object, fmt: serialization.PublicFormat = SPKI) -> str:
    return private.public_key().public_bytes(PEM, fmt).decode()  # type: ignore[attr-defined]


def self_signed(private: object, algorithm: hashes.HashAlgorithm | None) -> str:
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "toolbox test")])
    start = datetime.datetime(2024, 1, 1, tzinfo=datetime.UTC)
    cert = (
        x509.CertificateBuilder().subject_name(name).issuer_name(name)
        .public_key(private.public_key()).serial_number(1)  # type: ignore[attr-defined]
        .not_valid_before(start).not_valid_after(start + datetime.timedelta(days=1))
        .sign(private, algorithm)  # type: ignore[arg-type]
    )
    return cert.public_bytes(PEM).decode()


# --- the accepted forms ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("key_type", "text", "size", "description"),
    [
        ("secret", "your-256-bit-secret", 19, "HMAC secret, 19 bytes (UTF-8)"),
        ("secret", "sécret", 7, "HMAC secret, 7 bytes (UTF-8)"),
        ("secret-base64", base64.b64encode(b"\xfb" * 32).decode(), 32, "HMAC secret, 32 bytes (base64)"),
        ("secret-base64", base64.b64encode(b"\xfb" * 32).decode().rstrip("="), 32, "HMAC secret, 32 bytes (base64)"),
        ("secret-base64url", base64.urlsafe_b64encode(b"\xfb" * 48).decode(), 48,
         "HMAC secret, 48 bytes (base64url)"),
        ("secret-base64url", "  AyM1 SysP\n", 6, "HMAC secret, 6 bytes (base64url)"),
    ],
)
def test_secrets(key_type: str, text: str, size: int, description: str) -> None:
    key = load_key(text, key_type)
    assert key.family == "hmac" and key.size_bytes == size and key.description == description
    assert key.private is None and load_key(text, key_type, private=True).private == key.public


def test_rsa_pem_forms_spki_pkcs1_certificate_and_private(rsa_key: rsa.RSAPrivateKey) -> None:
    n = rsa_key.public_key().public_numbers().n
    spki = load_key(public_pem(rsa_key), "pem")
    pkcs1 = load_key(public_pem(rsa_key, serialization.PublicFormat.PKCS1), "pem")
    cert = load_key(self_signed(rsa_key, hashes.SHA256()), "pem")
    private = load_key(rsa_key.private_bytes(PEM, serialization.PrivateFormat.TraditionalOpenSSL,
                                             serialization.NoEncryption()).decode(), "pem")
    for key in (spki, pkcs1, cert, private):
        assert key.family == "rsa" and key.bits == 2048 and key.public.public_numbers().n == n
        assert key.private is None  # a verification key never keeps private material around
    assert spki.description == pkcs1.description == "RSA public key, 2048 bits"
    assert spki.kind == "an RSA public key"
    assert cert.description == "RSA public key, 2048 bits (from an X.509 certificate)"
    assert "validity dates and chain are not checked" in cert.notes[0]
    assert private.description == "RSA public key, 2048 bits (public half of the private key given)"
    assert "only its public half" in private.notes[0]


@pytest.mark.parametrize(
    ("make", "curve", "description", "bits"),
    [
        (lambda: ec.generate_private_key(ec.SECP256R1()), "P-256", "EC P-256 public key", 256),
        (lambda: ec.generate_private_key(ec.SECP384R1()), "P-384", "EC P-384 public key", 384),
        (lambda: ec.generate_private_key(ec.SECP521R1()), "P-521", "EC P-521 public key", 521),
        (lambda: ec.generate_private_key(ec.SECP256K1()), "secp256k1", "EC secp256k1 public key", 256),
        (ed25519.Ed25519PrivateKey.generate, "Ed25519", "Ed25519 public key", 256),
        (ed448.Ed448PrivateKey.generate, "Ed448", "Ed448 public key", 456),
    ],
)
def test_ec_and_okp_keys_in_every_form(make: object, curve: str, description: str, bits: int) -> None:
    private = make()  # type: ignore[operator]
    is_ec = isinstance(private, ec.EllipticCurvePrivateKey)
    to_jwk = ECAlgorithm.to_jwk if is_ec else OKPAlgorithm.to_jwk
    texts = [
        (public_pem(private), "pem"),
        (self_signed(private, hashes.SHA256() if is_ec else None), "pem"),
        (private.private_bytes(PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()).decode(), "pem"),
        (json.dumps(to_jwk(private.public_key(), as_dict=True)), "jwk"),
        (json.dumps(to_jwk(private, as_dict=True)), "jwk"),
    ]
    for text, key_type in texts:
        key = load_key(text, key_type)
        assert key.curve == curve and key.bits == bits and key.description.startswith(description)


def test_jwk_metadata_is_kept(rsa_key: rsa.RSAPrivateKey) -> None:
    jwk = {**RSAAlgorithm.to_jwk(rsa_key.public_key(), as_dict=True), "kid": "k1", "use": "sig", "alg": "PS256"}
    key = load_key(json.dumps(jwk), "jwk")
    assert (key.kid, key.use, key.alg, key.label) == ("k1", "sig", "PS256", "kid=k1 (RSA 2048)")


def test_ssh_public_key(rsa_key: rsa.RSAPrivateKey) -> None:
    text = rsa_key.public_key().public_bytes(serialization.Encoding.OpenSSH, serialization.PublicFormat.OpenSSH)
    assert load_key(text.decode(), "pem").description == "RSA public key, 2048 bits (from an SSH public key)"


def test_private_keys_for_signing(rsa_key: rsa.RSAPrivateKey, p256: ec.EllipticCurvePrivateKey) -> None:
    sec1 = p256.private_bytes(PEM, serialization.PrivateFormat.TraditionalOpenSSL, serialization.NoEncryption())
    key = load_key(sec1.decode(), "pem", private=True)
    assert key.private is not None and key.kind == "an EC P-256 private key"
    with pytest.raises(JwtInputError, match="signing needs the private key, but this is a public key"):
        load_key(public_pem(rsa_key), "pem", private=True)
    with pytest.raises(JwtInputError, match=r"signing needs the private key, but this is a public key \(from an X"):
        load_key(self_signed(rsa_key, hashes.SHA256()), "pem", private=True)
    with pytest.raises(JwtInputError, match="has no \"d\" member"):
        load_key(json.dumps(ECAlgorithm.to_jwk(p256.public_key(), as_dict=True)), "jwk", private=True)


# --- JWK Sets --------------------------------------------------------------------------------------------


def test_jwks_skips_unusable_keys_with_a_note(p256: ec.EllipticCurvePrivateKey) -> None:
    good = {**ECAlgorithm.to_jwk(p256.public_key(), as_dict=True), "kid": "good"}
    text = json.dumps({"keys": [{"kty": "RSA", "kid": "broken"}, good, "not a key", {"kty": "X"}]})
    result = load_jwks(text)
    assert [k.kid for k in result.keys] == ["good"]
    assert result.total == 4 and result.kids == ("broken", "good")
    assert result.notes == (
        "skipped key #1: key #1 (kty RSA) is missing 'n', 'e'",
        "skipped key #3: key #3 is not a JSON object",
        "skipped key #4: key #4: unsupported kty 'X' (expected RSA, EC, OKP or oct)",
    )
    assert [k.kid for k in load_jwks(text, kid="good").keys] == ["good"]
    assert load_jwks(text, kid="absent").keys == ()


def test_jwks_with_1000_keys_is_capped() -> None:
    keys = [{"kty": "oct", "k": "c2VjcmV0LXNlY3JldC1zZWNyZXQ", "kid": f"k{i}"} for i in range(1000)]
    result = load_jwks(json.dumps({"keys": keys}))
    assert len(result.keys) == MAX_JWKS_KEYS == 50
    assert result.notes == ("the set has 1000 candidate keys; only the first 50 were tried",)
    assert [k.kid for k in load_jwks(json.dumps({"keys": keys}), kid="k999").keys] == ["k999"]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('{"kty": "oct", "k": "abc"}', "this is a single JWK, not a JWK Set"),
        ('{"keys": []}', "the JWK Set has no keys"),
        ('{"keys": {}}', "a JWK Set must be a JSON object with a \"keys\" array"),
        ("[1, 2]", "a JWK Set must be a JSON object"),
        ('{"keys": [{"kty": "RSA"}]}', "the JWK Set has no usable keys: skipped key #1"),
        ('{"keys": [', "the JWK Set is not valid JSON: Expecting value at line 1 column 11"),
    ],
)
def test_bad_jwks(text: str, message: str) -> None:
    with pytest.raises(JwtInputError, match=message.replace("(", r"\(").replace(")", r"\)")):
        load_jwks(text)


# --- hostile and broken input ----------------------------------------------------------------------------

BAD_INPUT = [
    ("", "secret", "no key given"),
    ("   ", "pem", "no key given"),
    ("x" * 1_000_000, "secret", "the key is 1000000 characters; the limit is 262144"),
    ("x" * 1_000_000, "jwks", "the key is 1000000 characters"),
    ("abc", "rsa", "unknown key type 'rsa'"),
    ("https://example.com/jwks", "jwks-url", "fetching keys from a URL is not available"),
    ("bad\udcffsecret", "secret", "the secret is not valid UTF-8 text"),
    ("not!base64", "secret-base64", "the secret is not valid base64: '!' at char 4"),
    ("abc-def_", "secret-base64", "'-' at char 4; did you mean base64url?"),
    ("abc+def/", "secret-base64url", "'\\+' at char 4; did you mean base64?"),
    ("abcde", "secret-base64url", "length 5 is impossible"),
    ("====", "secret-base64", "the secret is empty"),
    ("-----BEGIN PUBLIC KEY-----\nMFkw\n-----END PUBLIC KEY-----", "secret", "is a PEM or SSH key, not an HMAC"),
    ('{"kty": "oct", "k": "abc"}', "secret", "the key looks like a JWK"),
    ("LS0tLS1CRUdJTiBQVUJMSUMgS0VZLS0tLS0K", "secret-base64", "is a PEM or SSH key"),
    ("hello", "pem", "not a PEM: expected '-----BEGIN PUBLIC KEY-----'"),
    ("-----BEGIN PUBLIC KEY-----\nMFkw", "pem", "the PEM block is incomplete"),
    ("-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----", "pem", "the PUBLIC KEY could not be read"),
    ("-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----", "pem", "the certificate could not be read"),
    ("-----BEGIN FOO-----\nAAAA\n-----END FOO-----", "pem", "a PEM 'FOO' block is not a key this tool can use"),
    ("-----BEGIN PUBLIC KEY-----\nMFkwé\n-----END PUBLIC KEY-----", "pem", "non-ASCII characters"),
    ("-----BEGIN ENCRYPTED PRIVATE KEY-----\nAAAA\n-----END ENCRYPTED PRIVATE KEY-----", "pem",
     "password-protected"),
    ("not json", "jwk", "the JWK is not valid JSON: Expecting value at line 1 column 1"),
    ("[" * 100_000 + "]" * 100_000, "jwk", "too deeply nested"),
    ("[1]", "jwk", "the JWK is not a JSON object"),
    ('{"keys": []}', "jwk", "this is a JWK Set"),
    ("{}", "jwk", "the JWK has no \"kty\" member"),
    ('{"kty": 1}', "jwk", "\"kty\" must be a string"),
    ('{"kty": "DSA"}', "jwk", "unsupported kty 'DSA'"),
    ('{"kty": "EC", "crv": "P-256"}', "jwk", "the JWK \\(kty EC\\) is missing 'x', 'y'"),
    ('{"kty": "RSA", "n": 12345, "e": "AQAB"}', "jwk", "'n' must be a string, not int"),
    ('{"kty": "RSA", "n": ["a"], "e": "AQAB"}', "jwk", "'n' must be a string, not list"),
    ('{"kty": "RSA", "n": "AQAB", "e": "AQAB", "kid": 7}', "jwk", "'kid' must be a string"),
    ('{"kty": "RSA", "n": "a*b", "e": "AQAB"}', "jwk", "'n' is not base64url \\(at char 2: '\\*'\\)"),
    ('{"kty": "RSA", "n": "AQAB", "e": "AQAB"}', "jwk", "the RSA key has invalid values"),
    ('{"kty": "oct", "k": ""}', "jwk", "the secret \"k\" is empty"),
    ('{"kty": "EC", "crv": "P-192", "x": "AA", "y": "AA"}', "jwk", "unsupported EC curve 'P-192'"),
    ('{"kty": "EC", "crv": "P-256", "x": "AA", "y": "AA"}', "jwk", "Coords should be 32 bytes for curve P-256"),
    ('{"kty": "OKP", "crv": "X25519", "x": "AA"}', "jwk", "OKP curve 'X25519' is not a signature curve"),
    ('{"kty": "OKP", "crv": "Ed25519", "x": "AAAA"}', "jwk", "the OKP key is invalid"),
    ('{"kty": "RSA", "n": "' + "_" * 3000 + '", "e": "AQAB"}', "jwk",
     "RSA keys over 8192 bits are not accepted \\(this one has 18000\\)"),
]


@pytest.mark.parametrize(("text", "key_type", "message"), BAD_INPUT)
def test_bad_keys_raise_jwt_input_error_with_a_clear_message(text: str, key_type: str, message: str) -> None:
    with pytest.raises(JwtInputError, match=message):
        load_key(text, key_type) if key_type != "jwks" else load_jwks(text)


def test_ec_point_not_on_the_curve_is_refused(p256: ec.EllipticCurvePrivateKey) -> None:
    jwk = ECAlgorithm.to_jwk(p256.public_key(), as_dict=True)
    y = base64.urlsafe_b64decode(jwk["y"] + "==")
    jwk["y"] = base64.urlsafe_b64encode(y[:-1] + bytes([y[-1] ^ 1])).decode().rstrip("=")
    with pytest.raises(JwtInputError, match="the EC key is not a valid point on P-256"):
        load_key(json.dumps(jwk), "jwk")


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda: dsa.generate_private_key(1024).public_key(), "a DSA key cannot be used with JWS"),
        (lambda: x25519.X25519PrivateKey.generate().public_key(), "a X25519 key cannot be used with JWS"),
        (lambda: ec.generate_private_key(ec.SECP224R1()).public_key(), "the EC curve secp224r1 is not used"),
    ],
)
def test_keys_no_jws_algorithm_uses(make: object, message: str) -> None:
    text = make().public_bytes(PEM, SPKI).decode()  # type: ignore[operator]
    with pytest.raises(JwtInputError, match=message):
        load_key(text, "pem")


def test_garbage_bytes_never_escape_as_another_exception() -> None:
    import random

    rng = random.Random(7)
    for _ in range(200):
        text = "".join(chr(rng.randrange(0, 0x2FFF)) for _ in range(rng.randrange(1, 80)))
        for key_type in ("secret", "secret-base64", "secret-base64url", "pem", "jwk", "jwks"):
            with contextlib.suppress(JwtInputError):  # anything else escaping fails the test
                load_key(text, key_type) if key_type != "jwks" else load_jwks(text)


def test_mismatch_categories(rsa_key: rsa.RSAPrivateKey, p256: ec.EllipticCurvePrivateKey) -> None:
    rsa_pub = load_key(public_pem(rsa_key), "pem")
    ec_pub = load_key(public_pem(p256), "pem")
    assert mismatch("HS256", rsa_pub) == (
        "mismatch", "algorithm/key mismatch: HS256 needs an HMAC secret but the key is an RSA public key; a public "
                    "key is never used as an HMAC secret (that is the RS256 -> HS256 key-confusion attack: a token "
                    "like this is forged or mis-issued)")
    assert mismatch("ES384", ec_pub) == (
        "wrong-curve", "wrong curve: ES384 needs an EC key on P-384 but the key is on P-256")
    assert mismatch("EdDSA", ec_pub) == (
        "mismatch", "algorithm/key mismatch: EdDSA needs an Ed25519 or Ed448 key but the key is an EC P-256 public key")
    assert mismatch("ES256", ec_pub) is None and mismatch("PS512", rsa_pub) is None
    enc = load_key(json.dumps({**RSAAlgorithm.to_jwk(rsa_key.public_key(), as_dict=True), "use": "enc"}), "jwk")
    assert mismatch("RS256", enc) == ("use", "the key is marked \"use\": 'enc', so it is not for signatures")
