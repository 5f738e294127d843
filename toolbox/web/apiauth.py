"""Optional API authentication: a short-lived bearer JWT on every /api/v1 request."""

from __future__ import annotations

from flask import Flask, g, request

from toolbox.config import Settings
from toolbox.core.apitoken import ApiTokenError, VerificationKey, load_verification_key, verify_token
from toolbox.web.errors import ProblemError
from toolbox.web.requestlog import security_event

API_PREFIX = "/api/v1/"


class Unauthorized(ProblemError):
    """401 with a Bearer challenge (RFC 6750)."""

    def __init__(self, reason: str, detail: str) -> None:
        super().__init__(401, detail, extra={"reason": reason}, title="Unauthorized")
        self.reason = reason

    def get_headers(self, environ: object = None, scope: object = None) -> list[tuple[str, str]]:
        """Advertise the scheme, with the error code when a token was sent."""
        challenge = 'Bearer realm="toolbox"'
        if self.reason != "missing":
            challenge += ', error="invalid_token"'
        return [("Content-Type", "application/problem+json"), ("WWW-Authenticate", challenge)]


def init_app(app: Flask, settings: Settings) -> None:
    """Identify the API subject before the rate limiter runs; refuse afterwards if invalid."""
    if not settings.api_jwt_key:
        return
    key = load_verification_key(settings.api_jwt_key)

    @app.before_request
    def identify() -> None:
        if request.path.startswith(API_PREFIX):
            _identify(key, settings)

    app.extensions["toolbox.api_auth"] = True


def _identify(key: VerificationKey, settings: Settings) -> None:
    header = request.headers.get("Authorization", "")
    scheme, _, token = header.partition(" ")
    if not header:
        g.api_auth_error = ("missing", "Send Authorization: Bearer <token>.")
        return
    if scheme.lower() != "bearer" or not token.strip():
        g.api_auth_error = ("malformed", "The Authorization header must be 'Bearer <token>'.")
        return
    try:
        claims = verify_token(
            token.strip(),
            key,
            max_ttl=settings.api_jwt_max_ttl,
            audience=settings.api_jwt_audience,
            issuer=settings.api_jwt_issuer,
        )
    except ApiTokenError as err:
        g.api_auth_error = (err.reason, err.detail)
        return
    subject = claims.get("sub")
    g.api_subject = subject if isinstance(subject, str) and subject else "anonymous"


def enforce() -> None:
    """Blueprint hook (runs after the limiter): refuse requests whose token was not accepted."""
    problem = g.get("api_auth_error")
    if problem is not None:
        reason, detail = problem
        security_event("api-auth-failed", reason=reason)
        raise Unauthorized(reason, detail)
