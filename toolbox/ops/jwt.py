"""The JWT tool's operations (decode, verify, encode, generate a test key) and API-token minting.

Heavy imports (cryptography, PyJWT, the fetcher) happen inside the operations: importing this
module registers them and costs the CLI almost nothing.
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING, Annotated, Any

import msgspec

from toolbox.core.jwt.changes import Change
from toolbox.core.jwt.model import (
    Claim,
    Decoded,
    Finding,
    GeneratedKey,
    JwtInputError,
    KeyAttempt,
    Kind,
    PayloadFormat,
    TokenStatus,
)
from toolbox.core.jwt.normalize import MAX_TOKEN_CHARS
from toolbox.core.jwt.options import (
    AUTO,
    INPUT_FORMS,
    REMOTE_KEY_TYPES,
    Algorithm,
    KeyKind,
    SignKeyType,
    VerifyKeyType,
)
from toolbox.core.jwt.sdjwt import Disclosure, HiddenDigest, KeyBinding, KeyBindingCheck
from toolbox.ops.contract import Context, Request, operation
from toolbox.ops.errors import ErrorKind, OpError

if TYPE_CHECKING:
    from toolbox.core.jwt.remote_keys import FetchedKeys, KeySetCache
    from toolbox.core.jwt.sdjwt import SdJwt

MAX_KEY_CHARS = 256 * 1024
MAX_LEEWAY = 86400

Token = Annotated[str, msgspec.Meta(
    min_length=1, max_length=MAX_TOKEN_CHARS,
    description="A JWS or JWE; whitespace, quotes and a 'Bearer ' prefix are tolerated.")]
Leeway = Annotated[int, msgspec.Meta(ge=0, le=MAX_LEEWAY, description="Seconds of clock skew allowed on "
                                                                        "exp/nbf/iat.")]
Expected = Annotated[str, msgspec.Meta(max_length=2048)]
ClaimName = Annotated[str, msgspec.Meta(max_length=256)]


# --- requests -------------------------------------------------------------------------------------

class DecodeRequest(Request):
    """Decode and audit a token (no key needed)."""

    token: Token
    leeway: Leeway = 0


class VerifyRequest(Request):
    """Verify a token's signature and claims with a key, a key set, or a key set fetched from a URL."""

    token: Token
    key: Annotated[str, msgspec.Meta(
        min_length=1, max_length=MAX_KEY_CHARS,
        description="The key material, or for jwks-url / issuer the URL to fetch keys from (only through "
                    "the SSRF-safe fetcher; never a URL from the token).")]
    key_type: Annotated[VerifyKeyType, msgspec.Meta(
        description="How to read `key`; \"auto\" (the default) detects it from the text and the token's "
                    "alg (docs/jwt.md, key type detection). A public key is never read as an HMAC secret."
    )] = "auto"
    audience: Expected | Annotated[tuple[Expected, ...], msgspec.Meta(max_length=50)] | None = None
    issuer: Expected | None = None
    subject: Expected | None = None
    leeway: Leeway = 0
    require: Annotated[tuple[ClaimName, ...], msgspec.Meta(
        max_length=50, description="Claims that must be present.")] = ()
    kb_audience: Annotated[Expected, msgspec.Meta(
        description="SD-JWT: the aud the key-binding JWT must carry (this verifier); not checked when absent."
    )] | None = None
    kb_nonce: Annotated[Expected, msgspec.Meta(
        description="SD-JWT: the nonce the key-binding JWT must carry; not checked when absent."
    )] | None = None
    kb_max_age: Annotated[int, msgspec.Meta(
        ge=0, le=10 * 365 * 86400,
        description="SD-JWT: how many seconds old the key-binding JWT's iat may be (plus leeway); null for "
                    "any age.")] | None = 300


class EncodeRequest(Request):
    """Sign a token from header and payload objects; "now", "+15m", "-1h" in iat/nbf/exp/auth_time."""

    payload: Annotated[dict[str, Any], msgspec.Meta(max_length=1000)]
    alg: Algorithm
    header: Annotated[dict[str, Any], msgspec.Meta(
        max_length=100, description="Extra header members (alg comes from `alg`).")] = {}
    key: Annotated[str, msgspec.Meta(max_length=MAX_KEY_CHARS,
                                     description="The signing key (empty for alg none).")] = ""
    key_type: Annotated[SignKeyType, msgspec.Meta(
        description="How to read `key`; \"auto\" (the default) detects it as for verify.")] = "auto"
    original: Annotated[str, msgspec.Meta(max_length=MAX_TOKEN_CHARS, description=(
        "Edit and re-sign: the token this one is made from; the result lists what changed against it."))] = ""


class KeysRequest(Request):
    """Generate a fresh test key."""

    kind: KeyKind


class IssueTokenRequest(Request):
    """Mint a short-lived API token signed with TOOLBOX_API_JWT_KEY (HMAC mode)."""

    subject: Annotated[str, msgspec.Meta(max_length=2048, description="Who the token is for (its `sub`).")]
    ttl: Annotated[int, msgspec.Meta(ge=1, le=86400, description="Lifetime in seconds (default and maximum: "
                                                                  "TOOLBOX_API_JWT_MAX_TTL).")] | None = None


# --- results --------------------------------------------------------------------------------------

class SegmentResult(msgspec.Struct, frozen=True, kw_only=True):
    """One dot-separated part of the token as given, and why it failed to decode (if it did)."""

    name: str
    text: str
    start: int
    error: str | None


class SdJwtResult(msgspec.Struct, frozen=True, kw_only=True):
    """An SD-JWT's disclosures, its undisclosed digests and the claims a verifier rebuilds (RFC 9901 §7.1).

    The result's header, payload and segments are the issuer-signed JWT's; `claims` is what the
    presented disclosures reveal. An undisclosed digest may be a hidden claim or a decoy: no one can tell.
    """

    sd_alg: str
    sd_alg_declared: bool
    disclosures: tuple[Disclosure, ...]
    undisclosed: tuple[HiddenDigest, ...]
    all_disclosed: bool  # every digest is disclosed: the token has no decoys
    claims: Any
    errors: tuple[str, ...]  # what a verifier must reject it for
    key_binding: KeyBinding | None
    vc_type: str | None  # "SD-JWT VC" for typ dc+sd-jwt (or the older vc+sd-jwt)
    vct: str | None


class SdJwtVerifyResult(msgspec.Struct, frozen=True, kw_only=True):
    """The SD-JWT checks beyond the issuer signature: disclosures and key binding (RFC 9901 §7.1, §7.3)."""

    valid: bool
    reasons: tuple[str, ...]
    key_binding: KeyBindingCheck | None
    key_binding_valid: bool | None


class DecodeResult(msgspec.Struct, frozen=True, kw_only=True):
    """Everything a token says, even when parts of it are damaged (the token itself is not echoed)."""

    notes: tuple[str, ...]
    kind: Kind
    segments: tuple[SegmentResult, ...]
    header: dict[str, Any] | None
    payload: Any
    payload_text: str | None
    payload_hex: str | None
    payload_format: PayloadFormat
    signature: str
    errors: tuple[str, ...]
    claims: tuple[Claim, ...]
    status: TokenStatus
    findings: tuple[Finding, ...]
    nested: DecodeResult | None = None
    sd_jwt: SdJwtResult | None = None  # kind "sd-jwt"


class VerifyResult(msgspec.Struct, frozen=True, kw_only=True):
    """The signature verdict and the claim checks; a token is acceptable only when both are true."""

    verified: bool
    alg: str | None
    kid: str | None
    key_description: str
    reason: str | None
    claims_valid: bool
    claim_errors: tuple[str, ...]
    attempts: tuple[KeyAttempt, ...]
    findings: tuple[Finding, ...]
    snippet: str
    notes: tuple[str, ...] = ()
    key_source: str | None = None
    key_type: str = ""  # the key type used: the detected one when "auto" was asked for
    key_read_as: str = ""  # "PEM public key (RSA 2048)", "JWKS URL: JWK Set (2 keys)"
    sd_jwt: SdJwtVerifyResult | None = None  # an SD-JWT: the signature above is the issuer JWT's


class EncodeResult(msgspec.Struct, frozen=True, kw_only=True):
    """The signed (or, for alg none, unsecured) token."""

    token: str
    key_type: str = ""  # the key type used ("" for alg none)
    key_read_as: str = ""  # "PEM private key (EC P-256)"
    changes: tuple[Change, ...] | None = None  # against `original`, when one was given


class IssuedToken(msgspec.Struct, frozen=True, kw_only=True):
    """A minted API token and what it is good for."""

    token: str
    subject: str
    expires: int


class NotAToken(OpError):
    """Nothing in the token decodes (kind input); `decoded` is what could be read, for pages and the CLI."""

    def __init__(self, decoded: DecodeResult) -> None:
        super().__init__(ErrorKind.INPUT, "Nothing in the token decodes: " + "; ".join(decoded.errors[:3]),
                         title="Token does not decode",
                         errors=[{"pointer": "/token", "message": error} for error in decoded.errors])
        self.decoded = decoded


# --- operations -----------------------------------------------------------------------------------

@operation("jwt/decode", summary="Decode and audit a token (no key needed)", request=DecodeRequest,
           result=DecodeResult)
def decode_token(request: DecodeRequest, context: Context) -> DecodeResult:
    """Decode; a token of which not even the header decodes is NotAToken (kind input)."""
    from toolbox.core.jwt.decode import decode

    _check_length(request.token)
    decoded = decode(request.token, now=time.time(), leeway=request.leeway,
                     max_lifetime=context.settings.jwt_max_lifetime)
    result = decode_result(decoded)
    if not decoded.decodes:
        raise NotAToken(result)
    return result


def decode_result(decoded: Decoded) -> DecodeResult:
    """The core's Decoded as the operation answers it: without the token and the segments' bytes.

    The token's own JSON (header, payload, claim values) is passed through as parsed: the encoder
    writes it at C speed, nothing walks it here.
    """
    return DecodeResult(
        notes=decoded.notes, kind=decoded.kind,
        segments=tuple(SegmentResult(name=s.name, text=s.text, start=s.start, error=s.error)
                       for s in decoded.segments),
        header=decoded.header, payload=decoded.payload, payload_text=decoded.payload_text,
        payload_hex=decoded.payload_hex, payload_format=decoded.payload_format, signature=decoded.signature,
        errors=decoded.errors, claims=decoded.claims, status=decoded.status, findings=decoded.findings,
        nested=decode_result(decoded.nested) if decoded.nested else None,
        sd_jwt=_sd_result(decoded),
    )


def _sd_result(decoded: Decoded) -> SdJwtResult | None:
    sd = decoded.sd_jwt
    if sd is None:
        return None
    return SdJwtResult(sd_alg=sd.sd_alg, sd_alg_declared=sd.sd_alg_declared, disclosures=sd.disclosures,
                       undisclosed=sd.hidden, all_disclosed=sd.all_disclosed, claims=sd.claims,
                       errors=sd.errors,
                       key_binding=sd.key_binding, vc_type=sd.vc_type, vct=sd.vct)


@operation("jwt/verify", summary="Verify a token's signature and claims with a key", request=VerifyRequest,
           result=VerifyResult)
def verify_token(request: VerifyRequest, context: Context) -> VerifyResult:
    """Verify; a damaged token is a result (not verified), a key that cannot be used or fetched an OpError."""
    result = verify_with_cache(request, context, None, may_fetch=True)
    assert result is not None  # nosec B101  # may_fetch: a URL is fetched, never waited for (narrows the type)
    return result


def verify_with_cache(request: VerifyRequest, context: Context, keysets: KeySetCache | None, *,
                      may_fetch: bool) -> VerifyResult | None:
    """jwt/verify reusing key sets fetched in the last minute from `keysets` (a page's cache).

    The page fetches only on an explicit action (`may_fetch`), and re-verifies from the cache while
    other fields change; None when the key is a URL whose key set is not cached and may not be fetched.
    """
    from toolbox.core.jwt.verify import verify

    _check_length(request.token)
    try:
        key, key_type = _key_type_of(request)
    except JwtInputError as err:
        raise OpError(ErrorKind.UNUSABLE, str(err), title="Unusable key") from None
    key_source, url_type = None, None
    if key_type in REMOTE_KEY_TYPES:
        fetched = _fetched_keys(key_type, key.strip(), context, keysets, may_fetch)
        if fetched is None:
            return None
        url_type, key, key_type, key_source = key_type, fetched.jwks, "jwks", fetched.source
    audience = [request.audience] if isinstance(request.audience, str) else request.audience
    token, sd = _issuer_jwt(request.token)
    try:
        result = verify(token, key, key_type, audience=audience, issuer=request.issuer,
                        subject=request.subject, leeway=request.leeway, require=request.require,
                        now=time.time())
    except JwtInputError as err:  # the token is not there at all, or the key cannot be used
        raise OpError(ErrorKind.UNUSABLE, str(err), title="Unusable key or token") from None
    return VerifyResult(
        verified=result.verified, alg=result.alg, kid=result.kid, key_description=result.key_description,
        reason=result.reason, claims_valid=result.claims_valid, claim_errors=result.claim_errors,
        attempts=result.attempts, findings=result.findings, snippet=result.snippet, notes=result.notes,
        key_source=key_source, key_type=url_type or result.key_type,
        key_read_as=f"{INPUT_FORMS[url_type]}: {result.read_as}" if url_type else result.read_as,
        sd_jwt=_sd_check(sd, request) if sd is not None else None,
    )


def _issuer_jwt(text: str) -> tuple[str, SdJwt | None]:
    """(the token whose signature is checked, the SD-JWT around it): an SD-JWT's issuer-signed JWT."""
    from toolbox.core.jwt.decode import decode
    from toolbox.core.jwt.normalize import TokenTooLong, normalize

    try:
        token, _ = normalize(text)
    except TokenTooLong:  # said by verify() in its own words
        return text, None
    if "~" not in token:
        return text, None
    sd = decode(token).sd_jwt
    return (sd.issuer_jwt, sd) if sd is not None else (text, None)


def _sd_check(sd: SdJwt, request: VerifyRequest) -> SdJwtVerifyResult:
    from toolbox.core.jwt.sdjwt import check

    done = check(sd, audience=request.kb_audience, nonce=request.kb_nonce, max_age=request.kb_max_age,
                 leeway=request.leeway, now=time.time())
    kb = done.key_binding
    return SdJwtVerifyResult(valid=done.valid, reasons=done.reasons, key_binding=kb,
                             key_binding_valid=kb.valid if kb is not None else None)


def _key_type_of(request: VerifyRequest) -> tuple[str, str]:
    """(key text, key type) with "auto" resolved by the one detection function (core/jwt/infer.py)."""
    if request.key_type != AUTO:
        return request.key, request.key_type
    from toolbox.core.jwt.infer import infer_key_type, token_alg

    inferred = infer_key_type(request.key, token_alg(request.token))
    return inferred.key_text, inferred.key_type


def _fetched_keys(key_type: str, url: str, context: Context, keysets: KeySetCache | None,
                  may_fetch: bool) -> FetchedKeys | None:
    """The key set at `url`: fetched when `may_fetch` (an explicit action, so a rotated key shows at once),
    else from `keysets` when fetched there in the last minute, else None.

    Only through the SSRF-safe fetcher under the TOOLBOX_FETCH_* policy; a URL found inside the token
    is never followed.
    """
    from toolbox.core.jwt.remote_keys import FetchedKeys, RemoteKeyError, jwks_from_issuer, jwks_from_url

    if not may_fetch:  # typing in other fields: reuse what the last press of the button fetched
        cached = keysets.get(key_type, url) if keysets is not None else None
        return FetchedKeys(cached.jwks, cached.source + ", reused from the last minute") if cached else None
    policy = context.settings.fetch_policy()
    context.before_fetch()  # here, right before fetching: the web spends the client's fetch budget (429)
    try:
        if key_type == "jwks-url":
            fetched = FetchedKeys(jwks_from_url(url, policy), f"JWKS fetched from {url}")
        else:
            jwks_uri, jwks = jwks_from_issuer(url, policy)
            fetched = FetchedKeys(jwks, f"JWKS fetched from {jwks_uri} (OIDC discovery of {url})")
    except RemoteKeyError as err:
        # The reason never names an internal address (the fetcher words it so); the web logs refusals.
        kind = ErrorKind.REFUSED if err.refused else ErrorKind.FAILED
        raise OpError(kind, str(err), title="Key set not fetched", reason=str(err)) from None
    if keysets is not None:
        keysets.put(key_type, url, fetched)
    return fetched


@operation("jwt/encode", summary="Sign a token from header and payload", request=EncodeRequest,
           result=EncodeResult)
def encode_token(request: EncodeRequest, context: Context) -> EncodeResult:
    """Encode and sign; relative times such as "+15m" are resolved against this machine's clock."""
    from toolbox.core.jwt.changes import changes, original_of
    from toolbox.core.jwt.encode import sign

    try:
        original = original_of(request.original) if request.original.strip() else None
    except JwtInputError as err:
        raise OpError(ErrorKind.INPUT, f"Original token: {err}.", title="Original token unreadable") from None
    try:
        signed = sign(request.header, request.payload, request.alg, request.key, request.key_type)
    except JwtInputError as err:  # a key that cannot sign with alg, a time that does not read, ...
        raise OpError(ErrorKind.UNUSABLE, str(err), title="Cannot sign") from None
    edited = None
    if original is not None:  # compared as signed: relative times resolved, alg in the header
        new = original_of(signed.token)
        edited = changes(original, new.header, new.payload)
    return EncodeResult(token=signed.token, key_type=signed.key_type, key_read_as=signed.read_as,
                        changes=edited)


@operation("jwt/keys", summary="Generate a test key (PEM and JWK)", request=KeysRequest, result=GeneratedKey)
def generate_test_key(request: KeysRequest, context: Context) -> GeneratedKey:
    """A fresh random key of the requested kind, kid = its RFC 7638 thumbprint."""
    from toolbox.core.jwt.keygen import generate_key

    try:
        return generate_key(request.kind)
    except JwtInputError as err:
        raise OpError(ErrorKind.UNUSABLE, str(err), title="Cannot generate this key") from None


@operation("token/issue", summary="Mint a short-lived API token (HMAC mode)", request=IssueTokenRequest,
           result=IssuedToken, api=False)  # never served: an API client must not mint API tokens
def issue_api_token(request: IssueTokenRequest, context: Context) -> IssuedToken:
    """Sign an HS256 token for `subject` with TOOLBOX_API_JWT_KEY, living at most TOOLBOX_API_JWT_MAX_TTL."""
    from toolbox.core.apitoken import issue_token

    settings = context.settings
    if not settings.api_jwt_key:
        raise OpError(ErrorKind.UNUSABLE, "TOOLBOX_API_JWT_KEY is not set; API authentication is off",
                      title="No API key")
    lifetime = settings.api_jwt_max_ttl if request.ttl is None else request.ttl
    if lifetime > settings.api_jwt_max_ttl:
        raise OpError(ErrorKind.TOO_LARGE, f"a lifetime of {lifetime} s exceeds TOOLBOX_API_JWT_MAX_TTL "
                                           f"({settings.api_jwt_max_ttl})", title="Lifetime too long")
    now = int(time.time())
    try:
        token = issue_token(settings.api_jwt_key, request.subject, lifetime,
                            audience=settings.api_jwt_audience, issuer=settings.api_jwt_issuer, now=now)
    except ValueError as err:  # a public key (verify-only mode) or a secret too short to sign with
        raise OpError(ErrorKind.UNUSABLE, f"TOOLBOX_API_JWT_KEY cannot sign: {err}",
                      title="No API key") from None
    return IssuedToken(token=token, subject=request.subject, expires=now + lifetime)


def default_of(request_type: type[msgspec.Struct], name: str) -> Any:
    """The default `request_type` declares for the field `name`: adapters show it, nobody repeats it."""
    field = next(f for f in msgspec.structs.fields(request_type) if f.name == name)
    return field.default


def _check_length(token: str) -> None:
    """Refuse a pasted text longer than any token (the core's own limit, said before any work)."""
    if len(token) > MAX_TOKEN_CHARS:
        raise OpError(ErrorKind.TOO_LARGE, f"the input is {len(token)} characters; the limit is "
                                           f"{MAX_TOKEN_CHARS}", title="Token too long")
