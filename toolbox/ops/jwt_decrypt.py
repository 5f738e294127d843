"""jwt/decrypt: a JWE decrypted with a pasted key (core/jwt/jwe.py), the token inside decoded and audited.

The cryptography is imported inside the operation: importing this module registers it and costs the
CLI almost nothing.
"""

from __future__ import annotations

import time
from typing import Annotated, Any

import msgspec

from toolbox.core.jwt.model import Claim, Finding, TokenStatus
from toolbox.core.jwt.options import DecryptKeyType
from toolbox.ops.contract import Context, Request, operation
from toolbox.ops.errors import ErrorKind, OpError
from toolbox.ops.jwt import MAX_KEY_CHARS, DecodeResult, Leeway, Token, _check_length, decode_result

_KINDS = {"token": (ErrorKind.INPUT, "Not a token this tool decrypts"),
          "key": (ErrorKind.UNUSABLE, "Unusable key"),
          "decrypt": (ErrorKind.INPUT, "Does not decrypt"),
          "size": (ErrorKind.TOO_LARGE, "Too large to decrypt")}


class DecryptRequest(Request):
    """Decrypt a JWE (compact) with the recipient's private key or the shared secret."""

    token: Token
    key: Annotated[str, msgspec.Meta(
        min_length=1, max_length=MAX_KEY_CHARS,
        description="The recipient's private key (PEM, JWK, or a JWK Set picked by the header's kid), the "
                    "shared symmetric key (dir, A*KW, A*GCMKW), or the password (PBES2).")]
    key_type: Annotated[DecryptKeyType, msgspec.Meta(
        description="How to read `key`: \"auto\" (the default) detects it as for verify; a symmetric "
                    "key whose UTF-8 size does not fit is read as base64url or base64 when that size fits."
    )] = "auto"
    leeway: Leeway = 0


class DecryptResult(msgspec.Struct, frozen=True, kw_only=True):
    """The plaintext shown like a payload, the token inside (decoded and audited), findings, the key used."""

    header: dict[str, Any]
    format: str  # json, text, binary, token
    plaintext: str | None  # the UTF-8 text (json, text, token); None when binary
    plaintext_hex: str | None  # binary: the first 4096 bytes as hex
    plaintext_base64url: str | None  # binary: the first 4096 bytes as base64url
    size: int  # bytes of plaintext
    payload: Any = None  # the JSON value, when format is json
    claims: tuple[Claim, ...] = ()
    status: TokenStatus
    inner: DecodeResult | None = None  # the token inside (verify it with jwt/verify and its signer's key)
    findings: tuple[Finding, ...]
    key_used: str
    key_type: str
    notes: tuple[str, ...] = ()
    outer: DecodeResult  # the JWE itself as decoded without a key (its parts and header)


@operation("jwt/decrypt", summary="Decrypt a JWE with a pasted key", request=DecryptRequest,
           result=DecryptResult)
def decrypt_token(request: DecryptRequest, context: Context) -> DecryptResult:
    """Decrypt; a token, key or decryption that fails is an OpError saying why in words."""
    from toolbox.core.jwt.jwe import JweError, decrypt

    _check_length(request.token)
    try:
        result = decrypt(request.token, request.key, request.key_type, now=time.time(), leeway=request.leeway,
                         max_lifetime=context.settings.jwt_max_lifetime)
    except JweError as err:
        kind, title = _KINDS[err.part]
        raise OpError(kind, str(err), title=title) from None
    return DecryptResult(
        header=result.header, format=result.format, plaintext=result.text, plaintext_hex=result.hex,
        plaintext_base64url=result.base64url, size=result.size, payload=result.payload, claims=result.claims,
        status=result.status, inner=decode_result(result.inner) if result.inner else None,
        findings=result.findings, key_used=result.key_used, key_type=result.key_type, notes=result.notes,
        outer=decode_result(result.outer),
    )
