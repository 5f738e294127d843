"""Which key type a pasted key is: one function for the page, the API and the command line.

The rules (docs/jwt.md, "Key type detection"), first match wins:

1. text starting with http:// or https:// is a URL: a JWKS URL when its path names a key set
   (ends in .json, or has a segment jwks, certs or keys), else an issuer URL (OIDC discovery);
2. text starting with `{` or `[` is JSON: an object with "keys" is a JWK Set, anything else a JWK
   (whose reader then says what is missing);
3. text with a `-----BEGIN ` line, or an OpenSSH public key line, is PEM (public key, certificate or
   private key: the PEM reader tells them apart);
4. with an asymmetric `alg` (RS, PS, ES, EdDSA, Ed25519, Ed448), bare base64 of a DER key (what some identity
   providers show without the PEM armour) is read as PEM;
5. anything else is an HMAC secret, read as UTF-8 text.

A PEM or JWK public key is never read as an HMAC secret, whatever the token's alg says: with an HS*
token it is refused by the algorithm binding (the RS256 -> HS256 key-confusion attack).
"""

from __future__ import annotations

import base64
import binascii
import json
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from .model import JwtInputError
from .options import INPUT_FORMS

if TYPE_CHECKING:  # this module stays light: the CLI and the ops import it before any key is read
    from .parsed_key import ParsedKey

_URL = re.compile(r"https?://", re.I)
_BARE_BASE64 = re.compile(r"[A-Za-z0-9+/\s]+=*")
_KEY_SET_SEGMENTS = ("jwks", "certs", "keys", "jwks.json")
_ORIGIN_FORMS = {"from an X.509 certificate": "X.509 certificate", "from an SSH public key": "SSH public key",
                 "public half of the private key given": "PEM private key"}


@dataclass(frozen=True)
class Inferred:
    """The key type read from the text, and the text to use (PEM armour added to bare base64 DER)."""

    key_type: str
    key_text: str


def infer_key_type(key_text: str, alg: str | None, *, signing: bool = False) -> Inferred:
    """The key type of `key_text` for a token signed (or to be signed) with `alg`; rules in the docstring."""
    text = key_text.strip()
    if not text:
        raise JwtInputError("no key given")
    if _URL.match(text):
        if signing:
            raise JwtInputError("a URL cannot sign: paste a private key (PEM or JWK) or an HMAC secret")
        return Inferred(_url_type(text), key_text)
    if text[0] in "{[":
        if _is_key_set(text):
            if signing:
                raise JwtInputError("a JWK Set cannot sign: paste the one private JWK to sign with")
            return Inferred("jwks", key_text)
        return Inferred("jwk", key_text)
    if "-----BEGIN " in text or text.startswith(("ssh-", "ecdsa-sha2-")):
        return Inferred("pem", key_text)
    if alg is not None and alg[:2] in ("RS", "PS", "ES", "Ed") and _is_der(text):
        label = "PRIVATE KEY" if signing else "PUBLIC KEY"
        body = "\n".join(re.findall(".{1,64}", re.sub(r"\s+", "", text)))
        return Inferred("pem", f"-----BEGIN {label}-----\n{body}\n-----END {label}-----\n")
    return Inferred("secret", key_text)


def is_url(key_text: str) -> bool:
    """Whether the text is read as a URL (rule 1): such keys are fetched only on an explicit action."""
    return bool(_URL.match(key_text.strip()))


def _url_type(url: str) -> str:
    try:
        path = urlsplit(url).path
    except ValueError:  # a half-typed IPv6 literal: the fetcher says what is wrong with it
        path = ""
    segments = [s.lower() for s in path.split("/") if s]
    if segments and (segments[-1].endswith(".json") or any(s in _KEY_SET_SEGMENTS for s in segments)):
        return "jwks-url"
    return "issuer"


def _is_key_set(text: str) -> bool:
    try:
        value: Any = json.loads(text)
    except (ValueError, RecursionError):  # half-typed JSON: the readers say where it breaks
        return '"keys"' in text and '"kty"' not in text.split('"keys"', 1)[0]
    return isinstance(value, list) or (isinstance(value, dict) and "keys" in value and "kty" not in value)


def _is_der(text: str) -> bool:
    """Bare base64 of a DER SEQUENCE long enough to be a key (a secret rarely decodes to one)."""
    if len(text) < 60 or not _BARE_BASE64.fullmatch(text):
        return False
    try:
        data = base64.b64decode(re.sub(r"\s+", "", text), validate=True)
    except (binascii.Error, ValueError):
        return False
    return len(data) >= 40 and data[0] == 0x30 and (data[1] in (0x81, 0x82, 0x83) or 0x28 <= data[1] < 0x80)


def describe_key(key: ParsedKey, key_type: str) -> str:
    """What the key was read as, for "Key read as: PEM public key (RSA 2048)"."""
    short = {"hmac": f"{key.size_bytes} bytes", "rsa": f"RSA {key.bits}", "ec": f"EC {key.curve}"}.get(
        key.family, str(key.curve))
    if key_type.startswith("secret"):
        return f"HMAC secret ({key.encoding}, {short})"
    if key_type == "pem":
        form = _ORIGIN_FORMS.get(key.origin or "") or (
            "PEM private key" if key.private is not None else "PEM public key")
        return f"{form} ({short})"
    if key_type == "jwk":
        return f"JWK ({'HMAC secret, ' + short if key.family == 'hmac' else short})"
    return f"{INPUT_FORMS.get(key_type, key_type)} ({short})"


def describe_set(total: int) -> str:
    """A JWK Set as read: "JWK Set (3 keys)"."""
    return f"JWK Set ({total} key{'s' * (total != 1)})"


def token_alg(token_text: str) -> str | None:
    """The `alg` a token's header names (None when the header does not decode): rule 4 needs it."""
    from . import b64
    from .normalize import TokenTooLong, normalize

    try:
        token, _ = normalize(token_text)
    except TokenTooLong:
        return None
    data = b64.decode(token.split(".", 1)[0]).data
    try:
        header = json.loads(data) if data else None
    except (ValueError, RecursionError):
        return None
    alg = header.get("alg") if isinstance(header, dict) else None
    return alg if isinstance(alg, str) else None
