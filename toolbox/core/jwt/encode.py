"""Build and sign a token from header and payload objects, with "+15m"-style time helpers."""

from __future__ import annotations

import json
import re
import time
from dataclasses import dataclass
from typing import Any

from jwt import PyJWTError

from . import algs, b64, keys
from .infer import describe_key, infer_key_type
from .model import JwtInputError
from .options import AUTO

TIME_CLAIMS = ("iat", "nbf", "exp", "auth_time")
_UNITS = {name: size for size, names in ((1, "s sec secs second seconds"), (60, "m min mins minute minutes"),
                                          (3600, "h hr hrs hour hours"), (86400, "d day days"),
                                          (604800, "w week weeks")) for name in names.split()}
_RELATIVE = re.compile(r"(now)?\s*(?:([+-])\s*(\d{1,10})\s*([a-z]*))?", re.I)


@dataclass(frozen=True)
class Signed:
    """A signed token and what the key was read as ("PEM private key (EC P-256)"; "" for alg none)."""

    token: str
    read_as: str = ""
    key_type: str = ""


def encode(header: dict[str, Any], payload: dict[str, Any], alg: str, key_text: str, key_type: str, *,
           now: float | None = None) -> str:
    """Sign `payload` with `alg` and the key; alg "none" (any case) makes an unsecured token on purpose."""
    return sign(header, payload, alg, key_text, key_type, now=now).token


def sign(header: dict[str, Any], payload: dict[str, Any], alg: str, key_text: str, key_type: str, *,
         now: float | None = None) -> Signed:
    """As encode(), saying what the key was read as; key_type "auto" is detected (infer.py)."""
    if not isinstance(header, dict):
        raise JwtInputError("the header must be a JSON object")
    if not isinstance(payload, dict):
        raise JwtInputError("the payload must be a JSON object")
    if not isinstance(alg, str) or not alg:
        raise JwtInputError("choose an algorithm")
    if "alg" in header and header["alg"] != alg:
        raise JwtInputError(f"the header says alg {json.dumps(header['alg'])} but the token is to be signed "
                            f"with {alg!r}: remove \"alg\" from the header or make them match")
    unsecured = alg.lower() == "none"
    if not unsecured and algs.ml_dsa_problem(alg):
        raise JwtInputError(f"{alg} is not supported (post-quantum ML-DSA): PyJWT cannot sign with it")
    if not unsecured and alg not in keys.ALGORITHMS:
        supported = ", ".join(keys.ALGORITHMS)
        raise JwtInputError(f"unsupported algorithm {alg!r} (supported: {supported}, or none)")
    clock = int(time.time() if now is None else now)
    full_header = {"alg": alg, **{k: v for k, v in header.items() if k != "alg"}}
    claims = {k: resolve_time(v, clock, k) if k in TIME_CLAIMS else v for k, v in payload.items()}
    signing_input = f"{b64.encode(_json(full_header, 'header'))}.{b64.encode(_json(claims, 'payload'))}"
    if unsecured:
        # Only on explicit request: useful to check that a server rejects unsecured tokens.
        return Signed(signing_input + ".")
    if key_type == AUTO:
        inferred = infer_key_type(key_text, alg, signing=True)
        key_type, key_text = inferred.key_type, inferred.key_text
    key = keys.load_key(key_text, key_type, private=True)
    bad = keys.mismatch(alg, key)
    if bad:
        raise JwtInputError(bad[1])
    engine = algs.engine(alg)  # PyJWT's (Ed25519 and Ed448 registered in it by algs.py)
    try:
        prepared = engine.prepare_key(key.private)
    except PyJWTError as err:  # the binding above makes this unreachable in practice; said in words if not
        raise JwtInputError(f"the key cannot sign {alg}: {err}") from None
    signature = engine.sign(signing_input.encode("ascii"), prepared)
    return Signed(f"{signing_input}.{b64.encode(signature)}", describe_key(key, key_type), key_type)


def resolve_time(value: Any, now: int, name: str = "time claim") -> Any:
    """'now', '+15m', '-1h', '+2d', '+30s', '+1w', 'now+1h' -> a NumericDate; other values unchanged."""
    if not isinstance(value, str):
        return value
    text = value.strip()
    if not text or not (text[0] in "+-" or text.lower().startswith("now")):
        return value  # an ordinary string stays (a deliberately malformed claim is a valid test case)
    match = _RELATIVE.fullmatch(text)
    if match is None or not (match.group(1) or match.group(2)) or (
            match.group(4) and match.group(4).lower() not in _UNITS):
        raise JwtInputError(f"cannot read {name} {value!r}: use now, +30s, +15m, -1h, +2d or +1w")
    if not match.group(2):
        return now
    seconds = int(match.group(3)) * _UNITS[(match.group(4) or "s").lower()]
    return now + seconds if match.group(2) == "+" else now - seconds


def _json(value: dict[str, Any], what: str) -> bytes:
    try:
        return json.dumps(value, separators=(",", ":"), ensure_ascii=False, allow_nan=False).encode("utf-8")
    except (TypeError, ValueError, RecursionError) as err:  # NaN, lone surrogates, non-JSON values
        raise JwtInputError(f"the {what} cannot be written as JSON: {err}") from None
