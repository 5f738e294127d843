"""The claim checks of verify(): exp/nbf/iat against a clock, aud/iss/sub/jti, as PyJWT's jwt.decode does."""

from __future__ import annotations

import json
import math
from collections.abc import Sequence
from typing import Any

from .jsontext import is_finite_number
from .model import JwtInputError

_NUMERIC_DATES = ("exp", "nbf", "iat")
NO_EXPECTED_AUDIENCE = "but no expected audience was given"  # the page rewords this reason in its labels


def check_options(audience: object, issuer: object, subject: object, leeway: object,
                  require: object) -> None:
    """Refuse expected-claim options of the wrong type or range."""
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


def pyjwt_json(data: bytes) -> Any:
    """JSON bytes read as PyJWT reads them, or None when they do not parse."""
    # Deliberately json.loads, not jsontext.parse: PyJWT accepts NaN and UTF-16/32 bytes, and the snippet
    # must reach the same verdict as this verifier.
    try:
        return json.loads(data)
    except (ValueError, RecursionError):
        return None


def claim_errors(payload: bytes | None, audience: str | Sequence[str] | None, issuer: str | None,
                 subject: str | None, leeway: float, require: Sequence[str], now: float) -> list[str]:
    """Every claim problem in words (an unreadable or non-object payload is one problem)."""
    claims = pyjwt_json(payload) if payload is not None else None
    if not isinstance(claims, dict):
        what = "cannot be read" if payload is None else "is not a JSON object, so it has no claims to check"
        return [f"the payload {what}"]
    errors = [f"required claim {name!r} is missing" for name in require if claims.get(name) is None]
    slack = f"more than the {leeway:g} s leeway" if leeway else "and no leeway is allowed"
    for name in _NUMERIC_DATES:
        value = claims.get(name)
        if name not in claims:
            continue
        if not is_finite_number(value):
            errors.append(f"{name!r} is not a NumericDate (a number of seconds since 1970): {show(value)}")
        elif name == "exp" and value <= now - leeway:
            errors.append(f"expired {_span(_minus(now, value), 'ago')}, {slack}")
        elif name != "exp" and value > now + leeway:
            what = "not valid yet: nbf is" if name == "nbf" else "issued in the future: iat is"
            errors.append(f"{what} {_span(_minus(value, now), 'in the future')}, {slack}")
    errors += _identity_errors(claims, audience, issuer, subject)
    return errors


def _identity_errors(claims: dict[str, Any], audience: str | Sequence[str] | None, issuer: str | None,
                     subject: str | None) -> list[str]:
    errors = []
    aud = claims.get("aud")
    auds = [aud] if isinstance(aud, str) else aud if isinstance(aud, list) else None
    if audience is None:
        if aud:
            errors.append(f"the token is for audience {show(aud)} {NO_EXPECTED_AUDIENCE}: "
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
            errors.append(f"{name!r} must be a string, not {show(value)}")
        elif expected is not None and value is None:
            errors.append(f"expected {name} {expected!r} but the token has no {name!r}")
        elif expected is not None and value != expected:
            errors.append(f"{'issuer' if name == 'iss' else 'subject'} mismatch: expected {expected!r}, "
                          f"the token says {value!r}")
    if "jti" in claims and not isinstance(claims["jti"], str):
        errors.append(f"'jti' must be a string, not {show(claims['jti'])}")
    return errors


def _words(values: str | Sequence[str]) -> str:
    items = [values] if isinstance(values, str) else list(values)
    shown = ", ".join(repr(v)[:100] for v in items[:5]) + (", ..." if len(items) > 5 else "")
    return shown if len(items) == 1 else f"one of {shown}"


def show(value: Any) -> str:
    """A claim value as JSON, cut short: messages must stay readable whatever the token holds."""
    try:
        text = json.dumps(value, ensure_ascii=False)
    except (ValueError, RecursionError):  # pragma: no cover - it was parsed from JSON a moment ago
        text = "(unprintable)"
    return text if len(text) <= 100 else text[:97] + "..."


def _minus(a: float, b: float) -> float:
    """a - b, or infinity when an integer claim is too large to mix with the float clock."""
    try:
        return a - b
    except OverflowError:
        return math.inf if a > b else -math.inf


def _span(seconds: float, where: str) -> str:
    """'125 s ago' for short spans; 'about 3 days ago (259200 s)' for longer ones."""
    if not math.isfinite(seconds):
        return f"an astronomically long time {where}"
    s = round(seconds)
    for unit, size in (("year", 31_557_600), ("day", 86_400), ("hour", 3_600), ("min", 60)):
        if s >= (5 if unit == "min" else 2) * size:  # exact seconds while they are easy to read
            n = round(s / size)
            return f"about {n} {unit}{'s' * (unit != 'min')} {where} ({s} s)"
    return f"{s} s {where}"
