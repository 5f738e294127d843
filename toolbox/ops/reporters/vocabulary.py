"""The ids CI formats name: the Observatory's tests (of every scoring version) and every header finding,
with short titles.

The finding titles are the rules' names in SARIF and the test case names in JUnit, so they must be
stable: they are the usual titles of the findings, fixed here (a finding's own title can name a
directive or a header; its detail says more). A finding id without an entry gets a title from its id.
"""

from __future__ import annotations

from toolbox.core.headers.findings import FINDING_IDS, SCORED_BY
from toolbox.core.headers.grading import TOPIC_LINKS
from toolbox.core.headers.profiles import PROFILES
from toolbox.core.headers.summary import TEST_TITLES, title_of

__all__ = ["FINDING_IDS", "SCORED_BY", "finding_title", "guide_of", "every_test_id", "title_of"]

MDN = "https://developer.mozilla.org"

FINDING_TITLES: dict[str, str] = {
    "csp-no-script-restriction": "CSP does not restrict scripts",
    "csp-unsafe-inline": "'unsafe-inline' allows injected scripts",
    "csp-script-src-wildcard": "Wildcard source in script-src",
    "csp-script-src-scheme": "Plain scheme source in script-src",
    "csp-object-src-wildcard": "Wildcard source in object-src",
    "csp-object-src-scheme": "Plain scheme source in object-src",
    "csp-base-uri-wildcard": "Wildcard source in base-uri",
    "csp-base-uri-scheme": "Plain scheme source in base-uri",
    "csp-unsafe-eval": "'unsafe-eval' allows eval()",
    "csp-unsafe-hashes": "'unsafe-hashes' allows hashed event handlers",
    "csp-missing-object-src": "object-src is missing",
    "csp-missing-base-uri": "base-uri is missing",
    "csp-weak-nonce": "Weak CSP nonce",
    "csp-strict-dynamic-without-nonce": "'strict-dynamic' without a nonce or hash",
    "csp-report-only": "CSP is report-only",
    "csp-duplicate-directive": "Repeated CSP directive",
    "csp-deprecated-directive": "Deprecated CSP directive",
    "csp-wasm-unsafe-eval": "'wasm-unsafe-eval' allows WebAssembly compilation",
    "csp-unknown-directive": "Unknown CSP directive",
    "csp-report-uri-only": "report-uri without report-to",
    "csp-multiple-policies": "Several CSPs are enforced",
    "permissions-policy-syntax": "Permissions-Policy cannot be parsed",
    "permissions-policy-wildcard": "Powerful feature allowed to every origin",
    "feature-policy-deprecated": "Feature-Policy is deprecated",
    "coop-missing": "No Cross-Origin-Opener-Policy",
    "coop-invalid": "Unknown Cross-Origin-Opener-Policy value",
    "coep-invalid": "Unknown Cross-Origin-Embedder-Policy value",
    "coep-without-coop": "COEP without COOP same-origin",
    "cookie-no-secure": "Cookie without Secure",
    "cookie-no-httponly": "Session-looking cookie without HttpOnly",
    "cookie-samesite-none-insecure": "SameSite=None without Secure",
    "cookie-host-prefix-invalid": "__Host- cookie breaks the prefix rules",
    "cookie-secure-prefix-invalid": "__Secure- cookie without Secure",
    "cookie-no-samesite": "Cookie without SameSite",
    "cookie-samesite-invalid": "Unknown SameSite value",
    "cors-reflected-origin-credentials": "CORS reflects any origin with credentials",
    "cors-null-origin": "CORS allows the null origin",
    "cors-wildcard-credentials": "CORS '*' with credentials is invalid",
    "cors-reflected-origin": "CORS reflects any origin",
    "info-disclosure-server": "Server header reveals a version",
    "info-disclosure-x-powered-by": "X-Powered-By header reveals the software stack",
    "info-disclosure-x-aspnet-version": "X-AspNet-Version header reveals the software stack",
    "info-disclosure-x-aspnetmvc-version": "X-AspNetMvc-Version header reveals the software stack",
    "x-xss-protection-enabled": "X-XSS-Protection filter enabled",
    "expect-ct-deprecated": "Expect-CT is obsolete",
    "public-key-pins-deprecated": "HTTP Public Key Pinning is obsolete",
    "duplicate-header": "Header sent more than once",
    "hsts-preload-invalid": "HSTS asks for preload but is not eligible",
    "hsts-preload-ineligible": "HSTS is not preload-eligible",
    "hsts-preload-eligible": "HSTS header is preload-ready",
    "hsts-over-http": "HSTS sent over plain HTTP",
    "coverage-hsts": "Strict-Transport-Security missing on some responses",
    "coverage-csp": "Content-Security-Policy missing on some HTML responses",
    "coverage-frame": "Frame protection missing on some HTML responses",
    "coverage-xcto": "X-Content-Type-Options missing on some responses",
    "coverage-referrer-policy": "Referrer-Policy missing on some HTML responses",
    "coverage-permissions-policy": "Permissions-Policy missing on some pages",
    "coverage-coop": "Cross-Origin-Opener-Policy missing on some pages",
    "coverage-corp": "Cross-Origin-Resource-Policy missing on some resources",
    "tls-cert-expired": "Certificate expired",
    "tls-cert-not-yet-valid": "Certificate not yet valid",
    "tls-cert-name-mismatch": "Certificate is for another name",
    "tls-cert-untrusted": "Certificate not trusted",
    "tls-cert-expiring": "Certificate expires soon",
    "tls-cert-no-san": "Certificate names the host only in its CN",
    "tls-rsa-key-small": "RSA key under 2048 bits",
    "tls-weak-signature": "Certificate signed with SHA-1 or MD5",
    "tls-hsts-unverified": "HSTS over a certificate that did not verify",
    "tls-cbc-cipher": "TLS 1.2 CBC cipher negotiated",
    "tls-no-forward-secrecy": "Key exchange without forward secrecy",
    "tls-hsts-subdomains-uncovered": "includeSubDomains while the certificate names this host only",
    "tls-hsts-ip-address": "HSTS on an IP address is ignored",
}


def every_test_id(*seen: str) -> tuple[str, ...]:
    """Every test id a check can report (each scoring's tests), then any id in `seen` not among them."""
    known = dict.fromkeys([*(t for p in PROFILES.values() for t in p.test_ids), *TEST_TITLES])
    return (*known, *(test_id for test_id in dict.fromkeys(seen) if test_id not in known))


def finding_title(finding_id: str) -> str:
    """The stable short title of a finding id."""
    return FINDING_TITLES.get(finding_id) or finding_id.replace("-", " ").capitalize()


def guide_of(test_id: str) -> str:
    """The MDN guide for one of the Observatory's tests."""
    return MDN + TOPIC_LINKS.get(test_id, "/en-US/observatory")
