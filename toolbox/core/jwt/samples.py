"""Built-in sample tokens and keys for "Try a sample": obviously samples, never anyone's real key.

The HMAC secret is a fixed, public test value; the RSA pair is generated once per process when a
sample first needs it. Tokens are signed at request time so that their times are always current.
"""

from __future__ import annotations

import functools
import time
from dataclasses import dataclass
from typing import Any

SAMPLE_SECRET = "toolbox-sample-secret-not-for-real-use-0123"  # noqa: S105 - public on purpose  # nosec B105
SAMPLE_ISSUER = "https://issuer.example"
SAMPLE_AUDIENCE = "sample-api"
SAMPLE_HEADER: dict[str, Any] = {"typ": "JWT"}


@dataclass(frozen=True)
class Sample:
    """A sample: a token (for the decode page), the key that checks it, and its encode-page form."""

    name: str
    description: str
    alg: str
    token: str
    key: str  # the key that verifies the token (a secret, or a public key PEM)
    signing_key: str  # the key that signs it (the secret, or the private key PEM)
    header: dict[str, Any]
    payload: dict[str, Any]  # as the encode page shows it, with "now" / "+15m" times
    audience: str = SAMPLE_AUDIENCE
    issuer: str = SAMPLE_ISSUER


SAMPLES = {
    "hs256": "An HS256 token with its sample secret: Verified",
    "rs256": "An RS256 token with a sample RSA public key (PEM): Verified",
    "expired": "An HS256 token that expired an hour ago: Rejected",
}


@functools.cache
def _sample_rsa() -> tuple[str, str]:
    """(private PEM, public PEM) of a sample RSA 2048 key, generated once per process."""
    from .keygen import generate_key

    generated = generate_key("RSA-2048")
    assert generated.private_pem and generated.public_pem  # nosec B101  # narrows the type, checks no input
    return generated.private_pem, generated.public_pem


def sample(name: str, now: float | None = None) -> Sample | None:
    """The sample called `name` (one of SAMPLES), signed now; None for any other name."""
    from .encode import encode

    if name not in SAMPLES:
        return None
    clock = int(time.time() if now is None else now)
    expired = name == "expired"
    payload: dict[str, Any] = {"sub": "sample-user", "name": "Sample User", "iss": SAMPLE_ISSUER,
                               "aud": SAMPLE_AUDIENCE, "iat": "-2h" if expired else "now",
                               "exp": "-1h" if expired else "+15m"}
    if name == "rs256":
        alg, (signing_key, key) = "RS256", _sample_rsa()
        header = {**SAMPLE_HEADER, "kid": "sample-rsa-key"}
    else:
        alg, signing_key, key, header = "HS256", SAMPLE_SECRET, SAMPLE_SECRET, dict(SAMPLE_HEADER)
    token = encode(header, payload, alg, signing_key, "auto", now=clock)
    return Sample(name, SAMPLES[name], alg, token, key, signing_key, header, payload)
