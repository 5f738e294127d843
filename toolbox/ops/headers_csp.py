"""The strict CSP builder's operation: a strict policy for a fetched (SSRF-safe) or pasted page."""

from __future__ import annotations

from typing import Annotated

import msgspec

from toolbox.core.headers.csp_builder import CspProposal, Mode
from toolbox.ops.contract import Context, Request, operation
from toolbox.ops.errors import ErrorKind, OpError
from toolbox.ops.fetching import fetch_problems
from toolbox.ops.headers import MAX_URL, with_scheme

MAX_HTML = 1024 * 1024  # characters of pasted HTML (a fetched page is cut at 256 KiB)
MAX_POLICY = 32 * 1024


class CspBuildRequest(Request):
    """Build from `html` and/or `policy` as pasted, else from the page at `url` (fetched)."""

    url: Annotated[str, msgspec.Meta(max_length=MAX_URL, description=(
        "http(s) URL of the page: fetched (SSRF-safe, the document only) unless `html` is pasted, in which "
        "case it is only the page's address. Its Content-Security-Policy header is the current policy "
        "unless `policy` is given."))] = ""
    html: Annotated[str, msgspec.Meta(max_length=MAX_HTML, description=(
        "The page's HTML, pasted: its inline scripts are hashed exactly as a browser hashes them."))] = ""
    policy: Annotated[str, msgspec.Meta(max_length=MAX_POLICY, description=(
        "The current Content-Security-Policy (a `Content-Security-Policy:` prefix is allowed): what it says "
        "beyond scripts is kept."))] = ""
    mode: Annotated[Mode, msgspec.Meta(description=(
        "nonce (a fresh nonce per response, for pages rendered per request), hashes (for static pages), or "
        "auto: hashes when the response looks static (Last-Modified, an .html path), else nonce."))] = "auto"


def _fetched(url: str, context: Context) -> tuple[str, str, tuple[tuple[str, str], ...], bool]:
    """(final URL, page text, response headers, cut short) of the document at `url`."""
    from toolbox.core.headers.csp_builder import decode_page
    from toolbox.core.headers.headermap import HeaderMap
    from toolbox.core.net import fetch

    context.before_fetch()
    with fetch_problems():
        result = fetch(url, policy=context.settings.fetch_policy(), method="GET")
    headers = tuple(result.final.headers)
    text = decode_page(result.body, HeaderMap(headers).first("content-type"))
    return result.final_url, text, headers, result.body_truncated


@operation("headers/csp", summary="Propose a strict Content-Security-Policy for a page (nonces or hashes, "
           "'strict-dynamic')", request=CspBuildRequest, result=CspProposal)
def build_csp(request: CspBuildRequest, context: Context) -> CspProposal:
    """Pasted HTML/policy when given, else fetch the URL (spending the fetch budget right here)."""
    from toolbox.core.headers.csp_builder import BuildError, PolicyError, build_strict_csp, clean_policy
    from toolbox.core.headers.headermap import HeaderMap

    url = with_scheme(request.url.strip())
    html, policy = request.html, request.policy
    try:
        clean_policy(policy)  # a pasted policy no header can carry is refused before any fetch
    except PolicyError as err:
        raise OpError(ErrorKind.INPUT, f"Current policy: {err}.", title="Policy not usable") from None
    headers: tuple[tuple[str, str], ...] = ()
    truncated = False
    if not (html.strip() or policy.strip()):
        if not url:
            raise OpError(ErrorKind.INPUT, "Fill in URL, or paste the page's HTML or its current policy.",
                          title="Nothing to build from")
        url, html, headers, truncated = _fetched(url, context)
        policy = HeaderMap(headers).first("content-security-policy") or ""
    elif url and not html.strip():
        url, html, headers, truncated = _fetched(url, context)
    try:
        return build_strict_csp(html=html, policy=policy, url=url, mode=request.mode,
                                response_headers=headers, truncated=truncated)
    except PolicyError as err:
        raise OpError(ErrorKind.INPUT, f"Current policy: {err}.", title="Policy not usable") from None
    except BuildError as err:
        raise OpError(ErrorKind.UNUSABLE, str(err), title="Too many scripts for hashes") from None
