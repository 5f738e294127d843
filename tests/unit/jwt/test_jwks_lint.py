"""The key set linter: RFC 7638 thumbprints against the RFC and two other JOSE libraries, every finding
firing and staying quiet, discovery documents, and hostile input (never an exception other than
JwtInputError)."""

from __future__ import annotations

import base64
import json
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, ed448, ed25519, rsa
from cryptography.x509.oid import NameOID
from jwt.algorithms import ECAlgorithm, OKPAlgorithm, RSAAlgorithm

from toolbox.core.jwt.jwks_lint import FINDINGS, MAX_KEYS, LintReport, lint_text, lint_value
from toolbox.core.jwt.model import JwtInputError

NOW = datetime(2026, 12, 5, 12, 0, tzinfo=UTC)

# RFC 7638 §3.1: the example RSA key and its SHA-256 thumbprint, vendored from the RFC text.
RFC7638_KEY = {
    "kty": "RSA",
    "n": "0vx7agoebGcQSuuPiLJXZptN9nndrQmbXEps2aiAFbWhM78LhWx4cbbfAAtVT86zwu1RK7aPFFxuhDR1L6tSoc_BJECPebWKRXjBZCiFV4n"
         "3oknjhMstn64tZ_2W-5JsGY4Hc5n9yBXArwl93lqt7_RN5w6Cf0h4QyQ5v-65YGjQR0_FDW2QvzqY368QQMicAtaSqzs8KJZgnYb9c7d0zg"
         "dAZHzu6qMQvRL5hajrn1n91CbOpbISD08qNLyrdkt-bFTWhAI4vMQFh6WeZu0fM4lFd2NcRwr3XPksINHaQ-G_xBniIqbw0Ls1jF44-csFC"
         "ur-kEgU8awapJzKnqDKgw",
    "e": "AQAB",
    "alg": "RS256",
    "kid": "2011-04-29",
}
RFC7638_THUMBPRINT = "NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs"


def rsa_jwk(bits: int = 2048, **extra: Any) -> dict[str, Any]:
    key = RSAAlgorithm.to_jwk(rsa.generate_private_key(65537, bits).public_key(), as_dict=True)
    key.pop("key_ops", None)  # PyJWT adds ["verify"]; the cases below choose use and key_ops themselves
    return {**key, **extra}


def ec_jwk(curve: ec.EllipticCurve | None = None, **extra: Any) -> dict[str, Any]:
    key = ECAlgorithm.to_jwk(ec.generate_private_key(curve or ec.SECP256R1()).public_key(), as_dict=True)
    key.pop("key_ops", None)
    return {**key, **extra}


_RSA = rsa_jwk()  # one 2048-bit key reused where its value does not matter (prime search is slow)
_RSA2 = rsa_jwk()


def good(kid: str = "a", **extra: Any) -> dict[str, Any]:
    """A clean RSA signing key: no findings on its own."""
    return {**_RSA, "kid": kid, "use": "sig", "alg": "RS256", **extra}


def good2(kid: str = "b", **extra: Any) -> dict[str, Any]:
    return {**_RSA2, "kid": kid, "use": "sig", "alg": "RS256", **extra}


def lint(document: Any, **kw: Any) -> LintReport:
    return lint_text(json.dumps(document), now=NOW, **kw)


def ids(report: LintReport) -> set[str]:
    return {f.id for f in report.all_findings}


# --- thumbprints ----------------------------------------------------------------------------------

def test_rfc7638_example_thumbprint_is_reproduced_exactly() -> None:
    report = lint(RFC7638_KEY)
    assert report.kind == "jwk" and report.keys[0].thumbprint == RFC7638_THUMBPRINT
    assert report.keys[0].size == "RSA 2048 bits" and report.keys[0].kid == "2011-04-29"


def _cryptography_keys() -> list[tuple[str, dict[str, Any]]]:
    return [
        ("RSA 2048", RSAAlgorithm.to_jwk(rsa.generate_private_key(65537, 2048).public_key(), as_dict=True)),
        ("RSA 3072", RSAAlgorithm.to_jwk(rsa.generate_private_key(3, 3072).public_key(), as_dict=True)),
        *((f"EC {c.name}", ECAlgorithm.to_jwk(ec.generate_private_key(c).public_key(), as_dict=True))
          for c in (ec.SECP256R1(), ec.SECP384R1(), ec.SECP521R1(), ec.SECP256K1())),
        ("Ed25519", OKPAlgorithm.to_jwk(ed25519.Ed25519PrivateKey.generate().public_key(), as_dict=True)),
        ("Ed448", OKPAlgorithm.to_jwk(ed448.Ed448PrivateKey.generate().public_key(), as_dict=True)),
        ("oct", {"kty": "oct", "k": base64.urlsafe_b64encode(b"\x01" * 32).rstrip(b"=").decode()}),
    ]


@pytest.mark.parametrize("name,jwk", _cryptography_keys(), ids=lambda v: v if isinstance(v, str) else "")
def test_thumbprints_equal_jwcrypto_and_joserfc(name: str, jwk: dict[str, Any]) -> None:
    """Keys made by cryptography; the thumbprint computed by two independent JOSE libraries."""
    from joserfc import jwk as joserfc_jwk
    from jwcrypto import jwk as jwcrypto_jwk

    extra = {"kid": "k", "use": "sig", "alg": "anything", "ext": True}  # never part of a thumbprint
    ours = lint({**jwk, **extra}).keys[0].thumbprint
    assert ours == jwcrypto_jwk.JWK(**jwk).thumbprint(), name
    assert ours == joserfc_jwk.import_key(jwk).thumbprint(), name


# --- every finding fires, and stays quiet on a clean set ------------------------------------------

def _cert(private: Any, public: Any, *, days: tuple[int, int] = (-10, 300)) -> str:
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "signing.example")])
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(public)
            .serial_number(7).not_valid_before(NOW + timedelta(days=days[0]))
            .not_valid_after(NOW + timedelta(days=days[1])).sign(private, hashes.SHA256()))
    return base64.b64encode(cert.public_bytes(serialization.Encoding.DER)).decode()


_SIGNER = rsa.generate_private_key(65537, 2048)
_SIGNER_JWK = {k: v for k, v in RSAAlgorithm.to_jwk(_SIGNER.public_key(), as_dict=True).items() if k != "key_ops"}
_OTHER = rsa.generate_private_key(65537, 2048)


def x5c_key(**cert: Any) -> dict[str, Any]:
    return {**_SIGNER_JWK, "kid": "x", "use": "sig", "alg": "RS256",
            "x5c": [_cert(_SIGNER, cert.pop("public", _SIGNER.public_key()), **cert)]}


CASES: dict[str, tuple[Any, Any]] = {
    # id: (a document that has it, the nearest document that must not)
    "private-key-material": ({"keys": [good(d="AQAB")]}, {"keys": [good()]}),
    "symmetric-key": ({"keys": [{"kty": "oct", "kid": "h", "use": "sig", "alg": "HS256", "k": "c2VjcmV0"}]},
                      {"keys": [good()]}),
    "none-algorithm": ({"keys": [good(alg="none")]}, {"keys": [good()]}),
    "mixed-algorithms": ({"keys": [good(), good2(alg="HS256")]}, {"keys": [good(), good2(alg="PS256")]}),
    "duplicate-kid": ({"keys": [good("same"), good2("same")]}, {"keys": [good("one"), good2("two")]}),
    "invalid-key": ({"keys": [good(n="not*base64")]}, {"keys": [good()]}),
    "missing-kty": ({"keys": [{k: v for k, v in good().items() if k != "kty"}]}, {"keys": [good()]}),
    "weak-rsa-key": ({"keys": [{**rsa_jwk(1024), "kid": "w", "use": "sig", "alg": "RS256"}]},
                     {"keys": [good()]}),
    "alg-key-mismatch": ({"keys": [ec_jwk(kid="e", use="sig", alg="ES384")]},
                         {"keys": [ec_jwk(kid="e", use="sig", alg="ES256")]}),
    "x5c-key-mismatch": ({"keys": [x5c_key(public=_OTHER.public_key())]}, {"keys": [x5c_key()]}),
    "empty-set": ({"keys": []}, {"keys": [good()]}),
    "issuer-mismatch": ({"issuer": "https://a.example/", "jwks_uri": "https://a.example/jwks"},
                        {"issuer": "https://a.example", "jwks_uri": "https://a.example/jwks"}),
    "insecure-url": ({"issuer": "https://a.example", "jwks_uri": "http://a.example/jwks"},
                     {"issuer": "https://a.example", "jwks_uri": "https://a.example/jwks"}),
    "id-token-alg-none": ({"issuer": "https://a.example", "id_token_signing_alg_values_supported": ["RS256", "none"]},
                          {"issuer": "https://a.example", "id_token_signing_alg_values_supported": ["RS256"]}),
    "kid-collision": ({"keys": [good("Main"), good2("main")]}, {"keys": [good("main-1"), good2("main-2")]}),
    "missing-kid": ({"keys": [good(), {k: v for k, v in good2().items() if k != "kid"}]},
                    {"keys": [{k: v for k, v in good2().items() if k != "kid"}]}),  # one key: no kid needed
    "use-key-ops-mismatch": ({"keys": [good(key_ops=["encrypt"])]}, {"keys": [good(key_ops=["verify"])]}),
    "x5c-expired": ({"keys": [x5c_key(days=(-400, -1))]}, {"keys": [x5c_key()]}),
    "x5c-invalid": ({"keys": [good(x5c=["not base64!"])]}, {"keys": [x5c_key()]}),
    "id-token-alg-hmac": ({"issuer": "https://a.example", "id_token_signing_alg_values_supported": ["HS256"]},
                          {"issuer": "https://a.example", "id_token_signing_alg_values_supported": ["ES256"]}),
    "missing-metadata": ({"issuer": "https://a.example", "id_token_signing_alg_values_supported": ["RS256"]},
                         {"issuer": "https://a.example", "response_types_supported": ["code"]}),  # RFC 8414
    "unregistered-alg": ({"keys": [good(alg="RS257")]}, {"keys": [good(alg="RSA-OAEP-256", use="enc")]}),
    "missing-alg": ({"keys": [{k: v for k, v in good().items() if k != "alg"}]}, {"keys": [good()]}),
    "member-typo": ({"keys": [{**{k: v for k, v in good().items() if k != "kid"}, "kyd": "a"}]},
                    {"keys": [good(x_custom="fine")]}),
    "repeated-key": ({"keys": [good(), good()]}, {"keys": [good(), good2()]}),
    "missing-use": ({"keys": [{k: v for k, v in good().items() if k != "use"}]},
                    {"keys": [{**{k: v for k, v in good().items() if k != "use"}, "key_ops": ["verify"]}]}),
    "keys-not-read": ({"keys": [good(str(i)) for i in range(MAX_KEYS + 1)]},
                      {"keys": [good(str(i)) for i in range(MAX_KEYS)]}),
}


def test_every_registered_finding_has_a_case() -> None:
    assert set(CASES) == set(FINDINGS)


@pytest.mark.parametrize("finding_id", list(CASES))
def test_finding_fires_and_stays_quiet(finding_id: str) -> None:
    having, clean = CASES[finding_id]
    expected = "https://a.example" if "issuer" in having else None
    fired = [f for f in lint(having, expected_issuer=expected).all_findings if f.id == finding_id]
    assert fired, finding_id
    assert all(f.severity == FINDINGS[finding_id][0] for f in fired)
    assert finding_id not in ids(lint(clean, expected_issuer=expected))


def test_a_clean_set_has_no_findings_at_all() -> None:
    report = lint({"keys": [good("a"), good2("b"), ec_jwk(kid="c", use="sig", alg="ES256"), x5c_key()]})
    assert report.all_findings == () and [k.size for k in report.keys] == [
        "RSA 2048 bits", "RSA 2048 bits", "EC P-256", "RSA 2048 bits"]


def test_key_facts_and_the_set_limit() -> None:
    report = lint({"keys": [good(str(i)) for i in range(250)]})
    assert report.total_keys == 250 and len(report.keys) == MAX_KEYS
    assert report.keys[-1].position == MAX_KEYS and report.keys[0].alg == "RS256"
    assert "repeated-key" in ids(report)  # the same key under 100 kids


def test_private_members_are_named_and_never_loaded() -> None:
    private = RSAAlgorithm.to_jwk(rsa.generate_private_key(65537, 2048), as_dict=True)
    broken = {**private, "d": "AQAB", "kid": "p", "use": "sig", "alg": "RS256"}  # d does not match n
    report = lint({"keys": [broken]})
    finding = next(f for f in report.all_findings if f.id == "private-key-material")
    assert "d, p, q, dp, dq, qi" in finding.detail and finding.severity == "critical"
    assert report.keys[0].size == "RSA 2048 bits"  # read from its public members only
    assert "invalid-key" not in ids(report)


def test_ecdh_keys_are_described_not_refused() -> None:
    x25519 = {"kty": "OKP", "crv": "X25519", "x": "hSDwCYkwp1R0i33ctD73Wg2_Og0mOBr066SpjqqbTmo", "kid": "enc",
              "use": "enc", "alg": "ECDH-ES"}
    report = lint({"keys": [x25519]})
    assert report.keys[0].size == "X25519" and ids(report) == set()


def test_alg_key_mismatch_names_the_family_and_the_curve() -> None:
    family = lint({"keys": [good(alg="ES256")]}).all_findings[0]
    assert family.id == "alg-key-mismatch" and "ES256 needs an EC key" in family.detail
    curve = lint({"keys": [ec_jwk(ec.SECP384R1(), kid="k", use="sig", alg="ES256")]}).all_findings[0]
    assert "P-256" in curve.title and "P-384" in curve.detail


def test_duplicate_kid_is_not_said_for_the_same_key_twice() -> None:
    assert ids(lint({"keys": [good("k"), good("k")]})) == {"repeated-key"}


# --- discovery documents --------------------------------------------------------------------------

OIDC = {"issuer": "https://login.example.com", "authorization_endpoint": "https://login.example.com/auth",
        "token_endpoint": "https://login.example.com/token", "jwks_uri": "https://login.example.com/jwks",
        "response_types_supported": ["code"], "subject_types_supported": ["public"],
        "id_token_signing_alg_values_supported": ["RS256", "ES256"]}


def test_a_complete_discovery_document_is_clean() -> None:
    report = lint(OIDC, expected_issuer="https://login.example.com")
    assert report.kind == "discovery" and report.all_findings == ()
    assert report.discovery is not None and report.discovery.jwks_uri == OIDC["jwks_uri"]
    assert report.discovery.id_token_algs == ("RS256", "ES256")


@pytest.mark.parametrize("expected", ["https://login.example.com/", "https://LOGIN.example.com",
                                      "https://login.example.com/tenant", "http://login.example.com"])
def test_issuer_must_equal_the_expected_one_exactly(expected: str) -> None:
    finding = next(f for f in lint(OIDC, expected_issuer=expected).all_findings if f.id == "issuer-mismatch")
    if expected.endswith("/"):
        assert "trailing slash" in finding.detail


def test_missing_and_mistyped_metadata_are_listed() -> None:
    document = {**OIDC, "jwks_uri": 5, "subject_types_supported": "public"}
    del document["authorization_endpoint"]
    finding = next(f for f in lint(document).all_findings if f.id == "missing-metadata")
    assert "authorization_endpoint" in finding.detail and "jwks_uri" in finding.detail
    assert "subject_types_supported" in finding.detail


# --- hostile input --------------------------------------------------------------------------------

@pytest.mark.parametrize("text,said", [
    ("", "not valid JSON"), ("not json", "not valid JSON"), ("[" * 100_000, "not valid JSON"),
    ("[1, 2]", "not an array"), ('"keys"', "not a string"), ("null", "not null"), ("42", "not a number"),
    ('{"keys": 5}', "\"keys\" must be an array"), ('{"keys": {"a": 1}}', "must be an array"),
    ('{"hello": "world"}', "neither a JWK Set"),
])
def test_text_that_is_no_key_set_is_a_clear_input_error(text: str, said: str) -> None:
    with pytest.raises(JwtInputError) as err:
        lint_text(text, now=NOW)
    assert said.removeprefix("not ") in str(err.value) or said in str(err.value)


WRONG_TYPES = [5, "k", None, True, [1], {"a": {"b": [1]}}, 1e308, -1, "\ud800", "é" * 500]


@pytest.mark.parametrize("value", WRONG_TYPES, ids=repr)
@pytest.mark.parametrize("member", ["kty", "kid", "alg", "use", "key_ops", "n", "e", "crv", "x", "x5c", "d",
                                    "k", "oth"])
def test_wrong_types_in_every_member_are_findings_not_errors(member: str, value: Any) -> None:
    report = lint({"keys": [good(**{member: value}), good2()]})
    assert len(report.keys) == 2 and report.keys[1].findings == ()
    json.dumps([f.detail for f in report.all_findings])  # every message is text


@pytest.mark.parametrize("entry", WRONG_TYPES, ids=repr)
def test_entries_that_are_not_objects_are_invalid_keys(entry: Any) -> None:
    report = lint({"keys": [entry, good()]})
    first = report.keys[0].findings[0].id
    assert first == ("missing-kty" if isinstance(entry, dict) else "invalid-key")
    assert report.keys[0].thumbprint is None


@pytest.mark.parametrize("member", ["issuer", "jwks_uri", "id_token_signing_alg_values_supported",
                                    "response_types_supported", "token_endpoint"])
@pytest.mark.parametrize("value", WRONG_TYPES, ids=repr)
def test_wrong_types_in_discovery_documents(member: str, value: Any) -> None:
    report = lint({**OIDC, member: value}, expected_issuer="https://login.example.com")
    assert report.kind == "discovery"


def test_non_ascii_and_bidi_kids_are_kept_as_text() -> None:
    kids = ["ключ-1", "\u202enimda", "鍵", "😀"]
    report = lint({"keys": [good(kids[0]), good2(kids[1]), ec_jwk(kid=kids[2], use="sig", alg="ES256"),
                            ec_jwk(kid=kids[3], use="sig", alg="ES256")]})
    assert [k.kid for k in report.keys] == kids and ids(report) == set()


def test_huge_and_deep_values_inside_a_key_are_bounded() -> None:
    huge_n = base64.urlsafe_b64encode(b"\xff" * 200_000).rstrip(b"=").decode()
    deep: Any = "x"
    for _ in range(500):
        deep = [deep]
    report = lint({"keys": [good(n=huge_n), good2(extra=deep, kyd=[deep])]})
    assert report.keys[0].findings[0].id == "invalid-key" and "8192" in report.keys[0].findings[0].detail
    assert report.keys[1].thumbprint is not None


def test_lint_value_takes_parsed_documents() -> None:
    assert lint_value({"keys": [good()]}, now=NOW, source="fetched").source == "fetched"
