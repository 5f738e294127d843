"""Short-lived JWTs that authenticate API clients when TOOLBOX_API_JWT_KEY is set."""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any

import jwt
from cryptography.hazmat.primitives.asymmetric import ec, ed448, ed25519, rsa
from cryptography.hazmat.primitives.serialization import load_pem_public_key
from jwt.types import Options

from toolbox.core.jwt import keybounds
from toolbox.core.jwt.claims import is_numeric_date

HMAC_ALGORITHMS = ("HS256", "HS384", "HS512")
MIN_HMAC_BYTES = 32
MIN_RSA_BITS = 2048
MAX_KEY_CHARS = 16 * 1024  # an 8192-bit RSA public key in PEM is about 1 500 characters
LEEWAY_SECONDS = 10

_EC_ALGORITHMS = {"secp256r1": "ES256", "secp384r1": "ES384", "secp521r1": "ES512", "secp256k1": "ES256K"}


@dataclass(frozen=True)
class VerificationKey:
    """A key and the only algorithms it may verify (the algorithm is pinned by key type)."""

    kind: str
    key: Any
    algorithms: tuple[str, ...]


class ApiTokenError(Exception):
    """A token was refused; `reason` is a stable code, `detail` a sentence for the client."""

    def __init__(self, reason: str, detail: str) -> None:
        super().__init__(detail)
        self.reason = reason
        self.detail = detail


def load_verification_key(text: str) -> VerificationKey:
    """Turn TOOLBOX_API_JWT_KEY into a key; PEM means a public key, anything else an HMAC secret."""
    if text.lstrip().startswith("-----BEGIN"):
        if "PRIVATE KEY" in text:
            raise ValueError("give the public key in PEM form, not the private key")
        if len(text) > MAX_KEY_CHARS:
            raise ValueError(f"the key is {len(text)} characters; the limit is {MAX_KEY_CHARS}")
        label, block = keybounds.pem_block(text.strip())
        if label not in ("PUBLIC KEY", "RSA PUBLIC KEY"):
            raise ValueError(f"expected a PEM PUBLIC KEY, not {label}")
        # Sizes and family are checked on the encoding before the key is loaded (keybounds.py).
        keybounds.check_pem(label, keybounds.pem_der(block, label), signing=False)
        try:
            key = load_pem_public_key(block.encode())
        except (ValueError, TypeError):
            raise ValueError("not a readable PEM public key (SubjectPublicKeyInfo)") from None
        if isinstance(key, rsa.RSAPublicKey):
            if key.key_size < MIN_RSA_BITS:
                raise ValueError(f"RSA key has {key.key_size} bits; at least {MIN_RSA_BITS} needed")
            algs = ("RS256", "RS384", "RS512", "PS256", "PS384", "PS512")
            return VerificationKey("rsa", key, algs)
        if isinstance(key, ec.EllipticCurvePublicKey):
            alg = _EC_ALGORITHMS.get(key.curve.name)
            if alg is None:
                raise ValueError(f"EC curve {key.curve.name} is not usable for JWT")
            return VerificationKey("ec", key, (alg,))
        if isinstance(key, ed25519.Ed25519PublicKey | ed448.Ed448PublicKey):
            return VerificationKey("okp", key, ("EdDSA",))
        raise ValueError("unsupported public key type (use RSA, EC or Ed25519)")
    secret = text.encode("utf-8")
    if len(secret) < MIN_HMAC_BYTES:
        raise ValueError(f"an HMAC secret must be at least {MIN_HMAC_BYTES} bytes")
    return VerificationKey("hmac", secret, HMAC_ALGORITHMS)


def issue_token(
    secret: str,
    subject: str,
    ttl: int,
    *,
    audience: str = "",
    issuer: str = "",
    now: float | None = None,
) -> str:
    """Mint an HS256 API token for `subject` valid for `ttl` seconds."""
    key = load_verification_key(secret)
    if key.kind != "hmac":
        raise ValueError("tokens can only be issued here in HMAC mode (the key is a public key)")
    issued = int(time.time() if now is None else now)
    claims: dict[str, Any] = {"sub": subject, "iat": issued, "exp": issued + ttl}
    if audience:
        claims["aud"] = audience
    if issuer:
        claims["iss"] = issuer
    return jwt.encode(claims, key.key, algorithm="HS256")


def verify_token(
    token: str,
    key: VerificationKey,
    *,
    max_ttl: int,
    audience: str = "",
    issuer: str = "",
    now: float | None = None,
) -> dict[str, Any]:
    """Return the claims of a valid API token or raise ApiTokenError saying why not."""
    current = time.time() if now is None else now
    try:
        header = jwt.get_unverified_header(token)
    except jwt.DecodeError:
        raise ApiTokenError("malformed", "The bearer token is not a JWT.") from None
    alg = header.get("alg")
    if not isinstance(alg, str) or alg not in key.algorithms:
        raise ApiTokenError(
            "algorithm-not-allowed",
            f"Token algorithm {str(alg)[:20]!r} is not accepted; allowed: {', '.join(key.algorithms)}.",
        )
    # Time claims are checked below against `current` (one clock for every check, testable).
    options: Options = {
        "require": ["exp"],
        "verify_aud": bool(audience),
        "verify_exp": False,
        "verify_nbf": False,
        "verify_iat": False,
    }
    try:
        claims: dict[str, Any] = jwt.decode(
            token,
            key.key,
            algorithms=list(key.algorithms),
            audience=audience or None,
            issuer=issuer or None,
            options=options,
        )
    except jwt.MissingRequiredClaimError as err:
        raise ApiTokenError(f"missing-{err.claim}", f"The token has no '{err.claim}' claim.") from None
    except jwt.InvalidAudienceError:
        raise ApiTokenError("wrong-audience", "The token's audience is not this API.") from None
    except jwt.InvalidIssuerError:
        raise ApiTokenError("wrong-issuer", "The token's issuer is not trusted.") from None
    except jwt.InvalidSignatureError:
        raise ApiTokenError("bad-signature", "The token's signature does not verify.") from None
    except jwt.InvalidTokenError:
        raise ApiTokenError("invalid", "The token is not valid.") from None
    _check_times(claims, max_ttl, current)
    return claims


def _number(claims: dict[str, Any], name: str) -> float | None:
    """A NumericDate claim, or None when absent; anything else is an invalid token."""
    value = claims.get(name)
    if value is None:
        return None
    # Only finite numbers from 1970 to the year 9999: NaN compares false with everything (a NaN exp
    # never expired), infinities and 400-digit integers break the arithmetic, booleans are not numbers.
    if not is_numeric_date(value):
        raise ApiTokenError("invalid", f"The token's '{name}' is not a NumericDate (a finite number of "
                                       "seconds since 1970, before the year 10000).")
    return float(value)


def _check_times(claims: dict[str, Any], max_ttl: int, now: float) -> None:
    """Expiry, not-before, issued-at, and a bounded lifetime (declared and remaining)."""
    exp = _number(claims, "exp")
    assert exp is not None  # nosec B101  # "exp" is required above: narrows the type, checks nothing
    iat = _number(claims, "iat")
    nbf = _number(claims, "nbf")
    if now > exp + LEEWAY_SECONDS:
        raise ApiTokenError("expired", "The token has expired.")
    if nbf is not None and nbf > now + LEEWAY_SECONDS:
        raise ApiTokenError("not-yet-valid", "The token is not valid yet.")
    if iat is not None and iat > now + LEEWAY_SECONDS:
        raise ApiTokenError("iat-in-future", "The token claims to be issued in the future.")
    if exp - now > max_ttl + LEEWAY_SECONDS or (iat is not None and exp - iat > max_ttl):
        raise ApiTokenError(
            "lifetime-too-long", f"The token lives longer than the {max_ttl} s this API allows."
        )
