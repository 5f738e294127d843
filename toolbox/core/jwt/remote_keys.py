"""Keys fetched on explicit request: a JWKS by URL, or through an issuer's OIDC discovery.

Only ever through the SSRF-safe fetcher, and never from URLs found inside a token (`jku`,
`x5u` and `iss` are reported by the audit, not followed).
"""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import urlsplit

from toolbox.core.jwt.model import JwtInputError
from toolbox.core.net import FetchError, FetchPolicy, FetchRefused, fetch

DISCOVERY_PATH = "/.well-known/openid-configuration"
REMOTE_KEY_TYPES = ("jwks-url", "issuer")
MAX_URL_CHARS = 2048


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
    # OIDC Discovery 1.0 §4.3: the document must name, as a string, the issuer it was fetched for; a
    # document without one could be any JSON a server answers with (an open redirect, a default page).
    if not isinstance(declared, str) or not declared:
        raise RemoteKeyError("The OpenID configuration has no \"issuer\" string, so it cannot be trusted "
                             f"to describe {base[:200]!r}.", refused=False)
    if declared.rstrip("/") != base:
        raise RemoteKeyError(f"The discovery document names another issuer ({declared[:200]!r}).",
                             refused=False)
    jwks_uri = _jwks_uri(config.get("jwks_uri"), base)
    return jwks_uri, jwks_from_url(jwks_uri, policy)


def _jwks_uri(value: Any, issuer: str) -> str:
    """The discovery document's jwks_uri: an absolute https URL (http only for an http issuer)."""
    if not isinstance(value, str) or not value.strip():
        raise RemoteKeyError("The OpenID configuration has no \"jwks_uri\" string.", refused=False)
    if len(value) > MAX_URL_CHARS:
        raise RemoteKeyError(f"The OpenID configuration's \"jwks_uri\" is longer than {MAX_URL_CHARS} "
                             "characters.", refused=False)
    try:
        parts = urlsplit(value.strip())
    except ValueError:
        parts = None
    allowed = ("https",) if urlsplit(issuer).scheme.lower() == "https" else ("https", "http")
    if parts is None or parts.scheme.lower() not in allowed or not parts.hostname:
        need = "an absolute https URL" if allowed == ("https",) else "an absolute http(s) URL"
        raise RemoteKeyError(f"The OpenID configuration's \"jwks_uri\" ({value[:200]!r}) is not {need}.",
                             refused=False)
    return value.strip()
