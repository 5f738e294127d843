"""Keys fetched on explicit request: a JWKS by URL, or through an issuer's OIDC discovery.

Only ever through the SSRF-safe fetcher, and never from URLs found inside a token (`jku`,
`x5u` and `iss` are reported by the audit, not followed).
"""

from __future__ import annotations

import hashlib
import json
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from toolbox.core.jwt import options
from toolbox.core.jwt.jwk import PRIVATE_MEMBERS
from toolbox.core.jwt.model import JwtInputError
from toolbox.core.net import FetchError, FetchPolicy, FetchReason, FetchRefused, fetch

DISCOVERY_PATH = "/.well-known/openid-configuration"
REMOTE_KEY_TYPES = options.REMOTE_KEY_TYPES
MAX_URL_CHARS = 2048
CACHE_SECONDS = 60.0
CACHE_ENTRIES = 32
# Reasons that say the URL is not finished (or not a URL), not that the policy refused it: a
# half-typed URL is a typing state, never a security event.
_UNFINISHED = frozenset({FetchReason.NOT_ABSOLUTE, FetchReason.NO_HOST, FetchReason.CONTROL,
                         FetchReason.TOO_LONG, FetchReason.BAD_HOST, FetchReason.BAD_PORT,
                         FetchReason.BAD_IPV4, FetchReason.BAD_IPV6})


class RemoteKeyError(JwtInputError):
    """The key set could not be fetched; `refused` is True when the fetch policy said no."""

    def __init__(self, message: str, *, refused: bool, status: int | None = None) -> None:
        super().__init__(message)
        self.refused = refused
        self.status = status  # the HTTP status when the server answered, but not 200


def fetch_json(url: str, what: str, policy: FetchPolicy) -> dict[str, Any]:
    """The JSON object at `url` (a discovery document, a JWKS as published: the key set linter)."""
    return _get_json(url, what, policy)


def _get_json(url: str, what: str, policy: FetchPolicy) -> dict[str, Any]:
    try:
        result = fetch(url, policy=policy, headers=[("Accept", "application/json")])
    except FetchRefused as err:
        if err.why in _UNFINISHED and not err.hops:
            raise RemoteKeyError(f"The {what} URL is not complete: {err.reason}.", refused=False) from None
        raise RemoteKeyError(f"The {what} URL was refused: {err.reason}.", refused=True) from None
    except FetchError as err:
        raise RemoteKeyError(f"The {what} could not be fetched: {err.reason}.", refused=False) from None
    status = result.final.status
    if status != 200:
        raise RemoteKeyError(f"The {what} URL answered HTTP {status}, not 200.", refused=False, status=status)
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
    keys = document.get("keys")
    if not isinstance(keys, list):
        raise RemoteKeyError("The JWKS has no \"keys\" array.", refused=False)
    # Verifying needs public members only: private ones a careless server publishes are not kept.
    public = [{k: v for k, v in key.items() if k not in PRIVATE_MEMBERS} if isinstance(key, dict) else key
              for key in keys]
    return json.dumps({**document, "keys": public})


def jwks_from_issuer(issuer: str, policy: FetchPolicy) -> tuple[str, str]:
    """OIDC discovery: (jwks_uri, JWKS text) for an issuer such as https://login.example.com."""
    base = issuer.strip().rstrip("/").removesuffix(DISCOVERY_PATH)  # the discovery URL itself is fine too
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


@dataclass(frozen=True)
class FetchedKeys:
    """A fetched key set (public members only) and where it came from, as the result says it."""

    jwks: str
    source: str


class KeySetCache:
    """Key sets fetched in the last `ttl` seconds, per key type and URL, at most `max_entries`.

    It holds only what was fetched (a public key set and its source); the URL is kept as a hash,
    and no token, secret or result is ever stored. It lets a page re-verify while other fields
    change without fetching again, and without fetching on every keystroke.
    """

    def __init__(self, ttl: float = CACHE_SECONDS, max_entries: int = CACHE_ENTRIES,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.ttl, self.max_entries, self._clock = ttl, max_entries, clock
        self._entries: OrderedDict[str, tuple[float, FetchedKeys]] = OrderedDict()
        self._lock = threading.Lock()

    @staticmethod
    def _key(key_type: str, url: str) -> str:
        return hashlib.sha256(f"{key_type}\0{url.strip()}".encode("utf-8", "surrogatepass")).hexdigest()

    def get(self, key_type: str, url: str) -> FetchedKeys | None:
        """The key set fetched for (key_type, url) less than `ttl` seconds ago, else None."""
        key, now = self._key(key_type, url), self._clock()
        with self._lock:
            entry = self._entries.get(key)
            if entry is None:
                return None
            if now - entry[0] >= self.ttl:
                del self._entries[key]
                return None
            return entry[1]

    def put(self, key_type: str, url: str, fetched: FetchedKeys) -> None:
        """Remember a fetched key set; the oldest entry goes when the cache is full."""
        key, now = self._key(key_type, url), self._clock()
        with self._lock:
            self._entries.pop(key, None)
            self._entries[key] = (now, fetched)
            while len(self._entries) > self.max_entries:
                self._entries.popitem(last=False)

    def __len__(self) -> int:
        return len(self._entries)
