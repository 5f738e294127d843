"""Copy-paste snippets for nginx, Caddy, Apache, Flask and Express from planned header actions.

Each renderer escapes values for its own syntax. Values are printable ASCII by construction
(fixes_plan.is_safe_value gates anything copied from the site); escaping is still applied so a
value can never end a string early: nginx/Caddy/Apache double-quoted strings escape `\\` and
`"`; Apache also doubles `%` (mod_headers format specifiers); Caddy escapes `{`/`}`
(placeholders); Python and JavaScript literals come from repr()/json.dumps.
"""

from __future__ import annotations

import json
from collections.abc import Iterable

from toolbox.core.headers.fixes_cookies import FLAGS
from toolbox.core.headers.fixes_plan import HeaderAction, is_safe_value

# PCRE for "the cookie already has this attribute" (a SameSite value browsers ignore does not count).
_APACHE_PRESENT = {
    "Secure": "secure", "HttpOnly": "httponly", "SameSite=Lax": "samesite\\s*=\\s*(?:lax|strict|none)",
}
_HELMET_SIMPLE: dict[str, tuple[str, str]] = {
    "x-frame-options": ("xFrameOptions", "action"),
    "referrer-policy": ("referrerPolicy", "policy"),
    "cross-origin-opener-policy": ("crossOriginOpenerPolicy", "policy"),
}


def _quoted(value: str, *, extra: str = "") -> str:
    escaped = "".join("\\" + c if c in '\\"' + extra else c for c in value)
    return f'"{escaped}"'


def _plain(text: str) -> str:
    """Text for a comment: one line, printable ASCII, no backslash (Apache continues a line ending
    in one, comments included)."""
    return "".join(c if " " <= c <= "~" and c != "\\" else "?" for c in text)


def _checked(actions: Iterable[HeaderAction]) -> list[HeaderAction]:
    out = []
    for action in actions:
        if action.action == "set" and not is_safe_value(action.value):
            continue  # never paste a value that could break out of a config string
        allowed = "-_" if action.action == "cookie" else "-"
        if not action.name or not all(c.isascii() and (c.isalnum() or c in allowed) for c in action.name):
            continue
        if action.action == "cookie" and not set(action.flags) <= set(FLAGS):
            continue
        out.append(action)
    return out


def _notes(actions: list[HeaderAction], prefix: str) -> list[str]:
    return [f"{prefix}NOTE {a.name}: {_plain(a.reason)}" for a in actions if a.action == "note"]


def _cookies(actions: list[HeaderAction]) -> list[HeaderAction]:
    return [a for a in actions if a.action == "cookie"]


def _header_actions(actions: list[HeaderAction]) -> list[HeaderAction]:
    return [a for a in actions if a.action in ("set", "remove")]


def _cookie_summary(cookies: list[HeaderAction]) -> str:
    return "; ".join(f"{a.name}: {', '.join(a.flags)}" for a in cookies)


def render_nginx(actions: Iterable[HeaderAction]) -> str:
    """`add_header … always;` lines for a server block, plus removals nginx supports."""
    checked = _checked(actions)
    lines = ["# server { ... } block. A location with its own add_header drops these: repeat them there."]
    lines += _notes(checked, "# ")
    for a in _header_actions(checked):
        if a.action == "set":
            lines.append(f"# {_plain(a.reason)}")
            if a.sent:  # add_header adds: the app's own copy would be sent too
                lines.append(f"proxy_hide_header {a.name};")
            lines.append(f"add_header {a.name} {_quoted(a.value)} always;")
        elif a.name == "Server":
            lines.append("server_tokens off;  # hide the nginx version")
            lines.append("proxy_hide_header Server;")
        else:
            lines.append(f"proxy_hide_header {a.name};  # from the proxied app")
    cookies = _cookies(checked)
    if cookies:
        lines.append("# Cookies from the proxied app lack attributes (nginx >= 1.19.3; better: the app):")
        for a in cookies:
            lines.append(f"proxy_cookie_flags {a.name} {' '.join(f.lower() for f in a.flags)};")
    lines.append("# If the app sets the same headers, hide them (proxy_hide_header) so each is sent once.")
    return "\n".join(lines) + "\n"


def render_caddy(actions: Iterable[HeaderAction]) -> str:
    """A `header { … }` block (set replaces; `-Name` deletes)."""
    checked = _checked(actions)
    lines = ["header {", *_notes(checked, "\t# ")]
    for a in _header_actions(checked):
        if a.action == "set":
            lines.append(f"\t# {_plain(a.reason)}")
            lines.append(f"\t{a.name} {_quoted(a.value, extra='{}')}")
        else:
            lines.append(f"\t-{a.name}")
    lines.append("}")
    cookies = _cookies(checked)
    if cookies:
        # Deferred: the replacement runs when the response is written, so it also sees cookies
        # set by reverse_proxy. RE2 has no look-ahead: the rule appends to the cookies that lack
        # the attribute today; drop it once the app sets them.
        summary = _plain(_cookie_summary(cookies))
        lines += [f"# Cookies lack attributes (better set them in the app): {summary}", "header {", "\tdefer"]
        for a in cookies:
            appended = [f for f in a.flags if not (a.replace_same_site and f.startswith("SameSite"))]
            if a.replace_same_site:  # "$1 " (not "$1S…"): Go would read "$1SameSite" as a group name
                find = f"^({a.name}=.*?;)\\s*(?i:samesite)\\s*=[^;]*(.*)$"
                lines.append(f'\tSet-Cookie "{find}" "$1 SameSite=Lax$2"')
            if appended:
                lines.append(f'\tSet-Cookie "^({a.name}=.*)$" "$1; {"; ".join(appended)}"')
        lines.append("}")
    return "\n".join(lines) + "\n"


def render_apache(actions: Iterable[HeaderAction]) -> str:
    """`Header always set/unset` lines (mod_headers)."""
    checked = _checked(actions)
    lines = ["# Needs mod_headers. 'always' also covers error responses."]
    lines += _notes(checked, "# ")
    for a in _header_actions(checked):
        if a.action == "set":
            lines.append(f"# {_plain(a.reason)}")
            value = _quoted(a.value.replace("%", "%%"))
            if a.sent:  # a proxied app's copy is in the other table: 'always set' would send both
                lines.append(f"Header unset {a.name}")
            lines.append(f"Header always set {a.name} {value}")
        elif a.name == "Server":
            # Apache takes no comment after a directive (apachectl -t fails): the comment goes above.
            lines.append("# Server config only: hides the version.")
            lines.append("ServerTokens Prod")
            lines.append("ServerSignature Off")
        else:
            lines.append(f"Header always unset {a.name}")
            lines.append(f"Header unset {a.name}")
    cookies = _cookies(checked)
    if cookies:
        lines.append("# Cookies lack attributes (better set them in the app). Each edit skips cookies")
        lines.append("# that have the attribute; both tables, as a proxied app's cookies are in the other.")
        for a in cookies:
            rules = []
            if a.replace_same_site:  # a SameSite value browsers ignore becomes Lax
                invalid = "(?!(?i:lax|strict|none)\\s*(?:;|$))"
                pattern = f"^({a.name}=.*?;)\\s*(?i:samesite)\\s*=\\s*{invalid}[^;]*(.*)$"
                rules.append((pattern, "$1 SameSite=Lax$2"))
            for flag in a.flags:
                present = _APACHE_PRESENT[flag]
                rules.append((f"^(?!.*;\\s*(?i:{present})\\s*(?:;|$))({a.name}=.*)$", f"$1; {flag}"))
            for pattern, result in rules:
                lines.append(f'Header always edit Set-Cookie "{pattern}" "{result}"')
                lines.append(f'Header edit Set-Cookie "{pattern}" "{result}"')
    return "\n".join(lines) + "\n"


def render_flask(actions: Iterable[HeaderAction]) -> str:
    """An `@app.after_request` function (valid Python)."""
    checked = _checked(actions)
    lines = _notes(checked, "# ")
    cookies = _cookies(checked)
    if cookies:
        lines += [
            "# Cookies lack attributes: " + _plain(_cookie_summary(cookies)),
            "# Flask's session cookie: app.config.update(SESSION_COOKIE_SECURE=True,",
            '#     SESSION_COOKIE_HTTPONLY=True, SESSION_COOKIE_SAMESITE="Lax")',
            '# Your own: response.set_cookie(name, value, secure=True, httponly=True, samesite="Lax")',
            "#     (httponly=False only for a cookie your scripts must read, such as a CSRF token)",
        ]
    lines += ["@app.after_request", "def set_security_headers(response):"]
    for a in _header_actions(checked):
        if a.action == "set":
            lines.append(f"    # {_plain(a.reason)}")
            lines.append(f"    response.headers[{a.name!r}] = {a.value!r}")
        elif a.name == "Server":
            lines.append("    # Server is added by the WSGI server / proxy: hide its version there.")
        else:
            lines.append(f"    response.headers.pop({a.name!r}, None)")
    lines.append("    return response")
    return "\n".join(lines) + "\n"


def _csp_directives(value: str) -> dict[str, list[str]]:
    directives: dict[str, list[str]] = {}
    for part in value.split(";"):
        tokens = part.split()
        if tokens and tokens[0].lower() not in directives:
            directives[tokens[0].lower()] = tokens[1:]
    return directives


def _hsts_options(value: str) -> dict[str, object]:
    parts = [p.strip().lower() for p in value.split(";")]
    age = next((p.split("=", 1)[1] for p in parts if p.startswith("max-age=")), "63072000")
    return {
        "maxAge": int(age) if age.isascii() and age.isdigit() else 63072000,
        "includeSubDomains": "includesubdomains" in parts,
        "preload": "preload" in parts,
    }


def _helmet_options(options: dict[str, object]) -> str:
    """helmet's options as JSON (ASCII-escaped JSON is a valid JavaScript expression), one option
    and one CSP directive per line, short values inline."""
    if not options:
        return "{}"
    entries = []
    for key, value in options.items():
        directives = value.get("directives") if isinstance(value, dict) else None
        if isinstance(directives, dict):
            inner = ",\n".join(f"      {json.dumps(d)}: {json.dumps(s)}" for d, s in directives.items())
            text = '{\n    "useDefaults": false,\n    "directives": {\n' + inner + "\n    }\n  }"
        else:
            text = json.dumps(value, separators=(", ", ": "))
        entries.append(f"  {json.dumps(key)}: {text}")
    return "{\n" + ",\n".join(entries) + "\n}"


def render_express(actions: Iterable[HeaderAction]) -> str:
    """helmet options plus a small middleware for what helmet does not cover."""
    options: dict[str, object] = {}
    extra: list[str] = []
    checked = _checked(actions)
    for a in _header_actions(checked):
        key = a.name.lower()
        if a.action == "remove":
            if key == "x-powered-by":
                options["xPoweredBy"] = True  # helmet removes it
            elif key != "server":
                extra.append(f"  res.removeHeader({json.dumps(a.name)});")
        elif key == "content-security-policy":
            options["contentSecurityPolicy"] = {"useDefaults": False, "directives": _csp_directives(a.value)}
        elif key == "strict-transport-security":
            options["strictTransportSecurity"] = _hsts_options(a.value)
        elif key == "x-content-type-options":
            options["xContentTypeOptions"] = True
        elif key == "x-xss-protection":
            options["xXssProtection"] = True  # helmet sends "0"
        elif key in _HELMET_SIMPLE:
            option, field = _HELMET_SIMPLE[key]
            options[option] = {field: a.value.lower()}
        else:
            extra.append(f"  res.setHeader({json.dumps(a.name)}, {json.dumps(a.value)});")
    body = _helmet_options(options)
    lines = _notes(checked, "// ")
    cookies = _cookies(checked)
    if cookies:
        lines += [
            "// Cookies lack attributes: " + _plain(_cookie_summary(cookies)),
            '// res.cookie(name, value, { secure: true, httpOnly: true, sameSite: "lax" });',
            '// express-session: session({ cookie: { secure: true, httpOnly: true, sameSite: "lax" }, ... })',
            "//     (httpOnly: false only for a cookie your scripts must read, such as a CSRF token)",
        ]
    lines += [
        'const helmet = require("helmet");',
        f"app.use(helmet({body}));",
        'app.disable("x-powered-by");',
    ]
    if extra:
        lines += ["app.use((req, res, next) => {", *extra, "  next();", "});"]
    return "\n".join(lines) + "\n"
