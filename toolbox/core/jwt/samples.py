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
    kb_audience: str = ""  # SD-JWT: what the key-binding JWT is for
    kb_nonce: str = ""


SAMPLES = {
    "hs256": "An HS256 token with its sample secret: Verified",
    "rs256": "An RS256 token with a sample RSA public key (PEM): Verified",
    "expired": "An HS256 token that expired an hour ago: Rejected",
    "sd-jwt": "An SD-JWT VC (ES256) showing 4 of its 6 disclosable claims, with a key-binding JWT: Verified",
}
# Not in SAMPLES (whose tokens PyJWT verifies): a JWE decrypts, and its inner token verifies.
JWE_SAMPLE = "A JWE (RSA-OAEP-256, A256GCM) carrying a signed HS256 token, with the sample RSA private key"
SAMPLE_VERIFIER = "https://verifier.example"
SAMPLE_NONCE = "sample-nonce-0123456789"


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

    if name == "jwe":
        return _jwe_sample(int(time.time() if now is None else now))
    if name not in SAMPLES:
        return None
    clock = int(time.time() if now is None else now)
    if name == "sd-jwt":
        return _sd_jwt_sample(clock)
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


@functools.cache
def _sample_ec(kind: str) -> tuple[str, str, dict[str, Any]]:
    """(private PEM, public PEM, public JWK) of a sample EC P-256 key, generated once per process."""
    from .keygen import generate_key

    generated = generate_key("P-256")
    assert generated.private_pem and generated.public_pem  # nosec B101  # narrows the type, checks no input
    return generated.private_pem, generated.public_pem, generated.public_jwk


def _sd_jwt_sample(clock: int) -> Sample:
    """An SD-JWT VC (RFC 9901, typ dc+sd-jwt): six claims selectively disclosable (one an array element),
    two decoys, four disclosed, a KB-JWT signed by the holder's cnf key over this very presentation."""
    import json
    import secrets

    from . import b64
    from .encode import encode
    from .sdjwt import digest_of

    def disclose(*parts: Any) -> tuple[str, str]:
        text = b64.encode(json.dumps([b64.encode(secrets.token_bytes(16)), *parts]).encode())
        return text, digest_of(text)

    given, family = disclose("given_name", "Erika"), disclose("family_name", "Mustermann")
    birthdate, email = disclose("birthdate", "1963-08-12"), disclose("email", "erika@example.com")
    de, phone = disclose("DE"), disclose("phone_number", "+49 30 123456")
    decoys = [digest_of(b64.encode(secrets.token_bytes(16))) for _ in range(2)]
    issuer_key, _, _ = _sample_ec("issuer")
    holder_key, _, holder_jwk = _sample_ec("holder")
    _, issuer_public, _ = _sample_ec("issuer")
    payload: dict[str, Any] = {
        "_sd": sorted([given[1], family[1], birthdate[1], email[1], phone[1], *decoys]),
        "iss": SAMPLE_ISSUER, "sub": "sample-user", "iat": clock, "exp": clock + 900,
        "vct": "https://credentials.example/identity_credential", "nationalities": [{"...": de[1]}],
        "_sd_alg": "sha-256", "cnf": {"jwk": {k: holder_jwk[k] for k in ("kty", "crv", "x", "y")}},
    }
    header = {"typ": "dc+sd-jwt", "kid": "sample-issuer-key"}
    issued = encode(header, payload, "ES256", issuer_key, "auto", now=clock)
    presented = "~".join([issued, given[0], family[0], birthdate[0], de[0]]) + "~"
    kb = encode({"typ": "kb+jwt"}, {"iat": clock, "aud": SAMPLE_VERIFIER, "nonce": SAMPLE_NONCE,
                                     "sd_hash": digest_of(presented)}, "ES256", holder_key, "auto", now=clock)
    shown = {k: v for k, v in payload.items() if k != "_sd"}
    return Sample("sd-jwt", SAMPLES["sd-jwt"], "ES256", presented + kb, issuer_public, issuer_key, header,
                  shown, audience="", kb_audience=SAMPLE_VERIFIER, kb_nonce=SAMPLE_NONCE)


def _jwe_sample(clock: int) -> Sample:
    """The hs256 sample encrypted to the sample RSA key (RSA-OAEP-256, A256GCM, cty JWT); its key is the
    private key that decrypts it, its signing key the inner token's secret."""
    from joserfc import jwe
    from joserfc.jwk import RSAKey

    inner = sample("hs256", clock)
    assert inner is not None  # nosec B101  # a known sample name (narrows the type)
    private_pem, public_pem = _sample_rsa()
    header = {"alg": "RSA-OAEP-256", "enc": "A256GCM", "cty": "JWT", "kid": "sample-rsa-key"}
    token = jwe.encrypt_compact(header, inner.token, RSAKey.import_key(public_pem),
                                algorithms=["RSA-OAEP-256", "A256GCM"])
    return Sample("jwe", JWE_SAMPLE, inner.alg, token, private_pem, inner.signing_key, inner.header,
                  inner.payload)
