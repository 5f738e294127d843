"""PyJWT as the JWS engine, with the fully-specified Ed25519 and Ed448 names (RFC 9864) registered in it.

PyJWT 2.x knows `EdDSA` (either curve) but not the RFC 9864 names that bind the algorithm to one curve.
They are registered through PyJWT's public API (`jwt.register_algorithm` with an `Algorithm`
subclass), so PyJWT still signs and verifies: the subclass only refuses a key on the other curve.
If a later PyJWT ships the names itself, its own implementation is used and nothing is registered.

Also here: the ML-DSA names (post-quantum, not supported) and the ECDSA range check behind the
"psychic signature" finding (CVE-2022-21449).
"""

from __future__ import annotations

import hmac
from typing import Any

import jwt
from cryptography.hazmat.primitives.asymmetric import ed448, ed25519
from cryptography.hazmat.primitives.asymmetric.utils import decode_dss_signature
from jwt.algorithms import Algorithm, OKPAlgorithm

# RFC 9864 §2.2: the fully-specified EdDSA algorithms, each bound to its curve.
FULLY_SPECIFIED = {"Ed25519": (ed25519.Ed25519PrivateKey, ed25519.Ed25519PublicKey),
                   "Ed448": (ed448.Ed448PrivateKey, ed448.Ed448PublicKey)}
# draft-ietf-cose-dilithium (JOSE and COSE): ML-DSA (FIPS 204) with "AKP" keys. No Python JOSE library
# (PyJWT included) implements them yet: recognised and reported, never guessed at.
ML_DSA = ("ML-DSA-44", "ML-DSA-65", "ML-DSA-87")
# Curve orders n (SEC 2 / FIPS 186-4; the same values `openssl ecparam -param_enc explicit` prints) and the
# size of r and of s in a JWS signature (RFC 7518 §3.4), per ECDSA algorithm.
EC_ORDERS = {
    "ES256": (int("FFFFFFFF00000000FFFFFFFFFFFFFFFFBCE6FAADA7179E84F3B9CAC2FC632551", 16), 32),
    "ES256K": (int("FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFEBAAEDCE6AF48A03BBFD25E8CD0364141", 16), 32),
    "ES384": (int("FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF"
                  "C7634D81F4372DDF581A0DB248B0A77AECEC196ACCC52973", 16), 48),
    "ES512": (int("01FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF"
                  "FA51868783BF2F966B7FCC0148F709A5D03BB5C9B8899C47AEBB6FB71E91386409", 16), 66),
}
_MAX_DER = 160  # a DER ECDSA signature on P-521 is at most 139 bytes: longer is not worth parsing


class FullySpecifiedEdDSA(OKPAlgorithm):
    """PyJWT's EdDSA, restricted to one curve (RFC 9864): a key on the other curve is refused."""

    def __init__(self, name: str) -> None:
        super().__init__()
        self.name = name
        self.key_classes = FULLY_SPECIFIED[name]

    def prepare_key(self, key: Any) -> Any:
        """PyJWT's key preparation, then the curve check: an Ed448 key never serves Ed25519."""
        prepared = super().prepare_key(key)
        if not isinstance(prepared, self.key_classes):
            raise jwt.InvalidKeyError(f"{self.name} needs an {self.name} key")
        return prepared


def _register() -> None:
    for name in FULLY_SPECIFIED:
        try:
            jwt.get_algorithm_by_name(name)
        except NotImplementedError:
            jwt.register_algorithm(name, FullySpecifiedEdDSA(name))


_register()


def engine(alg: str) -> Algorithm:
    """PyJWT's implementation of `alg` (the RFC 9864 names included); KeyError when it has none."""
    try:
        return jwt.get_algorithm_by_name(alg)
    except NotImplementedError:
        raise KeyError(alg) from None


def ml_dsa_problem(alg: object) -> str | None:
    """The words for an ML-DSA alg ('not supported (post-quantum ML-DSA)'), None for any other value."""
    if alg not in ML_DSA:
        return None
    return (f"{alg} is not supported (post-quantum ML-DSA, draft-ietf-cose-dilithium): PyJWT, the engine "
            "this tool uses, does not implement it, so the signature cannot be checked here")


def ecdsa_problem(alg: str, signature: bytes) -> str | None:
    """Why an ECDSA JWS signature is invalid whatever the key (r or s zero or not below the curve order).

    The raw form (r || s, RFC 7518 §3.4) is read when the length is right; a wrong-length signature is
    flagged only when it is all zero bytes or is the DER form of an out-of-range pair (what the
    CVE-2022-21449 proofs of concept sent). None when nothing is wrong in range.
    """
    if alg not in EC_ORDERS or not signature:
        return None
    order, size = EC_ORDERS[alg]
    if len(signature) == 2 * size:
        pair = int.from_bytes(signature[:size], "big"), int.from_bytes(signature[size:], "big")
        form = ""
    elif not any(signature):
        return f"the signature is {len(signature)} zero bytes"
    elif signature[0] == 0x30 and len(signature) <= _MAX_DER:
        try:
            pair = decode_dss_signature(signature)
        except ValueError:
            return None
        form = " (in DER form, which JWS does not use)"
    else:
        return None
    bad = [f"{name} = 0" if value == 0 else f"{name} < 0" if value < 0 else f"{name} ≥ the curve order n"
           for name, value in zip("rs", pair, strict=True) if not 0 < value < order]
    return f"{' and '.join(bad)}{form}" if bad else None


def verifies(alg: str, public: Any, signing_input: bytes, signature: bytes) -> bool:
    """Whether PyJWT's `alg` verifies the signature with the key (an HMAC secret as bytes)."""
    algorithm = engine(alg)
    try:
        key = algorithm.prepare_key(public)  # PyJWT's checks: key family, curve, no PEM text as a secret
        if isinstance(public, bytes):  # an HMAC secret: constant-time comparison, whatever the secret
            return hmac.compare_digest(algorithm.sign(signing_input, key), signature)
        return bool(algorithm.verify(signing_input, key, signature))
    except (ValueError, TypeError, jwt.PyJWTError):  # e.g. PSS salt too long for a tiny RSA key
        return False
