"""JWE decryption (core/jwt/jwe.py) against vectors made by others: the RFC 7516 Appendix A and RFC 7520 §5
examples (tests/unit/jwt/vectors/jwe, with their source), and tokens made by jwcrypto (a second JOSE
implementation, tests only) for every key management and content encryption pair."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import jwt
import pytest
from jwcrypto import jwe as jc_jwe
from jwcrypto import jwk as jc_jwk

from toolbox.core.jwt.jwe import ENC_BYTES, JweError, decrypt

VECTORS = Path(__file__).parent / "vectors" / "jwe"
RFC_VECTORS = [v for name in ("rfc7516_appendix_a.json", "rfc7520_section5.json")
               for v in json.loads((VECTORS / name).read_text())["vectors"]]
ENCS = tuple(ENC_BYTES)

_RSA = jc_jwk.JWK.generate(kty="RSA", size=2048, kid="rsa-enc")
_EC = {crv: jc_jwk.JWK.generate(kty="EC", crv=crv, kid=f"ec-{crv}") for crv in ("P-256", "P-384", "P-521")}
_OCT = {n: jc_jwk.JWK.generate(kty="oct", size=n * 8) for n in (16, 24, 32, 48, 64)}


def make(key: Any, alg: str, enc: str, plaintext: bytes = b'{"sub":"ada"}', **header: Any) -> str:
    """A compact JWE made by jwcrypto."""
    token = jc_jwe.JWE(plaintext, json.dumps({"alg": alg, "enc": enc, **header}))
    token.allowed_algs = [alg, enc]
    token.add_recipient(key)
    return str(token.serialize(compact=True))


def private_pem(key: Any) -> str:
    return str(key.export_to_pem(private_key=True, password=None).decode())


@pytest.mark.parametrize("vector", RFC_VECTORS, ids=[v["section"] for v in RFC_VECTORS])
def test_rfc_examples_decrypt_to_their_plaintext(vector: dict[str, Any]) -> None:
    key = vector["key"] if isinstance(vector["key"], str) else json.dumps(vector["key"])
    result = decrypt(vector["token"], key, vector["key_type"])
    assert result.text == vector["plaintext_utf8"]
    assert result.header["alg"] == json.loads(
        __import__("base64").urlsafe_b64decode(vector["token"].split(".")[0] + "==").decode())["alg"]
    ids = {f.id for f in result.findings}
    assert ("jwe-rsa1-5" in ids) == (result.header["alg"] == "RSA1_5")
    assert ("jwe-compressed" in ids) == ("zip" in result.header)


def test_rfc_examples_in_a_jwk_set_are_picked_by_kid() -> None:
    keyed = [v for v in RFC_VECTORS if isinstance(v["key"], dict) and "kid" in v["key"]]
    keyset = json.dumps({"keys": [v["key"] for v in keyed]})
    for vector in keyed:
        result = decrypt(vector["token"], keyset)
        assert result.text == vector["plaintext_utf8"]
        assert result.key_type == "jwks"
        assert f"kid={vector['key']['kid']}" in result.key_used


@pytest.mark.parametrize("enc", ENCS)
@pytest.mark.parametrize("alg", ["RSA-OAEP", "RSA-OAEP-256", "RSA1_5"])
def test_rsa_pairs_made_by_jwcrypto(alg: str, enc: str) -> None:
    result = decrypt(make(_RSA, alg, enc), private_pem(_RSA))
    assert result.payload == {"sub": "ada"}
    assert result.key_used == "RSA private key, 2048 bits"
    assert result.key_type == "pem"
    severities = {f.id: f.severity for f in result.findings}
    assert severities["jwe-unsigned-claims"] == "high"  # encrypted to a public key: anyone can make one
    assert ("jwe-rsa1-5" in severities) == (alg == "RSA1_5")


@pytest.mark.parametrize("enc", ENCS)
@pytest.mark.parametrize("alg", ["ECDH-ES", "ECDH-ES+A128KW", "ECDH-ES+A192KW", "ECDH-ES+A256KW"])
@pytest.mark.parametrize("crv", ["P-256", "P-384", "P-521"])
def test_ecdh_pairs_made_by_jwcrypto(crv: str, alg: str, enc: str) -> None:
    key = _EC[crv]
    result = decrypt(make(key, alg, enc), key.export_private())
    assert result.payload == {"sub": "ada"}
    assert result.key_used == f"kid=ec-{crv} (EC {crv})"


@pytest.mark.parametrize("alg", ["ECDH-ES", "ECDH-ES+A128KW", "ECDH-ES+A256KW"])
@pytest.mark.parametrize("crv", ["X25519", "X448"])
def test_ecdh_with_x25519_and_x448_keys(crv: str, alg: str) -> None:
    key = jc_jwk.JWK.generate(kty="OKP", crv=crv, kid=f"x-{crv}")
    token = make(key, alg, "A256GCM", kid=f"x-{crv}")
    assert decrypt(token, key.export_private()).key_used == f"kid=x-{crv} ({crv})"
    assert decrypt(token, private_pem(key)).key_used == f"{crv} private key"
    assert decrypt(token, json.dumps({"keys": [key.export_private(as_dict=True)]})).payload == {"sub": "ada"}
    _fails(token, key.export_public(), "key", "decrypting needs the private key")
    other = json.loads(jc_jwk.JWK.generate(kty="OKP", crv=crv).export_private())
    mixed = {**json.loads(key.export_private()), "x": other["x"]}
    _fails(token, json.dumps(mixed), "key", "is not the public key of its")
    ed = jc_jwk.JWK.generate(kty="OKP", crv="Ed25519")
    _fails(token, ed.export_private(), "key", "needs an X25519 or X448 key, not Ed25519")


@pytest.mark.parametrize("enc", ENCS)
@pytest.mark.parametrize("alg", ["A128KW", "A192KW", "A256KW", "A128GCMKW", "A192GCMKW", "A256GCMKW", "dir"])
def test_symmetric_pairs_made_by_jwcrypto(alg: str, enc: str) -> None:
    size = ENC_BYTES[enc] if alg == "dir" else int(alg[1:4]) // 8
    key = _OCT[size]
    token = make(key, alg, enc, b"plain text")
    for text, key_type in ((key.export(), "jwk"), (key["k"], "secret-base64url")):
        result = decrypt(token, text)
        assert (result.format, result.text) == ("text", "plain text")
        assert result.key_type == key_type
        assert f"{size} bytes" in result.key_used
    assert {f.id for f in result.findings} == set()


@pytest.mark.parametrize("alg", ["PBES2-HS256+A128KW", "PBES2-HS384+A192KW", "PBES2-HS512+A256KW"])
def test_pbes2_with_a_password(alg: str) -> None:
    password = jc_jwk.JWK.from_password("correct horse battery staple")
    result = decrypt(make(password, alg, "A128GCM", p2c=2000), "correct horse battery staple")
    assert result.payload == {"sub": "ada"}
    assert result.key_used.startswith("password, 28 bytes")
    low = decrypt(make(password, alg, "A128GCM", p2c=10), "correct horse battery staple")
    assert {f.id: f.severity for f in low.findings}["jwe-pbes2"] == "medium"


def test_nested_jws_is_decoded_audited_and_verifies_end_to_end() -> None:
    signing = "a-signing-secret-that-is-long-enough-for-hs256!"
    inner = jwt.encode({"sub": "ada", "exp": 4_000_000_000}, signing, algorithm="HS256")
    result = decrypt(make(_RSA, "RSA-OAEP-256", "A256GCM", inner.encode(), cty="JWT"), private_pem(_RSA))
    assert result.format == "token"
    assert result.inner is not None and result.inner.kind == "jws"
    assert result.inner.payload == {"sub": "ada", "exp": 4_000_000_000}
    assert result.text == inner
    assert jwt.decode(result.text, signing, algorithms=["HS256"])["sub"] == "ada"  # PyJWT verifies it
    assert {f.id for f in result.findings} == set()  # signed, and cty says JWT


def test_unsigned_inner_token_is_critical() -> None:
    unsigned = jwt.encode({"sub": "admin"}, None, algorithm="none")
    result = decrypt(make(_RSA, "RSA-OAEP", "A128GCM", unsigned.encode(), cty="JWT"), private_pem(_RSA))
    assert result.inner is not None and result.inner.kind == "unsecured"
    finding = next(f for f in result.findings if f.id == "jwe-unsigned-inner")
    assert finding.severity == "critical" and "CVE-2026-29000" in finding.detail
    assert any(f.id == "alg-none" for f in result.inner.findings)  # the inner token's own audit


def test_nested_token_without_cty_is_a_finding() -> None:
    inner = jwt.encode({"sub": "ada"}, "k" * 32, algorithm="HS256")
    result = decrypt(make(_RSA, "RSA-OAEP", "A128GCM", inner.encode()), private_pem(_RSA))
    assert "jwe-missing-cty" in {f.id for f in result.findings}


def test_binary_plaintext_is_hex_and_base64url() -> None:
    key = _OCT[16]
    result = decrypt(make(key, "A128KW", "A128GCM", b"\xff\x00\x01"), key.export())
    assert (result.format, result.hex, result.base64url, result.text) == ("binary", "ff0001", "_wAB", None)


def test_text_key_for_dir_is_a_finding_and_auto_reads_base64url() -> None:
    text_key = "0123456789abcdef"  # 16 bytes of text used as an A128GCM key
    key = jc_jwk.JWK(kty="oct", k=jc_jwk.base64url_encode(text_key.encode()))
    result = decrypt(make(key, "dir", "A128GCM", b"x"), text_key)
    assert result.key_type == "secret"
    assert "jwe-text-key" in {f.id for f in result.findings}
    random_key = _OCT[32]
    result = decrypt(make(random_key, "dir", "A256GCM", b"x"), random_key["k"])
    assert result.key_type == "secret-base64url"
    assert any("read as base64url" in note for note in result.notes)


# --- what cannot be decrypted, each said in words -------------------------------------------------

def _fails(token: str, key: str, part: str, *words: str, key_type: Any = "auto") -> str:
    with pytest.raises(JweError) as caught:
        decrypt(token, key, key_type)
    message = str(caught.value)
    assert caught.value.part == part, message
    for word in words:
        assert word in message, message
    return message


def test_wrong_key_and_changed_token_give_the_same_message() -> None:
    token = make(_RSA, "RSA-OAEP", "A128GCM")
    other = jc_jwk.JWK.generate(kty="RSA", size=2048)
    wrong_key = _fails(token, private_pem(other), "decrypt", "does not decrypt", "authentication tag")
    head, ek, iv, ct, tag = token.split(".")
    bad_tag = _fails(".".join((head, ek, iv, ct, ("A" if tag[0] != "A" else "B") + tag[1:])), private_pem(_RSA),
                     "decrypt")
    bad_ek = _fails(".".join((head, ("A" if ek[0] != "A" else "B") + ek[1:], iv, ct, tag)), private_pem(_RSA),
                    "decrypt")
    assert wrong_key == bad_tag == bad_ek  # no padding-oracle distinction


def test_rsa1_5_failures_are_the_same_message() -> None:
    token = make(_RSA, "RSA1_5", "A128CBC-HS256")
    head, ek, iv, ct, tag = token.split(".")
    other = jc_jwk.JWK.generate(kty="RSA", size=2048)
    assert _fails(token, private_pem(other), "decrypt") == _fails(
        ".".join((head, ek, iv, ct, tag[::-1])), private_pem(_RSA), "decrypt")


@pytest.mark.parametrize(("token", "words"), [
    ("a.b.c.d", ("5 parts", "4")),
    ("eyJhbGciOiJSU0EtT0FFUCJ9.x", ("5 parts", "2")),
    ("", ("5 parts",)),
    ("eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJhIn0.sig", ("signed token", "JWS")),
    ("eyJhbGciOiJSU0EtT0FFUCIsImVuYyI6IkEyNTZHQ00ifQ.a*b.c.d.e", ("does not decode", "bad base64url")),
])
def test_malformed_tokens(token: str, words: tuple[str, ...]) -> None:
    _fails(token, private_pem(_RSA), "token", *words)


def test_truncated_jwe() -> None:
    token = make(_RSA, "RSA-OAEP", "A128GCM")
    _fails(token.rsplit(".", 1)[0], private_pem(_RSA), "token", "5 parts", "cut off")
    _fails(token[: len(token) // 2], private_pem(_RSA), "token")


def _header(header: dict[str, Any]) -> str:
    from toolbox.core.jwt.b64 import encode

    return encode(json.dumps(header).encode()) + ".AAAA.AAAAAAAAAAAAAAAA.AAAA.AAAAAAAAAAAAAAAAAAAAAA"


@pytest.mark.parametrize(("header", "words"), [
    ({"enc": "A128GCM"}, ("no \"alg\"",)),
    ({"alg": "RS256", "enc": "A128GCM"}, ("signature algorithm",)),
    ({"alg": "none", "enc": "A128GCM"}, ("signature algorithm",)),
    ({"alg": "ROT13", "enc": "A128GCM"}, ("unknown key management algorithm", "ROT13")),
    ({"alg": "dir"}, ("no 'enc'",)),
    ({"alg": "dir", "enc": "A128CTR"}, ("unknown content encryption", "A128CTR")),
    ({"alg": "dir", "enc": 5}, ("must be a string",)),
    ({"alg": "dir", "enc": "A128GCM", "zip": "GZIP"}, ("unknown compression",)),
    ({"alg": "PBES2-HS256+A128KW", "enc": "A128GCM", "p2s": "AAAA", "p2c": 10**9}, ("1,000,000,000", "300,000")),
    ({"alg": "PBES2-HS256+A128KW", "enc": "A128GCM", "p2s": "AAAA", "p2c": "9"}, ("positive integer",)),
    ({"alg": "PBES2-HS256+A128KW", "enc": "A128GCM", "p2s": "AAAA", "p2c": True}, ("positive integer",)),
    ({"alg": "PBES2-HS256+A128KW", "enc": "A128GCM", "p2c": 1000}, ("p2s",)),
    ({"alg": "ECDH-ES", "enc": "A128GCM"}, ("epk",)),
    ({"alg": "ECDH-ES", "enc": "A128GCM", "epk": "x"}, ("epk",)),
    ({"alg": "\u202edir", "enc": "A128GCM"}, ("unknown key management algorithm", "\\u202e")),
])
def test_hostile_headers_refused_before_any_key_is_used(header: dict[str, Any], words: tuple[str, ...]) -> None:
    _fails(_header(header), "not even read", "token", *words)


def test_hostile_epk_is_one_clear_refusal() -> None:
    bad_point = {"kty": "EC", "crv": "P-256", "x": "AAAA", "y": "AAAA"}
    for epk in (bad_point, {"kty": "RSA", "n": "AQAB", "e": "AQAB"}, {"kty": "EC", "crv": "P-384", **{
            k: v for k, v in _EC["P-384"].export_public(as_dict=True).items() if k in ("x", "y")}}):
        token = _header({"alg": "ECDH-ES", "enc": "A128GCM", "epk": epk})
        with pytest.raises(JweError):
            decrypt(token, _EC["P-256"].export_private())


def test_zip_bomb_stops_at_the_limit() -> None:
    key = _OCT[16]
    token = make(key, "A128KW", "A128GCM", b"\0" * (1024 * 1024), zip="DEF")
    assert len(token) < 10_000  # a megabyte of zeros compresses to almost nothing
    _fails(token, key.export(), "size", "250 KiB", "zip bomb")


@pytest.mark.parametrize(("alg", "enc", "key", "words"), [
    ("RSA-OAEP", "A128GCM", "a secret", ("needs an RSA private key", "secret")),
    ("A128KW", "A128GCM", "PEM", ("needs a symmetric key", "RSA private key")),
    ("ECDH-ES", "A128GCM", "PEM", ("needs an EC private key", "RSA")),
    ("A128KW", "A128GCM", "short", ("16-byte key", "5 bytes")),
    ("dir", "A256CBC-HS512", "x" * 32, ("dir with A256CBC-HS512 needs a 64-byte key",)),
])
def test_key_that_does_not_fit_the_alg(alg: str, enc: str, key: str, words: tuple[str, ...]) -> None:
    real = {"RSA-OAEP": _RSA, "ECDH-ES": _EC["P-256"]}.get(alg, _OCT[16])
    token = make(real, alg, enc) if alg != "dir" else _header({"alg": "dir", "enc": enc})
    _fails(token, private_pem(_RSA) if key == "PEM" else key, "key", *words)


def test_public_key_cannot_decrypt() -> None:
    token = make(_RSA, "RSA-OAEP", "A128GCM")
    public = _RSA.export_to_pem().decode()
    _fails(token, public, "key", "decrypting needs the private key", "public key")
    _fails(token, _RSA.export_public(), "key", "decrypting needs the private key")


def test_jwk_set_without_the_kid_and_without_fitting_keys() -> None:
    token = make(_RSA, "RSA-OAEP", "A128GCM", kid="rsa-enc")
    other = jc_jwk.JWK.generate(kty="RSA", size=2048, kid="other")
    _fails(token, json.dumps({"keys": [json.loads(other.export_private())]}), "key", "kid \"rsa-enc\" is not in",
           "\"other\"")
    sig = json.loads(_RSA.export_private())
    sig["use"] = "sig"
    _fails(token, json.dumps({"keys": [sig]}), "key", "no key in the set", "not for encryption")
    many = [json.loads(jc_jwk.JWK.generate(kty="oct", size=128).export()) for _ in range(3)]
    token = make(_OCT[16], "A128KW", "A128GCM")  # no kid: every fitting key is tried
    _fails(token, json.dumps({"keys": many}), "decrypt", "none of the 3 keys tried")
    assert decrypt(token, json.dumps({"keys": [*many, json.loads(_OCT[16].export())]})).key_used == \
        "key #4 (symmetric key, 16 bytes)"


def test_url_and_empty_keys_are_refused() -> None:
    token = make(_RSA, "RSA-OAEP", "A128GCM")
    _fails(token, "https://issuer.example/jwks.json", "key", "URL cannot decrypt")
    _fails(token, "   ", "key", "no key given")
    _fails(token, "{not json", "key", "not valid JSON")


def test_hostile_keys_are_refused_in_words() -> None:
    token = make(_OCT[16], "A128KW", "A128GCM")
    for key in ('{"kty": "oct", "k": 5}', '[' * 100_000, '{"keys": []}', '{"kty": "oct", "k": "*"}',
                "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----", "\u202e" * 16):
        with pytest.raises(JweError) as caught:
            decrypt(token, key)
        assert caught.value.part in ("key", "decrypt")
