"""The fully-specified Ed25519 and Ed448 algorithms (RFC 9864), ML-DSA reported as not supported.

Vectors come from outside this code: RFC 8037 Appendix A (the A.4 EdDSA token, below with its source),
and tokens signed by `cryptography` directly (not through this tool nor PyJWT). Ed25519 and Ed448
signatures are deterministic (RFC 8032), so a token this tool signs must equal, byte for byte, the one
`cryptography` makes from the same signing input; tokens this tool signs are also verified by
`cryptography` directly.
"""

from __future__ import annotations

import json
from typing import Any

import jwt
import pytest
from click.testing import CliRunner
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ed448, ed25519

from toolbox.cli import main
from toolbox.core.jwt import b64
from toolbox.core.jwt.algs import FULLY_SPECIFIED, FullySpecifiedEdDSA, engine
from toolbox.core.jwt.decode import decode
from toolbox.core.jwt.encode import encode
from toolbox.core.jwt.keys import load_jwks, load_key
from toolbox.core.jwt.model import JwtInputError
from toolbox.core.jwt.verify import verify

# RFC 8037 (CFRG Elliptic Curve Diffie-Hellman and Signatures in JOSE), Appendix A.1 (the Ed25519
# private key), A.2 (its public key) and A.4 (the JWS over "Example of Ed25519 signing" with alg EdDSA):
# https://www.rfc-editor.org/rfc/rfc8037#appendix-A
RFC8037_D = "nWGxne_9WmC6hEr0kuwsxERJxWl7MmkZcDusAxyuf2A"
RFC8037_X = "11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo"
RFC8037_A4 = ("eyJhbGciOiJFZERTQSJ9.RXhhbXBsZSBvZiBFZDI1NTE5IHNpZ25pbmc"
              ".hgyY0il_MGCjP0JzlnLWG1PPOt7-09PGcvMg3AIbQR6dWbhijcNR4ki4iylGjg5BhVsPt9g7sVvpAr_MuM0KAg")
RFC_KEY = ed25519.Ed25519PrivateKey.from_private_bytes(b64.decode(RFC8037_D).data or b"")
KEYS: dict[str, Any] = {"Ed25519": RFC_KEY, "Ed448": ed448.Ed448PrivateKey.generate()}
OTHER = {"Ed25519": "Ed448", "Ed448": "Ed25519"}
CLAIMS = {"sub": "user-1", "iat": 1_700_000_000}


def _json(value: dict[str, Any]) -> bytes:
    return json.dumps(value, separators=(",", ":")).encode()


def by_cryptography(alg: str, key: Any, claims: dict[str, Any] | None = None,
                    header: dict[str, Any] | None = None) -> str:
    """A compact JWS signed with `cryptography` alone: the independent implementation."""
    signing_input = f"{b64.encode(_json(header or {'alg': alg}))}.{b64.encode(_json(claims or CLAIMS))}"
    return f"{signing_input}.{b64.encode(key.sign(signing_input.encode('ascii')))}"


def public_pem(key: Any) -> str:
    return key.public_key().public_bytes(serialization.Encoding.PEM,
                                         serialization.PublicFormat.SubjectPublicKeyInfo).decode()


def private_pem(key: Any) -> str:
    return key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                             serialization.NoEncryption()).decode()


def public_jwk(key: Any, **extra: str) -> dict[str, str]:
    raw = key.public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    curve = "Ed25519" if isinstance(key, ed25519.Ed25519PrivateKey) else "Ed448"
    return {"kty": "OKP", "crv": curve, "x": b64.encode(raw), **extra}


# --- the RFC vector: EdDSA keeps working, and the independent signer reproduces the RFC ------------------

def test_rfc8037_a4_eddsa_verifies_and_cryptography_reproduces_its_exact_signature() -> None:
    assert public_jwk(RFC_KEY)["x"] == RFC8037_X
    signing_input, signature = RFC8037_A4.rsplit(".", 1)
    assert b64.encode(RFC_KEY.sign(signing_input.encode())) == signature  # the test's signer is sound
    result = verify(RFC8037_A4, json.dumps(public_jwk(RFC_KEY)), "jwk")
    assert result.verified, result.reason
    assert verify(RFC8037_A4, json.dumps(public_jwk(RFC_KEY, alg="EdDSA")), "jwk").verified


def test_rfc8037_key_relabelled_ed25519_signs_deterministically_like_cryptography() -> None:
    """Relabelled per RFC 9864 (not a vector of its own): this tool's token equals cryptography's."""
    ours = encode({}, CLAIMS, "Ed25519", private_pem(RFC_KEY), "pem")
    assert ours == by_cryptography("Ed25519", RFC_KEY)
    assert json.loads(b64.decode(ours.split(".")[0]).data or b"") == {"alg": "Ed25519"}


# --- tokens from cryptography verify here; tokens from here verify with cryptography ------------------

@pytest.mark.parametrize("alg", FULLY_SPECIFIED)
@pytest.mark.parametrize("form", ["pem", "jwk", "jwks", "auto-pem", "auto-jwk", "private-pem"])
def test_tokens_signed_by_cryptography_verify(alg: str, form: str) -> None:
    key = KEYS[alg]
    token = by_cryptography(alg, key, header={"alg": alg, "typ": "JWT", "kid": "k1"})
    text, key_type = {
        "pem": (public_pem(key), "pem"), "jwk": (json.dumps(public_jwk(key)), "jwk"),
        "jwks": (json.dumps({"keys": [public_jwk(KEYS[OTHER[alg]], kid="k1"), public_jwk(key, kid="k1")]}), "jwks"),
        "auto-pem": (public_pem(key), "auto"), "auto-jwk": (json.dumps(public_jwk(key, alg=alg)), "auto"),
        "private-pem": (private_pem(key), "pem"),
    }[form]
    result = verify(token, text, key_type)
    assert result.verified, result.reason
    assert result.alg == alg
    assert jwt.decode(token, key.public_key(), algorithms=[alg]) == CLAIMS  # PyJWT agrees


@pytest.mark.parametrize("alg", FULLY_SPECIFIED)
@pytest.mark.parametrize("form", ["pem", "jwk", "auto"])
def test_tokens_signed_here_verify_with_cryptography(alg: str, form: str) -> None:
    key = KEYS[alg]
    private_jwk = {**public_jwk(key), "d": b64.encode(key.private_bytes(
        serialization.Encoding.Raw, serialization.PrivateFormat.Raw, serialization.NoEncryption()))}
    text = json.dumps(private_jwk) if form == "jwk" else private_pem(key)
    token = encode({"typ": "JWT"}, CLAIMS, alg, text, form)
    signing_input, signature = token.rsplit(".", 1)
    key.public_key().verify(b64.decode(signature).data or b"", signing_input.encode())  # raises if wrong
    assert json.loads(b64.decode(token.split(".")[0]).data or b"")["alg"] == alg
    assert token == by_cryptography(alg, key, header={"alg": alg, "typ": "JWT"})  # deterministic


@pytest.mark.parametrize("alg", FULLY_SPECIFIED)
def test_a_changed_token_fails_with_cryptography_and_here(alg: str) -> None:
    token = encode({}, CLAIMS, alg, private_pem(KEYS[alg]), "pem")
    head, _, sig = token.split(".")
    forged = f"{head}.{b64.encode(_json({**CLAIMS, 'sub': 'admin'}))}.{sig}"
    with pytest.raises(InvalidSignature):
        KEYS[alg].public_key().verify(b64.decode(sig).data or b"", forged.rsplit(".", 1)[0].encode())
    result = verify(forged, public_pem(KEYS[alg]), "pem")
    assert not result.verified and "signature does not match" in (result.reason or "")


# --- key/alg matching: one curve each, EdDSA either ---------------------------------------------------

@pytest.mark.parametrize("alg", FULLY_SPECIFIED)
def test_the_other_curve_never_verifies_a_fully_specified_token(alg: str) -> None:
    other = KEYS[OTHER[alg]]
    token = by_cryptography(alg, KEYS[alg])
    result = verify(token, public_pem(other), "pem")
    assert not result.verified
    assert result.reason == (f"wrong curve: {alg} needs an {alg} key but the key is an {OTHER[alg]} "
                             "public key")
    # The attacker's variant: a token signed with the other curve's key but labelled with this alg.
    relabelled = by_cryptography(alg, other)
    assert not verify(relabelled, public_pem(other), "pem").verified
    with pytest.raises(jwt.InvalidKeyError):  # PyJWT, with the registered algorithm, agrees
        jwt.decode(relabelled, other.public_key(), algorithms=[alg])
    with pytest.raises(JwtInputError, match=f"wrong curve: {alg} needs an {alg} key"):
        encode({}, CLAIMS, alg, private_pem(other), "pem")


@pytest.mark.parametrize("curve", FULLY_SPECIFIED)
def test_eddsa_keeps_working_for_both_curves(curve: str) -> None:
    key = KEYS[curve]
    token = encode({}, CLAIMS, "EdDSA", private_pem(key), "pem")
    assert token == by_cryptography("EdDSA", key)
    assert verify(token, public_pem(key), "pem").verified
    assert jwt.decode(token, key.public_key(), algorithms=["EdDSA"]) == CLAIMS


def test_a_jwk_bound_to_one_name_serves_only_that_name() -> None:
    """The JWK's alg decides, as PyJWK does: EdDSA and Ed25519 are different algorithms."""
    key = KEYS["Ed25519"]
    ed_token, eddsa_token = by_cryptography("Ed25519", key), by_cryptography("EdDSA", key)
    bound = json.dumps(public_jwk(key, alg="Ed25519"))
    assert verify(ed_token, bound, "jwk").verified
    result = verify(eddsa_token, bound, "jwk")
    assert not result.verified and "the JWK is for Ed25519" in (result.reason or "")
    old = verify(ed_token, json.dumps(public_jwk(key, alg="EdDSA")), "jwk")
    assert not old.verified and "the JWK is for EdDSA" in (old.reason or "")


@pytest.mark.parametrize(("alg", "key_text", "key_type", "words"), [
    ("Ed25519", "k" * 32, "secret", "Ed25519 needs an Ed25519 key but the key is an HMAC secret"),
    ("Ed448", "PEM-EC", "pem", "Ed448 needs an Ed448 key but the key is an EC P-256 public key"),
])
def test_cross_family_confusion(alg: str, key_text: str, key_type: str, words: str) -> None:
    from cryptography.hazmat.primitives.asymmetric import ec

    if key_text == "PEM-EC":
        key_text = public_pem(ec.generate_private_key(ec.SECP256R1()))
    result = verify(by_cryptography(alg, KEYS[alg]), key_text, key_type)
    assert not result.verified and words in (result.reason or "")


def test_hmac_token_relabelled_ed25519_and_wrong_signature_lengths() -> None:
    hs = jwt.encode(CLAIMS, "k" * 32, algorithm="HS256")
    head = b64.encode(_json({"alg": "Ed25519"}))
    relabelled = f"{head}.{hs.split('.', 1)[1]}"  # a 32-byte HMAC where 64 bytes of Ed25519 belong
    result = verify(relabelled, public_pem(KEYS["Ed25519"]), "pem")
    assert not result.verified and "Ed25519 with this key makes 64-byte signatures, this one has 32" in (
        result.reason or "")
    ed448_with_64 = f"{b64.encode(_json({'alg': 'Ed448'}))}.{by_cryptography('Ed25519', KEYS['Ed25519']).split('.', 1)[1]}"
    assert "makes 114-byte signatures, this one has 64" in (verify(ed448_with_64, public_pem(KEYS["Ed448"]),
                                                                   "pem").reason or "")


def test_the_names_are_registered_through_pyjwts_public_api() -> None:
    for alg in FULLY_SPECIFIED:
        algorithm = jwt.get_algorithm_by_name(alg)
        assert isinstance(algorithm, FullySpecifiedEdDSA) and isinstance(algorithm, jwt.algorithms.OKPAlgorithm)
        assert engine(alg) is algorithm
    with pytest.raises(KeyError):
        engine("ML-DSA-65")


@pytest.mark.parametrize("key_type", ["jwk", "pem", "jwks"])
def test_the_snippet_reproduces_the_verdict_with_plain_pyjwt(tmp_path, monkeypatch, capsys,  # type: ignore[no-untyped-def]
                                                             key_type: str) -> None:
    key = KEYS["Ed448"]
    token = by_cryptography("Ed448", key)
    texts = {"jwk": json.dumps(public_jwk(key)), "pem": public_pem(key),
             "jwks": json.dumps({"keys": [public_jwk(KEYS["Ed25519"]), public_jwk(key)]})}
    result = verify(token, texts[key_type], key_type)
    assert result.verified, result.reason
    files = {"jwk": "key.jwk.json", "pem": "public.pem", "jwks": "jwks.json"}
    (tmp_path / files[key_type]).write_text(texts[key_type])
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("JWT_TOKEN", token)
    exec(compile(result.snippet, "snippet", "exec"), {})  # noqa: S102
    assert "'sub': 'user-1'" in capsys.readouterr().out


# --- ML-DSA: recognised, reported as not supported -------------------------------------------------------

ML_TOKEN = f"{b64.encode(_json({'alg': 'ML-DSA-65', 'kid': 'pq'}))}.{b64.encode(_json(CLAIMS))}.{b64.encode(bytes(3309))}"
AKP_JWK = {"kty": "AKP", "alg": "ML-DSA-65", "kid": "pq", "pub": b64.encode(bytes(1952))}


def test_ml_dsa_token_is_not_supported_rather_than_unknown() -> None:
    decoded = decode(ML_TOKEN)
    ids = {f.id: f for f in decoded.findings}
    assert "unknown-alg" not in ids
    assert ids["unsupported-alg"].title == "ML-DSA-65 is not supported (post-quantum ML-DSA)."
    result = verify(ML_TOKEN, public_pem(KEYS["Ed25519"]), "pem")
    assert not result.verified
    assert (result.reason or "").startswith("ML-DSA-65 is not supported (post-quantum ML-DSA")
    for alg in ("ML-DSA-44", "ML-DSA-87"):
        token = f"{b64.encode(_json({'alg': alg}))}.{b64.encode(_json(CLAIMS))}.AAAA"
        assert any(f.id == "unsupported-alg" for f in decode(token).findings)
    near = f"{b64.encode(_json({'alg': 'ML-DSA-66'}))}.{b64.encode(_json(CLAIMS))}.AAAA"  # not a real name
    assert {f.id for f in decode(near).findings} >= {"unknown-alg"}


def test_akp_keys_are_not_supported() -> None:
    with pytest.raises(JwtInputError, match=r"an AKP key is not supported \(post-quantum ML-DSA\)"):
        load_key(json.dumps(AKP_JWK), "jwk")
    keyset = load_jwks(json.dumps({"keys": [AKP_JWK, public_jwk(KEYS["Ed25519"], kid="ed")]}))
    assert [k.kid for k in keyset.keys] == ["ed"]
    assert keyset.notes == ("skipped key #1: key #1: an AKP key is not supported (post-quantum ML-DSA)",)
    with pytest.raises(JwtInputError, match="ML-DSA-65 is not supported"):
        encode({}, CLAIMS, "ML-DSA-65", private_pem(KEYS["Ed25519"]), "pem")


# --- adapters: the API and the command line offer and use the new names ------------------------------

def test_api_signs_and_verifies_ed25519_and_ed448(client) -> None:  # type: ignore[no-untyped-def]
    for alg, key in KEYS.items():
        signed = client.post("/api/v1/jwt/encode", json={"payload": CLAIMS, "alg": alg, "key": private_pem(key)})
        assert signed.status_code == 200, signed.json
        key.public_key().verify(b64.decode(signed.json["token"].rsplit(".", 1)[1]).data,
                                signed.json["token"].rsplit(".", 1)[0].encode())
        checked = client.post("/api/v1/jwt/verify", json={"token": by_cryptography(alg, key),
                                                          "key": json.dumps(public_jwk(key))})
        assert checked.json["verified"] is True
        wrong = client.post("/api/v1/jwt/verify", json={"token": by_cryptography(alg, key),
                                                        "key": public_pem(KEYS[OTHER[alg]])})
        assert wrong.status_code == 200 and wrong.json["verified"] is False
        assert "wrong curve" in wrong.json["reason"]
    refused = client.post("/api/v1/jwt/encode", json={"payload": {}, "alg": "ML-DSA-65", "key": "x"})
    assert refused.status_code in (400, 422)
    decoded = client.post("/api/v1/jwt/decode", json={"token": ML_TOKEN})
    assert "unsupported-alg" in {f["id"] for f in decoded.json["findings"]}


def test_cli_signs_ed448_and_verifies_it(tmp_path) -> None:  # type: ignore[no-untyped-def]
    key = KEYS["Ed448"]
    (tmp_path / "private.pem").write_text(private_pem(key))
    (tmp_path / "public.pem").write_text(public_pem(key))
    signed = CliRunner().invoke(main, ["jwt", "encode", "--payload", json.dumps(CLAIMS), "--alg", "Ed448",
                                       "--key", str(tmp_path / "private.pem")])
    assert signed.exit_code == 0, signed.output
    token = signed.output.strip()
    assert token == by_cryptography("Ed448", key)
    checked = CliRunner().invoke(main, ["jwt", "verify", token, "--key", str(tmp_path / "public.pem"), "--json"])
    assert checked.exit_code == 0, checked.output
    assert json.loads(checked.output)["verified"] is True


def test_pages_offer_sign_and_verify_the_fully_specified_names(client) -> None:  # type: ignore[no-untyped-def]
    import html
    import re

    page = client.get("/jwt/encode").get_data(as_text=True)
    assert '<option value="Ed25519">' in page and '<option value="Ed448">' in page
    key = KEYS["Ed448"]
    signed = client.post("/jwt/encode", data={"header": "{}", "payload": json.dumps(CLAIMS), "alg": "Ed448",
                                              "key": private_pem(key), "key_type": "auto"},
                         headers={"HX-Request": "true"})
    assert signed.status_code == 200
    found = re.search(r'id="encoded-token">([^<]+)<', signed.get_data(as_text=True))
    assert found and found.group(1) == by_cryptography("Ed448", key)
    good = client.post("/jwt/", data={"token": found.group(1), "key": public_pem(key)},
                       headers={"HX-Request": "true"}).get_data(as_text=True)
    assert "Signature verified" in good and 'jwt.register_algorithm("Ed448"' in html.unescape(good)
    wrong = client.post("/jwt/", data={"token": found.group(1), "key": public_pem(KEYS["Ed25519"])},
                        headers={"HX-Request": "true"}).get_data(as_text=True)
    assert "Signature not verified" in wrong and "wrong curve: Ed448 needs an Ed448 key" in html.unescape(wrong)
    ml = client.post("/jwt/", data={"token": ML_TOKEN}, headers={"HX-Request": "true"}).get_data(as_text=True)
    assert "ML-DSA-65 is not supported (post-quantum ML-DSA)" in html.unescape(ml)
