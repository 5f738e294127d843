"""The key set linter's operation: a pasted JWKS, JWK or discovery document, or an issuer fetched."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import TYPE_CHECKING, Annotated
from urllib.parse import urlsplit

import msgspec

from toolbox.core.jwt.jwks_lint import LintReport
from toolbox.ops.contract import Context, Request, operation
from toolbox.ops.errors import ErrorKind, OpError

if TYPE_CHECKING:
    from toolbox.core.net import FetchPolicy

MAX_DOCUMENT = 1024 * 1024  # characters of a pasted JWKS or discovery document
MAX_URL = 2048
OIDC_PATH = "/.well-known/openid-configuration"
OAUTH_PATH = "/.well-known/oauth-authorization-server"


class JwksLintRequest(Request):
    """Lint `jwks` as pasted, or fetch `issuer`'s discovery document and its jwks_uri (one of the two)."""

    jwks: Annotated[str, msgspec.Meta(max_length=MAX_DOCUMENT, description=(
        "The text of a JWK Set, one JWK, or an OpenID Connect / RFC 8414 discovery document."))] = ""
    issuer: Annotated[str, msgspec.Meta(max_length=MAX_URL, description=(
        "An issuer URL (or its discovery URL): its /.well-known/openid-configuration (then, on 404, the RFC "
        "8414 oauth-authorization-server document) and its jwks_uri are fetched through the SSRF-safe "
        "fetcher; the document's issuer must equal this URL exactly."))] = ""
    expected_issuer: Annotated[str, msgspec.Meta(max_length=MAX_URL, description=(
        "With a pasted discovery document: the issuer it must name, exactly (no trailing-slash slack)."
    ))] = ""


@operation("jwt/jwks/lint", summary="Lint a JWK Set or discovery document: thumbprints, kid, key sizes, "
           "private or symmetric keys, algorithm confusion, issuer", request=JwksLintRequest,
           result=LintReport)
def lint_jwks(request: JwksLintRequest, context: Context) -> LintReport:
    """Pasted text is linted as is; an issuer is fetched (each fetch spends the fetch budget)."""
    from toolbox.core.jwt.jwks_lint import lint_text
    from toolbox.core.jwt.model import JwtInputError

    text, issuer, expected = request.jwks, request.issuer.strip(), request.expected_issuer.strip()
    if text.strip() and issuer:
        raise OpError(ErrorKind.INPUT, "Give a pasted document or an issuer URL to fetch, not both.",
                      title="Two inputs")
    if issuer and expected:
        raise OpError(ErrorKind.INPUT, "expected_issuer goes with a pasted discovery document; a fetched one "
                      "is compared with the issuer URL itself.", title="Two issuers")
    now = datetime.now(UTC)
    if issuer:
        return _fetched(issuer, context, now)
    if not text.strip():
        raise OpError(ErrorKind.INPUT, "Paste a JWK Set, a JWK or a discovery document, or give an issuer "
                      "URL.", title="Nothing to lint")
    try:
        return lint_text(text, now=now, source="pasted", expected_issuer=expected or None)
    except JwtInputError as err:
        raise OpError(ErrorKind.INPUT, f"The pasted text is {_said(str(err))}.",
                      title="Not a key set") from None


def _said(message: str) -> str:
    return message if message.startswith("not ") else f"not usable: {message}"


def discovery_urls(issuer: str) -> tuple[tuple[str, str], ...]:
    """(discovery URL, the issuer it must name) to try in order: OIDC first, then RFC 8414 §3.1.

    A discovery URL given as such is fetched alone; its issuer is the URL without the well-known part.
    """
    try:
        parts = urlsplit(issuer)
    except ValueError:
        return ((issuer, issuer),)
    origin = f"{parts.scheme}://{parts.netloc}"
    if parts.path.endswith(OIDC_PATH):
        return ((issuer, origin + parts.path.removesuffix(OIDC_PATH)),)
    if parts.path.startswith(OAUTH_PATH):
        return ((issuer, origin + parts.path.removeprefix(OAUTH_PATH)),)
    path = parts.path.rstrip("/")
    # OIDC Discovery §4.1 appends to the issuer; RFC 8414 §3.1 inserts the well-known part before its path.
    return ((origin + path + OIDC_PATH, issuer), (origin + OAUTH_PATH + path, issuer))


def _fetched(issuer: str, context: Context, now: datetime) -> LintReport:
    from toolbox.core.jwt.jwks_lint import kind_of, lint_value, with_keys, with_notes
    from toolbox.core.jwt.model import JwtInputError
    from toolbox.core.jwt.remote_keys import RemoteKeyError

    policy = context.settings.fetch_policy()
    candidates = discovery_urls(issuer)
    document, expected, url = None, issuer, ""
    for number, (candidate, names) in enumerate(candidates, start=1):
        try:
            document = _get(candidate, "discovery document", policy, context)
            url, expected = candidate, names
            break
        except RemoteKeyError as err:
            if err.status != 404 or number == len(candidates):
                raise _problem(err) from None
    try:
        if kind_of(document) != "discovery":
            raise JwtInputError("it has neither \"issuer\" nor \"jwks_uri\"")
        report = lint_value(document, now=now, source=f"discovery document fetched from {url}",
                            discovered_from=expected)
    except JwtInputError as err:
        raise OpError(ErrorKind.FAILED, f"The document at {url[:200]} is not a discovery document: {err}.",
                      title="Not a discovery document") from None
    jwks_uri = report.discovery.jwks_uri if report.discovery else None
    if jwks_uri is None:
        return with_notes(report, "The document names no jwks_uri: no keys were fetched.")
    try:
        scheme = urlsplit(jwks_uri.strip()).scheme.lower()
    except ValueError:
        scheme = ""
    if scheme not in ("http", "https") or len(jwks_uri) > MAX_URL:
        return with_notes(report, "jwks_uri is not an absolute http(s) URL: no keys were fetched.")
    try:
        jwks = _get(jwks_uri.strip(), "JWKS", policy, context)
        return with_keys(report, jwks, now=now, source=f"{report.source}; keys fetched from {jwks_uri}")
    except RemoteKeyError as err:
        raise _problem(err) from None
    except JwtInputError as err:
        raise OpError(ErrorKind.FAILED, f"jwks_uri: {err}.", title="Not a key set") from None


def _get(url: str, what: str, policy: FetchPolicy, context: Context) -> object:
    from toolbox.core.jwt.remote_keys import fetch_json

    context.before_fetch()  # right before each fetch: the web spends the client's fetch budget (429)
    return fetch_json(url, what, policy)


def _problem(err: Exception) -> OpError:
    refused = bool(getattr(err, "refused", False))
    return OpError(ErrorKind.REFUSED if refused else ErrorKind.FAILED, str(err), title="Not fetched",
                   reason=str(err))
