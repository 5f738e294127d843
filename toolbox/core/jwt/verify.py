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

import hmac
import json
import math
import time
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from jwt.algorithms import get_default_algorithms

from . import b64, keys
from .keys import ALGORITHMS, HMAC_SIZES, ParsedKey
from .model import Finding, JwtInputError, KeyAttempt, Verification
from .normalize import TokenTooLong, normalize
from .snippet import python_snippet

_ALGS = get_default_algorithms()
_SIG_BYTES = {"P-256": 64, "secp256k1": 64, "P-384": 96, "P-521": 132, "Ed25519": 64, "Ed448": 114}
_NUMERIC_DATES = ("exp", "nbf", "iat")
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
    _check_options(audience, issuer, subject, leeway, require)
    clock = time.time() if now is None else float(now)
    token = _read(token_text)
    header = token.header or {}
    alg, kid = _text(header, "alg"), _text(header, "kid")
    if key_type == "jwks":
        keyset = keys.load_jwks(key_text, kid=kid)
    else:
        one = keys.load_key(key_text, key_type)
        keyset = keys.KeySet((one,), 1, (one.kid,) if one.kid else (), one.notes)
    errors = tuple(_claims(token.payload, audience, issuer, subject, leeway, require, clock))
    fit = alg if alg in ALGORITHMS else _alg_for(keyset.keys[0]) if keyset.keys else "RS256"
    snippet = python_snippet(fit, key_type, audience=audience, issuer=issuer, subject=subject, leeway=leeway,
                             require=require, kid=kid,
                             certificate=any(k.origin == keys.CERTIFICATE for k in keyset.keys))
    verified, reason, description, attempts, findings = _signature(token, header, keyset, key_text, key_type)
    return Verification(verified, alg, kid, description, reason, not errors, errors, attempts, findings,
                        snippet, notes=keyset.notes)


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
    findings = _findings(alg, [key for key, _, category, _ in tries if category not in _UNFIT])
    good = [key for key, ok, _, _ in tries if ok]
    if not good:
        return False, _failure(alg, tries), description, attempts, findings
    if jwks:
        description = f"{good[0].description}, {good[0].label.split(' (')[0]} in a {_set_of(keyset.total)}"
    crit = _crit_problem(header)
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


def _check_options(audience: object, issuer: object, subject: object, leeway: object,
                   require: object) -> None:
    if audience is not None and not isinstance(audience, str) and not (
            isinstance(audience, Sequence) and all(isinstance(a, str) for a in audience)):
        raise JwtInputError("the expected audience must be a string or a list of strings")
    for name, value in (("issuer", issuer), ("subject", subject)):
        if value is not None and not isinstance(value, str):
            raise JwtInputError(f"the expected {name} must be a string")
    if isinstance(leeway, bool) or not isinstance(leeway, int | float) or not 0 <= leeway <= 10**9:
        raise JwtInputError("the leeway must be a number of seconds, 0 or more")
    if isinstance(require, str) or not isinstance(require, Sequence) or not all(
            isinstance(c, str) for c in require):
        raise JwtInputError("required claims must be a list of claim names")


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
    decoded, offset = [], 0
    for name, part in zip(("header", "payload", "signature"), parts, strict=True):
        got = b64.decode(part, offset)
        decoded.append(got.data)
        offset += len(part) + 1
        if got.error:
            return _broken(f"the {name} cannot be read: {got.error}")
        if got.data is not None and b64.encode(got.data) != part.rstrip("="):
            # PyJWT rejects these too; accepting them would let one signature hide behind many token strings.
            how = "; ".join(got.noncanonical)
            return _broken(f"malformed token: the {name} is not canonical base64url ({how})")
    header = _json(decoded[0] or b"")
    if not isinstance(header, dict):
        return _Token(None, decoded[1], b"", b"", "the header is not a JSON object")
    return _Token(header, decoded[1], f"{parts[0]}.{parts[1]}".encode("ascii"), decoded[2] or b"", None)


def _broken(reason: str) -> _Token:
    return _Token(None, None, b"", b"", reason)


def _json(data: bytes) -> Any:
    try:
        return json.loads(data)
    except (ValueError, RecursionError):
        return None


def _alg_problem(header: dict[str, Any]) -> str | None:
    alg = header.get("alg")
    if alg is None:
        return "the header has no \"alg\": the algorithm cannot be known"
    if not isinstance(alg, str):
        return "the header's \"alg\" is not a string"
    if alg.lower() == "none":
        return (f"alg {alg!r} marks an unsecured token: it never verifies (accepting it would let anyone "
                "forge tokens)")
    if alg not in ALGORITHMS:
        near = [a for a in ALGORITHMS if a.lower() == alg.lower()]
        hint = f"; algorithm names are case-sensitive: did you mean {near[0]}?" if near else ""
        return f"unsupported algorithm {alg!r} (supported: {', '.join(ALGORITHMS)}){hint}"
    if "kid" in header and not isinstance(header["kid"], str):
        return "the header's \"kid\" is not a string"
    return None


def _crit_problem(header: dict[str, Any]) -> str | None:
    if "crit" not in header:
        return None
    # RFC 7515 §4.1.11: a recipient MUST reject a token whose critical extensions it does not understand.
    crit = _show(header["crit"])
    return f"the header lists critical extensions ({crit}) that this verifier does not understand"


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
        return False, "malformed", (f"malformed signature length: {alg} with this key makes {size}-byte "
                                    f"signatures, this one has {len(sig)} bytes{hint}")
    if _check(alg, key.public, token.signing_input, sig):
        return True, "ok", None
    if key.family == "hmac" and key_type in keys.SECRET_ENCODINGS:
        encoding = _encoding_hint(alg, token, key_text, key_type)
        if encoding:
            return False, "encoding", encoding
    return False, "wrong-key", ("signature does not match: the token was not signed with this key, "
                                "or it was altered")


def _check(alg: str, key: Any, signing_input: bytes, sig: bytes) -> bool:
    if alg in HMAC_SIZES:  # constant-time comparison, whatever the secret
        return hmac.compare_digest(_ALGS[alg].sign(signing_input, key), sig)
    try:
        return bool(_ALGS[alg].verify(signing_input, key, sig))
    except (ValueError, TypeError):  # e.g. PSS salt too long for a tiny RSA key
        return False


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


def _claims(payload: bytes | None, audience: str | Sequence[str] | None, issuer: str | None,
            subject: str | None, leeway: float, require: Sequence[str], now: float) -> list[str]:
    claims = _json(payload) if payload is not None else None
    if not isinstance(claims, dict):
        what = "cannot be read" if payload is None else "is not a JSON object, so it has no claims to check"
        return [f"the payload {what}"]
    errors = [f"required claim {name!r} is missing" for name in require if claims.get(name) is None]
    slack = f"more than the {leeway:g} s leeway" if leeway else "and no leeway is allowed"
    for name in _NUMERIC_DATES:
        value = claims.get(name)
        if name not in claims:
            continue
        if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
            errors.append(f"{name!r} is not a NumericDate (a number of seconds since 1970): {_show(value)}")
        elif name == "exp" and value <= now - leeway:
            errors.append(f"expired {_span(now - value, 'ago')}, {slack}")
        elif name != "exp" and value > now + leeway:
            what = "not valid yet: nbf is" if name == "nbf" else "issued in the future: iat is"
            errors.append(f"{what} {_span(value - now, 'in the future')}, {slack}")
    errors += _identity_errors(claims, audience, issuer, subject)
    return errors


def _identity_errors(claims: dict[str, Any], audience: str | Sequence[str] | None, issuer: str | None,
                     subject: str | None) -> list[str]:
    errors = []
    aud = claims.get("aud")
    auds = [aud] if isinstance(aud, str) else aud if isinstance(aud, list) else None
    if audience is None:
        if aud:
            errors.append(f"the token is for audience {_show(aud)} but no expected audience was given: "
                          "a recipient must check that it is named in \"aud\" (RFC 7519 §4.1.3; "
                          "PyJWT rejects this)")
    elif not aud:
        errors.append(f"expected audience {_words(audience)} but the token has no \"aud\"")
    elif auds is None or not all(isinstance(a, str) for a in auds):
        errors.append("\"aud\" must be a string or an array of strings")
    elif not set(auds) & ({audience} if isinstance(audience, str) else set(audience)):
        errors.append(f"audience mismatch: expected {_words(audience)}, the token is for {_words(auds)}")
    for name, expected in (("iss", issuer), ("sub", subject)):
        value = claims.get(name)
        if name in claims and not isinstance(value, str):
            errors.append(f"{name!r} must be a string, not {_show(value)}")
        elif expected is not None and value is None:
            errors.append(f"expected {name} {expected!r} but the token has no {name!r}")
        elif expected is not None and value != expected:
            errors.append(f"{'issuer' if name == 'iss' else 'subject'} mismatch: expected {expected!r}, "
                          f"the token says {value!r}")
    if "jti" in claims and not isinstance(claims["jti"], str):
        errors.append(f"'jti' must be a string, not {_show(claims['jti'])}")
    return errors


def _set_of(total: int) -> str:
    return f"JWK Set of {total} key{'s' * (total != 1)}"


def _words(values: str | Sequence[str]) -> str:
    items = [values] if isinstance(values, str) else list(values)
    shown = ", ".join(repr(v)[:100] for v in items[:5]) + (", ..." if len(items) > 5 else "")
    return shown if len(items) == 1 else f"one of {shown}"


def _show(value: Any) -> str:
    """A claim value as JSON, cut short: messages must stay readable whatever the token holds."""
    try:
        text = json.dumps(value, ensure_ascii=False)
    except (ValueError, RecursionError):  # pragma: no cover - it was parsed from JSON a moment ago
        text = "(unprintable)"
    return text if len(text) <= 100 else text[:97] + "..."


def _span(seconds: float, where: str) -> str:
    """'125 s ago' for short spans; 'about 3 days ago (259200 s)' for longer ones."""
    s = round(seconds)
    for unit, size in (("year", 31_557_600), ("day", 86_400), ("hour", 3_600), ("min", 60)):
        if s >= (5 if unit == "min" else 2) * size:  # exact seconds while they are easy to read
            n = round(s / size)
            return f"about {n} {unit}{'s' * (unit != 'min')} {where} ({s} s)"
    return f"{s} s {where}"
