"""Audit findings: each id with a case that raises it and a case that must not."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import re

import jwt
import pytest

from toolbox.core.jwt.audit import JWS_ALGS, audit
from toolbox.core.jwt.decode import decode
from toolbox.core.jwt.model import SEVERITY_ORDER, Decoded, Finding
from toolbox.core.jwt.weak_secrets import WEAK_SECRETS, find_weak_secret

# The weak-secret tests sign with short, well-known secrets on purpose.
pytestmark = pytest.mark.filterwarnings("ignore::jwt.warnings.InsecureKeyLengthWarning")

NOW = 1_800_000_000
STRONG = "q8Vt2mX0rL9sPz4KcW7yB1nJ6fH3dA5e"
GOOD_PAYLOAD = {"sub": "alice", "iat": NOW - 60, "exp": NOW + 900}


def b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def part(value: object) -> str:
    return b64(json.dumps(value, separators=(",", ":")).encode())


def hand(header: object, payload: object, signature: str = "c2lnbmF0dXJl") -> str:
    return f"{part(header)}.{part(payload)}.{signature}"


def good(**header: object) -> str:
    """A clean, strongly signed token, optionally with extra header members."""
    return jwt.encode(GOOD_PAYLOAD, STRONG, algorithm="HS256", headers=header or None)


def found(token: str, **kwargs: object) -> dict[str, Finding]:
    decoded = decode(token, now=NOW, **kwargs)  # type: ignore[arg-type]
    by_id = {f.id: f for f in decoded.findings}
    assert len(by_id) == len(decoded.findings), "one finding per id"
    return by_id


def test_a_clean_token_has_no_findings() -> None:
    assert found(good()) == {}
    assert found(good(kid="2024-05-key_1")) == {}


def test_findings_are_sorted_by_severity_and_well_formed() -> None:
    token = jwt.encode({"sub": "x", "password": "hunter2"}, "secret", algorithm="HS256",
                       headers={"jku": "https://evil.example/jwks.json", "kid": "../../etc/passwd", "crit": ["exp"]})
    decoded = decode(token + "=", now=NOW)  # '=' padding after the signature adds a low finding
    severities = [SEVERITY_ORDER[f.severity] for f in decoded.findings]
    assert severities == sorted(severities) and len(severities) >= 6
    for finding in decoded.findings:
        assert re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", finding.id)
        assert finding.title.endswith(".") and finding.title[0].isupper()
        assert len(finding.detail) > 80 and finding.detail.endswith(".")


# --- alg-none -------------------------------------------------------------------------------------------


@pytest.mark.parametrize("alg", ["none", "None", "NONE", "nONe"])
def test_alg_none_in_any_case(alg: str) -> None:
    finding = found(f"{part({'alg': alg})}.{part(GOOD_PAYLOAD)}.")["alg-none"]
    assert finding.severity == "critical" and alg in finding.title
    assert "unknown-alg" not in found(f"{part({'alg': alg})}.{part(GOOD_PAYLOAD)}.")


def test_alg_none_even_without_the_trailing_dot() -> None:
    assert "alg-none" in found(f"{part({'alg': 'none'})}.{part(GOOD_PAYLOAD)}")


def test_no_alg_none_for_signed_tokens() -> None:
    assert "alg-none" not in found(good())
    assert "alg-none" not in found(hand({"alg": "nonE256"}, GOOD_PAYLOAD))


# --- weak-secret ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("secret", "alg"),
    [("your-256-bit-secret", "HS256"), ("a-string-secret-at-least-256-bits-long", "HS256"),
     ("your-384-bit-secret", "HS384"), ("your-512-bit-secret", "HS512"), ("secret", "HS256"),
     ("keyboard cat", "HS384"), ("changeme", "HS512"), ("", "HS256")],
)
def test_weak_secret_is_found_and_named(secret: str, alg: str) -> None:
    token = jwt.encode(GOOD_PAYLOAD, secret, algorithm=alg) if secret else _hs256_empty_key()
    finding = found(token)["weak-secret"]
    assert finding.severity == "critical"
    assert (repr(secret) if secret else "the empty string") in finding.title
    if secret == "secret":
        assert "shorter than the hash output" in finding.detail


def _hs256_empty_key() -> str:
    signing_input = f"{part({'alg': 'HS256', 'typ': 'JWT'})}.{part(GOOD_PAYLOAD)}"
    return f"{signing_input}.{b64(hmac.digest(b'', signing_input.encode(), 'sha256'))}"


def test_weak_secret_with_a_lowercase_alg_is_still_checked() -> None:
    signing_input = f"{part({'alg': 'hs256'})}.{part(GOOD_PAYLOAD)}"
    token = f"{signing_input}.{b64(hmac.digest(b'secret', signing_input.encode(), hashlib.sha256))}"
    assert "weak-secret" in found(token)


def test_no_weak_secret_for_strong_secrets_other_algorithms_or_broken_signatures() -> None:
    assert "weak-secret" not in found(good())
    rs = jwt.encode(GOOD_PAYLOAD, _rsa_key(), algorithm="RS256")
    assert "weak-secret" not in found(rs)
    weak = jwt.encode(GOOD_PAYLOAD, "secret", algorithm="HS256")
    assert "weak-secret" not in found(weak[:-2] + ("AA" if weak[-2:] != "AA" else "BA"))  # altered signature
    assert "weak-secret" not in found(weak[:-10])  # truncated: wrong length
    assert "weak-secret" not in found(weak.rsplit(".", 1)[0])  # two parts


def _rsa_key() -> object:
    from cryptography.hazmat.primitives.asymmetric import rsa

    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


def test_every_listed_secret_is_recognised_for_every_hash() -> None:
    signing_input = b"eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0"
    for alg, name in (("HS256", "sha256"), ("HS384", "sha384"), ("HS512", "sha512")):
        for secret in WEAK_SECRETS:
            assert find_weak_secret(alg, signing_input, hmac.digest(secret, signing_input, name)) == secret
    assert 150 <= len(WEAK_SECRETS) <= 250 and len(set(WEAK_SECRETS)) == len(WEAK_SECRETS)


# --- missing-exp, long-lifetime, iat-in-future, nbf-after-exp --------------------------------------------


def test_missing_exp() -> None:
    assert found(hand({"alg": "HS256"}, {"sub": "x"}))["missing-exp"].severity == "medium"
    assert "not a valid NumericDate" in found(hand({"alg": "HS256"}, {"exp": "soon"}))["missing-exp"].title
    assert "missing-exp" not in found(good())
    assert "missing-exp" not in found(hand({"alg": "HS256"}, "just text"))


def test_long_lifetime_from_iat() -> None:
    two_days = found(hand({"alg": "HS256"}, {"iat": NOW, "exp": NOW + 2 * 86400}))["long-lifetime"]
    assert two_days.severity == "low" and "2 days" in two_days.title and "1 day" in two_days.title
    year = found(hand({"alg": "HS256"}, {"iat": NOW, "exp": NOW + 365 * 86400}))["long-lifetime"]
    assert year.severity == "medium" and "from iat to exp" in year.title


def test_long_lifetime_from_now_without_iat_and_configurable_threshold() -> None:
    token = hand({"alg": "HS256"}, {"exp": NOW + 7200})
    assert "from now until exp" in found(token, max_lifetime=3600)["long-lifetime"].title
    assert "long-lifetime" not in found(token)
    assert "long-lifetime" not in found(good())
    assert "long-lifetime" not in found(hand({"alg": "HS256"}, {"exp": NOW - 10 * 86400}))  # already expired


def test_iat_in_future() -> None:
    assert "10 min" in found(hand({"alg": "HS256"}, {"iat": NOW + 600, "exp": NOW + 900}))["iat-in-future"].title
    assert "iat-in-future" not in found(hand({"alg": "HS256"}, {"iat": NOW + 30, "exp": NOW + 900}), leeway=60)
    assert "iat-in-future" not in found(good())


def test_nbf_after_exp() -> None:
    assert "nbf-after-exp" in found(hand({"alg": "HS256"}, {"nbf": NOW + 100, "exp": NOW + 50}))
    assert "nbf-after-exp" in found(hand({"alg": "HS256"}, {"nbf": NOW + 50, "exp": NOW + 50}))
    assert "nbf-after-exp" not in found(hand({"alg": "HS256"}, {"nbf": NOW - 10, "exp": NOW + 50}))


# --- header members -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kid", "kind"),
    [("../../dev/null", "path traversal"), ("/etc/passwd", "path traversal"), ("..\\..\\key", "path traversal"),
     ("key\x00.pem", "path traversal"), ("%2e%2e%2fkey", "path traversal"),
     ("x' UNION SELECT 'key' --", "SQL injection"), ("1 or 1=1", "SQL injection"), ('k";drop', "SQL injection"),
     ("key|whoami", "shell injection"), ("$(id)", "shell injection"), ("`id`", "shell injection"),
     ("a&&b", "shell injection"), ("x>y", "shell injection"),
     ("https://evil.example/key.pem", "a URL"), ("file:///etc/passwd", "a URL"), ("ldap://x/", "a URL")],
)
def test_suspicious_kid(kid: str, kind: str) -> None:
    finding = found(good(kid=kid))["suspicious-kid"]
    assert finding.severity == "high" and kind in finding.detail


@pytest.mark.parametrize("kid", [{"sql": "x"}, 5, ["a"], None])
def test_a_kid_that_is_not_a_string_is_suspicious(kid: object) -> None:
    assert "not a string" in found(hand({"alg": "HS256", "kid": kid}, GOOD_PAYLOAD))["suspicious-kid"].detail


@pytest.mark.parametrize(
    "kid",
    ["key-1", "2c1c6a3f-8e5a-4b8e-9a47-1f2d3c4b5a69", "NjVBRjY5MDlCMUIwNzU4RTA2QzZFMDQ4QzQ2MDAyQjVDNjk1RTM2Qg",
     "abcd1234+/XYZefgh=", "/abcd1234+XYZ=", "sig-2024-01-01", "kid:rotating:1", "a.b_c"],
)
def test_ordinary_kids_are_not_suspicious(kid: str) -> None:
    assert "suspicious-kid" not in found(good(kid=kid))


def test_embedded_keys() -> None:
    public = {"kty": "RSA", "n": "sXch", "e": "AQAB"}
    assert found(hand({"alg": "RS256", "jwk": public}, GOOD_PAYLOAD))["embedded-key"].severity == "high"
    leaked = found(hand({"alg": "RS256", "jwk": {**public, "d": "c2VjcmV0"}}, GOOD_PAYLOAD))["embedded-key"]
    assert leaked.severity == "critical" and "(d)" in leaked.detail
    assert "x5c" in found(hand({"alg": "RS256", "x5c": ["MIIB"]}, GOOD_PAYLOAD))["embedded-key"].title
    assert "embedded-key" not in found(good())


def test_remote_key_urls() -> None:
    finding = found(good(jku="https://evil.example/jwks.json"))["remote-key-url"]
    assert finding.severity == "high" and "https://evil.example/jwks.json" in finding.title
    assert "x5u" in found(good(x5u="https://evil.example/cert.pem"))["remote-key-url"].title
    assert "remote-key-url" not in found(good())


def test_crit_header() -> None:  # every crit class: tests/unit/jwt/test_audit_new_classes.py
    findings = found(good(crit=["exp", "urn:x"], exp=1))
    assert "'exp', 'urn:x'" in findings["crit-unknown"].title and "'urn:x', absent" in findings["crit-invalid"].detail
    assert "not a list" in found(good(crit="b64"))["crit-invalid"].title
    assert not {"crit-header", "crit-invalid", "crit-unknown"} & set(found(good()))


# --- sensitive-claim ------------------------------------------------------------------------------------

PEM = "-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASC\n-----END PRIVATE KEY-----\n"
SENSITIVE = [
    ({"password": "hunter2"}, "/password", "high"),
    ({"user": {"clientSecret": "abc"}}, "/user/clientSecret", "high"),
    ({"api_key": 12345}, "/api_key", "high"),
    ({"profile": {"cards": ["x", "4111 1111 1111 1111"]}}, "/profile/cards/1", "high"),
    ({"n": 4111111111111111}, "/n", "high"),
    ({"note": "078-05-1120"}, "/note", "medium"),
    ({"bank": "GB82 WEST 1234 5698 7654 32"}, "/bank", "medium"),
    ({"ssn": "anything"}, "/ssn", "medium"),
    ({"a/b": {"k": PEM}}, "/a~1b/k", "high"),
    ({"aws": "AKIAIOSFODNN7EXAMPLE"}, "/aws", "high"),
    ({"cnf": {"jwk": {"kty": "oct", "k": "c2VjcmV0"}}}, "/cnf/jwk", "high"),
]


@pytest.mark.parametrize(("payload", "pointer", "severity"), SENSITIVE)
def test_sensitive_claims_are_reported_by_pointer_never_by_value(payload: dict, pointer: str, severity: str) -> None:
    finding = found(hand({"alg": "HS256"}, {**payload, "exp": NOW + 60}))["sensitive-claim"]
    assert finding.severity == severity and f"{pointer}:" in finding.detail
    text = finding.title + finding.detail
    for secret in ("hunter2", "4111", "078-05", "WEST", "MIIEvQ", "AKIAIOSFODNN7EXAMPLE", "c2VjcmV0", "anything"):
        assert secret not in text


def test_sensitive_data_in_a_text_payload() -> None:
    token = f"{part({'alg': 'HS256'})}.{b64(PEM.encode())}.c2ln"
    assert "(the whole payload)" in found(token)["sensitive-claim"].detail


@pytest.mark.parametrize(
    "payload",
    [
        GOOD_PAYLOAD,
        {"card": "4111 1111 1111 1112"},  # fails the Luhn check
        {"ts": 1700000000000},  # milliseconds, not a card
        {"id": "1234567890123456"},  # starts with 1: no card network
        {"password": ""}, {"secret": None}, {"has_password": True},
        {"at_hash": "x5E4Ld8ORwTS7pJH", "c_hash": "LDktKdoQak3Pk0cnXxCltA", "nonce": "n-0S6_WzA2Mj"},
        {"scope": "openid profile", "email": "a@example.com", "span": 3, "spin": 1},
        {"cert": "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----"},
        {"ssnote": "x", "passage": "y", "tinted": "z"},
    ],
)
def test_ordinary_claims_are_not_sensitive(payload: dict) -> None:
    assert "sensitive-claim" not in found(hand({"alg": "HS256"}, {**payload, "exp": NOW + 60}))


def test_encrypted_payloads_are_not_scanned() -> None:
    assert "sensitive-claim" not in found(_jwe())


# --- duplicate-key, noncanonical-base64, oversized-token --------------------------------------------------


def test_duplicate_keys_in_header_and_payload() -> None:
    head = b64(b'{"alg":"HS256","alg":"none"}')
    body = b64(b'{"sub":"a","user":{"role":"user","role":"admin"},"exp":1800000600}')
    decoded = decode(f"{head}.{body}.c2ln", now=NOW)
    assert decoded.header == {"alg": "none"} and decoded.payload["user"] == {"role": "admin"}  # last wins
    finding = {f.id: f for f in decoded.findings}["duplicate-key"]
    assert finding.severity == "medium"
    assert "header key 'alg' in the top-level object" in finding.detail
    assert "payload key 'role' in /user" in finding.detail
    assert "duplicate-key" not in found(good())


@pytest.mark.parametrize(
    ("mangle", "words"),
    [
        (lambda t: t + "=", "signature uses '=' padding"),
        (lambda t: t.replace(".", "==.", 1) if len(t.split(".")[0]) % 4 == 2 else t.replace(".", "=.", 1),
         "header uses '=' padding"),
        (lambda t: t.rsplit(".", 1)[0] + ".+//+", "standard base64 alphabet"),
        (lambda t: t.rsplit(".", 1)[0] + ".AB", "non-zero trailing bits"),
    ],
)
def test_noncanonical_base64(mangle: object, words: str) -> None:
    finding = found(mangle(good()))["noncanonical-base64"]  # type: ignore[operator]
    assert finding.severity == "low" and words in finding.detail


def test_canonical_base64_is_not_reported() -> None:
    assert "noncanonical-base64" not in found(good())
    assert "noncanonical-base64" not in found(good().rsplit(".", 1)[0] + ".AA")


def test_oversized_token() -> None:
    big = jwt.encode({**GOOD_PAYLOAD, "roles": [f"role-{i:04d}" for i in range(700)]}, STRONG, algorithm="HS256")
    assert len(big) > 8192
    assert found(big)["oversized-token"].severity == "low"
    assert "oversized-token" not in found(good())


# --- unknown-alg, jwe-token -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("header", "words"),
    [({}, "has no alg"), ({"alg": "XYZ"}, "'XYZ' is not a registered JWS"), ({"alg": 256}, "256"),
     ({"alg": "hs256"}, "did you mean 'HS256'"), ({"alg": "rs256"}, "did you mean 'RS256'")],
)
def test_unknown_alg(header: dict, words: str) -> None:
    finding = found(hand(header, GOOD_PAYLOAD))["unknown-alg"]
    assert finding.severity == "high" and words in finding.detail


@pytest.mark.parametrize("alg", sorted(JWS_ALGS))
def test_registered_algorithms_are_known(alg: str) -> None:
    assert "unknown-alg" not in found(hand({"alg": alg}, GOOD_PAYLOAD))


def _jwe(header: object = None) -> str:
    pieces = [part(header or {"alg": "ECDH-ES+A256KW", "enc": "A128CBC-HS256"})]
    return ".".join(pieces + [b64(bytes(n)) for n in (40, 16, 64, 16)])


def test_jwe_token_and_its_algorithms() -> None:
    findings = found(_jwe())
    assert findings["jwe-token"].severity == "info" and set(findings) == {"jwe-token"}
    bad = found(_jwe({"alg": "RSA-OAEP", "enc": "A999GCM"}))["unknown-alg"]
    assert "enc 'A999GCM'" in bad.detail
    assert "is not a registered JWE" in found(_jwe({"alg": "HS256", "enc": "A128GCM"}))["unknown-alg"].detail
    assert "jwe-token" not in found(good())


# --- audit() on its own ---------------------------------------------------------------------------------


def test_audit_recomputes_duplicates_and_ignores_existing_findings() -> None:
    head = b64(b'{"alg":"HS256","alg":"HS256"}')
    decoded = decode(f"{head}.{part(GOOD_PAYLOAD)}.c2ln", now=NOW)
    assert isinstance(decoded, Decoded)
    stripped = Decoded(**{**decoded.__dict__, "findings": ()})
    assert audit(stripped, now=NOW) == decoded.findings
    assert [f.id for f in audit(stripped, now=NOW)] == ["duplicate-key"]


def test_audit_uses_the_clock_when_now_is_not_given() -> None:
    decoded = decode(hand({"alg": "HS256"}, {"iat": 4_000_000_000, "exp": 4_000_000_100}), now=NOW)
    assert "iat-in-future" in {f.id for f in audit(decoded)}


def test_finding_texts_always_encode_as_utf8() -> None:
    head = b64(b'{"alg":"HS256","crit":["\\ud800"],"kid":"\\udfff;"}')
    body = b64(b'{"\\ud800/password":"x","\\ud800":1,"\\ud800":2}')
    decoded = decode(f"{head}.{body}.c2ln", now=NOW)
    # Lone surrogate escapes are not Unicode text: the one strict JSON reader refuses both parts, and says
    # where in words that encode (issue 9: JWT parts read JSON as the JSON tools do).
    assert [e.split(": ")[0] for e in decoded.errors] == ["header is not JSON", "payload is not JSON"]
    assert all("Lone surrogate escape '\\ud800'" in e for e in decoded.errors)
    for text in (*decoded.errors, *(f.title + f.detail for f in decoded.findings)):
        text.encode("utf-8")


def test_hostile_header_values_are_quoted_briefly() -> None:
    deep = "[" * 60 + "]" * 60  # deeper is refused by the parser (jsontext.MAX_DEPTH)
    head = b64(('{"alg":' + deep + ',"enc":"' + "e" * 5000 + '","crit":' + deep + ',"kid":"' + "'" * 5000 + '"}').encode())
    decoded = decode(f"{head}.{part(GOOD_PAYLOAD)}.c2ln", now=NOW)
    by_id = {f.id: f for f in decoded.findings}
    assert "(a JSON array)" in by_id["unknown-alg"].detail and "…" in by_id["unknown-alg"].detail
    assert all(len(f.title) < 300 and len(f.detail) < 1000 for f in decoded.findings)
