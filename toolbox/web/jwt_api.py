"""POST /api/v1/jwt/decode|verify|encode|keys (DESIGN.md §3)."""

from __future__ import annotations

import dataclasses
import time
from typing import Any

from flask import current_app

from toolbox import settings_of
from toolbox.core.jwt.decode import decode
from toolbox.core.jwt.encode import encode
from toolbox.core.jwt.keygen import KEY_KINDS, generate_key
from toolbox.core.jwt.model import Decoded, JwtInputError
from toolbox.core.jwt.normalize import MAX_TOKEN_CHARS, TokenTooLong
from toolbox.core.jwt.options import ALGORITHMS, SIGN_KEY_TYPES, VERIFY_KEY_TYPES
from toolbox.core.jwt.remote_keys import RemoteKeyError
from toolbox.core.jwt.verify import verify
from toolbox.ops.serialize import to_json
from toolbox.web.api import ApiBlueprint
from toolbox.web.errors import ProblemError
from toolbox.web.remote_keys import resolve_key

jwt_api_bp = ApiBlueprint("api_jwt", __name__, tag="jwt", url_prefix="/api/v1/jwt")

_TOKEN = {"type": "string", "minLength": 1, "maxLength": MAX_TOKEN_CHARS,
          "description": "A JWS or JWE; whitespace, quotes and a 'Bearer ' prefix are tolerated."}
_LEEWAY = {"type": "integer", "minimum": 0, "maximum": 86400, "default": 0,
           "description": "Seconds of clock skew allowed on exp/nbf/iat."}
_FINDINGS = {"type": "array", "items": {"type": "object", "properties": {
    "id": {"type": "string"}, "severity": {"enum": ["critical", "high", "medium", "low", "info"]},
    "title": {"type": "string"}, "detail": {"type": "string"}}}}

DECODE_REQUEST: dict[str, Any] = {
    "type": "object", "required": ["token"], "additionalProperties": False,
    "properties": {"token": _TOKEN, "leeway": _LEEWAY},
}
DECODE_RESPONSE: dict[str, Any] = {
    "type": "object",
    "properties": {
        "kind": {"enum": ["jws", "jwe", "unsecured", "unknown"]},
        "header": {"type": ["object", "null"]},
        "payload": {},
        "payload_text": {"type": ["string", "null"]},
        "payload_format": {"enum": ["json", "text", "binary", "encrypted", "missing"]},
        "signature": {"type": "string"},
        "claims": {"type": "array"},
        "status": {"type": "object", "properties": {"state": {"type": "string"}}},
        "findings": _FINDINGS,
        "errors": {"type": "array", "items": {"type": "string"}},
    },
}
VERIFY_REQUEST: dict[str, Any] = {
    "type": "object", "required": ["token", "key", "key_type"], "additionalProperties": False,
    "properties": {
        "token": _TOKEN,
        "key": {"type": "string", "minLength": 1, "maxLength": 256 * 1024,
                "description": "The key material, or for jwks-url / issuer the URL to fetch keys from "
                               "(only through the SSRF-safe fetcher; never a URL from the token)."},
        "key_type": {"enum": list(VERIFY_KEY_TYPES)},
        "audience": {"oneOf": [
            {"type": "string", "maxLength": 2048},
            {"type": "array", "maxItems": 50, "items": {"type": "string", "maxLength": 2048}},
        ]},
        "issuer": {"type": "string", "maxLength": 2048},
        "subject": {"type": "string", "maxLength": 2048},
        "leeway": _LEEWAY,
        "require": {"type": "array", "maxItems": 50, "items": {"type": "string", "maxLength": 256}},
    },
}
VERIFY_RESPONSE: dict[str, Any] = {
    "type": "object",
    "properties": {
        "verified": {"type": "boolean"}, "alg": {"type": ["string", "null"]},
        "kid": {"type": ["string", "null"]}, "reason": {"type": ["string", "null"]},
        "claims_valid": {"type": "boolean"},
        "claim_errors": {"type": "array", "items": {"type": "string"}},
        "findings": _FINDINGS, "attempts": {"type": "array"}, "snippet": {"type": "string"},
    },
}
ENCODE_REQUEST: dict[str, Any] = {
    "type": "object", "required": ["payload", "alg"], "additionalProperties": False,
    "properties": {
        "header": {"type": "object", "maxProperties": 100},
        "payload": {"type": "object", "maxProperties": 1000},
        "alg": {"enum": list(ALGORITHMS)},
        "key": {"type": "string", "maxLength": 256 * 1024},
        "key_type": {"enum": list(SIGN_KEY_TYPES)},
    },
}
ENCODE_RESPONSE: dict[str, Any] = {"type": "object", "properties": {"token": {"type": "string"}}}
KEYS_REQUEST: dict[str, Any] = {
    "type": "object", "required": ["kind"], "additionalProperties": False,
    "properties": {"kind": {"enum": list(KEY_KINDS)}},
}
KEYS_RESPONSE: dict[str, Any] = {"type": "object", "properties": {
    "kind": {"type": "string"}, "algorithm": {"type": "string"},
    "private_pem": {"type": ["string", "null"]}, "public_pem": {"type": ["string", "null"]},
    "private_jwk": {"type": "object"}, "public_jwk": {"type": "object"},
    "secret": {"type": ["string", "null"]}}}


@jwt_api_bp.operation("/decode", summary="Decode and audit a token (no key needed)",
                      request_schema=DECODE_REQUEST, response_schema=DECODE_RESPONSE)
def decode_token(body: dict[str, Any]) -> dict[str, Any]:
    """Decode; 422 when not even the header decodes."""
    try:
        decoded = decode(body["token"], now=time.time(), leeway=body.get("leeway", 0),
                         max_lifetime=settings_of(current_app).jwt_max_lifetime)
    except TokenTooLong as err:
        raise ProblemError(413, str(err)) from None
    result = decoded_json(decoded)
    if not decoded.decodes:
        raise ProblemError(422, "Nothing in the token decodes: " + "; ".join(decoded.errors[:3]),
                           extra={"errors": [{"pointer": "/token", "message": e} for e in decoded.errors]},
                           title="Token does not decode")
    return result


def decoded_json(decoded: Decoded) -> dict[str, Any]:
    """The decode response; the token's own JSON (header, payload, claim values) is passed through as
    parsed, never walked by to_json: a payload of 80 000 arrays cost 0.3 s of walking, for nothing."""
    light = dataclasses.replace(decoded, header=None, payload=None, claims=(), nested=None)
    out: dict[str, Any] = to_json(light, drop=frozenset({"token", "data"}))
    out["header"], out["payload"] = decoded.header, decoded.payload
    out["claims"] = [{**to_json(dataclasses.replace(claim, value=None)), "value": claim.value}
                     for claim in decoded.claims]
    out["nested"] = decoded_json(decoded.nested) if decoded.nested else None
    return out


@jwt_api_bp.operation("/verify", summary="Verify a token's signature and claims with a key",
                      request_schema=VERIFY_REQUEST, response_schema=VERIFY_RESPONSE)
def verify_token(body: dict[str, Any]) -> dict[str, Any]:
    """Verify; a key that cannot be used (or fetched) is a 422 with the reason."""
    audience = body.get("audience")
    try:
        key, key_type, key_source = resolve_key(body["key"], body["key_type"])
        result = verify(body["token"], key, key_type,
                        audience=[audience] if isinstance(audience, str) else audience,
                        issuer=body.get("issuer"), subject=body.get("subject"),
                        leeway=body.get("leeway", 0), require=tuple(body.get("require", ())),
                        now=time.time())
    except RemoteKeyError as err:
        raise ProblemError(422, str(err), title="Key set not fetched",
                           extra={"reason": str(err)}) from None
    except (JwtInputError, TokenTooLong) as err:
        raise ProblemError(422, str(err), title="Unusable key or token") from None
    return {**to_json(result, drop=frozenset({"decoded"})), "key_source": key_source}


@jwt_api_bp.operation("/encode", summary="Sign a token from header and payload",
                      request_schema=ENCODE_REQUEST, response_schema=ENCODE_RESPONSE)
def encode_token(body: dict[str, Any]) -> dict[str, Any]:
    """Encode and sign; relative times such as "+15m" are resolved against the server clock."""
    try:
        token = encode(body.get("header", {}), body["payload"], body["alg"], body.get("key", ""),
                       body.get("key_type", "secret"))
    except JwtInputError as err:
        raise ProblemError(422, str(err), title="Cannot sign") from None
    return {"token": token}


@jwt_api_bp.operation("/keys", summary="Generate a test key (PEM and JWK)",
                      request_schema=KEYS_REQUEST, response_schema=KEYS_RESPONSE)
def make_key(body: dict[str, Any]) -> dict[str, Any]:
    """Generate a fresh key of the requested kind."""
    return to_json(generate_key(body["kind"]))
