"""Security plumbing: Host check, response headers, cache rules, cross-site and page refusals, body size."""

from __future__ import annotations

from collections.abc import Iterable
from typing import IO, TYPE_CHECKING
from urllib.parse import urlsplit

from flask import Flask, Response, abort, request
from werkzeug.exceptions import RequestEntityTooLarge
from werkzeug.middleware.proxy_fix import ProxyFix
from werkzeug.wsgi import get_content_length

if TYPE_CHECKING:
    from _typeshed.wsgi import StartResponse, WSGIApplication, WSGIEnvironment

from toolbox.config import Settings, normalize_host_name
from toolbox.web.apiauth import API_PREFIX
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

# Liveness and readiness answer any Host: orchestrators probe the pod IP (Kubernetes sends
# `Host: <pod IP>:<port>`, the Dockerfile's HEALTHCHECK 127.0.0.1), and the answers are fixed
# JSON without input or anything secret, so a rebound page learns only that the app is up.
HOST_CHECK_EXEMPT = "health"  # the blueprint
# Routes that read their body as it arrives and never hold it whole (JSON Lines uploads): their limit
# is TOOLBOX_JSON_LINES_MAX_BYTES instead of TOOLBOX_MAX_BODY_BYTES (toolbox/web/json_lines.py).
STREAMED_BODY_PATHS = frozenset({"/api/v1/json/lines/stream", "/json/lines"})


def init_app(app: Flask, settings: Settings) -> None:
    """Install the request screening and the response headers on `app`."""
    if settings.trusted_proxies:
        n = settings.trusted_proxies
        # Trust exactly N hops of X-Forwarded-*; with 0 (default) no such header is believed.
        app.wsgi_app = ProxyFix(  # type: ignore[method-assign]
            app.wsgi_app, x_for=n, x_proto=n, x_host=n, x_port=n, x_prefix=0
        )
    max_body = settings.max_body_bytes
    pages_need_same_origin = bool(settings.api_jwt_key)
    app.wsgi_app = StreamedBodyLimit(  # type: ignore[method-assign]
        app.wsgi_app, max_body, settings.json_lines_max_bytes)
    host_names = settings.host_names()

    @app.before_request
    def screen_request() -> None:
        if request.blueprint != HOST_CHECK_EXEMPT and not host_allowed(request.host, host_names):
            # request.host is the Host header, or X-Forwarded-Host from a trusted proxy. Logged
            # only as a bounded, escaped repr: it is whatever the client chose to send.
            sent = request.environ.get("HTTP_HOST", "")
            security_event("host-refused", host=repr(sent[:80]))
            abort(400, description="This server does not answer to that host name.")
        limit = settings.json_lines_max_bytes if request.path in STREAMED_BODY_PATHS else max_body
        if request.content_length is not None and request.content_length > limit:
            abort(413)
        if request.method not in SAFE_METHODS and _is_cross_site():
            abort(403, description="Cross-site requests are refused.")
        if (pages_need_same_origin and request.method not in SAFE_METHODS
                and not request.path.startswith(API_PREFIX) and not _is_same_origin_browser()):
            # With API auth on, the bearer token guards /api/v1; the pages are for our own
            # pages' forms only, so a script cannot use them to skip the token. (The UI itself
            # is protected at the proxy; see docs/api.md.)
            security_event("page-post-refused", sec_fetch_site=request.headers.get("Sec-Fetch-Site", ""),
                           origin=request.headers.get("Origin", ""))
            abort(403, description="With API authentication on, pages accept posts only from "
                                   "this site's own pages; scripts use the API with a token.")

    app.after_request(apply_security_headers)


class StreamedBodyLimit:
    """WSGI middleware: a body sent without Content-Length (chunked) gets 413 past the limit.

    Bodies with a Content-Length are refused before reading (screen_request). For streamed
    ones werkzeug reads at most MAX_CONTENT_LENGTH bytes and stops there without looking for
    more, so an oversized chunked form or JSON body would be cut at the limit and processed.
    BoundedInput looks one byte further and raises 413 instead, wherever the body is read.
    """

    def __init__(self, app: WSGIApplication, limit: int, streamed_limit: int | None = None) -> None:
        self.app = app
        self.limit = limit
        self.streamed_limit = limit if streamed_limit is None else streamed_limit

    def __call__(self, environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        """Wrap the input of a request without Content-Length; pass everything else through."""
        if get_content_length(environ) is None:
            streamed = environ.get("PATH_INFO") in STREAMED_BODY_PATHS
            environ["wsgi.input"] = BoundedInput(environ["wsgi.input"],
                                                 self.streamed_limit if streamed else self.limit)
        return self.app(environ, start_response)


class BoundedInput:
    """A request body stream that raises RequestEntityTooLarge once it holds more than `limit` bytes."""

    def __init__(self, source: IO[bytes], limit: int) -> None:
        self._source = source
        self._limit = limit
        self._seen = 0

    def read(self, size: int | None = -1) -> bytes:
        """Read like the WSGI input, counting; reaching the limit probes for one byte more."""
        room = self._limit + 1 - self._seen
        data = self._source.read(room if size is None or size < 0 else min(size, room))
        self._seen += len(data)
        if self._seen == self._limit and data:
            # Whoever reads (werkzeug's LimitedStream) stops here; whether the body ends here
            # too decides between a whole body and a cut one.
            self._seen += len(self._source.read(1))
        if self._seen > self._limit:
            raise RequestEntityTooLarge()
        return data

    def readline(self, size: int | None = -1) -> bytes:
        """Read one line, counting like read()."""
        room = self._limit + 1 - self._seen
        data = self._source.readline(room if size is None or size < 0 else min(size, room))
        self._seen += len(data)
        if self._seen > self._limit:
            raise RequestEntityTooLarge()
        return data


def host_allowed(host: str, names: frozenset[str]) -> bool:
    """Whether `host` (`name[:port]` as werkzeug validated it; "" when invalid) is one of ours.

    Ports are not compared. An entry `.example.com` allows example.com and its subdomains.
    """
    name_part = host[: host.find("]") + 1] if host.startswith("[") else host.partition(":")[0]
    name = normalize_host_name(name_part) if name_part else None
    if name is None:
        return False
    if name in names:
        return True
    return any(entry.startswith(".") and (name == entry[1:] or name.endswith(entry))
               for entry in names)


def _is_same_origin_browser() -> bool:
    """True when a browser vouches that our own page sent this request.

    `Sec-Fetch-Site: same-origin` (browsers set it; pages cannot), or an `Origin` equal to ours.
    """
    if request.headers.get("Sec-Fetch-Site") == "same-origin":
        return True
    origin = request.headers.get("Origin")
    return origin is not None and origin.lower() == f"{request.scheme}://{request.host}".lower()


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
    if request.endpoint == "static":
        # toolbox.web.assets decides: STATIC_CACHE only for a file's current version; its
        # errors (unknown file, wrong version) revalidate like unversioned URLs.
        if response.status_code >= 400 or "Cache-Control" not in response.headers:
            response.headers["Cache-Control"] = "no-cache"
    else:
        # Dynamic responses may echo pasted secrets: never cache them anywhere.
        response.headers["Cache-Control"] = "no-store"
    response.vary.add("HX-Request")
    _relative_location(response)
    # The app sets no cookies; make sure no extension ever slips one in.
    response.headers.pop("Set-Cookie", None)
    return response


def _relative_location(response: Response) -> None:
    """Make redirects to ourselves (werkzeug's trailing-slash redirects) path-only.

    werkzeug builds them absolute from the request's Host; a relative Location never repeats
    a name the client sent, and stays right behind proxies.
    """
    location = response.headers.get("Location")
    if not location:
        return
    parts = urlsplit(location)
    if not parts.scheme or parts.netloc.lower() != request.host.lower():
        return
    # "//x" or "/\\x" would be read as another host: keep exactly one leading slash.
    path = "/" + parts.path.lstrip("/\\")
    response.headers["Location"] = path + (f"?{parts.query}" if parts.query else "") + (
        f"#{parts.fragment}" if parts.fragment else "")
