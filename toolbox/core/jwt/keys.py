"""Key material as people paste it (secrets, PEM, JWK, JWK Set), parsed into typed keys."""

from __future__ import annotations

import base64
import dataclasses
import json
import re
from dataclasses import dataclass
from typing import Any, Literal

from cryptography import x509
from cryptography.exceptions import UnsupportedAlgorithm
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, ed448, ed25519, rsa
from jwt.algorithms import Algorithm, ECAlgorithm, OKPAlgorithm, RSAAlgorithm
from jwt.exceptions import PyJWTError

from . import b64
from .model import JwtInputError

Family = Literal["hmac", "rsa", "ec", "okp"]

SECRET_ENCODINGS = {"secret": "UTF-8", "secret-base64": "base64", "secret-base64url": "base64url"}
KEY_TYPES = (*SECRET_ENCODINGS, "pem", "jwk", "jwks")
MAX_KEY_CHARS = 256 * 1024  # a real JWK Set is a few KB; this bounds parsing work on hostile input
MAX_JWKS_KEYS = 50  # keys tried from one set, so a 10 000-key set cannot buy 10 000 signature checks
MAX_RSA_BITS = 16384  # bigger moduli only make verification slow; no real issuer uses them
MAX_PRIVATE_PEM_CHARS = 14_000  # a 16384-bit RSA private key in PKCS#8 PEM is about 12 700 characters

# Each algorithm is bound to one key family (and curve): the key, never the token, decides.
ALGORITHMS: dict[str, tuple[Family, str | None]] = {
    **{f"HS{n}": ("hmac", None) for n in (256, 384, 512)},
    **{f"{p}{n}": ("rsa", None) for p in ("RS", "PS") for n in (256, 384, 512)},
    "ES256": ("ec", "P-256"), "ES256K": ("ec", "secp256k1"),
    "ES384": ("ec", "P-384"), "ES512": ("ec", "P-521"),
    "EdDSA": ("okp", None),
}
HMAC_SIZES = {"HS256": 32, "HS384": 48, "HS512": 64}
_CURVES = {"secp256r1": "P-256", "secp384r1": "P-384", "secp521r1": "P-521", "secp256k1": "secp256k1"}
_NEEDS = {"hmac": "an HMAC secret", "rsa": "an RSA key", "okp": "an Ed25519 or Ed448 key"}
_JWK_MEMBERS = {"RSA": ("n", "e"), "EC": ("crv", "x", "y"), "OKP": ("crv", "x"), "oct": ("k",)}
_PRIVATE_MEMBERS = ("d", "p", "q", "dp", "dq", "qi")
_PEM_BLOCK = re.compile(r"-----BEGIN ([A-Z0-9 ]+)-----.*?-----END \1-----", re.S)
CERTIFICATE = "from an X.509 certificate"
_PRIVATE_LABELS = ("PRIVATE KEY", "RSA PRIVATE KEY", "EC PRIVATE KEY", "OPENSSH PRIVATE KEY")


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
        return "mismatch", f"algorithm/key mismatch: {alg} needs {needs(alg)} but the key is {key.kind}"
    if curve is not None and key.curve != curve:
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
    return f"an EC key on {curve}" if family == "ec" else _NEEDS[family]


def load_key(key_text: str, key_type: str, *, private: bool = False) -> ParsedKey:
    """Parse one key of `key_type` (not jwks); with private=True the private key is required."""
    _check_text(key_text, key_type)
    if key_type in SECRET_ENCODINGS:
        data = decode_secret(key_text, key_type)
        secret = data if private else None
        return ParsedKey("hmac", data, secret, len(data) * 8, encoding=SECRET_ENCODINGS[key_type])
    if key_type == "pem":
        return _pem(key_text, private)
    if key_type == "jwk":
        obj = _json(key_text, "the JWK")
        if isinstance(obj, dict) and "keys" in obj and "kty" not in obj:
            raise JwtInputError("this is a JWK Set, not a single JWK: choose key type 'jwks'")
        return _jwk(obj, "the JWK", private)
    raise JwtInputError("one key is needed here, not a JWK Set: paste a single JWK (key type 'jwk')")


def load_jwks(key_text: str, *, kid: str | None = None) -> KeySet:
    """Parse a JWK Set; with `kid`, only the entries carrying that kid; unusable keys become notes."""
    _check_text(key_text, "jwks")
    obj = _json(key_text, "the JWK Set")
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


def decode_secret(text: str, key_type: str) -> bytes:
    """The HMAC secret bytes for a secret key type (UTF-8, base64 or base64url text)."""
    if not text:
        raise JwtInputError("the secret is empty")
    if key_type == "secret":
        _refuse_key_as_secret(text)
        try:
            return text.encode("utf-8")
        except UnicodeEncodeError:
            raise JwtInputError("the secret is not valid UTF-8 text") from None
    urlsafe = key_type == "secret-base64url"
    body = re.sub(r"\s+", "", text).rstrip("=")
    bad = re.search(r"[^A-Za-z0-9_-]" if urlsafe else r"[^A-Za-z0-9+/]", body)
    if bad:
        hint = {"-": "base64url", "_": "base64url", "+": "base64", "/": "base64"}.get(bad.group())
        raise JwtInputError(f"the secret is not valid {SECRET_ENCODINGS[key_type]}: {bad.group()!r} at char "
                            f"{bad.start() + 1}" + (f"; did you mean {hint}?" if hint else ""))
    if len(body) % 4 == 1:
        raise JwtInputError(f"the secret is not valid {SECRET_ENCODINGS[key_type]}: "
                            f"length {len(body)} is impossible")
    padded = body + "=" * (-len(body) % 4)
    data = base64.urlsafe_b64decode(padded) if urlsafe else base64.b64decode(padded)
    if not data:
        raise JwtInputError("the secret is empty")
    _refuse_key_as_secret(data.decode("latin-1"))
    return data


def _refuse_key_as_secret(text: str) -> None:
    # Public key text used as an HMAC secret is the RS256 -> HS256 confusion attack: refuse it outright.
    head = text.lstrip()
    if "-----BEGIN " in text or head.startswith(("ssh-rsa ", "ssh-ed25519 ", "ecdsa-sha2-")):
        raise JwtInputError("the secret is a PEM or SSH key, not an HMAC secret: choose key type 'pem' "
                            "(public key text as an HMAC secret is the RS/HS algorithm-confusion attack)")
    if head.startswith("{") and '"kty"' in text:
        raise JwtInputError("the secret looks like a JWK: choose key type 'jwk' (or 'jwks' for a set)")


def _check_text(key_text: object, key_type: str) -> None:
    if key_type in ("jwks-url", "issuer"):
        raise JwtInputError("fetching keys from a URL is not available here; paste the JWK Set instead")
    if key_type not in KEY_TYPES:
        raise JwtInputError(f"unknown key type {key_type!r}; expected one of {', '.join(KEY_TYPES)}")
    if not isinstance(key_text, str):
        raise JwtInputError("the key must be text")
    if len(key_text) > MAX_KEY_CHARS:
        raise JwtInputError(f"the key is {len(key_text)} characters; the limit is {MAX_KEY_CHARS}")
    if not key_text.strip():
        raise JwtInputError("no key given")


def _json(text: str, what: str) -> Any:
    try:
        return json.loads(text)
    except json.JSONDecodeError as err:
        where = f"line {err.lineno} column {err.colno}"
        raise JwtInputError(f"{what} is not valid JSON: {err.msg} at {where}") from None
    except (RecursionError, ValueError):
        raise JwtInputError(f"{what} is not valid JSON (too deeply nested or not UTF-8)") from None


def _pem(text: str, private: bool) -> ParsedKey:
    stripped = text.strip()
    try:
        data = stripped.encode("ascii")
    except UnicodeEncodeError:
        raise JwtInputError("not a PEM: it contains non-ASCII characters") from None
    if stripped.startswith(("ssh-", "ecdsa-sha2-")):
        return _from_crypto(_guard(lambda: serialization.load_ssh_public_key(data), "SSH public key"), None,
                            "from an SSH public key", private)
    match = _PEM_BLOCK.search(stripped)
    if not match:
        if "-----BEGIN" in stripped:
            raise JwtInputError("the PEM block is incomplete: no matching '-----END ...-----' line")
        raise JwtInputError("not a PEM: expected '-----BEGIN PUBLIC KEY-----' "
                            "(or CERTIFICATE, RSA PUBLIC KEY, PRIVATE KEY)")
    label, block = match.group(1), match.group(0).encode("ascii")
    if label == "ENCRYPTED PRIVATE KEY" or re.search(rb"Proc-Type:[^\n]*ENCRYPTED", block):
        raise JwtInputError("the private key is password-protected; paste the public key instead")
    if label == "CERTIFICATE":
        cert = _guard(lambda: x509.load_pem_x509_certificate(block), "certificate")
        note = "only the certificate's public key is used: its validity dates and chain are not checked"
        return _from_crypto(_guard(cert.public_key, "certificate"), None, CERTIFICATE, private, (note,))
    if label in ("PUBLIC KEY", "RSA PUBLIC KEY"):
        public = _guard(lambda: serialization.load_pem_public_key(block), label)
        return _from_crypto(public, None, None, private)
    if label in _PRIVATE_LABELS:
        if len(block) > MAX_PRIVATE_PEM_CHARS:  # loading validates the key, which is slow for huge RSA keys
            raise JwtInputError(f"the private key is too large (more than {MAX_RSA_BITS}-bit RSA)")
        ssh = label.startswith("OPENSSH")
        loader = serialization.load_ssh_private_key if ssh else serialization.load_pem_private_key
        key = _guard(lambda: loader(block, None), label)
        if private:
            return _from_crypto(key.public_key(), key, None, True)
        return _from_crypto(key.public_key(), None, "public half of the private key given", False,
                            ("a private key was given: only its public half is needed (and used) to verify",))
    raise JwtInputError(f"a PEM '{label}' block is not a key this tool can use (expected PUBLIC KEY, "
                        "RSA PUBLIC KEY, CERTIFICATE or a private key)")


def _guard(load: Any, what: str) -> Any:
    try:
        return load()
    except TypeError:  # cryptography says a password is needed
        raise JwtInputError(f"the {what} is password-protected; paste an unencrypted key") from None
    except (ValueError, UnsupportedAlgorithm) as err:
        raise JwtInputError(f"the {what} could not be read: {str(err).splitlines()[0][:200]}") from None


def _from_crypto(pub: Any, priv: Any, origin: str | None, private: bool, notes: tuple[str, ...] = (),
                 **meta: Any) -> ParsedKey:
    if private and priv is None:
        raise JwtInputError("signing needs the private key, but this is a public key"
                            + (f" ({origin})" if origin else ""))
    if isinstance(pub, rsa.RSAPublicKey):
        if pub.key_size > MAX_RSA_BITS:
            raise JwtInputError(f"the RSA key is {pub.key_size} bits; the limit is {MAX_RSA_BITS}")
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


def _jwk(obj: Any, where: str, private: bool) -> ParsedKey:
    if not isinstance(obj, dict):
        raise JwtInputError(f"{where} is not a JSON object")
    kty = obj.get("kty")
    if not isinstance(kty, str):
        problem = " has no \"kty\" member" if kty is None else ": \"kty\" must be a string"
        raise JwtInputError(where + problem)
    if kty not in _JWK_MEMBERS:
        raise JwtInputError(f"{where}: unsupported kty {kty!r} (expected RSA, EC, OKP or oct)")
    missing = [m for m in _JWK_MEMBERS[kty] if m not in obj]
    if missing:
        raise JwtInputError(f"{where} (kty {kty}) is missing {', '.join(repr(m) for m in missing)}")
    for name in (*_JWK_MEMBERS[kty], *_PRIVATE_MEMBERS, "kid", "use", "alg"):
        if name in obj and not isinstance(obj[name], str):
            raise JwtInputError(f"{where}: {name!r} must be a string, not {type(obj[name]).__name__}")
    for name in (*_JWK_MEMBERS[kty], *_PRIVATE_MEMBERS):
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
    if kty == "RSA" and len(b64.decode(obj["n"]).data or b"") * 8 > MAX_RSA_BITS + 8:
        raise JwtInputError(f"{where}: the RSA modulus is larger than {MAX_RSA_BITS} bits")
    # Verification needs only the public members: never run private-key maths on untrusted input.
    source = obj if private else {k: v for k, v in obj.items() if k not in _PRIVATE_MEMBERS}
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
    return _from_crypto(pub, key if private else None, None, private, notes, **meta)
