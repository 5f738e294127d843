"""Security plumbing for every response: headers, cache rules, cross-site refusal, body size."""

from __future__ import annotations

from flask import Flask, Response, abort, request
from werkzeug.middleware.proxy_fix import ProxyFix

from toolbox.config import Settings
from toolbox.web.requestlog import security_event

CONTENT_SECURITY_POLICY = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'"
)

# Every powerful feature is switched off. Only names Chromium recognises are listed: an
# unknown name makes the browser log a console error on every page.
PERMISSIONS_POLICY = ", ".join(
    f"{feature}=()"
    for feature in (
        "accelerometer",
        "autoplay",
        "camera",
        "display-capture",
        "encrypted-media",
        "fullscreen",
        "geolocation",
        "gyroscope",
        "hid",
        "idle-detection",
        "magnetometer",
        "microphone",
        "midi",
        "payment",
        "picture-in-picture",
        "publickey-credentials-get",
        "screen-wake-lock",
        "serial",
        "usb",
        "xr-spatial-tracking",
    )
)

SECURITY_HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "Strict-Transport-Security": "max-age=63072000; includeSubDomains",
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "no-referrer",
    "Permissions-Policy": PERMISSIONS_POLICY,
    "Cross-Origin-Opener-Policy": "same-origin",
    "Cross-Origin-Resource-Policy": "same-origin",
}

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "TRACE"})
STATIC_CACHE = "public, max-age=31536000, immutable"


def init_app(app: Flask, settings: Settings) -> None:
    """Install the request screening and the response headers on `app`."""
    if settings.trusted_proxies:
        n = settings.trusted_proxies
        # Trust exactly N hops of X-Forwarded-*; with 0 (default) no such header is believed.
        app.wsgi_app = ProxyFix(  # type: ignore[method-assign]
            app.wsgi_app, x_for=n, x_proto=n, x_host=n, x_port=n, x_prefix=0
        )
    max_body = settings.max_body_bytes

    @app.before_request
    def screen_request() -> None:
        if request.content_length is not None and request.content_length > max_body:
            abort(413)
        if request.method not in SAFE_METHODS and _is_cross_site():
            abort(403, description="Cross-site requests are refused.")

    app.after_request(apply_security_headers)


def _is_cross_site() -> bool:
    """True when a browser tells us the request comes from another site (CSRF defence)."""
    site = request.headers.get("Sec-Fetch-Site")
    origin = request.headers.get("Origin")
    if site in ("cross-site", "same-site"):
        security_event("cross-site-refused", sec_fetch_site=site, origin=origin or "")
        return True
    ours = f"{request.scheme}://{request.host}".lower()
    if origin is not None and origin != "null" and origin.lower() != ours:
        security_event("cross-site-refused", sec_fetch_site=site or "", origin=origin)
        return True
    if origin == "null" and site is None:
        # `Origin: null` comes from sandboxed frames and data: URLs, but also from our own
        # form posts: with `Referrer-Policy: no-referrer` browsers hide the origin of a
        # non-CORS POST. Sec-Fetch-Site (sent over HTTPS and to localhost) vouches for those;
        # without it we cannot tell them apart, so we refuse.
        security_event("cross-site-refused", sec_fetch_site="", origin=origin)
        return True
    # Programmatic clients (curl, scripts) send neither header and are allowed.
    return False


def apply_security_headers(response: Response) -> Response:
    """Add the fixed header set, the caching rule and `Vary`; strip any cookie."""
    response.headers.update(SECURITY_HEADERS)
    if request.endpoint == "static" and request.args.get("v"):
        response.headers["Cache-Control"] = STATIC_CACHE
    elif request.endpoint == "static":
        response.headers["Cache-Control"] = "no-cache"
    else:
        # Dynamic responses may echo pasted secrets: never cache them anywhere.
        response.headers["Cache-Control"] = "no-store"
    response.vary.add("HX-Request")
    # The app sets no cookies; make sure no extension ever slips one in.
    response.headers.pop("Set-Cookie", None)
    return response
