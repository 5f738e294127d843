"""The Observatory's cookies test, over a cookie jar filled like tough-cookie 5 fills it."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from urllib.parse import urlsplit

from toolbox.core.headers.model import Verdict

_IGNORED = ("heroku-session-affinity",)  # see mozilla/http-observatory#282
# From best to worst; a cookie can only make the result worse.
_ORDER = (
    "cookies-without-secure-flag-but-protected-by-hsts",
    "cookies-without-secure-flag",
    "cookies-session-without-secure-flag-but-protected-by-hsts",
    "cookies-samesite-flag-invalid",
    "cookies-anticsrf-without-samesite-flag",
    "cookies-session-without-httponly-flag",
    "cookies-session-without-secure-flag",
)
_PASSING = (
    "cookies-not-found",
    "cookies-secure-with-httponly-sessions-and-samesite",
    "cookies-secure-with-httponly-sessions",
)


@dataclass(frozen=True)
class JarCookie:
    """The attributes of a stored cookie that the test reads."""

    name: str
    domain: str
    path: str
    secure: bool
    http_only: bool
    same_site: str | None


def _worse(new: str, old: str | None) -> str:
    if old is None or _ORDER.index(new) > _ORDER.index(old):
        return new
    return old


def parse_set_cookie(header: str, url: str) -> JarCookie | None:
    """Parse one Set-Cookie for a response from `url`, or None when a jar would refuse it."""
    text = header.strip()
    pair, _, rest = text.partition(";")
    name, eq, _value = pair.partition("=")
    if not eq or not name.strip():
        return None
    host = (urlsplit(url).hostname or "").lower()
    domain, path = "", ""
    secure = http_only = False
    same_site: str | None = None
    for av in rest.split(";"):
        key, _, value = av.strip().partition("=")
        key, value = key.strip().lower(), value.strip()
        if key == "domain" and value.lstrip("."):
            domain = value.strip().lstrip(".").lower()
        elif key == "path":
            path = value if value.startswith("/") else ""
        elif key == "secure":
            secure = True
        elif key == "httponly":
            http_only = True
        elif key == "samesite":
            same_site = value.lower() if value.lower() in ("strict", "lax", "none") else None
    cookie_name = name.strip()
    if domain and ("." not in domain or not (host == domain or host.endswith("." + domain))):
        return None  # a public suffix or another site's domain
    if cookie_name.startswith("__Secure-") and not secure:
        return None
    if cookie_name.startswith("__Host-") and (not secure or domain or path != "/"):
        return None
    if not path:
        url_path = urlsplit(url).path
        path = url_path[: url_path.rfind("/")] if url_path.count("/") > 1 else "/"
    return JarCookie(cookie_name, domain or host, path, secure, http_only, same_site)


def fill_jar(responses: Iterable[tuple[str, list[str]]]) -> list[JarCookie]:
    """Store every Set-Cookie of the responses in order; a repeat replaces its namesake."""
    jar: dict[tuple[str, str, str], JarCookie] = {}
    for url, set_cookies in responses:
        for header in set_cookies:
            cookie = parse_set_cookie(header, url)
            if cookie is not None:
                jar[(cookie.domain, cookie.path, cookie.name)] = cookie
    return list(jar.values())


def _invalid_same_site(header: str) -> bool:
    for part in header.strip().split(";"):
        pieces = part.strip().split("=")
        value = pieces[1] if len(pieces) > 1 else ""
        if pieces[0].strip().lower() == "samesite" and value.strip().lower() not in ("lax", "strict", "none"):
            return True
    return False


def cookies_test(final_set_cookies: list[str], jar: list[JarCookie], hsts_passed: bool) -> Verdict:
    """Grade the jar's cookies (raw SameSite syntax checked on the final response's headers)."""
    result: str | None = None
    if any(_invalid_same_site(h) for h in final_set_cookies):
        result = "cookies-samesite-flag-invalid"
    cookies = [c for c in jar if c.name and c.name not in _IGNORED]
    if not cookies:
        return Verdict("cookies-not-found", True)
    missing_same_site = False
    for cookie in cookies:
        lowered = cookie.name.lower()
        session = "login" in lowered or "sess" in lowered
        if not cookie.secure and cookie.same_site == "none":
            result = _worse("cookies-samesite-flag-invalid", result)
        if not cookie.secure:
            plain = "cookies-without-secure-flag"
            result = _worse(plain + "-but-protected-by-hsts" if hsts_passed else plain, result)
        if "csrf" in lowered and not cookie.same_site:
            result = _worse("cookies-anticsrf-without-samesite-flag", result)
        if session and not cookie.secure:
            plain = "cookies-session-without-secure-flag"
            result = _worse(plain + "-but-protected-by-hsts" if hsts_passed else plain, result)
        if session and not cookie.http_only:
            result = _worse("cookies-session-without-httponly-flag", result)
        missing_same_site = missing_same_site or not cookie.same_site
    if result is None:
        result = (
            "cookies-secure-with-httponly-sessions"
            if missing_same_site
            else "cookies-secure-with-httponly-sessions-and-samesite"
        )
    return Verdict(result, result in _PASSING)
