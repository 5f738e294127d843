"""The audit's newer bug classes: psychic ECDSA signatures, self-signed tokens, and crit misuse.

Each class has tokens that trigger it, near misses that must not, and hostile forms. Tokens are made
here by hand (hmac / cryptography), not by this tool; verify verdicts are compared with PyJWT's.
"""

from __future__ import annotations

import datetime
import hashlib
import hmac
import json
from typing import Any

import jwt
import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, ed25519, rsa
from cryptography.hazmat.primitives.asymmetric.utils import decode_dss_signature
from cryptography.x509.oid import NameOID

from tests.servers import serve_json
from toolbox.core.jwt import b64
from toolbox.core.jwt.algs import EC_ORDERS
from toolbox.core.jwt.decode import decode
from toolbox.core.jwt.model import Finding
from toolbox.core.jwt.verify import verify

CLAIMS = {"sub": "user-1"}
SECRET = b"s" * 32
CURVES = {"ES256": ec.SECP256R1(), "ES256K": ec.SECP256K1(), "ES384": ec.SECP384R1(), "ES512": ec.SECP521R1()}
HASHES = {"ES256": hashes.SHA256(), "ES256K": hashes.SHA256(), "ES384": hashes.SHA384(), "ES512": hashes.SHA512()}
EC_KEYS = {alg: ec.generate_private_key(curve) for alg, curve in CURVES.items()}


def enc(value: Any) -> str:
    return b64.encode(json.dumps(value, separators=(",", ":")).encode())


def findings(token: str) -> dict[str, Finding]:
    return {f.id: f for f in decode(token).findings}


def pem(key: Any) -> str:
    return key.public_key().public_bytes(serialization.Encoding.PEM,
                                         serialization.PublicFormat.SubjectPublicKeyInfo).decode()


def hs256(header: dict[str, Any], payload_segment: str | None = None) -> str:
    signing_input = f"{enc(header)}.{enc(CLAIMS) if payload_segment is None else payload_segment}"
    return f"{signing_input}.{b64.encode(hmac.new(SECRET, signing_input.encode(), hashlib.sha256).digest())}"


def es(alg: str, key: Any, header: dict[str, Any] | None = None) -> tuple[str, bytes]:
    """(signing input, raw r||s signature) made with cryptography."""
    signing_input = f"{enc(header or {'alg': alg})}.{enc(CLAIMS)}"
    r, s = decode_dss_signature(key.sign(signing_input.encode(), ec.ECDSA(HASHES[alg])))
    size = EC_ORDERS[alg][1]
    return signing_input, r.to_bytes(size, "big") + s.to_bytes(size, "big")


# --- psychic signatures (CVE-2022-21449) ------------------------------------------------------------

def _pair(alg: str, r: int, s: int) -> bytes:
    size = EC_ORDERS[alg][1]
    return r.to_bytes(size, "big") + s.to_bytes(size, "big")


@pytest.mark.parametrize("alg", list(CURVES))
@pytest.mark.parametrize(("case", "words"), [
    ("zero", "r = 0 and s = 0"), ("r-zero", "r = 0"), ("s-zero", "s = 0"),
    ("r-order", "r ≥ the curve order n"), ("s-order", "s ≥ the curve order n"), ("both-max", "r ≥ the curve"),
])
def test_psychic_signatures_are_critical_and_never_verify(alg: str, case: str, words: str) -> None:
    order, size = EC_ORDERS[alg]
    signing_input, real = es(alg, EC_KEYS[alg])
    r, s = int.from_bytes(real[:size], "big"), int.from_bytes(real[size:], "big")
    sig = {"zero": _pair(alg, 0, 0), "r-zero": _pair(alg, 0, s), "s-zero": _pair(alg, r, 0),
           "r-order": _pair(alg, order, s), "s-order": _pair(alg, r, order + 1),
           "both-max": b"\xff" * (2 * size)}[case]
    token = f"{signing_input}.{b64.encode(sig)}"
    finding = findings(token)["psychic-signature"]
    assert finding.severity == "critical" and words in finding.title and "CVE-2022-21449" in finding.detail
    result = verify(token, pem(EC_KEYS[alg]), "pem")
    assert not result.verified
    assert "psychic signature" in (result.reason or "") and words.split(" ≥")[0] in (result.reason or "")
    with pytest.raises(jwt.InvalidSignatureError):  # the engine's own verdict
        jwt.decode(token, EC_KEYS[alg].public_key(), algorithms=[alg])


@pytest.mark.parametrize("alg", list(CURVES))
def test_near_misses_are_not_psychic(alg: str) -> None:
    order, size = EC_ORDERS[alg]
    signing_input, real = es(alg, EC_KEYS[alg])
    genuine = f"{signing_input}.{b64.encode(real)}"
    assert "psychic-signature" not in findings(genuine)
    assert verify(genuine, pem(EC_KEYS[alg]), "pem").verified
    edge = f"{signing_input}.{b64.encode(_pair(alg, order - 1, 1))}"  # in range, merely wrong
    assert "psychic-signature" not in findings(edge)
    result = verify(edge, pem(EC_KEYS[alg]), "pem")
    assert not result.verified and "signature does not match" in (result.reason or "")
    # Zero signatures under other algorithms are not this class.
    for other in ("RS256", "HS256", "EdDSA", "PS256"):
        assert "psychic-signature" not in findings(f"{enc({'alg': other})}.{enc(CLAIMS)}.{b64.encode(bytes(64))}")


@pytest.mark.parametrize(("sig", "flagged"), [
    (bytes(63), "63 zero bytes"),  # wrong length, but all zero
    (bytes(2), "2 zero bytes"),
    (bytes.fromhex("3006020100020100"), "r = 0 and s = 0 (in DER form"),  # the CVE's proofs of concept
    (bytes.fromhex("3006020101020100"), "s = 0 (in DER form"),
    (bytes.fromhex("30060201ff020101"), None),  # a negative r: cryptography refuses the DER itself
    (bytes.fromhex("3006020101020101"), None),  # DER, in range
    (bytes.fromhex("3099"), None),  # broken DER
    (b"\x30" + bytes(300), None),  # too long to be DER of an ECDSA pair: not parsed
    (b"\x01" * 63, None),  # wrong length, not zero
    (b"\x00" * 31 + b"\x01" + bytes(32), "s = 0"),  # right length: r = 1, s = 0
])
def test_wrong_length_and_der_forms(sig: bytes, flagged: str | None) -> None:
    token = f"{enc({'alg': 'ES256'})}.{enc(CLAIMS)}.{b64.encode(sig)}"
    found = findings(token).get("psychic-signature")
    assert (found.title if found else None) is None if flagged is None else flagged in found.title  # type: ignore[union-attr]
    result = verify(token, pem(EC_KEYS["ES256"]), "pem")
    assert not result.verified
    assert ("psychic signature" in (result.reason or "")) is (flagged is not None), result.reason


def test_empty_signature_is_not_psychic() -> None:
    assert "psychic-signature" not in findings(f"{enc({'alg': 'ES256'})}.{enc(CLAIMS)}.")


# --- keys the token brings (Authlib CVE-2026-27962 class) ----------------------------------------------

def _public_jwk(key: Any) -> dict[str, Any]:
    return json.loads(jwt.algorithms.get_default_algorithms()[
        "ES256" if isinstance(key, ec.EllipticCurvePrivateKey) else "RS256" if isinstance(
            key, rsa.RSAPrivateKey) else "EdDSA"].to_jwk(key.public_key()))


def _self_signed(alg: str, key: Any, extra: dict[str, Any] | None = None) -> str:
    header = {"alg": alg, "jwk": _public_jwk(key), **(extra or {})}
    return jwt.encode(CLAIMS, key, algorithm=alg, headers=header)


@pytest.mark.parametrize(("alg", "key"), [
    ("ES256", EC_KEYS["ES256"]), ("ES384", EC_KEYS["ES384"]), ("RS256", rsa.generate_private_key(65537, 2048)),
    ("PS256", rsa.generate_private_key(65537, 2048)), ("EdDSA", ed25519.Ed25519PrivateKey.generate()),
    ("Ed25519", ed25519.Ed25519PrivateKey.generate()),
])
def test_a_token_signed_by_its_own_jwk_is_the_attackers_pattern(alg: str, key: Any) -> None:
    token = _self_signed(alg, key)
    found = findings(token)
    assert found["self-signed-token"].severity == "critical"
    assert "(jwk)" in found["self-signed-token"].title and "CVE-2026-27962" in found["self-signed-token"].detail
    assert found["embedded-key"].severity == "high" and "CVE-2026-27962" in found["embedded-key"].detail
    # The verifier never takes the key from the token: a key the user did not paste does not verify it ...
    other = rsa.generate_private_key(65537, 2048) if alg.startswith(("RS", "PS")) else ec.generate_private_key(
        CURVES.get(alg, ec.SECP256R1())) if alg.startswith("ES") else ed25519.Ed25519PrivateKey.generate()
    assert not verify(token, pem(other), "pem").verified
    # ... and the embedded key verifies it only when the user pastes it.
    assert verify(token, json.dumps(_public_jwk(key)), "jwk").verified


def test_hmac_secret_in_the_header_signs_its_own_token() -> None:
    token = hs256({"alg": "HS256", "jwk": {"kty": "oct", "k": b64.encode(SECRET)}})
    found = findings(token)
    assert found["self-signed-token"].severity == "critical"
    assert found["embedded-key"].severity == "critical" and "(k)" in found["embedded-key"].detail


def _certificate(key: Any) -> x509.Certificate:
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "attacker")])
    now = datetime.datetime.now(datetime.UTC)
    return (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
            .serial_number(1).not_valid_before(now).not_valid_after(now + datetime.timedelta(days=1))
            .sign(key, hashes.SHA256()))


def test_a_token_signed_by_its_own_x5c_certificate() -> None:
    key = EC_KEYS["ES256"]
    der = _certificate(key).public_bytes(serialization.Encoding.DER)
    import base64

    token = jwt.encode(CLAIMS, key, algorithm="ES256", headers={"x5c": [base64.b64encode(der).decode()]})
    found = findings(token)
    assert "(x5c)" in found["self-signed-token"].title and "x5c" in found["embedded-key"].title
    assert not verify(token, pem(EC_KEYS["ES384"]), "pem").verified


@pytest.mark.parametrize("header", [
    {"alg": "ES256", "jwk": "OTHER"},  # a different key embedded: the token was not signed by it
    {"alg": "ES256", "jwk": "RSA"},  # a key of another family
    {"alg": "ES256", "jwk": {"kty": "EC", "crv": "P-256", "x": "AAAA", "y": "AAAA"}},  # not a point
    {"alg": "ES256", "jwk": {"kty": "RSA", "n": "_" * 30000, "e": "AQAB"}},  # too big: bounded reader refuses
    {"alg": "ES256", "jwk": {"a": {"b": {"c": [[[[[[{}]]]]]]}}}},
    {"alg": "ES256", "jwk": []},
    {"alg": "ES256", "x5c": ["not base64!"]},
    {"alg": "ES256", "x5c": ["QUJD"]},  # base64, not a certificate
    {"alg": "ES256", "x5c": "MIIB"},
    {"alg": "ES256", "x5c": [{"a": 1}, 5]},
    {"alg": "ES256", "x5c": ["A" * 40000]},
    {"alg": "ML-DSA-65", "jwk": "OTHER"},
])
def test_near_misses_and_hostile_embedded_keys_are_not_self_signed(header: dict[str, Any]) -> None:
    key = EC_KEYS["ES256"]
    if header.get("jwk") == "OTHER":
        header = {**header, "jwk": _public_jwk(ec.generate_private_key(ec.SECP256R1()))}
    if header.get("jwk") == "RSA":
        header = {**header, "jwk": _public_jwk(rsa.generate_private_key(65537, 2048))}
    signing_input, sig = es("ES256", key, header)
    token = f"{signing_input}.{b64.encode(sig)}"
    found = findings(token)
    assert "self-signed-token" not in found
    assert "embedded-key" in found
    assert not verify(token, pem(ec.generate_private_key(ec.SECP256R1())), "pem").verified


def test_no_header_key_no_finding() -> None:
    assert not {"self-signed-token", "embedded-key"} & set(findings(hs256({"alg": "HS256"})))


def test_jku_and_x5u_are_never_fetched(make_app) -> None:  # type: ignore[no-untyped-def]
    """Even with loopback fetching allowed, the verifier uses only the key given, never the token's URLs."""
    key = EC_KEYS["ES256"]
    hits: list[str] = []

    def route(path: str, origin: str) -> bytes:
        hits.append(path)
        return json.dumps({"keys": [_public_jwk(key)]}).encode()

    with serve_json(route) as origin:
        header = {"alg": "ES256", "jku": f"{origin}/jwks.json", "x5u": f"{origin}/cert.pem"}
        signing_input, sig = es("ES256", key, header)
        token = f"{signing_input}.{b64.encode(sig)}"
        client = make_app(TOOLBOX_FETCH_ALLOW="127.0.0.0/8", TOOLBOX_FETCH_PORTS="any").test_client()
        other = pem(ec.generate_private_key(ec.SECP256R1()))
        answer = client.post("/api/v1/jwt/verify", json={"token": token, "key": other}).json
        assert answer["verified"] is False
        decoded = client.post("/api/v1/jwt/decode", json={"token": token}).json
        assert "remote-key-url" in {f["id"] for f in decoded["findings"]}
    assert hits == []


# --- crit (PyJWT CVE-2026-32597 class) ------------------------------------------------------------------

def pyjwt_accepts(token: str) -> bool:
    try:
        jwt.decode(token, SECRET, algorithms=["HS256"])
    except jwt.PyJWTError:
        return False
    return True


CRIT_CASES = [
    # (name, header, finding ids expected, PyJWT/this tool accept?)
    ("unknown", {"crit": ["exp"], "exp": 1}, {"crit-unknown"}, False),
    ("unknown-uri", {"crit": ["urn:example:ext"], "urn:example:ext": True}, {"crit-unknown"}, False),
    ("absent", {"crit": ["urn:x"]}, {"crit-unknown", "crit-invalid"}, False),
    ("empty", {"crit": []}, {"crit-invalid"}, False),
    ("string", {"crit": "b64", "b64": True}, {"crit-invalid"}, False),
    ("object", {"crit": {"b64": True}}, {"crit-invalid"}, False),
    ("null", {"crit": None}, {"crit-invalid"}, False),
    ("number", {"crit": [1]}, {"crit-invalid"}, False),
    ("null-entry", {"crit": [None, "b64"], "b64": True}, {"crit-invalid"}, False),
    ("nested", {"crit": [["b64"]]}, {"crit-invalid"}, False),
    ("registered", {"crit": ["alg"]}, {"crit-invalid"}, False),
    ("registered-kid", {"crit": ["kid"], "kid": "k"}, {"crit-invalid"}, False),
    ("b64-absent", {"crit": ["b64"]}, {"crit-invalid"}, False),
    ("b64-true", {"crit": ["b64"], "b64": True}, {"crit-header"}, True),  # understood: PyJWT accepts
    ("b64-twice", {"crit": ["b64", "b64"], "b64": True}, {"crit-invalid"}, True),  # RFC says no; PyJWT yes
    ("huge", {"crit": ["x"] * 30_000, "x": 1}, {"crit-unknown", "crit-invalid"}, False),
    ("many-names", {"crit": [f"n{i}" for i in range(3000)]}, {"crit-unknown", "crit-invalid"}, False),
    ("surrogate", {"crit": ["\ud800"]}, set(), False),  # the decoder refuses a lone surrogate outright
    ("none", {}, set(), True),
]


@pytest.mark.parametrize(("name", "extra", "ids", "accepted"), CRIT_CASES, ids=[c[0] for c in CRIT_CASES])
def test_crit_findings_and_pyjwts_verdict(name: str, extra: dict[str, Any], ids: set[str],
                                          accepted: bool) -> None:
    header = {"alg": "HS256", **extra}
    try:
        token = hs256(header)
    except UnicodeEncodeError:  # a lone surrogate: write the JSON escape by hand, as an attacker would
        head = b64.encode(b'{"alg":"HS256","crit":["\\ud800"]}')
        signing_input = f"{head}.{enc(CLAIMS)}"
        token = f"{signing_input}.{b64.encode(hmac.new(SECRET, signing_input.encode(), hashlib.sha256).digest())}"
    found = findings(token)
    assert {i for i in found if i.startswith("crit")} == ids
    assert pyjwt_accepts(token) is accepted
    result = verify(token, SECRET.decode(), "secret")
    assert result.verified is accepted, result.reason
    if not accepted:
        assert (result.reason or "").startswith("the signature matches, but the token must be rejected: ")
    for finding in found.values():
        assert len(finding.detail) < 2000 and len(finding.title) < 400  # a 30 000-entry crit stays short


def test_crit_finding_texts() -> None:
    unknown = findings(hs256({"alg": "HS256", "crit": ["exp"], "exp": 1}))["crit-unknown"]
    assert "CVE-2026-32597" in unknown.detail and "'exp'" in unknown.title and unknown.severity == "high"
    invalid = findings(hs256({"alg": "HS256", "crit": ["alg", "urn:x", "urn:x"]}))["crit-invalid"]
    assert "names the JOSE specifications define ('alg')" in invalid.detail
    assert "repeats 'urn:x'" in invalid.detail and "'urn:x', absent from the header" in invalid.detail
    huge = findings(hs256({"alg": "HS256", "crit": ["x"] * 5000, "x": 1}))["crit-invalid"]
    assert "(and 4000 more entries)" in huge.detail
    assert findings(hs256({"alg": "HS256", "crit": ["b64"], "b64": True}))["crit-header"].severity == "info"


def test_verify_reasons_follow_pyjwts_checks() -> None:
    def reason(extra: dict[str, Any], payload: str | None = None) -> str:
        result = verify(hs256({"alg": "HS256", **extra}, payload), SECRET.decode(), "secret")
        assert not result.verified
        return (result.reason or "").removeprefix("the signature matches, but the token must be rejected: ")

    assert reason({"crit": ["exp"], "exp": 1}) == ('the header lists critical extensions (["exp"]) that this '
                                                   'verifier does not understand')
    assert reason({"crit": []}) == 'the header\'s "crit" is []: it must be a non-empty list of extension names'
    assert reason({"crit": [5]}) == 'the header\'s "crit" ([5]) holds a value that is not a string'
    assert reason({"crit": ["b64"]}) == 'the header\'s "crit" (["b64"]) names a parameter the header does not have'
    # RFC 7797: b64 false. PyJWT wants the payload segment empty and the payload passed separately.
    assert "Payload segment must be empty" in reason({"crit": ["b64"], "b64": False})
    assert "detached" in reason({"crit": ["b64"], "b64": False}, payload="")
    assert "without listing b64" in reason({"b64": False}, payload="")
    for extra, payload in (({"crit": ["b64"], "b64": False}, None), ({"crit": ["b64"], "b64": False}, ""),
                           ({"b64": False}, "")):
        assert not pyjwt_accepts(hs256({"alg": "HS256", **extra}, payload))


def test_bare_der_key_detection_covers_the_fully_specified_names() -> None:
    """Rule 4 of key detection (bare base64 of a DER key) applies to Ed25519/Ed448 tokens too."""
    from cryptography.hazmat.primitives.asymmetric import ed448

    key = ed448.Ed448PrivateKey.generate()
    der = key.public_key().public_bytes(serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo)
    import base64 as base64_module

    signing_input = f"{enc({'alg': 'Ed448'})}.{enc(CLAIMS)}"
    token = f"{signing_input}.{b64.encode(key.sign(signing_input.encode()))}"
    result = verify(token, base64_module.b64encode(der).decode(), "auto")
    assert result.verified and result.key_type == "pem", result.reason
