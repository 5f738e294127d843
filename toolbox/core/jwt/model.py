"""Typed results of the JWT tool: what decoding, verifying, auditing and encoding return."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal

from toolbox.core.findings import SEVERITY_ORDER as SEVERITY_ORDER  # the one scale, re-exported
from toolbox.core.findings import Finding as Finding
from toolbox.core.findings import Severity as Severity

if TYPE_CHECKING:
    from toolbox.core.jwt.sdjwt import SdJwt

Kind = Literal["jws", "jwe", "unsecured", "unknown", "sd-jwt"]
PayloadFormat = Literal["json", "text", "binary", "encrypted", "missing"]
State = Literal["valid", "expired", "not-yet-valid", "no-expiry", "unknown"]


@dataclass(frozen=True)
class Segment:
    """One dot-separated part of the token as given, and what it decoded to."""

    name: str  # header, payload, signature; for JWE: header, encrypted_key, iv, ciphertext, tag
    text: str  # the base64url text exactly as in the (normalised) token
    start: int  # offset of `text` in the normalised token
    data: bytes | None  # decoded bytes, None when the base64url is broken
    error: str | None  # why this part failed, in words ("bad base64url at char 17: '*'")


@dataclass(frozen=True)
class TimeInfo:
    """A NumericDate claim shown as UTC ISO 8601 and relative to the server clock."""

    timestamp: float
    iso: str  # 2026-11-27T22:48:00Z
    relative: str  # "3 days ago", "in 14 min"


@dataclass(frozen=True)
class Claim:
    """A payload member with a plain-words description when it is a known claim."""

    name: str
    value: Any
    description: str | None
    time: TimeInfo | None = None


@dataclass(frozen=True)
class TokenStatus:
    """Whether the token is valid *now* by its time claims (signature not considered)."""

    state: State
    message: str  # "expired 3 days ago", "not expired · 14 min left", "no expiry"
    now: int  # the server clock used, seconds since the epoch
    leeway: int


@dataclass(frozen=True)
class Decoded:
    """Everything a token says, even when parts of it are damaged."""

    token: str  # the normalised token (prefixes, quotes and whitespace removed)
    notes: tuple[str, ...]  # what normalisation did: "removed 'Bearer ' prefix", ...
    kind: Kind
    segments: tuple[Segment, ...]
    header: dict[str, Any] | None
    payload: Any  # the JSON value when payload_format == "json", else None
    payload_text: str | None  # UTF-8 text of the payload (JSON or not), when it is text
    payload_hex: str | None  # hex of a binary payload
    payload_format: PayloadFormat
    signature: str  # base64url text of the signature part ("" when unsecured)
    errors: tuple[str, ...]  # every problem, in words, with part and position
    claims: tuple[Claim, ...]
    status: TokenStatus
    findings: tuple[Finding, ...]
    nested: Decoded | None = None  # inner token when cty is JWT
    sd_jwt: SdJwt | None = None  # kind "sd-jwt": disclosures, rebuilt claims

    @property
    def decodes(self) -> bool:
        """True when at least the header decoded to a JSON object."""
        return self.header is not None


@dataclass(frozen=True)
class KeyAttempt:
    """The outcome of trying one key (from a JWKS, or the single given key)."""

    label: str  # "kid=abc (RSA 2048)", "the given key"
    kid: str | None
    verified: bool
    reason: str | None  # why not, in words


@dataclass(frozen=True)
class Verification:
    """Signature and claim checks for one token against one key (or key set)."""

    verified: bool  # the signature verified with a key whose type matches the algorithm
    alg: str | None
    kid: str | None
    key_description: str  # "RSA public key, 2048 bits", "HMAC secret, 32 bytes (UTF-8)"
    reason: str | None  # why verification failed, in words; None when verified
    claims_valid: bool
    claim_errors: tuple[str, ...]
    attempts: tuple[KeyAttempt, ...]
    findings: tuple[Finding, ...]
    snippet: str  # Python (PyJWT) code that performs the same check
    decoded: Decoded | None = None
    notes: tuple[str, ...] = ()  # about the key input: "a private key was given: ...", "skipped key #3: ..."
    key_type: str = ""  # the key type used ("pem"), detected when "auto" was asked for
    read_as: str = ""  # what the key text was read as: "PEM public key (RSA 2048)", "JWK Set (3 keys)"


@dataclass(frozen=True)
class GeneratedKey:
    """A freshly generated test key, in the forms people paste elsewhere."""

    kind: str  # "HS256 secret", "RSA 2048", "EC P-256", "Ed25519", ...
    algorithm: str  # the JWS alg to use with it
    private_pem: str | None
    public_pem: str | None
    private_jwk: dict[str, Any] = field(default_factory=dict)
    public_jwk: dict[str, Any] = field(default_factory=dict)
    secret: str | None = None  # for HMAC: base64url of the random bytes


class JwtInputError(ValueError):
    """Input the tool cannot work with (bad key, bad JSON, unknown algorithm): a 422 / exit 2."""
