"""The Observatory's single-header tests: HSTS, referrer, XCTO, XFO, CORP, CORS, COOP and COEP."""

from __future__ import annotations

import re

from toolbox.core.headers.headermap import HeaderMap
from toolbox.core.headers.model import Verdict
from toolbox.core.headers.structured import js_trim, token_item

SIX_MONTHS = 15552000  # the Observatory's "white lie" for six months
_REFERRER_GOOD = ("no-referrer", "same-origin", "strict-origin", "strict-origin-when-cross-origin")
_REFERRER_BAD = ("origin", "origin-when-cross-origin", "unsafe-url", "no-referrer-when-downgrade")


def _js_parse_int(text: str) -> int | None:
    """JavaScript parseInt(text, 10): leading whitespace and sign, then digits; None is NaN."""
    match = re.match(r"\s*([+-]?\d+)", text)
    return int(match.group(1)) if match else None


def hsts_test(headers: HeaderMap | None, verified: bool, preloaded: bool) -> Verdict:
    """Strict-Transport-Security of the HTTPS response (None when HTTPS did not answer)."""
    data: dict[str, str] = {}
    result = "hsts-not-implemented"
    if headers is None:
        result = "hsts-not-implemented-no-https"
    elif not verified:
        result = "hsts-invalid-cert"
    elif (header := headers.first("strict-transport-security")) is not None:
        value = header[:1024]
        data["header"] = value
        max_age: int | None = None
        seen_max_age = False
        for parameter in (p.strip().lower() for p in value.split(";")):
            if parameter.startswith("max-age="):
                seen_max_age = True
                max_age = _js_parse_int(parameter[8:128])
        if "," in value or not seen_max_age:
            result = "hsts-header-invalid"  # set twice (merged with ", ") or no max-age
        elif max_age is None or not max_age >= SIX_MONTHS:
            # NaN compares false both ways: the Observatory lands on "at least six months".
            result = (
                "hsts-implemented-max-age-less-than-six-months"
                if max_age is not None
                else "hsts-implemented-max-age-at-least-six-months"
            )
        else:
            result = "hsts-implemented-max-age-at-least-six-months"
    if headers is not None and preloaded:
        result = "hsts-preloaded"
    passed = result in ("hsts-implemented-max-age-at-least-six-months", "hsts-preloaded")
    return Verdict(result, passed, data)


def referrer_test(headers: HeaderMap, meta: list[str]) -> Verdict:
    """Referrer-Policy from the header(s) and <meta name=referrer>; the last valid token wins."""
    http = headers.all("referrer-policy")
    if not http and not meta:
        return Verdict("referrer-policy-not-implemented", True)
    tokens = [t.strip().lower() for t in ", ".join([*http, *meta]).split(",")]
    valid = [t for t in tokens if t in _REFERRER_GOOD + _REFERRER_BAD]
    policy = valid[-1] if valid else ""
    if policy in _REFERRER_GOOD:
        return Verdict("referrer-policy-private", True)
    if policy in _REFERRER_BAD:
        return Verdict("referrer-policy-unsafe", False)
    return Verdict("referrer-policy-header-invalid", False)


def xcto_test(headers: HeaderMap) -> Verdict:
    """X-Content-Type-Options must be exactly nosniff."""
    header = headers.first("x-content-type-options")
    if not header:
        return Verdict("x-content-type-options-not-implemented", False)
    if header[:256].strip().lower() == "nosniff":
        return Verdict("x-content-type-options-nosniff", True)
    return Verdict("x-content-type-options-header-invalid", False)


def xfo_test(headers: HeaderMap, csp_policy: dict[str, tuple[str, ...]] | None) -> Verdict:
    """X-Frame-Options, superseded by any frame-ancestors in the (header or meta) CSP."""
    header = headers.first("x-frame-options")
    result = "x-frame-options-not-implemented"
    if header:
        xfo = header[:1024].strip().lower()
        if xfo in ("deny", "sameorigin"):
            result = "x-frame-options-sameorigin-or-deny"
        elif xfo.startswith("allow-from"):
            result = "x-frame-options-allow-from-origin"
        else:
            result = "x-frame-options-header-invalid"
    if csp_policy and "frame-ancestors" in csp_policy:
        result = "x-frame-options-implemented-via-csp"
    passed = result in (
        "x-frame-options-allow-from-origin",
        "x-frame-options-sameorigin-or-deny",
        "x-frame-options-implemented-via-csp",
    )
    return Verdict(result, passed)


def corp_test(headers: HeaderMap) -> Verdict:
    """Cross-Origin-Resource-Policy: anything but a known value is invalid."""
    header = headers.first("cross-origin-resource-policy")
    value = header[:256].strip().lower() if header else ""
    names = {
        "same-site": "corp-implemented-with-same-site",
        "same-origin": "corp-implemented-with-same-origin",
        "cross-origin": "corp-implemented-with-cross-origin",
    }
    if not value:
        return Verdict("corp-not-implemented", True)
    result = names.get(value, "corp-header-invalid")
    return Verdict(result, result != "corp-header-invalid")


def cors_test(headers: HeaderMap, origin: str | None) -> Verdict:
    """CORS from the preflight answer: a reflected probe Origin with credentials fails."""
    acao = headers.first("access-control-allow-origin")
    if not acao:
        return Verdict("cross-origin-resource-sharing-not-implemented", True)
    credentials = headers.first("access-control-allow-credentials")
    if acao[:256].strip().lower() == "*":
        return Verdict("cross-origin-resource-sharing-implemented-with-public-access", True)
    if origin and origin == acao and credentials and credentials.strip().lower() == "true":
        return Verdict("cross-origin-resource-sharing-implemented-with-universal-access", False)
    return Verdict("cross-origin-resource-sharing-implemented-with-restricted-access", True)


def _policy_test(headers: HeaderMap, name: str, prefix: str, policies: tuple[str, ...]) -> Verdict:
    """COOP or COEP as the Observatory's scoring version 6 reads it: a Structured Field Token.

    A missing or empty header is "not implemented"; a value that is not one of `policies`
    (after the first 1024 characters, trimmed, parse as an Item) is invalid, the only failing
    result. Repeated headers arrive joined by ", " (as Node merges them), which is no Item.
    """
    header = headers.first(name)
    if not header:
        return Verdict(f"{prefix}-not-implemented", True)
    value = js_trim(header[:1024])
    token = token_item(value)
    if token in policies:
        return Verdict(f"{prefix}-implemented-with-{token}", True, {"value": value})
    return Verdict(f"{prefix}-header-invalid", False, {"value": value})


def coop_test(headers: HeaderMap) -> Verdict:
    """Cross-Origin-Opener-Policy (scoring version 6)."""
    return _policy_test(headers, "cross-origin-opener-policy", "coop",
                        ("same-origin", "same-origin-allow-popups", "noopener-allow-popups", "unsafe-none"))


def coep_test(headers: HeaderMap) -> Verdict:
    """Cross-Origin-Embedder-Policy (scoring version 6)."""
    return _policy_test(headers, "cross-origin-embedder-policy", "coep",
                        ("require-corp", "credentialless", "unsafe-none"))
