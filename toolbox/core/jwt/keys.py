"""Key material as people paste it (secrets, PEM, JWK, JWK Set), parsed into typed keys.

The key model and algorithm binding live in parsed_key.py, JWK parsing in jwk.py; their public names
are re-exported here, where the rest of the tool imports them from.
"""

from __future__ import annotations

import base64
import re
from typing import Any

from cryptography import x509
from cryptography.exceptions import UnsupportedAlgorithm
from cryptography.hazmat.primitives import serialization

from . import keybounds
from .jwk import MAX_JWKS_KEYS, read_jwk, read_jwks
from .keybounds import MAX_RSA_BITS, MAX_SIGNING_RSA_BITS
from .model import JwtInputError
from .parsed_key import (
    ALGORITHMS,
    HMAC_SIZES,
    Family,
    KeySet,
    ParsedKey,
    clip,
    from_crypto,
    mismatch,
    needs,
)

__all__ = [
    "ALGORITHMS", "CERTIFICATE", "HMAC_SIZES", "KEY_TYPES", "MAX_JWKS_KEYS", "MAX_KEY_CHARS",
    "MAX_RSA_BITS", "MAX_SIGNING_RSA_BITS", "SECRET_ENCODINGS", "Family", "KeySet", "ParsedKey", "clip",
    "decode_secret", "load_jwks", "load_key", "mismatch", "needs",
]

SECRET_ENCODINGS = {"secret": "UTF-8", "secret-base64": "base64", "secret-base64url": "base64url"}  # nosec B105  # text encodings, not secrets
KEY_TYPES = (*SECRET_ENCODINGS, "pem", "jwk", "jwks")
MAX_KEY_CHARS = 256 * 1024  # a real JWK Set is a few KB; this bounds parsing work on hostile input
CERTIFICATE = "from an X.509 certificate"
_PRIVATE_LABELS = ("PRIVATE KEY", "RSA PRIVATE KEY", "EC PRIVATE KEY", "OPENSSH PRIVATE KEY")


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
        return read_jwk(key_text, private)
    raise JwtInputError("one key is needed here, not a JWK Set: paste a single JWK (key type 'jwk')")


def load_jwks(key_text: str, *, kid: str | None = None) -> KeySet:
    """Parse a JWK Set; with `kid`, only the entries carrying that kid; unusable keys become notes."""
    _check_text(key_text, "jwks")
    return read_jwks(key_text, kid=kid)


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
        raise JwtInputError("the key is a PEM or SSH key, not an HMAC secret: let the key type be detected "
                            "(auto) or choose 'pem' (public key text as an HMAC secret is the RS256 -> HS256 "
                            "key-confusion attack)")
    if head.startswith("{") and '"kty"' in text:
        raise JwtInputError("the key looks like a JWK, not an HMAC secret: let the key type be detected "
                            "(auto) or choose 'jwk' (or 'jwks' for a set)")


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


def _pem(text: str, private: bool) -> ParsedKey:
    stripped = text.strip()
    try:
        data = stripped.encode("ascii")
    except UnicodeEncodeError:
        raise JwtInputError("not a PEM: it contains non-ASCII characters") from None
    if stripped.startswith(("ssh-", "ecdsa-sha2-")):
        keybounds.check_ssh_public(keybounds.ssh_public_blob(stripped), signing=False)
        return from_crypto(_guard(lambda: serialization.load_ssh_public_key(data), "SSH public key"), None,
                            "from an SSH public key", private)
    label, block = keybounds.pem_block(stripped)
    if label == "ENCRYPTED PRIVATE KEY" or any(
            line.startswith("Proc-Type:") and "ENCRYPTED" in line for line in block.splitlines()):
        raise JwtInputError("the private key is password-protected; paste the public key instead")
    raw = block.encode("ascii")
    # Every size is bounded on the encoding before cryptography sees the key (keybounds.py says why).
    if label == "CERTIFICATE":
        keybounds.check_pem(label, keybounds.pem_der(block, label), signing=False)
        cert = _guard(lambda: x509.load_pem_x509_certificate(raw), "certificate")
        note = "only the certificate's public key is used: its validity dates and chain are not checked"
        return from_crypto(_guard(cert.public_key, "certificate"), None, CERTIFICATE, private, (note,))
    if label in ("PUBLIC KEY", "RSA PUBLIC KEY"):
        keybounds.check_pem(label, keybounds.pem_der(block, label), signing=False)
        public = _guard(lambda: serialization.load_pem_public_key(raw), label)
        return from_crypto(public, None, None, private)
    if label in _PRIVATE_LABELS:
        if label.startswith("OPENSSH"):
            keybounds.check_openssh_private(block, signing=private)
        else:
            keybounds.check_pem(label, keybounds.pem_der(block, label), signing=private)
        loader = serialization.load_ssh_private_key if label.startswith("OPENSSH") else \
            serialization.load_pem_private_key
        if private:  # signing needs a valid key: the bounds above keep validating it cheap enough
            key = _guard(lambda: loader(raw, None), label)
            return from_crypto(key.public_key(), key, None, True)
        # Verifying needs only the public half: the private key is read, never validated, then dropped.
        key = _guard(lambda: loader(raw, None, unsafe_skip_rsa_key_validation=True), label)
        return from_crypto(key.public_key(), None, "public half of the private key given", False,
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
