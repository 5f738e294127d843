"""A parsed key (family, size, curve, JWK metadata) and which JWS algorithms it may be used with."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

from cryptography.hazmat.primitives.asymmetric import ec, ed448, ed25519, rsa

from .keybounds import MAX_RSA_BITS, MAX_RSA_EXPONENT_BITS, too_big
from .model import JwtInputError

Family = Literal["hmac", "rsa", "ec", "okp"]

# Each algorithm is bound to one key family (and curve): the key, never the token, decides.
ALGORITHMS: dict[str, tuple[Family, str | None]] = {
    **{f"HS{n}": ("hmac", None) for n in (256, 384, 512)},
    **{f"{p}{n}": ("rsa", None) for p in ("RS", "PS") for n in (256, 384, 512)},
    "ES256": ("ec", "P-256"), "ES256K": ("ec", "secp256k1"),
    "ES384": ("ec", "P-384"), "ES512": ("ec", "P-521"),
    "EdDSA": ("okp", None),  # either curve; RFC 9864 deprecates it for the names below
    "Ed25519": ("okp", "Ed25519"), "Ed448": ("okp", "Ed448"),  # RFC 9864: bound to one curve
}
HMAC_SIZES = {"HS256": 32, "HS384": 48, "HS512": 64}
_CURVES = {"secp256r1": "P-256", "secp384r1": "P-384", "secp521r1": "P-521", "secp256k1": "secp256k1"}
_NEEDS = {"hmac": "an HMAC secret", "rsa": "an RSA key", "okp": "an Ed25519 or Ed448 key"}


@dataclass(frozen=True)
class ParsedKey:
    """One usable key: its family, size and curve, JWK metadata, and the key objects."""

    family: Family
    public: Any  # bytes for HMAC, else a cryptography public key
    private: Any  # the private key (or the secret) when loaded for signing, else None
    bits: int
    curve: str | None = None  # "P-256", "secp256k1", "Ed25519", "Ed448"
    kid: str | None = None
    use: str | None = None
    alg: str | None = None
    encoding: str | None = None  # HMAC: how the text was read ("UTF-8", "base64", "base64url", "JWK")
    origin: str | None = None  # "from an X.509 certificate", ...
    notes: tuple[str, ...] = ()
    position: int | None = None  # 1-based place in a JWK Set

    @property
    def size_bytes(self) -> int:
        """Key size in whole bytes (the HMAC secret length, the RSA modulus length)."""
        return (self.bits + 7) // 8

    @property
    def kind(self) -> str:
        """What the key is, with an article: 'an RSA public key', 'an EC P-256 private key'."""
        if self.family == "hmac":
            return "an HMAC secret"
        part = "private" if self.private is not None else "public"
        name = {"rsa": "RSA", "ec": f"EC {self.curve}", "okp": str(self.curve)}[self.family]
        return f"{'an' if name[0] in 'AEIOR' else 'a'} {name} {part} key"

    @property
    def description(self) -> str:
        """Human description: 'RSA public key, 2048 bits', 'HMAC secret, 32 bytes (UTF-8)'."""
        if self.family == "hmac":
            text = f"HMAC secret, {self.size_bytes} bytes ({self.encoding})"
        else:
            text = self.kind.split(" ", 1)[1] + (f", {self.bits} bits" if self.family == "rsa" else "")
        return f"{text} ({self.origin})" if self.origin else text

    @property
    def label(self) -> str:
        """Short label for a per-key result: 'kid=abc (RSA 2048)'."""
        short = {"hmac": f"HMAC {self.size_bytes} bytes", "rsa": f"RSA {self.bits}", "ec": f"EC {self.curve}"}
        name = f"kid={clip(self.kid)}" if self.kid else f"key #{self.position}" if self.position else ""
        return f"{name} ({short.get(self.family, str(self.curve))})" if name else self.description


@dataclass(frozen=True)
class KeySet:
    """Keys taken from a JWK Set (or the one given key), with notes on what was skipped."""

    keys: tuple[ParsedKey, ...]
    total: int  # entries in the set
    kids: tuple[str, ...]  # every kid in the set, for "kid not in set" messages
    notes: tuple[str, ...]


def mismatch(alg: str, key: ParsedKey) -> tuple[str, str] | None:
    """(category, reason) when `key` cannot be used with `alg`, else None; alg must be in ALGORITHMS."""
    family, curve = ALGORITHMS[alg]
    if key.use is not None and key.use != "sig":
        return "use", f"the key is marked \"use\": {clip(key.use)!r}, so it is not for signatures"
    if key.family != family:
        reason = f"algorithm/key mismatch: {alg} needs {needs(alg)} but the key is {key.kind}"
        if family == "hmac" and key.private is None:
            # The key decides, never the token: public key text is never used as an HMAC secret.
            reason += ("; a public key is never used as an HMAC secret (that is the RS256 -> HS256 "
                       "key-confusion attack: a token like this is forged or mis-issued)")
        return "mismatch", reason
    if curve is not None and key.curve != curve:
        if family == "okp":  # RFC 9864: Ed25519 and Ed448 each name one curve (EdDSA takes either)
            return "wrong-curve", f"wrong curve: {alg} needs an {curve} key but the key is {key.kind}"
        return "wrong-curve", f"wrong curve: {alg} needs an EC key on {curve} but the key is on {key.curve}"
    if key.alg is not None and key.alg != alg:
        return "mismatch", (f"algorithm/key mismatch: the JWK is for {clip(key.alg)} "
                            f"(its \"alg\" member), not {alg}")
    return None


def clip(text: str, limit: int = 60) -> str:
    """Text from a token or key, cut short for messages (a kid can be any length)."""
    return text if len(text) <= limit else text[: limit - 3] + "..."


def needs(alg: str) -> str:
    """The key an algorithm needs, in words: 'an HMAC secret', 'an EC key on P-256'."""
    family, curve = ALGORITHMS[alg]
    if curve is not None:
        return f"an EC key on {curve}" if family == "ec" else f"an {curve} key"
    return _NEEDS[family]


def from_crypto(pub: Any, priv: Any, origin: str | None, private: bool, notes: tuple[str, ...] = (),
                **meta: Any) -> ParsedKey:
    """A ParsedKey for a cryptography public key (and private key); refuses keys no JWS algorithm uses."""
    if private and priv is None:
        raise JwtInputError("signing needs the private key, but this is a public key"
                            + (f" ({origin})" if origin else ""))
    if isinstance(pub, rsa.RSAPublicKey):
        # keybounds refused these before loading; checked again here for keys from any other path.
        if pub.key_size > MAX_RSA_BITS:
            raise JwtInputError(too_big(pub.key_size))
        if pub.public_numbers().e.bit_length() > MAX_RSA_EXPONENT_BITS:
            raise JwtInputError(f"RSA public exponents over {MAX_RSA_EXPONENT_BITS} bits are not accepted")
        return ParsedKey("rsa", pub, priv, pub.key_size, origin=origin, notes=notes, **meta)
    if isinstance(pub, ec.EllipticCurvePublicKey):
        curve = _CURVES.get(pub.curve.name)
        if curve is None:
            raise JwtInputError(f"the EC curve {pub.curve.name} is not used by any JWS algorithm "
                                "(P-256, P-384, P-521, secp256k1)")
        return ParsedKey("ec", pub, priv, pub.curve.key_size, curve, origin=origin, notes=notes, **meta)
    if isinstance(pub, ed25519.Ed25519PublicKey | ed448.Ed448PublicKey):
        ed = isinstance(pub, ed25519.Ed25519PublicKey)
        return ParsedKey("okp", pub, priv, 256 if ed else 456, "Ed25519" if ed else "Ed448", origin=origin,
                         notes=notes, **meta)
    name = type(pub).__name__.removeprefix("_").replace("PublicKey", "")
    raise JwtInputError(f"a {name} key cannot be used with JWS"
                        " (supported: RSA, EC P-256/P-384/P-521/secp256k1, Ed25519, Ed448)")
