"""Oversized and odd-family keys built cheaply (no prime search) for the key-size bound tests.

A hostile key does not need to be a real key: it must be refused *before* anything validates it, so
most keys here are fakes with the right structure and a huge modulus. One real 8192-bit RSA private
key (tests/unit/jwt/data, made for these tests only and used nowhere else) measures the validation
cost that verification must never pay.
"""

from __future__ import annotations

import base64
import json
import math
import secrets
import textwrap
from functools import cache
from pathlib import Path

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

DATA = Path(__file__).resolve().parent / "data"
RSA_OID = bytes.fromhex("06092a864886f70d010101")  # 1.2.840.113549.1.1.1 rsaEncryption
DSA_OID = bytes.fromhex("06072a8648ce380401")  # 1.2.840.10040.4.1
DH_OID = bytes.fromhex("06092a864886f70d010301")  # 1.2.840.113549.1.3.1 dhKeyAgreement
EC_OID = bytes.fromhex("06072a8648ce3d0201")  # 1.2.840.10045.2.1 ecPublicKey
NULL = b"\x05\x00"


def real_rsa_8192_pem() -> str:
    """A real 8192-bit RSA private key (PKCS#8): validating it costs seconds, reading it does not."""
    return (DATA / "rsa8192-test-only.pem").read_text()


def der(tag: int, content: bytes) -> bytes:
    """One DER TLV."""
    size = len(content)
    if size < 0x80:
        return bytes([tag, size]) + content
    length = size.to_bytes((size.bit_length() + 7) // 8, "big")
    return bytes([tag, 0x80 | len(length)]) + length + content


def der_int(value: int) -> bytes:
    """A DER INTEGER (non-negative)."""
    return der(0x02, value.to_bytes(value.bit_length() // 8 + 1, "big"))


def seq(*items: bytes) -> bytes:
    """A DER SEQUENCE."""
    return der(0x30, b"".join(items))


def pem(label: str, data: bytes) -> str:
    """PEM armour around DER bytes."""
    body = "\n".join(textwrap.wrap(base64.b64encode(data).decode(), 64))
    return f"-----BEGIN {label}-----\n{body}\n-----END {label}-----\n"


def odd(bits: int) -> int:
    """A random odd number of exactly `bits` bits."""
    return secrets.randbits(bits) | (1 << (bits - 1)) | 1


@cache
def fake_rsa_numbers(bits: int) -> tuple[int, int, int, int, int]:
    """(n, e, d, p, q) with n = p * q of `bits` bits; p and q are not prime (nobody checks before the bound)."""
    while True:
        p, q = odd(bits // 2), odd(bits - bits // 2)
        n = p * q
        if n.bit_length() == bits and math.gcd(p, q) == 1:
            return n, 65537, odd(bits - 1), p, q


def fake_rsa_public(bits: int, e: int = 65537) -> rsa.RSAPublicKey:
    """An RSA public key object with a `bits`-bit modulus (public keys are not validated on load)."""
    n = fake_rsa_numbers(bits)[0]
    return rsa.RSAPublicNumbers(e, n).public_key()


def rsa_public_pem(bits: int, fmt: serialization.PublicFormat = serialization.PublicFormat.SubjectPublicKeyInfo,
                   e: int = 65537) -> str:
    """SPKI ('PUBLIC KEY') or PKCS#1 ('RSA PUBLIC KEY') PEM of a fake public key."""
    return fake_rsa_public(bits, e).public_bytes(serialization.Encoding.PEM, fmt).decode()


def ssh_public(bits: int) -> str:
    """'ssh-rsa AAAA...' of a fake public key."""
    return fake_rsa_public(bits).public_bytes(serialization.Encoding.OpenSSH,
                                              serialization.PublicFormat.OpenSSH).decode()


def pkcs1_private_der(bits: int) -> bytes:
    """RSAPrivateKey (RFC 8017 A.1.2) with fake components."""
    n, e, d, p, q = fake_rsa_numbers(bits)
    return seq(der_int(0), *(der_int(v) for v in (n, e, d, p, q, d % (p - 1), d % (q - 1), pow(q, -1, p))))


def rsa_private_pem(bits: int, pkcs8: bool = True) -> str:
    """A fake RSA private key as 'PRIVATE KEY' (PKCS#8) or 'RSA PRIVATE KEY' (PKCS#1) PEM."""
    inner = pkcs1_private_der(bits)
    if not pkcs8:
        return pem("RSA PRIVATE KEY", inner)
    return pem("PRIVATE KEY", seq(der_int(0), seq(RSA_OID, NULL), der(0x04, inner)))


def b64url(value: int) -> str:
    """A JWK big-endian integer member."""
    raw = value.to_bytes((value.bit_length() + 7) // 8, "big")
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def rsa_jwk(bits: int, private: bool = False, kid: str | None = None) -> dict[str, str]:
    """A fake RSA JWK with a `bits`-bit "n" (and the private members when asked)."""
    n, e, d, p, q = fake_rsa_numbers(bits)
    jwk = {"kty": "RSA", "n": b64url(n), "e": b64url(e)}
    if private:
        jwk.update(d=b64url(d), p=b64url(p), q=b64url(q), dp=b64url(d % (p - 1)), dq=b64url(d % (q - 1)),
                   qi=b64url(pow(q, -1, p)))
    if kid:
        jwk["kid"] = kid
    return jwk


def rsa_jwks(bits: int, count: int = 1) -> str:
    """A JWK Set of `count` fake RSA keys of `bits` bits."""
    return json.dumps({"keys": [rsa_jwk(bits, kid=f"k{i}") for i in range(count)]})


def dsa_public_pem(bits: int) -> str:
    """A DSA SubjectPublicKeyInfo with a `bits`-bit p (never loaded: refused by its family)."""
    params = seq(der_int(odd(bits)), der_int(odd(256)), der_int(odd(bits - 1)))
    return pem("PUBLIC KEY", seq(seq(DSA_OID, params), der(0x03, b"\x00" + der_int(odd(bits - 1)))))


def dh_public_pem(bits: int) -> str:
    """A PKCS#3 DH SubjectPublicKeyInfo with a `bits`-bit prime."""
    params = seq(der_int(odd(bits)), der_int(2))
    return pem("PUBLIC KEY", seq(seq(DH_OID, params), der(0x03, b"\x00" + der_int(odd(bits - 1)))))


def ec_explicit_public_pem() -> str:
    """An EC SubjectPublicKeyInfo with explicit (not named) curve parameters and a huge field prime."""
    prime = odd(16384)
    curve = seq(der_int(1), seq(bytes.fromhex("06072a8648ce3d0101"), der_int(prime)),
                seq(der(0x04, b"\x01"), der(0x04, b"\x02")), der(0x04, b"\x04" + b"\x01" * 64), der_int(odd(256)))
    return pem("PUBLIC KEY", seq(seq(EC_OID, curve), der(0x03, b"\x00\x04" + b"\x01" * 64)))


def openssh_private(bits: int) -> str:
    """A fake RSA private key in OpenSSH's own format (loaded without validation only to write it)."""
    n, e, d, p, q = fake_rsa_numbers(bits)
    numbers = rsa.RSAPrivateNumbers(p, q, d, d % (p - 1), d % (q - 1), pow(q, -1, p), rsa.RSAPublicNumbers(e, n))
    key = numbers.private_key(unsafe_skip_rsa_key_validation=True)
    return key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.OpenSSH,
                             serialization.NoEncryption()).decode()
