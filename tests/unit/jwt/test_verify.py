"""verify(): every algorithm against tokens PyJWT signs, every key form, and a reason in words for each failure."""

from __future__ import annotations

import base64
import datetime
import json
import warnings
from typing import Any

import jwt
import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, ed448, ed25519, rsa
from cryptography.x509.oid import NameOID

from toolbox.core.jwt import b64
from toolbox.core.jwt.model import JwtInputError
from toolbox.core.jwt.verify import verify

NOW = 1_700_000_000
CLAIMS = {"sub": "user-1", "iss": "https://issuer.example", "aud": "api", "iat": NOW, "exp": NOW + 600}
SECRETS = {"HS256": b"\x01" * 32, "HS384": b"\x02" * 48, "HS512": b"\x03" * 64}
PEM = serialization.Encoding.PEM


@pytest.fixture(scope="module")
def private_keys() -> dict[str, Any]:
    """One private key per asymmetric algorithm family/curve (RSA generated once: it is slow)."""
    rsa_key = rsa.generate_private_key(65537, 2048)
    keys = {f"{p}{n}": rsa_key for p in ("RS", "PS") for n in (256, 384, 512)}
    keys |= {"ES256": ec.generate_private_key(ec.SECP256R1()), "ES256K": ec.generate_private_key(ec.SECP256K1()),
             "ES384": ec.generate_private_key(ec.SECP384R1()), "ES512": ec.generate_private_key(ec.SECP521R1()),
             "EdDSA": ed25519.Ed25519PrivateKey.generate(), "EdDSA-448": ed448.Ed448PrivateKey.generate()}
    return keys


ASYMMETRIC = ["RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES256K", "ES384", "ES512", "EdDSA",
              "EdDSA-448"]
FORMS = ["spki", "pkcs1", "certificate", "private-pem", "jwk", "private-jwk", "jwks-kid", "jwks-no-kid"]


def certificate(private: Any) -> str:
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "toolbox test")])
    start = datetime.datetime(2024, 1, 1, tzinfo=datetime.UTC)
    algorithm = None if isinstance(private, ed25519.Ed25519PrivateKey | ed448.Ed448PrivateKey) else hashes.SHA256()
    builder = x509.CertificateBuilder().subject_name(name).issuer_name(name).serial_number(7)
    builder = builder.public_key(private.public_key()).not_valid_before(start)
    return builder.not_valid_after(start + datetime.timedelta(days=1)).sign(private, algorithm).public_bytes(PEM).decode()


def jwk_of(key: Any, **extra: str) -> dict[str, Any]:
    return {**json.loads(jwt.PyJWK.from_dict(_to_jwk(key)).Algorithm.to_jwk(key)), **extra}


def _to_jwk(key: Any) -> dict[str, Any]:
    algorithms = jwt.algorithms.get_default_algorithms()
    if isinstance(key, rsa.RSAPrivateKey | rsa.RSAPublicKey):
        return json.loads(algorithms["RS256"].to_jwk(key))
    if isinstance(key, ec.EllipticCurvePrivateKey | ec.EllipticCurvePublicKey):
        return json.loads(algorithms["ES256"].to_jwk(key))
    return {**json.loads(algorithms["EdDSA"].to_jwk(key)), "alg": "EdDSA"}


def key_text(private: Any, form: str, decoy: Any) -> tuple[str, str]:
    public = private.public_key()
    if form == "spki":
        return public.public_bytes(PEM, serialization.PublicFormat.SubjectPublicKeyInfo).decode(), "pem"
    if form == "pkcs1":
        return public.public_bytes(PEM, serialization.PublicFormat.PKCS1).decode(), "pem"
    if form == "certificate":
        return certificate(private), "pem"
    if form == "private-pem":
        fmt = serialization.PrivateFormat.PKCS8
        return private.private_bytes(PEM, fmt, serialization.NoEncryption()).decode(), "pem"
    if form in ("jwk", "private-jwk"):
        return json.dumps(jwk_of(public if form == "jwk" else private, kid="k1")), "jwk"
    decoys = [jwk_of(decoy.public_key(), kid="decoy"), jwk_of(public, kid="k1")]
    if form == "jwks-no-kid":
        decoys = [{k: v for k, v in d.items() if k != "kid"} for d in decoys]
    return json.dumps({"keys": decoys}), "jwks"


def pyjwt_token(alg: str, key: Any, *, kid: str | None = "k1", claims: dict[str, Any] = CLAIMS) -> str:
    return jwt.encode(claims, key, algorithm=alg.split("-")[0], headers={"kid": kid} if kid else None)


@pytest.mark.parametrize(
    ("alg", "form"),
    [(a, f) for a in ASYMMETRIC for f in FORMS if f != "pkcs1" or a.startswith(("RS", "PS"))],  # PKCS#1: RSA only
)
def test_tokens_pyjwt_signs_verify_with_every_key_form(private_keys: dict[str, Any], alg: str, form: str) -> None:
    private = private_keys[alg]
    decoy = private_keys["ES256" if alg != "ES256" else "ES384"]
    text, key_type = key_text(private, form, decoy)
    token = pyjwt_token(alg, private, kid=None if form == "jwks-no-kid" else "k1")
    result = verify(token, text, key_type, audience="api", issuer="https://issuer.example", subject="user-1",
                    now=NOW)
    assert result.verified, result.reason
    assert result.reason is None and result.claims_valid and result.claim_errors == ()
    assert result.alg == alg.split("-")[0] and result.findings == ()
    if form == "jwks-no-kid":
        assert [a.verified for a in result.attempts] == [False, True]
        assert result.attempts[0].reason is not None and result.attempts[0].label.startswith("key #1 (")
        assert result.attempts[1].label.startswith("key #2 (")
    elif form == "jwks-kid":
        assert len(result.attempts) == 1 and result.attempts[0].label.startswith("kid=k1 (")
        assert result.key_description.endswith(", kid=k1 in a JWK Set of 2 keys")


@pytest.mark.parametrize("alg", ["HS256", "HS384", "HS512"])
@pytest.mark.parametrize("form", ["secret", "secret-base64", "secret-base64url", "jwk", "jwks-kid", "jwks-no-kid"])
def test_hmac_tokens_verify_with_every_secret_form(alg: str, form: str) -> None:
    secret = SECRETS[alg]
    jwk = {"kty": "oct", "k": b64.encode(secret), "kid": "k1"}
    texts = {
        "secret": (secret.decode(), "secret"),
        "secret-base64": (base64.b64encode(secret).decode(), "secret-base64"),
        "secret-base64url": (base64.urlsafe_b64encode(secret).decode(), "secret-base64url"),
        "jwk": (json.dumps(jwk), "jwk"),
        "jwks-kid": (json.dumps({"keys": [{**jwk, "kid": "k0", "k": "b3RoZXI"}, jwk]}), "jwks"),
        "jwks-no-kid": (json.dumps({"keys": [{"kty": "oct", "k": "b3RoZXI"}, {"kty": "oct", "k": jwk["k"]}]}), "jwks"),
    }
    text, key_type = texts[form]
    token = jwt.encode(CLAIMS, secret, algorithm=alg, headers=None if form == "jwks-no-kid" else {"kid": "k1"})
    result = verify(token, text, key_type, audience="api", now=NOW)
    assert result.verified, result.reason
    assert result.key_description.startswith(f"HMAC secret, {len(secret)} bytes")


# --- reasons in words ----------------------------------------------------------------------------------


def test_hs256_token_with_an_rsa_pem_is_an_algorithm_key_mismatch(private_keys: dict[str, Any]) -> None:
    pem, _ = key_text(private_keys["RS256"], "spki", None)
    result = verify(jwt.encode(CLAIMS, "x" * 32, algorithm="HS256"), pem, "pem", now=NOW)
    assert not result.verified
    assert result.reason.startswith("algorithm/key mismatch: HS256 needs an HMAC secret but the key is an RSA "
                                    "public key; a public key is never used as an HMAC secret")
    assert "key-confusion attack" in result.reason


def test_rs_hs_confusion_never_verifies(private_keys: dict[str, Any]) -> None:
    """The classic attack: HMAC the token with the server's public key PEM and hope it is used as a secret."""
    pem, _ = key_text(private_keys["RS256"], "spki", None)
    header = b64.encode(b'{"alg":"HS256","typ":"JWT"}')
    payload = b64.encode(json.dumps(CLAIMS).encode())
    import hashlib
    import hmac

    forged = f"{header}.{payload}.{b64.encode(hmac.new(pem.encode(), f'{header}.{payload}'.encode(), hashlib.sha256).digest())}"
    assert not verify(forged, pem, "pem", now=NOW).verified
    assert not verify(forged, json.dumps({"keys": [jwk_of(private_keys['RS256'].public_key())]}), "jwks").verified
    with pytest.raises(JwtInputError, match="RS256 -> HS256 key-confusion attack"):
        verify(forged, pem, "secret")


def test_es256_token_with_a_p384_key_is_a_wrong_curve(private_keys: dict[str, Any]) -> None:
    text, _ = key_text(private_keys["ES384"], "spki", None)
    result = verify(pyjwt_token("ES256", private_keys["ES256"]), text, "pem", now=NOW, audience="api")
    assert result.reason == "wrong curve: ES256 needs an EC key on P-256 but the key is on P-384"
    assert result.claims_valid  # claims are still checked and reported


def test_wrong_key(private_keys: dict[str, Any]) -> None:
    other = rsa.generate_private_key(65537, 2048)
    text, _ = key_text(other, "spki", None)
    result = verify(pyjwt_token("RS256", private_keys["RS256"]), text, "pem", now=NOW, audience="api")
    assert result.reason == "signature does not match: the token was not signed with this key, or it was altered"
    assert result.attempts[0].label == "the given key" and result.attempts[0].reason == result.reason


@pytest.mark.parametrize("alg", ["none", "None", "NONE", "nOnE"])
def test_alg_none_never_verifies(alg: str) -> None:
    header = b64.encode(json.dumps({"alg": alg}).encode())
    token = f"{header}.{b64.encode(json.dumps(CLAIMS).encode())}."
    result = verify(token, "secret-secret-secret-secret-1234", "secret", now=NOW, audience="api")
    assert not result.verified
    assert result.reason == f"alg {alg!r} marks an unsecured token: it never verifies (accepting it would let anyone forge tokens)"
    assert result.claims_valid and "algorithms=['HS256']" in result.snippet


def test_alg_none_with_a_signature_does_not_verify_either() -> None:
    token = jwt.encode(CLAIMS, "k" * 32, algorithm="HS256")
    header = b64.encode(b'{"alg":"none"}')
    forged = header + token[token.index("."):]
    assert not verify(forged, "k" * 32, "secret").verified


def test_kid_not_in_set_names_the_kid_and_lists_the_available_ones(private_keys: dict[str, Any]) -> None:
    key = private_keys["ES256"]
    jwks = json.dumps({"keys": [jwk_of(key.public_key(), kid="a"), jwk_of(key.public_key(), kid="b")]})
    result = verify(pyjwt_token("ES256", key, kid="zzz"), jwks, "jwks", now=NOW)
    assert result.reason == "kid 'zzz' is not in the key set (available kids: 'a', 'b')"
    assert result.attempts == ()
    nokids = json.dumps({"keys": [jwk_of(key.public_key())]})
    assert verify(pyjwt_token("ES256", key, kid="zzz"), nokids, "jwks").reason == (
        "kid 'zzz' is not in the key set (its keys have no kids)")


def test_kid_present_but_unusable() -> None:
    jwks = json.dumps({"keys": [{"kty": "RSA", "kid": "a"}, {"kty": "oct", "k": b64.encode(b"s" * 32), "kid": "b"}]})
    result = verify(jwt.encode(CLAIMS, "s" * 32, algorithm="HS256", headers={"kid": "a"}), jwks, "jwks")
    assert result.reason == "the key with kid 'a' cannot be used: skipped key #1: key #1 (kty RSA) is missing 'n', 'e'"


def test_jwks_without_a_fitting_key(private_keys: dict[str, Any]) -> None:
    jwks = json.dumps({"keys": [jwk_of(private_keys["ES256"].public_key(), kid="a"),
                                jwk_of(private_keys["EdDSA"].public_key(), kid="b")]})
    result = verify(pyjwt_token("RS256", private_keys["RS256"], kid=None), jwks, "jwks")
    assert result.reason == "no key in the set fits RS256, which needs an RSA key; the set has kid=a (EC P-256), kid=b (Ed25519)"
    assert [a.verified for a in result.attempts] == [False, False]


def test_jwks_where_no_compatible_key_verifies(private_keys: dict[str, Any]) -> None:
    others = [rsa.generate_private_key(65537, 1024) for _ in range(2)]
    jwks = json.dumps({"keys": [jwk_of(k.public_key()) for k in others]})
    result = verify(pyjwt_token("RS256", private_keys["RS256"], kid=None), jwks, "jwks")
    assert result.reason == "no key in the set verifies the signature (tried 2 RS256 keys; see each key's result)"
    assert all(a.reason and a.reason.startswith("malformed signature length") for a in result.attempts)
    assert result.findings == ()  # no key verified: none of them is the token's key, their sizes say nothing


def test_jwks_with_1000_keys_tries_at_most_50(private_keys: dict[str, Any]) -> None:
    jwks = json.dumps({"keys": [{"kty": "oct", "k": b64.encode(bytes([i % 256]) * 32)} for i in range(1000)]})
    result = verify(jwt.encode(CLAIMS, "nope" * 8, algorithm="HS256"), jwks, "jwks")
    assert len(result.attempts) == 50 and not result.verified
    assert result.notes == ("the set has 1000 candidate keys; only the first 50 were tried",)


def test_short_hmac_key_still_verifies_with_a_finding() -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        token = jwt.encode(CLAIMS, "short", algorithm="HS512")
    result = verify(token, "short", "secret", audience="api", now=NOW)
    assert result.verified
    (finding,) = result.findings
    assert (finding.id, finding.severity) == ("short-hmac-key", "high")
    assert "The secret is 5 bytes but HS512 needs at least 64" in finding.detail and "RFC 7518 §3.2" in finding.detail


def test_short_rsa_key_finding() -> None:
    small = rsa.generate_private_key(65537, 1024)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        token = jwt.encode(CLAIMS, small, algorithm="RS256")
    text, _ = key_text(small, "spki", None)
    result = verify(token, text, "pem", audience="api", now=NOW)
    assert result.verified and result.key_description == "RSA public key, 1024 bits"
    assert [(f.id, f.title) for f in result.findings] == [("short-rsa-key", "RSA key shorter than 2048 bits")]


@pytest.mark.parametrize(
    ("given", "key_type", "read_as"),
    [
        (base64.b64encode(b"\xfa" * 32).decode(), "secret", "base64"),
        (base64.urlsafe_b64encode(b"\xfa" * 32).decode().rstrip("="), "secret", "base64url"),
        ("mysecretthatislongenough32charsX", "secret-base64", "UTF-8"),
        ("my-secret-that-is-long-enough-32\n", "secret", "UTF-8 without the surrounding whitespace"),
    ],
)
def test_secret_encoding_likely_wrong(given: str, key_type: str, read_as: str) -> None:
    real = b"\xfa" * 32 if read_as.startswith("base64") else given.strip().encode()
    result = verify(jwt.encode(CLAIMS, real, algorithm="HS256"), given, key_type)
    assert not result.verified
    assert result.reason is not None and result.reason.startswith("secret encoding likely wrong")
    assert result.reason.endswith(f"but it verifies if the secret is read as {read_as}")


def test_signature_of_wrong_length(private_keys: dict[str, Any]) -> None:
    token = pyjwt_token("ES256", private_keys["ES256"])
    text, _ = key_text(private_keys["ES256"], "spki", None)
    head = token.rsplit(".", 1)[0]
    short = verify(f"{head}.{b64.encode(b'x' * 63)}", text, "pem")
    assert short.reason == "malformed signature length: ES256 with this key makes 64-byte signatures, this one has 63 bytes"
    der = verify(f"{head}.{b64.encode(bytes([0x30]) + b'x' * 70)}", text, "pem")
    assert der.reason is not None and der.reason.endswith("(it looks DER-encoded; JWS uses the raw R||S form, RFC 7518 §3.4)")
    empty = verify(f"{head}.", text, "pem")
    assert empty.reason == "the token has no signature"
    hs = jwt.encode(CLAIMS, "k" * 32, algorithm="HS256").rsplit(".", 1)[0]
    assert "HS256 with this key makes 32-byte signatures, this one has 3 bytes" in (
        verify(f"{hs}.AAAA", "k" * 32, "secret").reason or "")


# --- damaged tokens and bad input ----------------------------------------------------------------------


def h(header: bytes) -> str:
    """A token with this raw header, an empty-object payload and no signature."""
    return f"{b64.encode(header)}.e30."


@pytest.mark.parametrize(
    ("token", "reason"),
    [
        ("a.b", "a signed token has 3 dot-separated parts; this one has 2"),
        ("a.b.c.d.e", "this is an encrypted token (JWE)"),
        ("e*J.e30.", "the header cannot be read: bad base64url at char 2: '*'"),
        (h(b'[1]'), "the header is not a JSON object"),
        (h(b'{'), "the header is not a JSON object"),
        (h(bytes([0xff, 0xfe, 0x7b])), "the header is not a JSON object"),
        (h(b'{}'), "the header has no \"alg\""),
        (h(b'{"alg":7}'), "the header's \"alg\" is not a string"),
        (h(b'{"alg":"hs256"}'), "unsupported algorithm 'hs256' (supported: HS256"),
        (h(b'{"alg":"HS256","kid":1}'), "the header's \"kid\" is not a string"),
        ("eyJhbGciOiJIUzI1NiJ9.e30.A", "the signature part is damaged (cut off or edited): bad base64url length 1"),
        ("eyJhbGciOiJIUzI1NiJ9.e30.AB", "the signature part is damaged (cut off or edited): its last character"),
        ("eyJhbGciOiJIUzI1NiJ9.e31.", "the payload part is damaged (cut off or edited): its last character has bits"),
        ("eyJhbGciOiJIUzI1NiJ9.e3+.", "malformed token: the payload is not canonical base64url (uses the standard"),
        ("eyJhbGciOiJIUzI1NiJ9.e3!.", "the payload cannot be read: bad base64url at char 24: '!'"),
    ],
)
def test_damaged_tokens_are_not_verified_and_say_why(token: str, reason: str) -> None:
    result = verify(token, "k" * 32, "secret")
    assert not result.verified
    assert result.reason is not None and result.reason.startswith(reason), result.reason


def test_case_hint_for_algorithm_names() -> None:
    token = h(b'{"alg":"hs256"}')
    assert (verify(token, "k" * 32, "secret").reason or "").endswith("algorithm names are case-sensitive: did you mean HS256?")


def test_crit_header_is_rejected_even_when_the_signature_matches() -> None:
    token = jwt.encode(CLAIMS, "k" * 32, algorithm="HS256", headers={"crit": ["exp"], "exp": 1})
    result = verify(token, "k" * 32, "secret", audience="api", now=NOW)
    assert not result.verified
    assert result.reason == ('the signature matches, but the token must be rejected: the header lists critical '
                             'extensions (["exp"]) that this verifier does not understand')


def test_bearer_prefix_and_quotes_are_tolerated() -> None:
    token = jwt.encode(CLAIMS, "k" * 32, algorithm="HS256")
    assert verify(f'  "Authorization: Bearer {token}"\n', "k" * 32, "secret", audience="api", now=NOW).verified


@pytest.mark.parametrize(
    ("token", "kwargs", "message"),
    [
        ("", {}, "no token given"),
        (b"a.b.c", {}, "the token must be text"),
        ("x" * 300_000, {}, "the input is 300000 characters"),
        ("a.b.c", {"leeway": -1}, "the leeway must be a number of seconds"),
        ("a.b.c", {"audience": 5}, "the expected audience must be a string or a list of strings"),
        ("a.b.c", {"issuer": ["x"]}, "the expected issuer must be a string"),
        ("a.b.c", {"require": "exp"}, "required claims must be a list"),
    ],
)
def test_unusable_input_raises(token: Any, kwargs: dict[str, Any], message: str) -> None:
    with pytest.raises(JwtInputError, match=message):
        verify(token, "k" * 32, "secret", **kwargs)


def test_hostile_payloads_do_not_escape() -> None:
    deep = b64.encode(b"[" * 50_000 + b"]" * 50_000)
    token = f"eyJhbGciOiJIUzI1NiJ9.{deep}.AAAA"
    result = verify(token, "k" * 32, "secret")
    assert not result.verified and result.claim_errors == ("the payload is not a JSON object, so it has no claims to check",)
    invalid_utf8 = f"eyJhbGciOiJIUzI1NiJ9.{b64.encode(bytes([0x7b, 0xff, 0x7d]))}.AAAA"
    assert not verify(invalid_utf8, "k" * 32, "secret").claims_valid


# --- claims ---------------------------------------------------------------------------------------------


def hs(claims: dict[str, Any]) -> str:
    return jwt.encode(claims, "k" * 32, algorithm="HS256")


@pytest.mark.parametrize(
    ("claims", "kwargs", "errors"),
    [
        ({"exp": NOW - 125}, {"leeway": 30}, ["expired 125 s ago, more than the 30 s leeway"]),
        ({"exp": NOW - 125}, {}, ["expired 125 s ago, and no leeway is allowed"]),
        ({"exp": NOW - 20}, {"leeway": 30}, []),
        ({"exp": NOW - 3 * 86400}, {}, ["expired about 3 days ago (259200 s), and no leeway is allowed"]),
        ({"nbf": NOW + 3600 * 5}, {"leeway": 60},
         ["not valid yet: nbf is about 5 hours in the future (18000 s), more than the 60 s leeway"]),
        ({"iat": NOW + 100}, {}, ["issued in the future: iat is 100 s in the future, and no leeway is allowed"]),
        ({"exp": "tomorrow"}, {}, ["'exp' is not a NumericDate (a number of seconds since 1970): \"tomorrow\""]),
        ({"exp": True}, {}, ["'exp' is not a NumericDate (a number of seconds since 1970): true"]),
        ({}, {"require": ["exp", "jti"]}, ["required claim 'exp' is missing", "required claim 'jti' is missing"]),
        ({"aud": ["a", "b"]}, {"audience": "b"}, []),
        ({"aud": "a"}, {"audience": ["x", "a"]}, []),
        ({"aud": "a"}, {"audience": "b"}, ["audience mismatch: expected 'b', the token is for 'a'"]),
        ({"aud": ["a", "c"]}, {"audience": ["b", "d"]},
         ["audience mismatch: expected one of 'b', 'd', the token is for one of 'a', 'c'"]),
        ({}, {"audience": "b"}, ["expected audience 'b' but the token has no \"aud\""]),
        ({"aud": 5}, {"audience": "b"}, ["\"aud\" must be a string or an array of strings"]),
        ({"aud": "a"}, {}, ["the token is for audience \"a\" but no expected audience was given: a recipient must "
                            "check that it is named in \"aud\" (RFC 7519 §4.1.3; PyJWT rejects this)"]),
        ({"iss": "x"}, {"issuer": "y"}, ["issuer mismatch: expected 'y', the token says 'x'"]),
        ({}, {"issuer": "y"}, ["expected iss 'y' but the token has no 'iss'"]),
        ({"sub": 5}, {}, ["'sub' must be a string, not 5"]),
        ({"sub": "a"}, {"subject": "b"}, ["subject mismatch: expected 'b', the token says 'a'"]),
        ({"jti": 1}, {}, ["'jti' must be a string, not 1"]),
    ],
)
def test_claim_checks(claims: dict[str, Any], kwargs: dict[str, Any], errors: list[str]) -> None:
    result = verify(hs(claims), "k" * 32, "secret", now=NOW, **kwargs)
    assert result.verified
    assert list(result.claim_errors) == errors
    assert result.claims_valid is (not errors)


def test_claims_are_reported_even_when_the_signature_fails() -> None:
    result = verify(hs({"exp": NOW - 10}), "wrong" * 8, "secret", now=NOW)
    assert not result.verified and not result.claims_valid
    assert result.claim_errors == ("expired 10 s ago, and no leeway is allowed",)


# --- the snippet reproduces the check --------------------------------------------------------------------


@pytest.mark.parametrize("case", ["secret", "secret-base64url", "spki", "certificate", "private-pem", "jwk",
                                  "jwks-kid", "jwks-no-kid"])
def test_the_snippet_runs_and_reaches_the_same_verdict(private_keys: dict[str, Any], case: str, tmp_path: Any,
                                                       monkeypatch: pytest.MonkeyPatch, capsys: Any) -> None:
    import time

    claims = {**CLAIMS, "iat": int(time.time()), "exp": int(time.time()) + 600}
    if case.startswith("secret"):
        secret = b"\x07" * 32
        text = secret.decode() if case == "secret" else b64.encode(secret)
        token, files = jwt.encode(claims, secret, algorithm="HS256"), {}
        monkeypatch.setenv("JWT_SECRET", text)
    else:
        private = private_keys["PS256"]
        text, case_type = key_text(private, case, private_keys["ES256"])
        token = pyjwt_token("PS256", private, kid=None if case == "jwks-no-kid" else "k1", claims=claims)
        if case == "private-pem":  # the snippet wants the public key, as it says
            text_for_file = key_text(private, "spki", None)[0]
        else:
            text_for_file = text
        files = {"certificate.pem" if case == "certificate" else "public.pem": text_for_file,
                 "key.jwk.json": text_for_file, "jwks.json": text_for_file}
    result = verify(token, text, "pem" if case in ("spki", "certificate", "private-pem") else
                    "jwks" if case.startswith("jwks") else "jwk" if case == "jwk" else case,
                    audience="api", issuer="https://issuer.example", subject="user-1", leeway=5, require=["exp"])
    assert result.verified, result.reason
    assert text not in result.snippet and "JWT_TOKEN" in result.snippet
    for name, content in files.items():
        (tmp_path / name).write_text(content)
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("JWT_TOKEN", token)
    exec(compile(result.snippet, "snippet", "exec"), {})  # noqa: S102
    assert "'sub': 'user-1'" in capsys.readouterr().out


def test_a_private_pem_is_used_through_its_public_half(private_keys: dict[str, Any]) -> None:
    text, _ = key_text(private_keys["ES256"], "private-pem", None)
    result = verify(pyjwt_token("ES256", private_keys["ES256"]), text, "pem", audience="api", now=NOW)
    assert result.verified
    assert result.key_description == "EC P-256 public key (public half of the private key given)"
    assert result.notes == ("a private key was given: only its public half is needed (and used) to verify",)


def test_jwk_use_and_alg_members_bind_the_key(private_keys: dict[str, Any]) -> None:
    public = private_keys["RS256"].public_key()
    token = pyjwt_token("PS256", private_keys["RS256"])
    enc = verify(token, json.dumps(jwk_of(public, use="enc")), "jwk")
    assert enc.reason == "the key is marked \"use\": 'enc', so it is not for signatures"
    rs = verify(token, json.dumps(jwk_of(public, alg="RS256")), "jwk")
    assert rs.reason == "algorithm/key mismatch: the JWK is for RS256 (its \"alg\" member), not PS256"


def test_long_kids_are_clipped_in_messages(private_keys: dict[str, Any]) -> None:
    key = private_keys["ES256"]
    jwks = json.dumps({"keys": [jwk_of(key.public_key(), kid="k" * 500)]})
    result = verify(pyjwt_token("ES256", key, kid="x" * 5000), jwks, "jwks")
    assert result.kid == "x" * 5000  # the value itself is kept whole
    assert result.reason == f"kid '{'x' * 57}...' is not in the key set (available kids: '{'k' * 57}...')"


def test_a_1mb_key_is_refused_before_any_parsing() -> None:
    with pytest.raises(JwtInputError, match="the key is 1048576 characters; the limit is 262144"):
        verify(hs({}), "-----BEGIN PUBLIC KEY-----" + "A" * (1024 * 1024 - 26), "pem")


def test_claims_are_read_as_pyjwt_reads_them_not_as_the_decoder_does() -> None:
    # verify() mirrors jwt.decode, which parses with json.loads (NaN allowed) and takes any finite number
    # as a time; the decoder is stricter (JSON.parse rules, 1970 to 9999) and must not be reused here.
    result = verify(hs({"exp": float("nan"), "iat": -5, "nbf": 10**13}), "k" * 32, "secret", now=NOW)
    assert result.verified
    assert list(result.claim_errors) == [
        "'exp' is not a NumericDate (a number of seconds since 1970): NaN",
        "not valid yet: nbf is about 316827 years in the future (9998300000000 s), and no leeway is allowed",
    ]


def test_a_damaged_signature_leaves_the_claims_readable() -> None:
    """A cut-off signature is the reason; the payload still decodes, so no "payload cannot be read"."""
    result = verify("eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.bad", "secret", "secret")
    assert not result.verified
    assert result.reason is not None and result.reason.startswith(
        "the signature part is damaged (cut off or edited)")
    assert result.claim_errors == () and result.claims_valid


def test_a_wrong_key_raises_no_finding_about_its_length() -> None:
    token = jwt.encode({"sub": "1"}, "a-long-enough-hmac-secret-for-hs256!", algorithm="HS256")
    wrong = verify(token, "short", "secret")
    assert not wrong.verified and wrong.findings == ()
    with warnings.catch_warnings():  # PyJWT warns about the short key, which is the point
        warnings.simplefilter("ignore")
        short = jwt.encode({"sub": "1"}, "short", algorithm="HS256")
    assert [f.id for f in verify(short, "short", "secret").findings] == ["short-hmac-key"]
