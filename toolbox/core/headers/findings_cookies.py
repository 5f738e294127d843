"""Cookie attribute and prefix rules (RFC 6265bis) and credentialed-CORS findings.

Session-looking names (for the HttpOnly check) are a heuristic: the name contains sess, sid,
token, auth, jwt, login, remember or ends in "_session". Names with csrf/xsrf are excluded on
purpose: double-submit CSRF cookies (e.g. Angular's XSRF-TOKEN) must be readable by script,
so asking for HttpOnly there would be wrong advice.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from toolbox.core.headers.findings_base import MDN_HEADERS, Finding, Headers, Severity, shown, values_of

COOKIE_MDN = MDN_HEADERS + "Set-Cookie"
CORS_MDN = MDN_HEADERS + "Access-Control-Allow-Origin"
PROBE_ORIGIN = "https://probe.invalid"
_SESSION = re.compile(r"sess|sid|token|auth|jwt|login|remember|_session$", re.IGNORECASE)
_READABLE_BY_DESIGN = re.compile(r"csrf|xsrf", re.IGNORECASE)


@dataclass(frozen=True)
class Cookie:
    """The parts of one Set-Cookie line the checks look at (attribute names lower-cased)."""

    name: str
    attributes: dict[str, str]


def parse_set_cookie(line: str) -> Cookie:
    """Parse a Set-Cookie value like RFC 6265bis §5.6 (no '=' means an empty name)."""
    pair, _, rest = line.partition(";")
    name = pair.partition("=")[0].strip(" \t") if "=" in pair else ""
    attributes: dict[str, str] = {}
    for part in rest.split(";"):
        key, _, value = part.partition("=")
        key = key.strip(" \t").lower()
        if key:
            attributes[key] = value.strip(" \t")  # the last occurrence wins, as in browsers
    return Cookie(name, attributes)


def is_session_like(name: str) -> bool:
    """Whether the cookie name looks like it carries a session or credential (see module doc)."""
    return bool(_SESSION.search(name)) and not _READABLE_BY_DESIGN.search(name)


def _prefix_problems(cookie: Cookie) -> tuple[str, str] | None:
    lowered = cookie.name.lower()
    secure = "secure" in cookie.attributes
    if lowered.startswith("__host-"):
        missing = []
        if not secure:
            missing.append("Secure")
        if cookie.attributes.get("path") != "/":
            missing.append("Path=/")
        if "domain" in cookie.attributes:
            missing.append("no Domain")
        if missing:
            return "cookie-host-prefix-invalid", ", ".join(missing)
    elif lowered.startswith("__secure-") and not secure:
        return "cookie-secure-prefix-invalid", "Secure"
    return None


_COOKIE_TEXT: dict[str, tuple[Severity, str, str, str]] = {
    "cookie-no-secure": (
        "medium",
        "Cookie without Secure",
        "is sent over plain HTTP too, where anyone on the path reads it",
        "Add the Secure attribute.",
    ),
    "cookie-no-httponly": (
        "medium",
        "Session-looking cookie without HttpOnly",
        "can be read by any injected script",
        "Add the HttpOnly attribute (unless your own scripts must read it).",
    ),
    "cookie-no-samesite": (
        "low",
        "Cookie without SameSite",
        "relies on the browser's default (Lax in Chromium, None elsewhere)",
        "Add SameSite=Lax (or Strict).",
    ),
    "cookie-samesite-none-insecure": (
        "medium",
        "SameSite=None without Secure",
        "is rejected by current browsers",
        "Add Secure, or use SameSite=Lax.",
    ),
    "cookie-samesite-invalid": (
        "low",
        "Unknown SameSite value",
        "has a SameSite value browsers ignore",
        "Use SameSite=Strict, Lax or None.",
    ),
    "cookie-host-prefix-invalid": (
        "medium",
        "__Host- cookie breaks the prefix rules",
        "is rejected by browsers (the prefix needs what is in brackets)",
        "Set it with Secure; Path=/ and without Domain.",
    ),
    "cookie-secure-prefix-invalid": (
        "medium",
        "__Secure- cookie without Secure",
        "is rejected by browsers (the prefix needs Secure)",
        "Add the Secure attribute.",
    ),
}


def cookie_findings(headers: Headers, https: bool) -> list[Finding]:
    """One finding per problem kind, naming every cookie that has it."""
    hits: dict[str, list[str]] = {}
    for line in values_of(headers, "set-cookie"):
        cookie = parse_set_cookie(line)
        label = shown(cookie.name) or "(nameless)"
        attrs = cookie.attributes
        secure = "secure" in attrs
        if https and not secure:
            hits.setdefault("cookie-no-secure", []).append(label)
        if "httponly" not in attrs and is_session_like(cookie.name):
            hits.setdefault("cookie-no-httponly", []).append(label)
        samesite = attrs.get("samesite")
        if samesite is None:
            hits.setdefault("cookie-no-samesite", []).append(label)
        elif samesite.lower() == "none" and not secure:
            hits.setdefault("cookie-samesite-none-insecure", []).append(label)
        elif samesite.lower() not in ("strict", "lax", "none"):
            hits.setdefault("cookie-samesite-invalid", []).append(label)
        prefix = _prefix_problems(cookie)
        if prefix is not None:
            hits.setdefault(prefix[0], []).append(f"{label} [{prefix[1]}]")
    out = []
    for finding_id, names in hits.items():
        severity, title, what, fix = _COOKIE_TEXT[finding_id]
        listed = ", ".join(names[:10]) + (f" and {len(names) - 10} more" if len(names) > 10 else "")
        out.append(Finding(finding_id, severity, title, f"{listed}: {what}.", fix, COOKIE_MDN))
    return out


def _cors_from(headers: Headers, probe: bool) -> list[Finding]:
    origins = values_of(headers, "access-control-allow-origin")
    if not origins:
        return []
    origin = origins[0]
    credentials = any(v == "true" for v in values_of(headers, "access-control-allow-credentials"))
    if probe and origin == PROBE_ORIGIN and credentials:
        return [Finding(
            "cors-reflected-origin-credentials", "high", "CORS reflects any origin with credentials",
            f"A request from {PROBE_ORIGIN} got it back in Access-Control-Allow-Origin with "
            "Access-Control-Allow-Credentials: true: any site can read logged-in users' responses.",
            "Check Origin against an explicit allowlist before echoing it.", CORS_MDN,
        )]  # fmt: skip
    if origin == "null":
        return [Finding(
            "cors-null-origin", "high", "CORS allows the null origin",
            "Access-Control-Allow-Origin: null is matched by sandboxed iframes and file: pages that "
            "any attacker can create" + (", and credentials are allowed." if credentials else "."),
            "Never allow null; use an explicit allowlist of origins.", CORS_MDN,
        )]  # fmt: skip
    if origin == "*" and credentials:
        return [Finding(
            "cors-wildcard-credentials", "medium", "CORS '*' with credentials is invalid",
            "Browsers refuse credentialed responses with Access-Control-Allow-Origin: *; this usually "
            "means the server is one step away from reflecting origins.",
            "Drop Allow-Credentials, or allow explicit origins.", CORS_MDN,
        )]  # fmt: skip
    if probe and origin == PROBE_ORIGIN:
        return [Finding(
            "cors-reflected-origin", "low", "CORS reflects any origin",
            f"A request from {PROBE_ORIGIN} was allowed (without credentials): any site can read "
            "these responses; fine only for public data.",
            "Allow only the origins that need access.", CORS_MDN,
        )]  # fmt: skip
    return []


def cors_findings(headers: Headers, cors_probe: Headers | None) -> list[Finding]:
    """CORS problems: from the foreign-Origin probe when given, else from the response itself."""
    found = _cors_from(cors_probe, True) if cors_probe is not None else []
    return found or _cors_from(headers, False)
