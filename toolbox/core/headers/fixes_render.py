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

from toolbox.core.headers.fixes_plan import HeaderAction, is_safe_value

_HELMET_SIMPLE: dict[str, tuple[str, str]] = {
    "x-frame-options": ("xFrameOptions", "action"),
    "referrer-policy": ("referrerPolicy", "policy"),
    "cross-origin-opener-policy": ("crossOriginOpenerPolicy", "policy"),
}


def _quoted(value: str, *, extra: str = "") -> str:
    escaped = "".join("\\" + c if c in '\\"' + extra else c for c in value)
    return f'"{escaped}"'


def _plain(text: str) -> str:
    """Text for a comment: one line, printable ASCII."""
    return "".join(c if " " <= c <= "~" else "?" for c in text)


def _checked(actions: Iterable[HeaderAction]) -> list[HeaderAction]:
    out = []
    for action in actions:
        if action.action == "set" and not is_safe_value(action.value):
            continue  # never paste a value that could break out of a config string
        if not all(c.isalnum() or c == "-" for c in action.name):
            continue
        out.append(action)
    return out


def render_nginx(actions: Iterable[HeaderAction]) -> str:
    """`add_header … always;` lines for a server block, plus removals nginx supports."""
    lines = ["# server { ... } block. A location with its own add_header drops these: repeat them there."]
    for a in _checked(actions):
        if a.action == "set":
            lines.append(f"# {_plain(a.reason)}")
            lines.append(f"add_header {a.name} {_quoted(a.value)} always;")
        elif a.name == "Server":
            lines.append("server_tokens off;  # hide the nginx version")
            lines.append("proxy_hide_header Server;")
        else:
            lines.append(f"proxy_hide_header {a.name};  # from the proxied app")
    lines.append("# If the app sets the same headers, hide them (proxy_hide_header) so each is sent once.")
    return "\n".join(lines) + "\n"


def render_caddy(actions: Iterable[HeaderAction]) -> str:
    """A `header { … }` block (set replaces; `-Name` deletes)."""
    lines = ["header {"]
    for a in _checked(actions):
        if a.action == "set":
            lines.append(f"\t# {_plain(a.reason)}")
            lines.append(f"\t{a.name} {_quoted(a.value, extra='{}')}")
        else:
            lines.append(f"\t-{a.name}")
    lines.append("}")
    return "\n".join(lines) + "\n"


def render_apache(actions: Iterable[HeaderAction]) -> str:
    """`Header always set/unset` lines (mod_headers)."""
    lines = ["# Needs mod_headers. 'always' also covers error responses."]
    for a in _checked(actions):
        if a.action == "set":
            lines.append(f"# {_plain(a.reason)}")
            value = _quoted(a.value.replace("%", "%%"))
            lines.append(f"Header always set {a.name} {value}")
        elif a.name == "Server":
            # Apache takes no comment after a directive (apachectl -t fails): the comment goes above.
            lines.append("# Server config only: hides the version.")
            lines.append("ServerTokens Prod")
            lines.append("ServerSignature Off")
        else:
            lines.append(f"Header always unset {a.name}")
            lines.append(f"Header unset {a.name}")
    return "\n".join(lines) + "\n"


def render_flask(actions: Iterable[HeaderAction]) -> str:
    """An `@app.after_request` function (valid Python)."""
    lines = ["@app.after_request", "def set_security_headers(response):"]
    for a in _checked(actions):
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


def render_express(actions: Iterable[HeaderAction]) -> str:
    """helmet options plus a small middleware for what helmet does not cover."""
    options: dict[str, object] = {}
    extra: list[str] = []
    for a in _checked(actions):
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
    body = json.dumps(options, indent=2)  # JSON (ASCII-escaped) is a valid JavaScript expression
    lines = [
        'const helmet = require("helmet");',
        f"app.use(helmet({body}));",
        'app.disable("x-powered-by");',
    ]
    if extra:
        lines += ["app.use((req, res, next) => {", *extra, "  next();", "});"]
    return "\n".join(lines) + "\n"
