"""The Observatory's subresource-integrity test over the page's <script src> tags."""

from __future__ import annotations

import ipaddress
import re
from urllib.parse import urlsplit, urlunsplit

from toolbox.core.headers.model import Verdict

# A few multi-label public suffixes; the Observatory uses the full list (tldts), so
# scripts on hosts under other multi-label suffixes may be grouped differently.
# Only ICANN suffixes: tldts, as the Observatory calls it, ignores private ones (github.io).
_MULTI_LABEL_SUFFIXES = frozenset(
    {"co.uk", "org.uk", "ac.uk", "gov.uk", "me.uk", "ltd.uk", "plc.uk", "net.uk", "com.au", "net.au",
     "org.au", "edu.au", "gov.au", "co.jp", "ne.jp", "or.jp", "ac.jp", "co.nz", "org.nz", "com.br",
     "net.br", "org.br", "co.in", "org.in", "co.za", "org.za", "com.cn", "net.cn", "org.cn", "com.mx",
     "com.ar", "com.tr", "co.kr", "or.kr", "com.tw", "com.hk", "com.sg", "co.il", "com.my", "co.id"}
)  # fmt: skip
_ORDER = (
    "sri-implemented-and-all-scripts-loaded-securely",
    "sri-implemented-and-external-scripts-loaded-securely",
    "sri-implemented-but-external-scripts-not-loaded-securely",
    "sri-not-implemented-but-external-scripts-loaded-securely",
    "sri-not-implemented-and-external-scripts-not-loaded-securely",
    "sri-not-implemented-response-not-html",
)
_PASSING = (
    "sri-implemented-and-all-scripts-loaded-securely",
    "sri-implemented-and-external-scripts-loaded-securely",
    "sri-not-implemented-response-not-html",
    "sri-not-implemented-but-all-scripts-loaded-from-secure-origin",
    "sri-not-implemented-but-no-scripts-loaded",
)


def registrable_domain(host: str | None) -> str | None:
    """The site's registrable domain ("eTLD+1"), None for IP addresses and bare names."""
    if not host:
        return None
    host = host.lower().rstrip(".")
    try:
        ipaddress.ip_address(host.strip("[]"))
        return None
    except ValueError:
        pass
    labels = host.split(".")
    size = 3 if ".".join(labels[-2:]) in _MULTI_LABEL_SUFFIXES else 2
    return ".".join(labels[-size:]) if len(labels) >= size else None


def _worse(new: str, old: str | None) -> str:
    if old is None or _ORDER.index(new) > _ORDER.index(old):
        return new
    return old


def _normalise(src: str) -> str:
    """What the DOM's script.src gives for an absolute http(s) URL (scheme and host lowercased)."""
    parts = urlsplit(src.strip())
    return urlunsplit(
        (parts.scheme.lower(), parts.netloc.lower(), parts.path or "/", parts.query, parts.fragment)
    )


def sri_test(
    content_type: str | None, scripts: list[tuple[str | None, str | None]], url: str, as_written: bool
) -> Verdict:
    """Grade script loading: external ones need https and integrity; same-site ones earn a bonus.

    `as_written` (scoring version 5 on): `src` is compared as the page wrote it (only a
    lowercase http(s):// is a full URL) and a response without a Content-Type is checked;
    before, jsdom's normalised `script.src` was, and such a response counted as not HTML.
    """
    mime = (content_type or "").split(";")[0]
    if (mime or not as_written) and mime not in ("text/html", "application/xhtml+xml"):
        return Verdict("sri-not-implemented-response-not-html", True, {})
    page = urlsplit(url)
    site = registrable_domain(page.hostname)
    result: str | None = None
    foreign = False
    data: dict[str, str] = {}
    for raw_src, integrity in scripts:
        if not raw_src:
            continue
        relative_protocol = re.match(r"^//[^/]", raw_src) is not None
        full_url = re.match(r"^https?://", raw_src, 0 if as_written else re.IGNORECASE) is not None
        relative_origin = not relative_protocol and not full_url
        src = _normalise(raw_src) if full_url and not as_written else raw_src
        same_site = relative_protocol or relative_origin or registrable_domain(urlsplit(src).hostname) == site
        secure_origin = relative_origin or (same_site and not relative_protocol)
        scheme = urlsplit(src).scheme if full_url else None
        secure_scheme = scheme == "https" or (relative_origin and page.scheme == "https")
        if not secure_origin:
            foreign = True
            data[src] = integrity or ""
            if integrity and not secure_scheme:
                result = _worse("sri-implemented-but-external-scripts-not-loaded-securely", result)
            elif not integrity and secure_scheme:
                result = _worse("sri-not-implemented-but-external-scripts-loaded-securely", result)
            elif not integrity:
                result = _worse("sri-not-implemented-and-external-scripts-not-loaded-securely", result)
        elif integrity and secure_scheme and result is None:
            result = "sri-implemented-and-all-scripts-loaded-securely"
    if not scripts:
        result = "sri-not-implemented-but-no-scripts-loaded"
    elif result is None:
        result = (
            "sri-implemented-and-external-scripts-loaded-securely"
            if foreign
            else "sri-not-implemented-but-all-scripts-loaded-from-secure-origin"
        )
    return Verdict(result, result in _PASSING, data)
