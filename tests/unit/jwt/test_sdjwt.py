"""SD-JWT (RFC 9901): the RFC's examples and the reference implementation's test cases, then hostile input.

The vectors (tests/unit/jwt/vectors/sd-jwt/, sources in its README) were made by the reference
implementation (PyPI sd-jwt 0.10.4); each presentation must rebuild exactly the claims it computed.
"""

from __future__ import annotations

import json
import secrets
import time
from pathlib import Path
from typing import Any

import jwt
import pytest
from cryptography.hazmat.primitives.asymmetric import ec

from toolbox.core.jwt import b64
from toolbox.core.jwt.decode import decode
from toolbox.core.jwt.sdjwt import MAX_DISCLOSURES, check, digest_of, hasher, salt_bits
from toolbox.core.jwt.verify import verify

VECTORS = json.loads((Path(__file__).parent / "vectors" / "sd-jwt" / "generated.json").read_text("utf-8"))
ISSUER_JWK = json.dumps({"kty": "EC", "crv": "P-256", "x": "b28d4MwZMjw8-00CG4xfnn9SLMVMM19SlqZpVb_uNtQ",
                         "y": "Xv5zWwuoaTgdS6hV43yI6gBwTnjukmFQQnJ_kCxzqk8"})
NONCE = "1234567890"
KB_CASES = sorted(name for name, case in VECTORS.items() if case["kb_jwt_payload"])


def kb_time(case: dict[str, Any]) -> float:
    """A clock a minute after the vector's KB-JWT was made (its iat is the time of generation)."""
    return float(case["kb_jwt_payload"]["iat"]) + 60


@pytest.mark.parametrize("name", sorted(VECTORS))
def test_presentation_rebuilds_the_reference_claims(name: str) -> None:
    case = VECTORS[name]
    decoded = decode(case["presentation"], now=1_700_000_000)
    sd = decoded.sd_jwt
    assert decoded.kind == "sd-jwt" and sd is not None
    assert sd.claims == case["verified_contents"]
    assert sd.errors == () and decoded.payload == case["issuer_payload"]  # the payload as the issuer signed it
    assert all(d.status == "matched" and d.location for d in sd.disclosures)
    assert not {f.id for f in decoded.findings} & {"sd-unmatched-disclosure", "sd-bad-disclosure",
                                                    "sd-duplicate-digest", "sd-kb-invalid"}


@pytest.mark.parametrize("name", sorted(VECTORS))
def test_issuance_discloses_every_real_claim_and_hides_only_decoys(name: str) -> None:
    case = VECTORS[name]
    sd = decode(case["issuance"], now=1_700_000_000).sd_jwt
    assert sd is not None and sd.errors == () and sd.key_binding is None
    # Every disclosure the issuer made matches a digest; what stays hidden are the decoys (none match).
    assert all(d.status == "matched" for d in sd.disclosures)
    assert len(sd.disclosures) + len(sd.hidden) == _digests(case["issuer_payload"], sd)


def _digests(payload: Any, sd: Any) -> int:
    """Every digest in the issuer payload and the disclosures (by counting, independent of the code)."""
    count = 0
    stack = [payload, *(d.value for d in sd.disclosures)]
    while stack:
        node = stack.pop()
        if isinstance(node, dict):
            count += len(node.get("_sd", [])) + ("..." in node)
            stack.extend(v for k, v in node.items() if k not in ("_sd", "..."))
        elif isinstance(node, list):
            stack.extend(node)
    return count


def test_rfc_simple_example_in_detail() -> None:
    """RFC 9901 §5.1: the example's disclosures and digests, the hidden ones, the SD-JWT VC parts."""
    decoded = decode(VECTORS["rfc-simple"]["presentation"], now=1_700_000_000)
    sd = decoded.sd_jwt
    assert sd is not None and sd.sd_alg == "sha-256" and sd.sd_alg_declared
    by_name = {d.name: d for d in sd.disclosures if d.kind == "property"}
    given = by_name["given_name"]
    assert (given.salt, given.value, given.digest) == ("2GLC42sKQveCfGfryNRN9w", "John",
                                                       "jsu9yVulwQQlhFlM_3JlzMaSFzglhQG0DpfayQwLUK4")
    assert given.location == "/given_name"
    element = next(d for d in sd.disclosures if d.kind == "element")
    assert (element.salt, element.value, element.location) == ("lklxF5jMYlGTPUovMNIvCA", "US", "/nationalities/0")
    assert {h.location for h in sd.hidden} == {"/", "/nationalities"}
    assert len(sd.hidden) == 6 and sum(h.array for h in sd.hidden) == 1
    assert sd.key_binding is not None and sd.key_binding.problems == ()
    assert sd.cnf is not None and sd.vc_type is None  # typ example+sd-jwt is not an SD-JWT VC
    assert decoded.status.state == "valid"  # exp 2029 in the rebuilt claims
    assert [c.name for c in decoded.claims][:3] == ["iss", "iat", "exp"]


def test_rfc_literal_disclosures() -> None:
    """RFC 9901 §4.2.1, §4.2.2 and §4.2.3: disclosure text and digest as printed in the RFC."""
    mobius = "WyJfMjZiYzRMVC1hYzZxMktJNmNCVzVlcyIsICJmYW1pbHlfbmFtZSIsICJNw7ZiaXVzIl0"
    assert digest_of(mobius) == "X9yH0Ajrdm1Oij4tWso9UzzKJvPoDxwmuEcO3XAdRC0"
    fr = "WyJsa2x4RjVqTVlsR1RQVW92TU5JdkNBIiwgIkZSIl0"
    token = _issue({"_sd": [digest_of(mobius)], "nationalities": ["DE", {"...": digest_of(fr)}]})
    sd = decode(f"{token}~{mobius}~{fr}~").sd_jwt
    assert sd is not None and sd.claims == {"family_name": "Möbius", "nationalities": ["DE", "FR"]}
    assert sd.disclosures[0].salt == "_26bc4LT-ac6q2KI6cBW5es" and sd.disclosures[1].kind == "element"
    assert sd.all_disclosed


@pytest.mark.parametrize("name", sorted(VECTORS))
def test_issuer_signature_verifies_with_the_issuer_key(name: str) -> None:
    sd = decode(VECTORS[name]["presentation"]).sd_jwt
    assert sd is not None
    result = verify(sd.issuer_jwt, ISSUER_JWK, "jwk", now=1_700_000_000)
    if name == "ref-header_mod":  # the case puts a non-string kid in the header on purpose
        assert not result.verified and "kid" in str(result.reason)
    else:
        assert result.verified and result.alg == "ES256"


@pytest.mark.parametrize("name", KB_CASES)
def test_key_binding_verifies_and_each_check_bites(name: str) -> None:
    case = VECTORS[name]
    sd = decode(case["presentation"]).sd_jwt
    assert sd is not None
    aud, now = case["kb_jwt_payload"]["aud"], kb_time(case)
    good = check(sd, audience=aud, nonce=NONCE, now=now)
    assert good.valid and good.key_binding is not None and good.key_binding.valid
    assert good.key_binding.issued == "issued 1 min ago"
    assert not check(sd, audience="https://other.example", nonce=NONCE, now=now).valid
    assert not check(sd, audience=aud, nonce="other", now=now).valid
    stale = check(sd, audience=aud, nonce=NONCE, now=now + 3600)
    assert not stale.valid and "ago" in stale.reasons[0]
    assert check(sd, audience=aud, nonce=NONCE, now=now + 3600, max_age=None).valid
    future = check(sd, audience=aud, nonce=NONCE, now=now - 600)
    assert any("in the future" in r for r in future.reasons)


def test_key_binding_over_other_disclosures_is_rejected() -> None:
    """sd_hash binds the KB-JWT to the disclosures presented: dropping one breaks it."""
    case = VECTORS["rfc-simple"]
    parts = case["presentation"].split("~")
    fewer = "~".join([parts[0], *parts[2:]])
    sd = decode(fewer).sd_jwt
    assert sd is not None and sd.key_binding is not None
    assert any("sd_hash" in p for p in sd.key_binding.problems)
    assert "sd-kb-invalid" in {f.id for f in decode(fewer).findings}
    assert not check(sd, now=kb_time(case)).valid


def test_key_binding_signed_by_another_key_is_rejected() -> None:
    case = VECTORS["ref-key_binding"]
    presented = case["presentation"].rsplit("~", 1)[0] + "~"
    other = ec.generate_private_key(ec.SECP256R1())
    kb = jwt.encode({"iat": int(kb_time(case)) - 60, "aud": "x", "nonce": NONCE,
                     "sd_hash": digest_of(presented)}, other, algorithm="ES256", headers={"typ": "kb+jwt"})
    sd = decode(presented + kb).sd_jwt
    assert sd is not None and sd.key_binding is not None and sd.key_binding.problems == ()
    result = check(sd, now=kb_time(case))
    assert result.key_binding is not None and not result.key_binding.signature_verified
    assert any("signature" in r for r in result.reasons)


@pytest.mark.parametrize(("header", "problem"), [
    ({"alg": "none", "typ": "kb+jwt"}, "must be signed"),
    ({"alg": "ES256", "typ": "JWT"}, "typ"),
    ({"alg": "ES256"}, "typ"),
])
def test_key_binding_header_problems(header: dict[str, Any], problem: str) -> None:
    presented = VECTORS["ref-key_binding"]["presentation"].rsplit("~", 1)[0] + "~"
    body = {"iat": 1, "aud": "a", "nonce": "n", "sd_hash": digest_of(presented)}
    kb = ".".join(b64.encode(json.dumps(part).encode()) for part in (header, body)) + "."
    decoded = decode(presented + kb)
    assert decoded.sd_jwt is not None and decoded.sd_jwt.key_binding is not None
    assert any(problem in p for p in decoded.sd_jwt.key_binding.problems)
    assert not check(decoded.sd_jwt, now=2).valid


def test_kb_missing_where_cnf_asks_for_it() -> None:
    issuance = VECTORS["rfc-simple"]["issuance"]
    assert "sd-kb-missing" in {f.id for f in decode(issuance).findings}
    assert "sd-kb-missing" not in {f.id for f in decode(VECTORS["rfc-simple"]["presentation"]).findings}


# --- made-up tokens: each rule of RFC 9901 §7.1 ------------------------------------------------------------

KEY = ec.generate_private_key(ec.SECP256R1())


def _issue(payload: dict[str, Any], header: dict[str, Any] | None = None) -> str:
    return jwt.encode(payload, KEY, algorithm="ES256", headers=header)


def _disclosure(*parts: Any, salt: str | None = None) -> str:
    return b64.encode(json.dumps([salt or b64.encode(secrets.token_bytes(16)), *parts]).encode())


def test_unmatched_and_duplicate_disclosures() -> None:
    a, stray = _disclosure("a", 1), _disclosure("b", 2)
    decoded = decode(f"{_issue({'_sd': [digest_of(a)]})}~{a}~{stray}~{a}~")
    sd = decoded.sd_jwt
    assert sd is not None
    assert [d.status for d in sd.disclosures] == ["matched", "unmatched", "duplicate"]
    assert sd.claims == {"a": 1}
    ids = {f.id for f in decoded.findings}
    assert {"sd-unmatched-disclosure", "sd-duplicate-digest"} <= ids


def test_duplicate_digest_in_payload() -> None:
    a = _disclosure("a", 1)
    sd = decode(f"{_issue({'_sd': [digest_of(a), digest_of(a)]})}~{a}~").sd_jwt
    assert sd is not None and any("more than once" in e for e in sd.errors)


@pytest.mark.parametrize(("parts", "why"), [
    (("_sd", 1), "reserved"),
    (("...", 1), "reserved"),
    (("plain", 2), "overwrite"),
])
def test_reserved_names_and_overwrites_are_rejected(parts: tuple[Any, ...], why: str) -> None:
    bad = _disclosure(*parts)
    decoded = decode(f"{_issue({'_sd': [digest_of(bad)], 'plain': 1})}~{bad}~")
    sd = decoded.sd_jwt
    assert sd is not None and sd.disclosures[0].status == "rejected" and why in str(sd.disclosures[0].problem)
    assert sd.claims == {"plain": 1} and "sd-bad-disclosure" in {f.id for f in decoded.findings}


def test_element_disclosure_in_sd_and_property_in_array_are_rejected() -> None:
    element, prop = _disclosure("x"), _disclosure("n", "v")
    payload = {"_sd": [digest_of(element)], "list": [{"...": digest_of(prop)}]}
    sd = decode(f"{_issue(payload)}~{element}~{prop}~").sd_jwt
    assert sd is not None and [d.status for d in sd.disclosures] == ["rejected", "rejected"]
    assert sd.claims == {"list": []}


def test_recursive_disclosures_and_hidden_locations() -> None:
    street = _disclosure("street", "Main St")
    address = _disclosure("address", {"_sd": [digest_of(street), "decoyAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"]})
    sd = decode(f"{_issue({'_sd': [digest_of(address)]})}~{street}~{address}~").sd_jwt
    assert sd is not None and sd.claims == {"address": {"street": "Main St"}}
    assert [d.location for d in sd.disclosures] == ["/address/street", "/address"]
    assert [(h.location, h.array) for h in sd.hidden] == [("/address", False)]
    assert not sd.all_disclosed


@pytest.mark.parametrize(("alg", "finding"), [
    ("sha-384", None), ("sha-512", None), ("sha3-256", None), ("blake2b-256", None),
    ("sha-256-64", "sd-weak-alg"), ("sha-1", "sd-weak-alg"), ("md5", "sd-weak-alg"),
])
def test_sd_alg_names(alg: str, finding: str | None) -> None:
    a = _disclosure("a", 1)
    decoded = decode(f"{_issue({'_sd': [digest_of(a, alg)], '_sd_alg': alg})}~{a}~")
    assert decoded.sd_jwt is not None and decoded.sd_jwt.claims == {"a": 1}
    ids = {f.id for f in decoded.findings}
    assert (finding in ids) if finding else not ids & {"sd-weak-alg", "sd-unknown-alg"}


def test_hashes_against_hashlib_vectors() -> None:
    fn = hasher("sha-256")
    assert fn is not None and fn(b"abc").hex().startswith("ba7816bf")  # FIPS 180-2 "abc"
    fn = hasher("sha-256-128")
    assert fn is not None and len(fn(b"abc")) == 16


@pytest.mark.parametrize(("alg", "hint"), [("SHA-256", "did you mean 'sha-256'"), ("sha256", "did you mean"),
                                           ("k12-256", "known:"), (7, "JSON number"), ("x" * 500, "known:")])
def test_unknown_sd_alg_is_said_and_nothing_is_matched(alg: Any, hint: str) -> None:
    a = _disclosure("a", 1)
    decoded = decode(f"{_issue({'_sd': [digest_of(a)], '_sd_alg': alg, 'plain': 2})}~{a}~")
    sd = decoded.sd_jwt
    assert sd is not None and sd.sd_alg_problem is not None and hint in sd.sd_alg_problem
    assert sd.claims == {"plain": 2} and sd.disclosures[0].digest is None
    assert "sd-unknown-alg" in {f.id for f in decoded.findings} and len(sd.sd_alg) <= 40


def test_short_salt_and_no_decoys() -> None:
    a = _disclosure("a", 1, salt="abc")
    decoded = decode(f"{_issue({'_sd': [digest_of(a)]})}~{a}~")
    ids = {f.id for f in decoded.findings}
    assert {"sd-short-salt", "sd-no-decoys"} <= ids
    assert salt_bits("xyz") == 18 and salt_bits("abc") == 12 and salt_bits("0" * 32) == 128 and salt_bits("Z" * 22) == 132
    hidden = decode(f"{_issue({'_sd': [digest_of(a), 'x' * 43]})}~{a}~")
    assert "sd-no-decoys" not in {f.id for f in hidden.findings}  # one digest stays hidden: undecidable


def test_plain_sensitive_claims_are_the_ordinary_finding() -> None:
    a = _disclosure("birthdate", "1990-01-01")
    decoded = decode(f"{_issue({'_sd': [digest_of(a)], 'password': 'hunter2'})}~{a}~")
    assert "sensitive-claim" in {f.id for f in decoded.findings}


def test_sd_jwt_vc_type_and_vct() -> None:
    for typ, said in (("dc+sd-jwt", "SD-JWT VC"), ("vc+sd-jwt", "older media type")):
        token = _issue({"vct": "https://credentials.example/id", "iss": "x"}, {"typ": typ})
        sd = decode(token + "~").sd_jwt
        assert sd is not None and said in str(sd.vc_type) and sd.vct == "https://credentials.example/id"


# --- hostile input -------------------------------------------------------------------------------------------

BASE = _issue({"_sd": []})


@pytest.mark.parametrize(("disclosure", "said"), [
    ("", "empty"),
    ("!!!", "bad base64url"),
    ("a", "length"),
    (b64.encode(b"\xff\xfe"), "not UTF-8"),
    (b64.encode(b"[1,"), "not JSON"),
    (b64.encode(b'{"a": 1}'), "JSON object"),
    (b64.encode(b'"text"'), "JSON string"),
    (b64.encode(b"[]"), "this has 0"),
    (b64.encode(b'["s", "n", 1, 2]'), "this has 4"),
    (b64.encode(b'[1, "n", 2]'), "salt is a JSON number"),
    (b64.encode(b'["s", ["n"], 2]'), "claim name is a JSON array"),
    (b64.encode(b'["s", null, 2]'), "claim name is a JSON null"),
    (b64.encode(("[" * 200 + "]" * 200).encode()), "not JSON"),
])
def test_bad_disclosures_are_explained(disclosure: str, said: str) -> None:
    decoded = decode(f"{BASE}~{disclosure}~")
    sd = decoded.sd_jwt
    assert sd is not None and sd.disclosures[0].status == "invalid"
    assert said in str(sd.disclosures[0].problem), sd.disclosures[0].problem
    assert "sd-bad-disclosure" in {f.id for f in decoded.findings}


def test_missing_final_tilde_reads_the_last_part_as_a_disclosure() -> None:
    a = _disclosure("a", 1)
    sd = decode(f"{_issue({'_sd': [digest_of(a)]})}~{a}").sd_jwt
    assert sd is not None and sd.claims == {"a": 1} and sd.key_binding is None
    assert any("does not end with '~'" in e for e in sd.errors)


def test_huge_counts_are_bounded() -> None:
    a = _disclosure("a", 1)
    token = f"{BASE}~" + f"{a}~" * (MAX_DISCLOSURES + 300)
    sd = decode(token).sd_jwt
    assert sd is not None and len(sd.disclosures) == MAX_DISCLOSURES
    assert any("only the first" in e for e in sd.errors)
    tildes = decode(BASE + "~" * 100_000).sd_jwt
    assert tildes is not None and len(tildes.disclosures) == MAX_DISCLOSURES


def test_deeply_nested_disclosures_are_bounded() -> None:
    """Each disclosure holds the digest of the next, 80 deep: the rebuild stops at the JSON depth limit."""
    inner = _disclosure("v", 1)
    chain = [inner]
    for _ in range(80):
        chain.append(_disclosure("n", {"_sd": [digest_of(chain[-1])]}))
    token = _issue({"_sd": [digest_of(chain[-1])]}) + "~" + "~".join(chain) + "~"
    sd = decode(token).sd_jwt
    assert sd is not None and any("deeper than" in e for e in sd.errors)
    depth, node = 0, sd.claims
    while isinstance(node, dict) and "n" in node:
        node, depth = node["n"], depth + 1
    assert depth <= 64
    json.dumps(sd.claims)  # still serialisable


@pytest.mark.parametrize("text", ["~", "~~~", "a~b", "a.b.c~", "..~..~", "\u202e.x.y~z~", "eyJ~", "~" + BASE])
def test_garbage_with_tildes_never_raises(text: str) -> None:
    decoded = decode(text)
    assert decoded.kind == "sd-jwt" and decoded.sd_jwt is not None and decoded.errors


def test_non_object_sd_and_digests() -> None:
    sd = decode(_issue({"_sd": "nope", "list": [{"...": 5}, {"...": "x", "extra": 1}]}) + "~").sd_jwt
    assert sd is not None
    assert any("_sd is a JSON string" in e for e in sd.errors)
    assert any("JSON number, not a string" in e for e in sd.errors)
    assert any("other members" in e for e in sd.errors)


def test_sample_is_a_fresh_sd_jwt_vc_that_verifies() -> None:
    from toolbox.core.jwt.samples import sample

    now = time.time()
    chosen = sample("sd-jwt", now=now)
    assert chosen is not None and chosen.kb_audience and chosen.kb_nonce
    decoded = decode(chosen.token, now=now)
    sd = decoded.sd_jwt
    assert sd is not None and sd.errors == () and sd.vc_type == "SD-JWT VC" and sd.vct
    assert sorted(sd.claims) == ["birthdate", "cnf", "exp", "family_name", "given_name", "iat", "iss",
                                 "nationalities", "sub", "vct"]
    assert len(sd.hidden) == 4  # email, phone_number and two decoys: "undisclosed or decoy"
    assert verify(sd.issuer_jwt, chosen.key, "pem", now=now).verified
    assert check(sd, audience=chosen.kb_audience, nonce=chosen.kb_nonce, now=now).valid
    assert not {f.severity for f in decoded.findings} & {"critical", "high"}


def test_json_serialization_is_named_not_read() -> None:
    pasted = json.dumps({"payload": "e30", "protected": "e30", "signature": "x",
                         "header": {"disclosures": ["WyJzIiwgIm4iLCAxXQ"]}})
    decoded = decode(pasted)
    assert decoded.sd_jwt is None and "JSON serialization (RFC 9901 §8)" in decoded.errors[0]


def test_symmetric_cnf_key_binds_nothing() -> None:
    """An HMAC key in cnf is public to every reader: a KB-JWT 'signed' with it must not verify."""
    secret = b64.encode(b"k" * 32)
    issued = _issue({"_sd": [], "cnf": {"jwk": {"kty": "oct", "k": secret}}}) + "~"
    kb = jwt.encode({"iat": 1000, "aud": "a", "nonce": "n", "sd_hash": digest_of(issued)}, b"k" * 32,
                    algorithm="HS256", headers={"typ": "kb+jwt"})
    sd = decode(issued + kb).sd_jwt
    assert sd is not None
    result = check(sd, now=1000)
    assert not result.valid and any("symmetric" in r for r in result.reasons)
    assert result.key_binding is not None and not result.key_binding.signature_verified


def test_cnf_without_jwk_cannot_be_checked() -> None:
    issued = _issue({"_sd": [], "cnf": {"jkt": "abc"}}) + "~"
    kb = jwt.encode({"iat": 1000, "aud": "a", "nonce": "n", "sd_hash": digest_of(issued)}, KEY,
                    algorithm="ES256", headers={"typ": "kb+jwt"})
    sd = decode(issued + kb).sd_jwt
    assert sd is not None
    assert any("no cnf.jwk" in r for r in check(sd, now=1000).reasons)
