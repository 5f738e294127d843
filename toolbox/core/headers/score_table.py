"""The Observatory's score table (MDN HTTP Observatory 1.4.8, scoring algorithm version 4, plus the
results version 6 adds); what later versions score differently is in profiles.py."""

from __future__ import annotations

from typing import NamedTuple


class Score(NamedTuple):
    """A result's score modifier, what it means and how to improve it."""

    modifier: int
    description: str
    recommendation: str


# result name -> Score; texts are the Observatory's, with their HTML markup removed.
# fmt: off
SCORE_TABLE: dict[str, Score] = {
    "csp-implemented-with-no-unsafe-default-src-none": Score(10,
        "Content Security Policy (CSP) implemented with default-src 'none', no 'unsafe' and form-action "
        "is set to 'none' or 'self'",
        ""),
    "csp-implemented-with-no-unsafe": Score(5,
        "Content Security Policy (CSP) implemented without 'unsafe-inline' or 'unsafe-eval'",
        "Set default-src to 'none'"),
    "csp-implemented-with-unsafe-inline-in-style-src-only": Score(0,
        "Content Security Policy (CSP) implemented with unsafe sources inside style-src. This includes "
        "'unsafe-inline', data: or overly broad sources such as https. 'form-action' is set to 'self', "
        "'none' or 'specific source'",
        "Lock down style-src directive, removing 'unsafe-inline', data: and broad sources."),
    "csp-implemented-with-insecure-scheme-in-passive-content-only": Score(-10,
        "Content Security Policy (CSP) implemented, but secure site allows images or media to be loaded "
        "over HTTP",
        "Load images and media over HTTPS and prevent their loading over HTTP with the img-src and "
        "media-src or default-src directives"),
    "csp-implemented-with-unsafe-eval": Score(-10,
        "Content Security Policy (CSP) implemented, but allows 'unsafe-eval' and allows forms to be "
        "submitted to any source.",
        "First remove the use of eval() from the codebase and once completed, remove 'unsafe-eval' from "
        "the CSP header."),
    "csp-implemented-with-unsafe-inline": Score(-20,
        "Content Security Policy (CSP) implemented unsafely. This includes 'unsafe-inline' or data: "
        "inside script-src, overly broad sources such as https: inside object-src or script-src, or not "
        "restricting the sources for object-src or script-src.",
        "Remove unsafe-inline and data: from script-src, overly broad sources from object-src and "
        "script-src, and ensure object-src and script-src are set."),
    "csp-implemented-with-insecure-scheme": Score(-20,
        "Content Security Policy (CSP) implemented, but secure site allows resources to be loaded over "
        "HTTP",
        "Load resources over HTTPS and remove any HTTP sources from your CSP."),
    "csp-header-invalid": Score(-25,
        "Content Security Policy (CSP) header cannot be parsed successfully",
        "Check your CSP syntax with the CSP Evaluator."),
    "csp-not-implemented": Score(-25,
        "Content Security Policy (CSP) header not implemented",
        "Implement one, see MDN's Content Security Policy (CSP) documentation."),
    "csp-not-implemented-but-reporting-enabled": Score(-25,
        "Content Security Policy (CSP) reporting implemented only, with "
        "Content-Security-Policy-Report-Only header.",
        "Implement an enforced policy, see MDN's Content Security Policy (CSP) documentation."),
    "csp-implemented-but-duplicate-directives": Score(0,
        "Content Security Policy (CSP) implemented, but contains duplicate directives.",
        "Remove duplicate directives from the CSP"),
    "cookies-secure-with-httponly-sessions-and-samesite": Score(5,
        "All cookies use the Secure flag, session cookies use the HttpOnly flag, and cross-origin "
        "restrictions are in place via the SameSite flag.",
        ""),
    "cookies-secure-with-httponly-sessions": Score(0,
        "All cookies use the Secure flag and all session cookies use the HttpOnly flag.",
        "Use SameSite."),
    "cookies-not-found": Score(0,
        "No cookies detected",
        ""),
    "cookies-without-secure-flag-but-protected-by-hsts": Score(-5,
        "Cookies set without using the Secure flag, but transmission over HTTP prevented by HSTS.",
        "Use Secure flag."),
    "cookies-session-without-secure-flag-but-protected-by-hsts": Score(-10,
        "Session cookie set without the Secure flag, but transmission over HTTP prevented by HSTS.",
        "Use Secure flag."),
    "cookies-without-secure-flag": Score(-20,
        "Cookies set without using the Secure flag or set over HTTP.",
        "Use Secure flag and set up HSTS."),
    "cookies-samesite-flag-invalid": Score(-20,
        "Cookies use SameSite flag, but set to something other than Strict or Lax",
        "Use SameSite Strict or Lax."),
    "cookies-anticsrf-without-samesite-flag": Score(-20,
        "Anti-CSRF tokens set without using the SameSite flag.",
        "Use SameSite Strict or Lax."),
    "cookies-session-without-httponly-flag": Score(-30,
        "Session cookie set without using the HttpOnly flag.",
        "Use HttpOnly"),
    "cookies-session-without-secure-flag": Score(-40,
        "Session cookie set without using the Secure flag or set over HTTP.",
        "Use Secure flag and set up HSTS."),
    "cross-origin-resource-sharing-not-implemented": Score(0,
        "Content is not visible via cross-origin resource sharing (CORS) files or headers.",
        ""),
    "cross-origin-resource-sharing-implemented-with-public-access": Score(0,
        "Public content is visible via cross-origin resource sharing (CORS) Access-Control-Allow-Origin "
        "header.",
        ""),
    "cross-origin-resource-sharing-implemented-with-restricted-access": Score(0,
        "Content is visible via cross-origin resource sharing (CORS) files or headers, but is restricted "
        "to specific domains.",
        ""),
    "cross-origin-resource-sharing-implemented-with-universal-access": Score(-50,
        "Content is visible via cross-origin resource sharing (CORS) file or headers, and credentials can"
        " be sent. Your site could be vulnerable to CSRF attacks.",
        "If credentialed access is required from specific origins, ensure Access-Control-Allow-Origin can"
        " only be set to those origins, rather than reflecting the Origin header. If public "
        "non-credentialed access is required, set Access-Control-Allow-Origin to * and omit the "
        "Access-Control-Allow-Credentials header. Otherwise, omit both headers."),
    "redirection-all-redirects-preloaded": Score(0,
        "All hosts redirected to are in the HTTP Strict Transport Security (HSTS) preload list.",
        ""),
    "redirection-to-https": Score(0,
        "Initial redirection is to HTTPS on same host, final destination is HTTPS",
        ""),
    "redirection-not-needed-no-http": Score(0,
        "Not able to connect via HTTP, so no redirection necessary.",
        ""),
    "redirection-off-host-from-http": Score(-5,
        "Initial redirection from HTTP to HTTPS is to a different host, preventing HSTS.",
        "HSTS headers aren't recognized when set over HTTP, so redirect to the same host on HTTPS first, "
        "then redirect to the final host."),
    "redirection-not-to-https-on-initial-redirection": Score(-10,
        "Redirects to HTTPS eventually, but initial redirection is to another HTTP URL.",
        "Redirect to the same host on HTTPS first, then redirect to the final host on HTTPS."),
    "redirection-not-to-https": Score(-20,
        "Redirects, but final destination is not an HTTPS URL.",
        "Redirect to the same host on HTTPS first, then redirect to the final host on HTTPS."),
    "redirection-missing": Score(-20,
        "Does not redirect to an HTTPS site.",
        "Redirect to the same host on HTTPS first, then redirect to the final host on HTTPS."),
    "redirection-invalid-cert": Score(-20,
        "Invalid certificate chain encountered during redirection.",
        "Install a valid TLS certificate on the server. Let's Encrypt is a good choice, as are "
        "certificates managed by your cloud provider or commercially sold ones."),
    "referrer-policy-private": Score(5,
        "Referrer-Policy header set to no-referrer, same-origin, strict-origin or "
        "strict-origin-when-cross-origin.",
        ""),
    "referrer-policy-not-implemented": Score(0,
        "Referrer-Policy header not implemented.",
        "Set to strict-origin-when-cross-origin at a minimum."),
    "referrer-policy-unsafe": Score(-5,
        "Referrer-Policy header set unsafely to origin, origin-when-cross-origin, unsafe-url or "
        "no-referrer-when-downgrade.",
        "Set to strict-origin-when-cross-origin at a minimum"),
    "referrer-policy-header-invalid": Score(-5,
        "Referrer-Policy header cannot be recognized.",
        "Set to strict-origin-when-cross-origin at a minimum"),
    "hsts-preloaded": Score(5,
        "Preloaded via the HTTP Strict Transport Security (HSTS) preloading process.",
        ""),
    "hsts-implemented-max-age-at-least-six-months": Score(0,
        "Strict-Transport-Security header set to a minimum of six months (15768000).",
        "Consider preloading: this requires adding the preload and includeSubDomains directives and "
        "setting max-age to at least 31536000 (1 year), and submitting your site to "
        "https://hstspreload.org/."),
    "hsts-implemented-max-age-less-than-six-months": Score(-10,
        "Strict-Transport-Security header set to less than six months (15768000).",
        "Increase HSTS period."),
    "hsts-not-implemented": Score(-20,
        "Strict-Transport-Security header not implemented.",
        "Add HSTS. Consider rolling out with shorter periods first (as suggested on "
        "https://hstspreload.org/)."),
    "hsts-header-invalid": Score(-20,
        "Strict-Transport-Security header cannot be recognized",
        "Read MDN's documentation on HTTP Strict Transport Security."),
    "hsts-not-implemented-no-https": Score(-20,
        "Strict-Transport-Security header cannot be set for sites not available over HTTPS.",
        "Make your site available over HTTPS. Let's Encrypt docs are a good starting point."),
    "hsts-invalid-cert": Score(-20,
        "Strict-Transport-Security header cannot be set, as site contains an invalid certificate chain.",
        "HSTS can only work with a valid TLS certificate on the server. Let's Encrypt is a good choice, "
        "as are certificates managed by your cloud provider or commercially sold ones."),
    "sri-implemented-and-all-scripts-loaded-securely": Score(5,
        "Subresource Integrity (SRI) is implemented and all scripts are loaded from a similar origin.",
        ""),
    "sri-implemented-and-external-scripts-loaded-securely": Score(5,
        "Subresource Integrity (SRI) is implemented and all scripts are loaded securely.",
        ""),
    "sri-not-implemented-response-not-html": Score(0,
        "Subresource Integrity (SRI) is only needed for HTML resources.",
        ""),
    "sri-not-implemented-but-no-scripts-loaded": Score(0,
        "Subresource Integrity (SRI) is not needed since site contains no script tags.",
        ""),
    "sri-not-implemented-but-all-scripts-loaded-from-secure-origin": Score(0,
        "Subresource Integrity (SRI) not implemented, but all scripts are loaded from a similar origin.",
        "Add SRI for bonus points."),
    "sri-not-implemented-but-external-scripts-loaded-securely": Score(-5,
        "Subresource Integrity (SRI) not implemented, but all external scripts are loaded over HTTPS.",
        "Add SRI to external scripts."),
    "sri-implemented-but-external-scripts-not-loaded-securely": Score(-20,
        "Subresource Integrity (SRI) implemented, but external scripts are loaded over HTTP or use "
        "protocol-relative URLs via src=\"//...\".",
        "Load external scripts over HTTPS."),
    "sri-not-implemented-and-external-scripts-not-loaded-securely": Score(-50,
        "Subresource Integrity (SRI) not implemented, and external scripts are loaded over HTTP or use "
        "protocol-relative URLs via src=\"//...\".",
        "Load external scripts over HTTPS, and add SRI to them."),
    "x-content-type-options-nosniff": Score(0,
        "X-Content-Type-Options header set to nosniff.",
        ""),
    "x-content-type-options-not-implemented": Score(-5,
        "X-Content-Type-Options header not implemented.",
        "Set to nosniff."),
    "x-content-type-options-header-invalid": Score(-5,
        "X-Content-Type-Options header cannot be recognized.",
        "Set to nosniff."),
    "x-frame-options-implemented-via-csp": Score(5,
        "X-Frame-Options (XFO) implemented via the CSP frame-ancestors directive.",
        ""),
    "x-frame-options-sameorigin-or-deny": Score(0,
        "X-Frame-Options (XFO) header set to SAMEORIGIN or DENY.",
        "Implement frame-ancestors CSP."),
    "x-frame-options-allow-from-origin": Score(0,
        "X-Frame-Options (XFO) header uses ALLOW-FROM uri directive.",
        "Implement frame-ancestors CSP."),
    "x-frame-options-not-implemented": Score(-20,
        "X-Frame-Options (XFO) header not implemented.",
        "Implement frame-ancestors CSP."),
    "x-frame-options-header-invalid": Score(-20,
        "X-Frame-Options (XFO) header cannot be recognized.",
        "Implement frame-ancestors CSP."),
    "corp-header-invalid": Score(-5,
        "Cross-Origin-Resource-Policy (CORP) header cannot be recognized.",
        "Implement Cross Origin Resource Policy."),
    "corp-implemented-with-cross-origin": Score(0,
        "Cross Origin Resource Policy (CORP) implemented, but allows cross-origin resource sharing by "
        "default.",
        ""),
    "corp-implemented-with-same-origin": Score(10,
        "Cross Origin Resource Policy (CORP) implemented, prevents leaks into cross-origin contexts.",
        ""),
    "corp-implemented-with-same-site": Score(10,
        "Cross Origin Resource Policy (CORP) implemented, prevents leaks into cross-site contexts.",
        ""),
    "corp-not-implemented": Score(0,
        "Cross Origin Resource Policy (CORP) is not implemented (defaults to cross-origin).",
        ""),
    # Scoring version 6 (upstream main) only: Cross-Origin-Embedder-Policy and -Opener-Policy.
    "coep-implemented-with-require-corp": Score(10,
        "Cross-Origin-Embedder-Policy header set to require-corp, restricting loading cross-origin "
        "resources.",
        ""),
    "coep-implemented-with-credentialless": Score(10,
        "Cross-Origin-Embedder-Policy header set to credentialless, allowing loading cross-origin resources "
        "but without sending credentials in the requests.",
        ""),
    "coep-implemented-with-unsafe-none": Score(0,
        "Cross-Origin-Embedder-Policy header set to unsafe-none, allowing loading cross-origin resources, "
        "which is the default value.",
        "Set to require-corp or credentialless."),
    "coep-not-implemented": Score(0,
        "Cross-Origin-Embedder-Policy header not implemented.",
        "Set to require-corp or credentialless."),
    "coep-header-invalid": Score(-5,
        "Cross-Origin-Embedder-Policy header cannot be recognized.",
        "Set to require-corp, credentialless, or unsafe-none."),
    "coop-implemented-with-same-origin": Score(10,
        "Cross-Origin-Opener-Policy header set to same-origin, enforcing site isolation from the "
        "opener.",
        ""),
    "coop-implemented-with-same-origin-allow-popups": Score(10,
        "Cross-Origin-Opener-Policy header set to same-origin-allow-popups, enforcing site isolation from "
        "the opener but allowing trusted resources such as for OAuth or payments.",
        ""),
    "coop-implemented-with-noopener-allow-popups": Score(10,
        "Cross-Origin-Opener-Policy header set to noopener-allow-popups, enforcing site isolation from the "
        "opener even if they are same origin.",
        ""),
    "coop-implemented-with-unsafe-none": Score(0,
        "Cross-Origin-Opener-Policy header set to unsafe-none, the document permits sharing its browsing "
        "context group with any other document, and may therefore be unsafe.",
        "Set to same-origin, same-origin-allow-popups, or noopener-allow-popups."),
    "coop-not-implemented": Score(0,
        "Cross-Origin-Opener-Policy header not implemented.",
        "Set to same-origin, same-origin-allow-popups, or noopener-allow-popups."),
    "coop-header-invalid": Score(-5,
        "Cross-Origin-Opener-Policy header cannot be recognized.",
        "Set to same-origin, same-origin-allow-popups, noopener-allow-popups, or unsafe-none."),
    "html-not-parseable": Score(-20,
        "Claims to be html, but cannot be parsed.",
        "Make sure the server returns correct HTML."),
}
# fmt: on
