"""Key sizes are bounded before any expensive load; verification never validates private material.

Issue 8, finding 1: a 16384-bit RSA private key given as a verify key cost ~26 s of validation with
the GIL held. Timing assertions here are generous (seconds, for a loaded 2-core box): they catch the
attack, not a slow machine.
"""

from __future__ import annotations

import base64
import datetime
import json
import time
from collections.abc import Callable
from typing import Any

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.x509.oid import NameOID

from tests.unit.jwt import hugekeys
from toolbox.core.jwt import keys
from toolbox.core.jwt.encode import encode
from toolbox.core.jwt.keys import load_jwks, load_key
from toolbox.core.jwt.model import JwtInputError
from toolbox.core.jwt.verify import verify

PKCS1 = serialization.PublicFormat.PKCS1
TOO_BIG = r"RSA keys over 8192 bits are not accepted"
TOO_BIG_TO_SIGN = r"RSA private keys over 4096 bits are not accepted for signing"
SECONDS = 2.0  # the whole operation; the attack cost 3 s (8192 bits) to 26 s (16384 bits)


def timed(action: Callable[[], Any]) -> tuple[Any, float]:
    start = time.perf_counter()
    try:
        result: Any = action()
    except JwtInputError as err:
        result = err
    return result, time.perf_counter() - start


def certificate(public: rsa.RSAPublicKey) -> str:
    issuer_key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "huge")])
    start = datetime.datetime(2024, 1, 1, tzinfo=datetime.UTC)
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(public).serial_number(7)
            .not_valid_before(start).not_valid_after(start + datetime.timedelta(days=1))
            .sign(issuer_key, hashes.SHA256()))
    return cert.public_bytes(serialization.Encoding.PEM).decode()


def rs256_token(signature_bytes: int) -> str:
    def part(data: bytes) -> str:
        return base64.urlsafe_b64encode(data).rstrip(b"=").decode()
    return ".".join([part(b'{"alg":"RS256","typ":"JWT"}'), part(b'{"sub":"x"}'), part(b"\x01" * signature_bytes)])


# --- public keys in every form: over the bound is refused, before loading ---------------------------------


@pytest.mark.parametrize("bits", [8200, 16384, 20000])
@pytest.mark.parametrize("form", ["spki", "pkcs1", "ssh", "certificate", "jwk"])
def test_oversized_rsa_public_keys_are_refused_in_every_form(form: str, bits: int) -> None:
    text = {
        "spki": lambda: hugekeys.rsa_public_pem(bits),
        "pkcs1": lambda: hugekeys.rsa_public_pem(bits, PKCS1),
        "ssh": lambda: hugekeys.ssh_public(bits),
        "certificate": lambda: certificate(hugekeys.fake_rsa_public(bits)),
        "jwk": lambda: json.dumps(hugekeys.rsa_jwk(bits)),
    }[form]()
    result, elapsed = timed(lambda: load_key(text, "jwk" if form == "jwk" else "pem"))
    assert isinstance(result, JwtInputError)
    assert f"{TOO_BIG} (this one has {bits})" in str(result)
    assert elapsed < SECONDS


@pytest.mark.parametrize("form", ["spki", "pkcs1", "ssh", "jwk"])
def test_rsa_public_keys_up_to_the_bound_are_accepted(form: str) -> None:
    text = {"spki": hugekeys.rsa_public_pem(8192), "pkcs1": hugekeys.rsa_public_pem(8192, PKCS1),
            "ssh": hugekeys.ssh_public(8192), "jwk": json.dumps(hugekeys.rsa_jwk(8192))}[form]
    assert load_key(text, "jwk" if form == "jwk" else "pem").bits == 8192


def test_huge_public_exponents_are_refused() -> None:
    # A 3072-bit key may carry an exponent as large as its modulus: one verification then costs a full
    # modular exponentiation (~30 ms), fifty in a JWK Set over a second.
    e = hugekeys.odd(3000)
    for text, key_type in ((hugekeys.rsa_public_pem(3072, e=e), "pem"),
                           (json.dumps({"kty": "RSA", "n": hugekeys.b64url(hugekeys.fake_rsa_numbers(3072)[0]),
                                        "e": hugekeys.b64url(e)}), "jwk")):
        with pytest.raises(JwtInputError, match="RSA public exponents over 64 bits are not accepted"):
            load_key(text, key_type)


# --- private keys given to verify: only the public half, never validated ----------------------------------


def test_a_real_8192_bit_private_key_verifies_without_paying_for_validation() -> None:
    result, elapsed = timed(lambda: load_key(hugekeys.real_rsa_8192_pem(), "pem"))
    assert not isinstance(result, JwtInputError), result
    assert result.description == "RSA public key, 8192 bits (public half of the private key given)"
    assert result.private is None
    assert elapsed < SECONDS, f"{elapsed:.1f} s: the private key was validated"
    outcome, elapsed = timed(lambda: verify(rs256_token(1024), hugekeys.real_rsa_8192_pem(), "pem"))
    assert outcome.verified is False and "signature does not match" in str(outcome.reason)
    assert elapsed < SECONDS


@pytest.mark.parametrize("pkcs8", [True, False])
@pytest.mark.parametrize("bits", [8200, 16384])
def test_oversized_private_keys_given_to_verify_are_refused_before_loading(bits: int, pkcs8: bool) -> None:
    result, elapsed = timed(lambda: load_key(hugekeys.rsa_private_pem(bits, pkcs8), "pem"))
    assert isinstance(result, JwtInputError)
    assert TOO_BIG in str(result)
    assert elapsed < SECONDS


def test_a_private_jwk_given_to_verify_is_bounded_by_its_modulus() -> None:
    ok = load_key(json.dumps(hugekeys.rsa_jwk(8192, private=True)), "jwk")  # fake p, q: never checked
    assert ok.bits == 8192 and ok.private is None
    with pytest.raises(JwtInputError, match=TOO_BIG):
        load_key(json.dumps(hugekeys.rsa_jwk(16384, private=True)), "jwk")


# --- signing: the private key is validated, so its size is bounded lower ------------------------------------


def test_signing_with_a_real_8192_bit_key_is_refused_before_validation() -> None:
    result, elapsed = timed(lambda: encode({}, {"sub": "x"}, "RS256", hugekeys.real_rsa_8192_pem(), "pem"))
    assert isinstance(result, JwtInputError)
    assert f"{TOO_BIG_TO_SIGN} (this one has 8192)" in str(result)
    assert elapsed < SECONDS


@pytest.mark.parametrize("form", ["pkcs8", "pkcs1", "jwk"])
@pytest.mark.parametrize("bits", [4104, 8192, 16384])
def test_oversized_signing_keys_are_refused_in_every_form(form: str, bits: int) -> None:
    text, key_type = {
        "pkcs8": (hugekeys.rsa_private_pem(bits), "pem"),
        "pkcs1": (hugekeys.rsa_private_pem(bits, pkcs8=False), "pem"),
        "jwk": (json.dumps(hugekeys.rsa_jwk(bits, private=True)), "jwk"),
    }[form]
    result, elapsed = timed(lambda: load_key(text, key_type, private=True))
    assert isinstance(result, JwtInputError)
    assert (TOO_BIG_TO_SIGN if bits <= 8192 else TOO_BIG) in str(result)
    assert elapsed < SECONDS


def test_inconsistent_or_unbalanced_private_keys_are_refused_before_validation() -> None:
    n, e, d, p, q = hugekeys.fake_rsa_numbers(4096)
    wrong = hugekeys.seq(*(hugekeys.der_int(v) for v in (0, n + 2, e, d, p, q, 1, 1, 1)))
    with pytest.raises(JwtInputError, match=r"p × q is not n"):
        load_key(hugekeys.pem("RSA PRIVATE KEY", wrong), "pem", private=True)
    small, big = hugekeys.odd(96), hugekeys.odd(4000)  # validating a 4000-bit prime costs far more
    lopsided = hugekeys.seq(*(hugekeys.der_int(v) for v in (0, small * big, e, d, big, small, 1, 1, 1)))
    with pytest.raises(JwtInputError, match=r"not two halves of the modulus"):
        load_key(hugekeys.pem("RSA PRIVATE KEY", lopsided), "pem", private=True)


def test_a_4096_bit_key_still_signs() -> None:
    private = rsa.generate_private_key(65537, 4096)
    text = private.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                 serialization.NoEncryption()).decode()
    token = encode({}, {"sub": "x"}, "PS256", text, "pem")
    public = private.public_key().public_bytes(serialization.Encoding.PEM,
                                               serialization.PublicFormat.SubjectPublicKeyInfo).decode()
    assert verify(token, public, "pem").verified


# --- key sets, odd families, hostile PEM framing -----------------------------------------------------------


def test_oversized_keys_in_a_jwks_are_skipped_with_the_reason() -> None:
    good = hugekeys.rsa_jwk(2048, kid="good")
    text = json.dumps({"keys": [hugekeys.rsa_jwk(16384, kid="huge"), good]})
    keyset = load_jwks(text)
    assert [k.kid for k in keyset.keys] == ["good"]
    assert TOO_BIG in keyset.notes[0]
    with pytest.raises(JwtInputError, match=TOO_BIG):
        load_jwks(hugekeys.rsa_jwks(16384, 3))


def test_a_jwks_of_fifty_keys_at_the_bound_verifies_within_seconds() -> None:
    outcome, elapsed = timed(lambda: verify(rs256_token(1024), hugekeys.rsa_jwks(8192, keys.MAX_JWKS_KEYS + 5),
                                            "jwks"))
    assert outcome.verified is False and len(outcome.attempts) == keys.MAX_JWKS_KEYS
    assert elapsed < SECONDS


@pytest.mark.parametrize(("text", "family"), [
    (lambda: hugekeys.dsa_public_pem(16384), "DSA"),
    (lambda: hugekeys.dsa_public_pem(2048), "DSA"),
    (lambda: hugekeys.dh_public_pem(16384), "DH"),
])
def test_odd_family_keys_are_refused_by_family_before_loading(text: Callable[[], str], family: str) -> None:
    result, elapsed = timed(lambda: load_key(text(), "pem"))
    assert isinstance(result, JwtInputError)
    assert f"a {family} key cannot be used with JWS" in str(result)
    assert elapsed < SECONDS


def test_explicit_curve_parameters_are_refused() -> None:
    with pytest.raises(JwtInputError, match="explicit curve parameters"):
        load_key(hugekeys.ec_explicit_public_pem(), "pem")


@pytest.mark.parametrize("text", [
    "-----BEGIN A-----" * 15_000,
    "-----BEGIN PUBLIC KEY-----\n" + "Proc-Type:" * 25_000 + "\n-----END PUBLIC KEY-----",
    "-----BEGIN PUBLIC KEY-----\n" + "-----END PRIVATE KEY-----" * 10_000,
])
def test_hostile_pem_framing_is_read_in_linear_time(text: str) -> None:
    result, elapsed = timed(lambda: load_key(text, "pem"))
    assert isinstance(result, JwtInputError)
    assert elapsed < SECONDS


def test_every_refusal_is_an_input_error_never_a_crash() -> None:
    damaged = hugekeys.rsa_public_pem(2048).replace("MII", "MIJ", 1)
    for text in (damaged, hugekeys.pem("PUBLIC KEY", b"\x30\x84\xff\xff\xff\xff"),
                 hugekeys.pem("PUBLIC KEY", b"\x30\x03\x02\x81"), hugekeys.pem("PRIVATE KEY", b""),
                 hugekeys.pem("RSA PRIVATE KEY", hugekeys.seq(hugekeys.der_int(0)))):
        for private in (False, True):
            with pytest.raises(JwtInputError):
                load_key(text, "pem", private=private)


def test_openssh_private_keys_are_bounded_by_the_public_key_they_carry() -> None:
    assert load_key(hugekeys.openssh_private(8192), "pem").bits == 8192  # fake primes: never validated
    with pytest.raises(JwtInputError, match=TOO_BIG):
        load_key(hugekeys.openssh_private(8200), "pem")
    result, elapsed = timed(lambda: load_key(hugekeys.openssh_private(8192), "pem", private=True))
    assert isinstance(result, JwtInputError) and TOO_BIG_TO_SIGN in str(result)
    assert elapsed < SECONDS
    with pytest.raises(JwtInputError, match="not two halves"):
        n, e, d, p, q = hugekeys.fake_rsa_numbers(2048)
        small, big = hugekeys.odd(64), hugekeys.odd(1984)
        # d below the modulus whatever the random primes are (cryptography checks that much even
        # when it skips validation; a random 2048-bit d failed that now and then).
        numbers = rsa.RSAPrivateNumbers(big, small, hugekeys.odd(1024), 1, 1, 1, rsa.RSAPublicNumbers(e, big * small))
        text = numbers.private_key(unsafe_skip_rsa_key_validation=True).private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.OpenSSH, serialization.NoEncryption()).decode()
        load_key(text, "pem", private=True)
