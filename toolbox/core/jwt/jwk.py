"""JWK and JWK Set text (RFC 7517) parsed into typed keys; unusable keys in a set become notes."""

from __future__ import annotations

import dataclasses
import json
from typing import Any

from cryptography.exceptions import UnsupportedAlgorithm
from jwt.algorithms import Algorithm, ECAlgorithm, OKPAlgorithm, RSAAlgorithm
from jwt.exceptions import PyJWTError

from . import b64, keybounds
from .model import JwtInputError
from .parsed_key import KeySet, ParsedKey, from_crypto

MAX_JWKS_KEYS = 50  # keys tried from one set, so a 10 000-key set cannot buy 10 000 signature checks
PRIVATE_MEMBERS = ("d", "p", "q", "dp", "dq", "qi")  # RFC 7518 §6.2.2, §6.3.2: private key members
_JWK_MEMBERS = {"RSA": ("n", "e"), "EC": ("crv", "x", "y"), "OKP": ("crv", "x"), "oct": ("k",)}


def read_jwk(text: str, private: bool) -> ParsedKey:
    """Parse the text of one JWK; with private=True the private key is required."""
    obj = _json(text, "the JWK")
    if isinstance(obj, dict) and "keys" in obj and "kty" not in obj:
        raise JwtInputError("this is a JWK Set, not a single JWK: choose key type 'jwks'")
    return _jwk(obj, "the JWK", private)


def read_jwks(text: str, *, kid: str | None = None) -> KeySet:
    """Parse the text of a JWK Set; with `kid`, only the entries carrying that kid."""
    obj = _json(text, "the JWK Set")
    if isinstance(obj, dict) and "kty" in obj and "keys" not in obj:
        raise JwtInputError("this is a single JWK, not a JWK Set: choose key type 'jwk'")
    if not isinstance(obj, dict) or not isinstance(obj.get("keys"), list):
        raise JwtInputError("a JWK Set must be a JSON object with a \"keys\" array")
    entries: list[Any] = obj["keys"]
    if not entries:
        raise JwtInputError("the JWK Set has no keys")
    kids = tuple(e["kid"] for e in entries if isinstance(e, dict) and isinstance(e.get("kid"), str))
    chosen = [(i, e) for i, e in enumerate(entries)
              if kid is None or (isinstance(e, dict) and e.get("kid") == kid)]
    notes: list[str] = []
    if len(chosen) > MAX_JWKS_KEYS:
        notes.append(f"the set has {len(chosen)} candidate keys; only the first {MAX_JWKS_KEYS} were tried")
        chosen = chosen[:MAX_JWKS_KEYS]
    parsed: list[ParsedKey] = []
    for i, entry in chosen:
        try:
            parsed.append(dataclasses.replace(_jwk(entry, f"key #{i + 1}", False), position=i + 1))
        except JwtInputError as err:
            notes.append(f"skipped key #{i + 1}: {err}")
    if kid is None and not parsed:
        raise JwtInputError("the JWK Set has no usable keys: " + "; ".join(notes))
    return KeySet(tuple(parsed), len(entries), kids, tuple(notes))


def _check_rsa(obj: dict[str, Any], where: str, private: bool) -> None:
    """Bound an RSA JWK's sizes before PyJWT builds (and, for signing, validates) the key."""
    members = ("n", "e", "d", "p", "q") if private else ("n", "e")
    data = {m: b64.decode(obj[m]).data or b"" for m in members if m in obj}
    largest = max((value.lstrip(b"\0") for value in data.values()), key=len)
    if len(largest) > keybounds.MAX_RSA_BITS // 8 + 1:  # refused before int() reads a 190 KB member
        raise JwtInputError(f"{where}: {keybounds.too_big(keybounds.bits_of(largest))}")
    number = {m: int.from_bytes(value, "big") for m, value in data.items()}
    try:
        keybounds.check_rsa(keybounds.RsaNumbers(number["n"], number["e"], number.get("d"), number.get("p"),
                                                 number.get("q")), signing=private)
    except JwtInputError as err:
        raise JwtInputError(f"{where}: {err}") from None


def _json(text: str, what: str) -> Any:
    try:
        return json.loads(text)
    except json.JSONDecodeError as err:
        where = f"line {err.lineno} column {err.colno}"
        raise JwtInputError(f"{what} is not valid JSON: {err.msg} at {where}") from None
    except (RecursionError, ValueError):
        raise JwtInputError(f"{what} is not valid JSON (too deeply nested or not UTF-8)") from None


def _jwk(obj: Any, where: str, private: bool) -> ParsedKey:
    if not isinstance(obj, dict):
        raise JwtInputError(f"{where} is not a JSON object")
    kty = obj.get("kty")
    if not isinstance(kty, str):
        problem = " has no \"kty\" member" if kty is None else ": \"kty\" must be a string"
        raise JwtInputError(where + problem)
    if kty == "AKP":  # draft-ietf-cose-dilithium: ML-DSA public keys, which PyJWT cannot use
        raise JwtInputError(f"{where}: an AKP key is not supported (post-quantum ML-DSA)")
    if kty not in _JWK_MEMBERS:
        raise JwtInputError(f"{where}: unsupported kty {kty!r} (expected RSA, EC, OKP or oct)")
    missing = [m for m in _JWK_MEMBERS[kty] if m not in obj]
    if missing:
        raise JwtInputError(f"{where} (kty {kty}) is missing {', '.join(repr(m) for m in missing)}")
    for name in (*_JWK_MEMBERS[kty], *PRIVATE_MEMBERS, "kid", "use", "alg"):
        if name in obj and not isinstance(obj[name], str):
            raise JwtInputError(f"{where}: {name!r} must be a string, not {type(obj[name]).__name__}")
    for name in (*_JWK_MEMBERS[kty], *PRIVATE_MEMBERS):
        if name in obj and name != "crv":
            err = b64.decode(obj[name]).error
            if err:
                detail = err.removeprefix("bad base64url ")
                raise JwtInputError(f"{where}: {name!r} is not base64url ({detail})")
    meta: dict[str, Any] = {k: obj.get(k) for k in ("kid", "use", "alg")}
    has_private = "d" in obj or (kty == "oct")
    if private and not has_private:
        raise JwtInputError(f"signing needs the private key, but {where} has no \"d\" member "
                            "(it is a public key)")
    if kty == "oct":
        secret = b64.decode(obj["k"]).data or b""
        if not secret:
            raise JwtInputError(f"{where}: the secret \"k\" is empty")
        return ParsedKey("hmac", secret, secret if private else None, len(secret) * 8, encoding="JWK", **meta)
    crv = obj.get("crv")
    if kty == "EC" and crv not in ("P-256", "P-384", "P-521", "secp256k1"):
        raise JwtInputError(f"{where}: unsupported EC curve {crv!r} "
                            "(expected P-256, P-384, P-521 or secp256k1)")
    if kty == "OKP" and crv not in ("Ed25519", "Ed448"):
        raise JwtInputError(f"{where}: OKP curve {crv!r} is not a signature curve "
                            "(expected Ed25519 or Ed448)")
    if kty == "RSA":
        _check_rsa(obj, where, private)
    # Verification needs only the public members: never run private-key maths on untrusted input.
    source = obj if private else {k: v for k, v in obj.items() if k not in PRIVATE_MEMBERS}
    loaders: dict[str, type[Algorithm]] = {"RSA": RSAAlgorithm, "EC": ECAlgorithm, "OKP": OKPAlgorithm}
    loader = loaders[kty]
    try:
        key = loader.from_jwk(source)
    except PyJWTError as err:  # PyJWT's own checks (coordinate lengths, ...); some pass format args
        text = str(err.args[0]).format(*err.args[1:]) if len(err.args) > 1 else str(err)
        raise JwtInputError(f"{where}: the {kty} key is invalid: {text}") from None
    except (ValueError, TypeError, KeyError, UnsupportedAlgorithm) as err:
        problem = (f"has invalid values ({err})" if kty != "EC" else f"is not a valid point on {crv}"
                   if "d" not in source else "has a \"d\" that does not belong to its public point")
        raise JwtInputError(f"{where}: the {kty} key {problem}") from None
    dropped = has_private and not private
    notes = (f"{where} contains private key material: only its public part is used",) if dropped else ()
    pub = key.public_key() if private else key
    return from_crypto(pub, key if private else None, None, private, notes, **meta)
