"""Fresh test keys on demand: HMAC secrets, RSA, EC and EdDSA pairs as PEM and JWK."""

from __future__ import annotations

import hashlib
import json
import secrets
from typing import Any, get_args

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, ed448, ed25519, rsa
from jwt.algorithms import ECAlgorithm, OKPAlgorithm, RSAAlgorithm

from . import b64
from .jwk import PRIVATE_MEMBERS
from .keybounds import MAX_SIGNING_RSA_BITS
from .model import GeneratedKey, JwtInputError
from .options import KeyKind

KEY_KINDS: tuple[KeyKind, ...] = get_args(KeyKind)  # declared once, in options.py
_EC = {"P-256": (ec.SECP256R1, "ES256"), "P-384": (ec.SECP384R1, "ES384"), "P-521": (ec.SECP521R1, "ES512"),
       "secp256k1": (ec.SECP256K1, "ES256K")}
_THUMBPRINT_MEMBERS = {"RSA": ("e", "kty", "n"), "EC": ("crv", "kty", "x", "y"), "OKP": ("crv", "kty", "x"),
                       "oct": ("k", "kty")}


def generate_key(kind: str) -> GeneratedKey:
    """A new random key of `kind` (one of KEY_KINDS) as PEM and JWK, kid = its RFC 7638 thumbprint."""
    if kind not in KEY_KINDS:
        raise JwtInputError(f"unknown key kind {kind!r}; expected one of {', '.join(KEY_KINDS)}")
    if kind.startswith("HS"):
        # A secret as long as the hash output: the RFC 7518 §3.2 minimum, from the OS CSPRNG.
        secret = b64.encode(secrets.token_bytes(int(kind[2:]) // 8))
        jwk = _decorate({"kty": "oct", "k": secret}, kind)
        return GeneratedKey(f"{kind} secret", kind, None, None, jwk, {}, secret)
    private: Any
    if kind.startswith("RSA-"):
        bits = int(kind[4:])
        if bits > MAX_SIGNING_RSA_BITS:  # a key this tool would refuse to sign with is no test key
            raise JwtInputError(f"RSA keys over {MAX_SIGNING_RSA_BITS} bits are not generated")
        private, alg, label = rsa.generate_private_key(65537, bits), "RS256", f"RSA {bits}"
        private_jwk: dict[str, Any] = RSAAlgorithm.to_jwk(private, as_dict=True)
    elif kind in _EC:
        private, alg, label = ec.generate_private_key(_EC[kind][0]()), _EC[kind][1], f"EC {kind}"
        private_jwk = ECAlgorithm.to_jwk(private, as_dict=True)
    else:
        edwards = ed25519.Ed25519PrivateKey if kind == "Ed25519" else ed448.Ed448PrivateKey
        private = edwards.generate()
        alg, label = "EdDSA", kind
        private_jwk = OKPAlgorithm.to_jwk(private, as_dict=True)
    private_jwk.pop("key_ops", None)  # RFC 7517 §4.3: "use" and "key_ops" should not both be present
    public_jwk = {k: v for k, v in private_jwk.items() if k not in PRIVATE_MEMBERS}
    private_pem = private.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                        serialization.NoEncryption()).decode("ascii")
    public_pem = private.public_key().public_bytes(serialization.Encoding.PEM,
                                                   serialization.PublicFormat.SubjectPublicKeyInfo).decode("ascii")
    kid = jwk_thumbprint(public_jwk)
    return GeneratedKey(label, alg, private_pem, public_pem, _decorate(private_jwk, alg, kid),
                        _decorate(public_jwk, alg, kid))


def jwk_thumbprint(jwk: dict[str, Any]) -> str:
    """RFC 7638 JWK thumbprint: SHA-256 of the required members, sorted, without whitespace; base64url."""
    members = _THUMBPRINT_MEMBERS.get(str(jwk.get("kty")))
    if members is None or any(not isinstance(jwk.get(m), str) for m in members):
        raise JwtInputError("a thumbprint needs a JWK with kty RSA, EC, OKP or oct and its required members")
    canonical = json.dumps({m: jwk[m] for m in members}, separators=(",", ":"), sort_keys=True)
    return b64.encode(hashlib.sha256(canonical.encode("utf-8")).digest())


def _decorate(jwk: dict[str, Any], alg: str, kid: str | None = None) -> dict[str, Any]:
    """Put kty/kid/use/alg first so the JWK reads well, then the key members."""
    head = {"kty": jwk["kty"], "kid": kid or jwk_thumbprint(jwk), "use": "sig", "alg": alg}
    return {**head, **{k: v for k, v in jwk.items() if k != "kty"}}
