"""API tokens: only short-lived tokens signed with the pinned algorithm family are accepted."""

from __future__ import annotations

import time

import jwt
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, ed25519, rsa

from toolbox.core.apitoken import ApiTokenError, issue_token, load_verification_key, verify_token

SECRET = "s" * 40
NOW = 1_800_000_000


def _verify(token: str, key_text: str = SECRET, **kwargs: object) -> dict[str, object]:
    options = {"max_ttl": 900, "now": NOW, **kwargs}
    return verify_token(token, load_verification_key(key_text), **options)  # type: ignore[arg-type]


def _reason(token: str, key_text: str = SECRET, **kwargs: object) -> str:
    with pytest.raises(ApiTokenError) as caught:
        _verify(token, key_text, **kwargs)
    return caught.value.reason


def test_issued_token_verifies() -> None:
    token = issue_token(SECRET, "ci-bot", 600, now=NOW)
    claims = _verify(token)
    assert claims["sub"] == "ci-bot"
    assert claims["exp"] - claims["iat"] == 600


def test_expired_token() -> None:
    token = issue_token(SECRET, "a", 300, now=NOW - 1000)
    assert _reason(token) == "expired"


def test_missing_exp() -> None:
    token = jwt.encode({"sub": "a", "iat": NOW}, SECRET, algorithm="HS256")
    assert _reason(token) == "missing-exp"


def test_over_long_lifetime_by_iat_and_by_time_left() -> None:
    declared = jwt.encode({"sub": "a", "iat": NOW, "exp": NOW + 3600}, SECRET, algorithm="HS256")
    assert _reason(declared) == "lifetime-too-long"
    # No iat, but still valid for an hour from now: refused as well.
    no_iat = jwt.encode({"sub": "a", "exp": NOW + 3600}, SECRET, algorithm="HS256")
    assert _reason(no_iat) == "lifetime-too-long"
    # A backdated iat cannot hide a far-away exp.
    backdated = jwt.encode({"sub": "a", "iat": NOW + 2700, "exp": NOW + 3600}, SECRET, algorithm="HS256")
    assert _reason(backdated) in {"lifetime-too-long", "iat-in-future"}


def test_iat_in_the_future() -> None:
    token = jwt.encode({"sub": "a", "iat": NOW + 300, "exp": NOW + 600}, SECRET, algorithm="HS256")
    assert _reason(token) == "iat-in-future"


def test_wrong_key() -> None:
    token = issue_token("t" * 40, "a", 300, now=NOW)
    assert _reason(token) == "bad-signature"


@pytest.mark.parametrize("alg", ["none", "None", "NONE", "nOnE"])
def test_alg_none_in_any_case_is_refused(alg: str) -> None:
    header = jwt.utils.base64url_encode(f'{{"alg":"{alg}","typ":"JWT"}}'.encode()).decode()
    payload = jwt.utils.base64url_encode(f'{{"sub":"a","exp":{NOW + 60}}}'.encode()).decode()
    assert _reason(f"{header}.{payload}.") == "algorithm-not-allowed"


def test_rs_hs_confusion_is_refused() -> None:
    """An HS256 token 'signed' with the RSA public key as HMAC secret must not pass."""
    private = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    public_pem = private.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    ).decode()
    claims = {"sub": "a", "iat": NOW, "exp": NOW + 60}
    import hashlib
    import hmac
    import json

    def b64(data: bytes) -> str:
        return jwt.utils.base64url_encode(data).decode()

    signing_input = b64(json.dumps({"alg": "HS256", "typ": "JWT"}).encode()) + "." + b64(json.dumps(claims).encode())
    mac = hmac.new(public_pem.encode(), signing_input.encode(), hashlib.sha256).digest()
    forged = signing_input + "." + b64(mac)
    assert _reason(forged, public_pem) == "algorithm-not-allowed"
    good = jwt.encode(claims, private, algorithm="RS256")
    assert _verify(good, public_pem)["sub"] == "a"


def test_wrong_algorithm_family_for_ec_and_ed25519_keys() -> None:
    ec_key = ec.generate_private_key(ec.SECP256R1())
    ec_pem = ec_key.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    ).decode()
    claims = {"sub": "a", "iat": NOW, "exp": NOW + 60}
    assert _verify(jwt.encode(claims, ec_key, algorithm="ES256"), ec_pem)["sub"] == "a"
    assert _reason(jwt.encode(claims, SECRET, algorithm="HS256"), ec_pem) == "algorithm-not-allowed"
    ed = ed25519.Ed25519PrivateKey.generate()
    ed_pem = ed.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    ).decode()
    assert _verify(jwt.encode(claims, ed, algorithm="EdDSA"), ed_pem)["sub"] == "a"
    assert _reason(jwt.encode(claims, ec_key, algorithm="ES256"), ed_pem) == "algorithm-not-allowed"


def test_audience_and_issuer_when_configured() -> None:
    token = issue_token(SECRET, "a", 300, audience="toolbox", issuer="ci", now=NOW)
    assert _verify(token, audience="toolbox", issuer="ci")["aud"] == "toolbox"
    assert _reason(token, audience="other") == "wrong-audience"
    assert _reason(token, issuer="someone-else") == "wrong-issuer"
    bare = issue_token(SECRET, "a", 300, now=NOW)
    assert _reason(bare, audience="toolbox") == "missing-aud"


@pytest.mark.parametrize("garbage", ["", "abc", "a.b", "a.b.c.d", "\x00" * 50, "é.é.é", "x" * 5000])
def test_garbage_is_malformed_not_a_crash(garbage: str) -> None:
    with pytest.raises(ApiTokenError) as caught:
        _verify(garbage)
    assert caught.value.reason in {"malformed", "algorithm-not-allowed", "invalid"}


def test_issue_refuses_public_key_mode() -> None:
    key = ec.generate_private_key(ec.SECP256R1()).public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    ).decode()
    with pytest.raises(ValueError, match="HMAC"):
        issue_token(key, "a", 60)


def test_real_clock_default() -> None:
    token = issue_token(SECRET, "a", 60)
    claims = verify_token(token, load_verification_key(SECRET), max_ttl=60)
    assert abs(claims["iat"] - time.time()) < 5


@pytest.mark.parametrize("bits", [8200, 16384])
def test_oversized_rsa_api_keys_are_refused_before_loading(bits: int) -> None:
    from tests.unit.jwt import hugekeys

    for fmt in (serialization.PublicFormat.SubjectPublicKeyInfo, serialization.PublicFormat.PKCS1):
        with pytest.raises(ValueError, match=f"RSA keys over 8192 bits are not accepted \\(this one has {bits}\\)"):
            load_verification_key(hugekeys.rsa_public_pem(bits, fmt))


def test_odd_family_and_hostile_api_keys_are_refused_clearly() -> None:
    from tests.unit.jwt import hugekeys

    with pytest.raises(ValueError, match="a DSA key cannot be used"):
        load_verification_key(hugekeys.dsa_public_pem(16384))
    with pytest.raises(ValueError, match="exponents over 64 bits"):
        load_verification_key(hugekeys.rsa_public_pem(3072, e=hugekeys.odd(3000)))
    started = time.perf_counter()
    with pytest.raises(ValueError):
        load_verification_key("-----BEGIN A-----" * 15_000)
    assert time.perf_counter() - started < 2


def _hand_token(claims_json: str, key: str = SECRET) -> str:
    """An HS256 token over exactly this claims text (NaN and 1e400 are not JSON, but PyJWT reads them)."""
    import base64
    import hashlib
    import hmac

    def b64(data: bytes) -> str:
        return base64.urlsafe_b64encode(data).rstrip(b"=").decode()

    signing_input = b64(b'{"alg":"HS256","typ":"JWT"}') + "." + b64(claims_json.encode())
    signature = hmac.new(key.encode(), signing_input.encode(), hashlib.sha256).digest()
    return signing_input + "." + b64(signature)


@pytest.mark.parametrize("exp", ["NaN", "Infinity", "-Infinity", "1e400", "-1e400", "1" + "0" * 400,
                                 "true", "false", "null", '"1800000060"', "[1800000060]", "{}", "-5",
                                 "253402300800", "1e18"])
def test_only_finite_sane_numbers_are_expiry_times(exp: str) -> None:
    token = _hand_token('{"sub":"a","iat":1800000000,"exp":' + exp + "}")
    reason = _reason(token)
    assert reason in {"invalid", "missing-exp", "expired", "lifetime-too-long"}
    if exp in ("NaN", "1e400", "1" + "0" * 400, "true", '"1800000060"', "[1800000060]", "{}", "253402300800",
               "1e18"):
        assert reason == "invalid"


@pytest.mark.parametrize("claim", ["iat", "nbf"])
@pytest.mark.parametrize("value", ["NaN", "Infinity", "-Infinity", "1e400", "true", '"0"', "-1"])
def test_other_time_claims_must_be_finite_sane_numbers_too(claim: str, value: str) -> None:
    token = _hand_token('{"sub":"a","exp":1800000060,"' + claim + '":' + value + "}")
    assert _reason(token) == "invalid"


def test_a_nan_expiry_is_refused_with_words() -> None:
    with pytest.raises(ApiTokenError) as caught:
        _verify(_hand_token('{"sub":"a","exp":NaN}'))
    assert "'exp'" in caught.value.detail and "NumericDate" in caught.value.detail
