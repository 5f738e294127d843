"""Verify a token's signature against a key (or JWK Set) and check its claims, explaining every failure.

Decisions (documented for the web layer):
- Unusable *input* (no token, a token over the size limit, a key that cannot be parsed, a bad option)
  raises JwtInputError. A token that is damaged or unsigned is a normal outcome: `verified` is False and
  `reason` says why in words.
- Claims are checked whenever the payload is a JSON object, even when the signature fails, so people
  see every problem at once (as jwt.io does). `claims_valid` never vouches for the signature: a token
  is acceptable only when `verified` and `claims_valid` are both True.
- The checks follow PyJWT's `jwt.decode` so the snippet reproduces the verdict: the token's `aud` must
  match an expected audience (and is an error when none was given), `iat` may not be in the future,
  `sub` and `jti` must be strings, non-canonical base64url (other than '=' padding) is rejected.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import jwt

from . import algs, b64, keys
from .infer import describe_key, describe_set, infer_key_type
from .keys import ALGORITHMS, HMAC_SIZES, ParsedKey
from .model import Finding, JwtInputError, KeyAttempt, Verification
from .normalize import TokenTooLong, normalize
from .options import AUTO
from .snippet import python_snippet
from .verify_claims import check_options, claim_errors, pyjwt_json, show

_SIG_BYTES = {"P-256": 64, "secp256k1": 64, "P-384": 96, "P-521": 132, "Ed25519": 64, "Ed448": 114}
_UNFIT = ("mismatch", "wrong-curve", "use")  # categories where the key was never tried


@dataclass(frozen=True)
class _Token:
    header: dict[str, Any] | None
    payload: bytes | None
    signing_input: bytes
    signature: bytes
    error: str | None


def verify(token_text: str, key_text: str, key_type: str, *, audience: str | Sequence[str] | None = None,
           issuer: str | None = None, subject: str | None = None, leeway: float = 0,
           require: Sequence[str] = (), now: float | None = None) -> Verification:
    """Check the signature of `token_text` with the key, then its claims; reasons in words."""
    check_options(audience, issuer, subject, leeway, require)
    clock = time.time() if now is None else float(now)
    token = _read(token_text)
    header = token.header or {}
    alg, kid = _text(header, "alg"), _text(header, "kid")
    if key_type == AUTO:
        inferred = infer_key_type(key_text, alg)
        key_type, key_text = inferred.key_type, inferred.key_text
    if key_type == "jwks":
        keyset = keys.load_jwks(key_text, kid=kid)
        read_as = describe_set(keyset.total)
    else:
        one = keys.load_key(key_text, key_type)
        keyset = keys.KeySet((one,), 1, (one.kid,) if one.kid else (), one.notes)
        read_as = describe_key(one, key_type)
    errors = tuple(claim_errors(token.payload, audience, issuer, subject, leeway, require, clock))
    fit = alg if alg in ALGORITHMS else _alg_for(keyset.keys[0]) if keyset.keys else "RS256"
    snippet = python_snippet(fit, key_type, audience=audience, issuer=issuer, subject=subject, leeway=leeway,
                             require=require, kid=kid,
                             certificate=any(k.origin == keys.CERTIFICATE for k in keyset.keys))
    verified, reason, description, attempts, findings = _signature(token, header, keyset, key_text, key_type)
    return Verification(verified, alg, kid, description, reason, not errors, errors, attempts, findings,
                        snippet, notes=keyset.notes, key_type=key_type, read_as=read_as)


def _signature(token: _Token, header: dict[str, Any], keyset: keys.KeySet, key_text: str,
               key_type: str) -> tuple[bool, str | None, str, tuple[KeyAttempt, ...], tuple[Finding, ...]]:
    """The signature verdict: verified, reason, key description, per-key attempts, key findings."""
    jwks = key_type == "jwks"
    description = _set_of(keyset.total) if jwks else keyset.keys[0].description
    problem = token.error or _alg_problem(header)
    if problem:
        return False, problem, description, (), ()
    alg, kid = str(header["alg"]), _text(header, "kid")
    if jwks and kid is not None and not keyset.keys:
        return False, _kid_missing(kid, keyset), description, (), ()
    tries = [(key, *_try(alg, key, token, key_text, key_type)) for key in keyset.keys]
    attempts = tuple(KeyAttempt(key.label if jwks else "the given key", key.kid, ok, why)
                     for key, ok, _, why in tries)
    good = [key for key, ok, _, _ in tries if ok]
    # Only a key that verifies is the token's key: a wrong key's length says nothing about the token.
    findings = _findings(alg, good)
    if not good:
        return False, _failure(alg, tries), description, attempts, findings
    if jwks:
        description = f"{good[0].description}, {good[0].label.split(' (')[0]} in a {_set_of(keyset.total)}"
    crit = _crit_problem(token)
    reason = f"the signature matches, but the token must be rejected: {crit}" if crit else None
    return crit is None, reason, description, attempts, findings


def _failure(alg: str, tries: list[tuple[ParsedKey, bool, str, str | None]]) -> str:
    if len(tries) == 1:
        return str(tries[0][3])
    fitting = [t for t in tries if t[2] not in _UNFIT]
    if fitting:
        return (f"no key in the set verifies the signature (tried {len(fitting)} {alg} "
                f"key{'s' * (len(fitting) != 1)}; see each key's result)")
    kinds = ", ".join(t[0].label for t in tries[:10]) + (", ..." if len(tries) > 10 else "")
    return f"no key in the set fits {alg}, which needs {keys.needs(alg)}; the set has {kinds}"


def _text(header: dict[str, Any], name: str) -> str | None:
    value = header.get(name)
    return value if isinstance(value, str) else None


def _read(text: str) -> _Token:
    if not isinstance(text, str):
        raise JwtInputError("the token must be text")
    try:
        token, _ = normalize(text)
    except TokenTooLong as err:
        raise JwtInputError(str(err)) from None
    if not token:
        raise JwtInputError("no token given")
    parts = token.split(".")
    if len(parts) == 5:
        return _broken("this is an encrypted token (JWE): it has no signature to verify; "
                       "it needs the recipient's decryption key")
    if len(parts) != 3:
        return _broken(f"a signed token has 3 dot-separated parts; this one has {len(parts)}")
    decoded: list[bytes | None] = []
    problem, offset = None, 0
    for name, part in zip(("header", "payload", "signature"), parts, strict=True):
        got = b64.decode(part, offset)
        offset += len(part) + 1
        why = _part_problem(name, part, got)
        # A damaged part is unread; the others still are (a cut-off signature leaves the claims readable).
        decoded.append(None if why else got.data)
        problem = problem or why
    if decoded[0] is None:
        return _Token(None, decoded[1], b"", b"", problem)
    header = pyjwt_json(decoded[0])
    if not isinstance(header, dict):
        return _Token(None, decoded[1], b"", b"", problem or "the header is not a JSON object")
    if problem:
        return _Token(header, decoded[1], b"", b"", problem)
    return _Token(header, decoded[1], f"{parts[0]}.{parts[1]}".encode("ascii"), decoded[2] or b"", None)


def _part_problem(name: str, part: str, got: b64.B64Result) -> str | None:
    """Why one part cannot be used, in words; None when it is canonical base64url."""
    damaged = f"the {name} part is damaged (cut off or edited)"
    if got.error:
        truncated = "length" in got.error or name == "signature"
        return f"{damaged}: {got.error}" if truncated else f"the {name} cannot be read: {got.error}"
    if got.data is not None and b64.encode(got.data) != part.rstrip("="):
        # PyJWT rejects these too; accepting them would let one signature hide behind many token strings.
        if got.noncanonical and all("trailing bits" in note for note in got.noncanonical):
            return f"{damaged}: its last character has bits no encoder sets (not canonical base64url)"
        how = "; ".join(got.noncanonical)
        return f"malformed token: the {name} is not canonical base64url ({how})"
    return None


def _broken(reason: str) -> _Token:
    return _Token(None, None, b"", b"", reason)


def _alg_problem(header: dict[str, Any]) -> str | None:
    alg = header.get("alg")
    if alg is None:
        return "the header has no \"alg\": the algorithm cannot be known"
    if not isinstance(alg, str):
        return "the header's \"alg\" is not a string"
    if alg.lower() == "none":
        return (f"alg {alg!r} marks an unsecured token: it never verifies (accepting it would let anyone "
                "forge tokens)")
    unsupported = algs.ml_dsa_problem(alg)
    if unsupported:
        return unsupported
    if alg not in ALGORITHMS:
        near = [a for a in ALGORITHMS if a.lower() == alg.lower()]
        hint = f"; algorithm names are case-sensitive: did you mean {near[0]}?" if near else ""
        return f"unsupported algorithm {alg!r} (supported: {', '.join(ALGORITHMS)}){hint}"
    if "kid" in header and not isinstance(header["kid"], str):
        return "the header's \"kid\" is not a string"
    return None


def _crit_problem(token: _Token) -> str | None:
    """PyJWT's verdict on `crit` and `b64` (RFC 7515 §4.1.11, RFC 7797), which it checks before the signature.

    PyJWT itself reads the header (jwt.get_unverified_header runs its crit checks); the two b64 rules
    of its decode_complete follow. None when PyJWT would go on to check the signature.
    """
    header = token.header or {}
    if "crit" not in header and "b64" not in header:
        return None
    try:
        jwt.get_unverified_header(token.signing_input + b".")
    except jwt.PyJWTError as err:
        return _crit_words(header, str(err))
    if header.get("b64", True) is False:
        crit = header.get("crit") or []
        if not isinstance(crit, list) or "b64" not in crit:
            return "the header sets \"b64\": false without listing b64 in \"crit\" (RFC 7797 §3 requires it)"
        return ("the payload is detached (\"b64\": false, RFC 7797): PyJWT verifies it only with the payload "
                "passed separately, which this tool does not take")
    return None


def _crit_words(header: dict[str, Any], pyjwt_says: str) -> str:
    """PyJWT's reason for refusing a header, in words (RFC 7515 §4.1.11: a recipient MUST reject these)."""
    crit = show(header.get("crit"))
    if pyjwt_says.startswith("Unsupported critical extension"):
        return f"the header lists critical extensions ({crit}) that this verifier does not understand"
    if "non-empty list" in pyjwt_says:
        return f"the header's \"crit\" is {crit}: it must be a non-empty list of extension names"
    if "must be strings" in pyjwt_says:
        return f"the header's \"crit\" ({crit}) holds a value that is not a string"
    if "missing from headers" in pyjwt_says:
        return f"the header's \"crit\" ({crit}) names a parameter the header does not have"
    return f"PyJWT refuses the header: {pyjwt_says}"


def _alg_for(key: ParsedKey) -> str:
    if key.alg in ALGORITHMS:
        return key.alg
    return {"hmac": "HS256", "rsa": "RS256", "okp": "EdDSA"}.get(key.family) or next(
        a for a, (f, c) in ALGORITHMS.items() if f == "ec" and c == key.curve)


def _kid_missing(kid: str, keyset: keys.KeySet) -> str:
    if kid in keyset.kids:  # present, but every key with that kid was unusable
        return f"the key with kid {keys.clip(kid)!r} cannot be used: " + "; ".join(keyset.notes)
    if not keyset.kids:
        return f"kid {keys.clip(kid)!r} is not in the key set (its keys have no kids)"
    more = len(keyset.kids) - 20
    shown = ", ".join(repr(keys.clip(k)) for k in keyset.kids[:20]) + (f" and {more} more" * (more > 0))
    return f"kid {keys.clip(kid)!r} is not in the key set (available kids: {shown})"


def _try(alg: str, key: ParsedKey, token: _Token, key_text: str,
         key_type: str) -> tuple[bool, str, str | None]:
    """(verified, category, reason) for one key."""
    bad = keys.mismatch(alg, key)
    if bad:
        return False, bad[0], bad[1]
    sig = token.signature
    size = HMAC_SIZES.get(alg) or (key.size_bytes if key.family == "rsa" else _SIG_BYTES[str(key.curve)])
    if not sig:
        return False, "malformed", "the token has no signature"
    if len(sig) != size:
        der = key.family == "ec" and sig[0] == 0x30  # a common mistake: the DER form other APIs produce
        hint = " (it looks DER-encoded; JWS uses the raw R||S form, RFC 7518 §3.4)" if der else ""
        psychic = algs.ecdsa_problem(alg, sig)
        if psychic:
            hint += f"; it has {psychic}: a \"psychic signature\" (CVE-2022-21449), so the token is forged"
        return False, "malformed", (f"malformed signature length: {alg} with this key makes {size}-byte "
                                    f"signatures, this one has {len(sig)} bytes{hint}")
    if _check(alg, key.public, token.signing_input, sig):
        return True, "ok", None
    psychic = algs.ecdsa_problem(alg, sig)
    if psychic:  # PyJWT (cryptography) has refused it above; the reason says why no key ever could
        return False, "malformed", (f"invalid signature: {psychic}, which no valid ECDSA signature has (the "
                                    "\"psychic signature\" of CVE-2022-21449): the token is forged")
    if key.family == "hmac" and key_type in keys.SECRET_ENCODINGS:
        encoding = _encoding_hint(alg, token, key_text, key_type)
        if encoding:
            return False, "encoding", encoding
    return False, "wrong-key", ("signature does not match: the token was not signed with this key, "
                                "or it was altered")


def _check(alg: str, key: Any, signing_input: bytes, sig: bytes) -> bool:
    return algs.verifies(alg, key, signing_input, sig)  # PyJWT's, Ed25519/Ed448 registered (algs.py)


def _encoding_hint(alg: str, token: _Token, key_text: str, key_type: str) -> str | None:
    """Say so when the signature verifies with the same text read another way (UTF-8, base64, base64url)."""
    stripped = key_text.strip()
    tries = [(t, key_text) for t in keys.SECRET_ENCODINGS if t != key_type]
    if stripped != key_text:
        tries.insert(0, (key_type, stripped))
    for other, text in tries:
        try:
            secret = keys.decode_secret(text, other)
        except JwtInputError:
            continue
        if _check(alg, secret, token.signing_input, token.signature):
            how = keys.SECRET_ENCODINGS[other] + (" without the surrounding whitespace" * (text != key_text))
            return (f"secret encoding likely wrong: the signature does not match the secret read as "
                    f"{keys.SECRET_ENCODINGS[key_type]}, but it verifies if the secret is read as {how}")
    return None


def _findings(alg: str, used: list[ParsedKey]) -> tuple[Finding, ...]:
    found: dict[str, Finding] = {}
    for key in used:
        need = HMAC_SIZES.get(alg, 0)
        if key.family == "hmac" and key.size_bytes < need and "short-hmac-key" not in found:
            found["short-hmac-key"] = Finding(
                "short-hmac-key", "high", "HMAC key shorter than the hash output",
                f"The secret is {key.size_bytes} bytes but {alg} needs at least {need} (RFC 7518 §3.2: "
                "a key the size of the hash output or larger MUST be used). Short secrets can be "
                f"brute-forced offline from a single token; use {need} random bytes.")
        if key.family == "rsa" and key.bits < 2048 and "short-rsa-key" not in found:
            found["short-rsa-key"] = Finding(
                "short-rsa-key", "high", "RSA key shorter than 2048 bits",
                f"The key is {key.bits} bits; RFC 7518 §3.3 requires 2048 bits or more, and keys of "
                "1024 bits or less are within reach of well-funded attackers. Issue a new key of at "
                "least 2048 bits.")
    return tuple(found.values())


def _set_of(total: int) -> str:
    return f"JWK Set of {total} key{'s' * (total != 1)}"
