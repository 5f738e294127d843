"""Fetch a JWKS for verification when the user explicitly asks (key_type jwks-url / issuer)."""

from __future__ import annotations

from flask import current_app

from toolbox import settings_of
from toolbox.core.jwt.remote_keys import REMOTE_KEY_TYPES, RemoteKeyError, jwks_from_issuer, jwks_from_url
from toolbox.core.net import FetchPolicy
from toolbox.web.ratelimit import count_fetch
from toolbox.web.requestlog import security_event


def fetch_policy() -> FetchPolicy:
    """The outbound-fetch policy from the TOOLBOX_FETCH_* settings."""
    return settings_of(current_app).fetch_policy()


def resolve_key(key_text: str, key_type: str) -> tuple[str, str, str | None]:
    """(key text, key type, where it came from): URL key types become a fetched JWKS."""
    if key_type not in REMOTE_KEY_TYPES:
        return key_text, key_type, None
    count_fetch()  # here, where the fetch is done: 429 once the client's fetch budget is spent
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

