"""Findings beyond the Observatory's scoring: they explain and advise, never change the score.

`analyze_findings(headers, url, cors_probe)` runs every check and returns the findings sorted
by severity (then id). Headers are the (name, value) pairs of the final response, duplicates
kept; `cors_probe` is the header list of the answer to a request sent with
`Origin: https://probe.invalid` (see findings_cookies.PROBE_ORIGIN), or None when not probed.
"""

from __future__ import annotations

import re

from toolbox.core.headers.coverage import COVERAGE_FINDING_IDS
from toolbox.core.headers.findings_base import (
    MDN_HEADERS,
    SEVERITY_ORDER,
    Finding,
    Headers,
    shown,
    values_of,
)
from toolbox.core.headers.findings_cookies import cookie_findings, cors_findings
from toolbox.core.headers.findings_csp import csp_findings
from toolbox.core.headers.findings_permissions import permissions_findings
from toolbox.core.headers.tls import TLS_FINDING_IDS

__all__ = ["FINDING_IDS", "SCORED_BY", "Finding", "analyze_findings"]

# Every finding id and its (usual) severity: the documented, stable vocabulary.
# csp-missing-base-uri is medium when scripts are trusted by nonce/hash, else low;
# feature-policy-deprecated is info when Permissions-Policy is sent too, else low.
FINDING_IDS: dict[str, str] = {
    "csp-no-script-restriction": "high", "csp-unsafe-inline": "high",
    "csp-script-src-wildcard": "high", "csp-script-src-scheme": "high",
    "csp-object-src-wildcard": "high", "csp-object-src-scheme": "high",
    "csp-base-uri-wildcard": "high", "csp-base-uri-scheme": "high",
    "csp-unsafe-eval": "medium", "csp-unsafe-hashes": "medium", "csp-missing-object-src": "medium",
    "csp-missing-base-uri": "medium", "csp-weak-nonce": "medium",
    "csp-strict-dynamic-without-nonce": "medium",
    "csp-report-only": "medium", "csp-duplicate-directive": "low", "csp-deprecated-directive": "low",
    "csp-wasm-unsafe-eval": "info", "csp-unknown-directive": "info", "csp-report-uri-only": "info",
    "csp-multiple-policies": "info",
    "permissions-policy-syntax": "medium", "permissions-policy-wildcard": "medium",
    "feature-policy-deprecated": "low",
    "coop-missing": "info", "coop-invalid": "low", "coep-invalid": "low", "coep-without-coop": "info",
    "cookie-no-secure": "medium", "cookie-no-httponly": "medium", "cookie-samesite-none-insecure": "medium",
    "cookie-host-prefix-invalid": "medium", "cookie-secure-prefix-invalid": "medium",
    "cookie-no-samesite": "low", "cookie-samesite-invalid": "low",
    "cors-reflected-origin-credentials": "high", "cors-null-origin": "high",
    "cors-wildcard-credentials": "medium", "cors-reflected-origin": "low",
    "info-disclosure-server": "low", "info-disclosure-x-powered-by": "low",
    "info-disclosure-x-aspnet-version": "low", "info-disclosure-x-aspnetmvc-version": "low",
    "x-xss-protection-enabled": "low", "expect-ct-deprecated": "info", "public-key-pins-deprecated": "low",
    "duplicate-header": "medium",
    "hsts-preload-invalid": "medium", "hsts-preload-ineligible": "info", "hsts-preload-eligible": "info",
    "hsts-over-http": "info",
    **COVERAGE_FINDING_IDS,  # a header some responses of a class send and others lack (coverage.py)
    **TLS_FINDING_IDS,  # the certificate and connection of an https check (tls.py)
}  # fmt: skip
# Findings about what one of the Observatory's ten tests already scores, by the id of that test: the
# page shows them with the test (said once, where the points are), not among the findings that do
# not change the score. The finding itself never changes the score; its test does.
SCORED_BY: dict[str, str] = {
    **dict.fromkeys((
        "csp-no-script-restriction", "csp-unsafe-inline", "csp-unsafe-eval", "csp-script-src-wildcard",
        "csp-script-src-scheme", "csp-object-src-wildcard", "csp-object-src-scheme", "csp-missing-object-src",
        "csp-report-only",
    ), "content-security-policy"),
    **dict.fromkeys((
        "cookie-no-secure", "cookie-no-httponly", "cookie-no-samesite", "cookie-samesite-none-insecure",
        "cookie-samesite-invalid",
    ), "cookies"),
}  # fmt: skip
PRELOAD_MIN_AGE = 31536000  # hstspreload.org: at least one year
_VERSION = re.compile(r"\d+\.\d+|/\s*\d")
# Headers a response must carry at most once (several CSP headers are legal: see findings_csp).
SINGLE = (
    "strict-transport-security", "x-frame-options", "content-type", "x-content-type-options",
    "cross-origin-opener-policy", "cross-origin-embedder-policy", "cross-origin-resource-policy",
    "access-control-allow-origin", "access-control-allow-credentials", "content-length", "location",
)  # fmt: skip
_DISCLOSURE = (
    ("x-powered-by", "info-disclosure-x-powered-by"),
    ("x-aspnet-version", "info-disclosure-x-aspnet-version"),
    ("x-aspnetmvc-version", "info-disclosure-x-aspnetmvc-version"),
)
_COOP = ("same-origin", "same-origin-allow-popups", "noopener-allow-popups", "unsafe-none")
_COEP = ("require-corp", "credentialless", "unsafe-none")


def _disclosure(headers: Headers) -> list[Finding]:
    out = []
    server = values_of(headers, "server")
    if server and _VERSION.search(server[0]):
        out.append(Finding(
            "info-disclosure-server", "low", "Server header reveals a version",
            f"Server: {shown(server[0])} tells attackers which known vulnerabilities to try.",
            "Hide the version (nginx: server_tokens off; Apache: ServerTokens Prod).", MDN_HEADERS + "Server",
        ))  # fmt: skip
    for name, finding_id in _DISCLOSURE:
        found = values_of(headers, name)
        if found:
            out.append(Finding(
                finding_id, "low", f"{name} header reveals the software stack",
                f"{name}: {shown(found[0])} helps attackers fingerprint the application.",
                f"Stop sending {name}.", MDN_HEADERS + ("X-Powered-By" if name == "x-powered-by" else ""),
            ))  # fmt: skip
    return out


def _deprecated(headers: Headers) -> list[Finding]:
    out = []
    xss = values_of(headers, "x-xss-protection")
    if xss and xss[0].split(";")[0].strip() != "0":
        out.append(Finding(
            "x-xss-protection-enabled", "low", "X-XSS-Protection filter enabled",
            f"X-XSS-Protection: {shown(xss[0])}. The filter is gone from current browsers and in old ones "
            "it enabled cross-site leaks; rely on CSP instead.",
            "Send X-XSS-Protection: 0 or remove it.", MDN_HEADERS + "X-XSS-Protection",
        ))  # fmt: skip
    if values_of(headers, "expect-ct"):
        out.append(Finding(
            "expect-ct-deprecated", "info", "Expect-CT is obsolete",
            "Certificate Transparency is enforced by browsers anyway; Expect-CT does nothing.",
            "Remove Expect-CT.", MDN_HEADERS + "Expect-CT",
        ))  # fmt: skip
    pins = [n for n in ("public-key-pins", "public-key-pins-report-only") if values_of(headers, n)]
    if pins:
        out.append(Finding(
            "public-key-pins-deprecated", "low", "HTTP Public Key Pinning is obsolete",
            f"{', '.join(pins)}: browsers removed HPKP (it could lock users out of a site).",
            "Remove the Public-Key-Pins headers.", MDN_HEADERS + "Public-Key-Pins",
        ))  # fmt: skip
    return out


def _duplicates(headers: Headers) -> list[Finding]:
    counts: dict[str, int] = {}
    for name, _ in headers:
        counts[name.strip().lower()] = counts.get(name.strip().lower(), 0) + 1
    repeated = [n for n in SINGLE if counts.get(n, 0) > 1]
    if not repeated:
        return []
    return [Finding(
        "duplicate-header", "medium", "Header sent more than once",
        f"{', '.join(repeated)} must appear once; repeated, browsers may combine or ignore them "
        "(often an app and a proxy both add it). Several Content-Security-Policy headers, by "
        "contrast, are legal: all are enforced.",
        "Set each in one place only (the proxy or the app).", MDN_HEADERS,
    )]  # fmt: skip


def hsts_directives(value: str) -> dict[str, str]:
    """HSTS directives, names lower-cased, quoted values unquoted; the first of a name wins."""
    directives: dict[str, str] = {}
    for part in value.split(";"):
        key, _, val = part.partition("=")
        key = key.strip(" \t").lower()
        if key and key not in directives:
            directives[key] = val.strip(" \t").strip('"')
    return directives


def hsts_max_age(directives: dict[str, str]) -> int | None:
    """max-age as a number, None when missing or malformed (huge values are capped, not parsed)."""
    age = directives.get("max-age", "")
    if not (age.isascii() and age.isdigit()):
        return None
    return int(age) if len(age) <= 18 else 10**18


def _hsts(headers: Headers, https: bool) -> list[Finding]:
    values = values_of(headers, "strict-transport-security")
    link = MDN_HEADERS + "Strict-Transport-Security"
    if not values:
        return []
    if not https:
        return [Finding(
            "hsts-over-http", "info", "HSTS sent over plain HTTP",
            "Browsers ignore Strict-Transport-Security on http:// responses; send it over HTTPS.",
            None, link,
        )]  # fmt: skip
    directives = hsts_directives(values[0])
    missing = []
    age = hsts_max_age(directives)
    if age is None or age < PRELOAD_MIN_AGE:
        given = shown(directives.get("max-age", "")) or "missing"
        missing.append(f"max-age ≥ {PRELOAD_MIN_AGE} (is {given})")
    if "includesubdomains" not in directives:
        missing.append("includeSubDomains")
    if "preload" not in directives:
        missing.append("the preload directive")
    if not missing:
        return [Finding(
            "hsts-preload-eligible", "info", "HSTS header is preload-ready",
            "The header meets hstspreload.org's requirements; the site must also redirect http to "
            "https on the same host and serve this header on the apex domain before you submit.",
            None, link,
        )]  # fmt: skip
    asked = "preload" in directives
    return [Finding(
        "hsts-preload-invalid" if asked else "hsts-preload-ineligible", "medium" if asked else "info",
        "HSTS asks for preload but is not eligible" if asked else "HSTS is not preload-eligible",
        f"For hstspreload.org the header needs {_and_list(missing)}.",
        "Strict-Transport-Security: max-age=63072000; includeSubDomains; preload (only once every "
        "subdomain serves HTTPS).",
        link,
    )]  # fmt: skip


def _and_list(items: list[str]) -> str:
    """'a', 'a and b', 'a, b and c'."""
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def _isolation(headers: Headers) -> list[Finding]:
    out = []
    coop = values_of(headers, "cross-origin-opener-policy")
    coep = values_of(headers, "cross-origin-embedder-policy")
    coop_value = coop[0].split(";")[0].strip().lower() if coop else None
    if coop_value is None:
        out.append(Finding(
            "coop-missing", "info", "No Cross-Origin-Opener-Policy",
            "Without COOP, pages you open or that open you keep a window reference (XS-Leaks, tabnabbing).",
            "Cross-Origin-Opener-Policy: same-origin (same-origin-allow-popups for OAuth/payment popups).",
            MDN_HEADERS + "Cross-Origin-Opener-Policy",
        ))  # fmt: skip
    elif coop_value not in _COOP:
        out.append(Finding(
            "coop-invalid", "low", "Unknown Cross-Origin-Opener-Policy value",
            f"Browsers ignore COOP {shown(coop[0])!r} and fall back to unsafe-none.",
            "Use same-origin or same-origin-allow-popups.", MDN_HEADERS + "Cross-Origin-Opener-Policy",
        ))  # fmt: skip
    if coep:
        coep_value = coep[0].split(";")[0].strip().lower()
        if coep_value not in _COEP:
            out.append(Finding(
                "coep-invalid", "low", "Unknown Cross-Origin-Embedder-Policy value",
                f"Browsers ignore COEP {shown(coep[0])!r}.",
                "Use require-corp or credentialless.", MDN_HEADERS + "Cross-Origin-Embedder-Policy",
            ))  # fmt: skip
        elif coep_value != "unsafe-none" and coop_value != "same-origin":
            out.append(Finding(
                "coep-without-coop", "info", "COEP without COOP same-origin",
                "Cross-origin isolation (SharedArrayBuffer, precise timers) needs both COEP and "
                "Cross-Origin-Opener-Policy: same-origin.",
                None, MDN_HEADERS + "Cross-Origin-Embedder-Policy",
            ))  # fmt: skip
    return out


def analyze_findings(headers: Headers, url: str, cors_probe: Headers | None = None) -> tuple[Finding, ...]:
    """Every finding for one final response, most severe first; never raises on hostile values."""
    https = url.strip().lower().startswith("https:")
    found = [
        *csp_findings(headers),
        *permissions_findings(headers),
        *_isolation(headers),
        *cookie_findings(headers, https),
        *cors_findings(headers, cors_probe),
        *_disclosure(headers),
        *_deprecated(headers),
        *_duplicates(headers),
        *_hsts(headers, https),
    ]
    return tuple(sorted(found, key=lambda f: (SEVERITY_ORDER[f.severity], f.id)))
