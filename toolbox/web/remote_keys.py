"""Fetch a JWKS for verification when the user explicitly asks (key_type jwks-url / issuer)."""

from __future__ import annotations

from flask import current_app, request

from toolbox import settings_of
from toolbox.core.jwt.remote_keys import REMOTE_KEY_TYPES, RemoteKeyError, jwks_from_issuer, jwks_from_url
from toolbox.core.net import FetchPolicy
from toolbox.web.requestlog import security_event


def fetch_policy() -> FetchPolicy:
    """The outbound-fetch policy from the TOOLBOX_FETCH_* settings."""
    return settings_of(current_app).fetch_policy()


def resolve_key(key_text: str, key_type: str) -> tuple[str, str, str | None]:
    """(key text, key type, where it came from): URL key types become a fetched JWKS."""
    if key_type not in REMOTE_KEY_TYPES:
        return key_text, key_type, None
    try:
        if key_type == "jwks-url":
            return jwks_from_url(key_text, fetch_policy()), "jwks", f"JWKS fetched from {key_text.strip()}"
        jwks_uri, jwks = jwks_from_issuer(key_text, fetch_policy())
        return jwks, "jwks", f"JWKS fetched from {jwks_uri} (OIDC discovery of {key_text.strip()})"
    except RemoteKeyError as err:
        if err.refused:
            # The reason never names an internal address; the URL itself is user input: not logged.
            security_event("fetch-refused", reason=str(err))
        raise


def uses_remote_key() -> bool:
    """Whether this request asks the server to fetch a key (the stricter fetch limit applies)."""
    if request.is_json:
        body = request.get_json(silent=True)
        key_type = body.get("key_type") if isinstance(body, dict) else None
    else:
        key_type = request.form.get("key_type")
    return key_type in REMOTE_KEY_TYPES
