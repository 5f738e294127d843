"""Keys fetched on explicit request: a JWKS by URL, or through an issuer's OIDC discovery.

Only ever through the SSRF-safe fetcher, and never from URLs found inside a token (`jku`,
`x5u` and `iss` are reported by the audit, not followed).
"""

from __future__ import annotations

import json
from typing import Any

from toolbox.core.jwt.model import JwtInputError
from toolbox.core.net import FetchError, FetchPolicy, FetchRefused, fetch

DISCOVERY_PATH = "/.well-known/openid-configuration"
REMOTE_KEY_TYPES = ("jwks-url", "issuer")


class RemoteKeyError(JwtInputError):
    """The key set could not be fetched; `refused` is True when the fetch policy said no."""

    def __init__(self, message: str, *, refused: bool) -> None:
        super().__init__(message)
        self.refused = refused


def _get_json(url: str, what: str, policy: FetchPolicy) -> dict[str, Any]:
    try:
        result = fetch(url, policy=policy, headers=[("Accept", "application/json")])
    except FetchRefused as err:
        raise RemoteKeyError(f"The {what} URL was refused: {err.reason}.", refused=True) from None
    except FetchError as err:
        raise RemoteKeyError(f"The {what} could not be fetched: {err.reason}.", refused=False) from None
    status = result.final.status
    if status != 200:
        raise RemoteKeyError(f"The {what} URL answered HTTP {status}, not 200.", refused=False)
    if result.body_truncated:
        raise RemoteKeyError(f"The {what} is larger than this server reads.", refused=False)
    try:
        value = json.loads(result.body.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError):
        raise RemoteKeyError(f"The {what} is not JSON.", refused=False) from None
    if not isinstance(value, dict):
        raise RemoteKeyError(f"The {what} is not a JSON object.", refused=False)
    return value


def jwks_from_url(url: str, policy: FetchPolicy) -> str:
    """Fetch a JWKS document and return its text for `verify(..., key_type="jwks")`."""
    document = _get_json(url.strip(), "JWKS", policy)
    if not isinstance(document.get("keys"), list):
        raise RemoteKeyError("The JWKS has no \"keys\" array.", refused=False)
    return json.dumps(document)


def jwks_from_issuer(issuer: str, policy: FetchPolicy) -> tuple[str, str]:
    """OIDC discovery: (jwks_uri, JWKS text) for an issuer such as https://login.example.com."""
    base = issuer.strip().rstrip("/")
    config = _get_json(base + DISCOVERY_PATH, "OpenID configuration", policy)
    declared = config.get("issuer")
    if isinstance(declared, str) and declared.rstrip("/") != base:
        # OIDC Discovery §4.3: the document must name the issuer it was fetched for.
        raise RemoteKeyError(f"The discovery document names another issuer ({declared[:200]!r}).",
                             refused=False)
    jwks_uri = config.get("jwks_uri")
    if not isinstance(jwks_uri, str) or not jwks_uri:
        raise RemoteKeyError("The OpenID configuration has no \"jwks_uri\".", refused=False)
    return jwks_uri, jwks_from_url(jwks_uri, policy)
