"""Copy-paste fix snippets for nginx, Caddy, Apache, Flask and Express, from the actual findings.

`fix_snippets(findings, headers, url)` plans the header changes (fixes_plan: fixes for the
findings plus a recommended baseline, with the starter CSP explained there) and renders
them per target (fixes_render: each syntax escaped correctly).
"""

from __future__ import annotations

from collections.abc import Iterable

from toolbox.core.headers.findings_base import Finding, Headers
from toolbox.core.headers.fixes_plan import STARTER_CSP, HeaderAction, plan_fixes
from toolbox.core.headers.fixes_render import (
    render_apache,
    render_caddy,
    render_express,
    render_flask,
    render_nginx,
)

__all__ = ["STARTER_CSP", "TARGETS", "HeaderAction", "fix_snippets", "plan_fixes"]

TARGETS = ("nginx", "caddy", "apache", "flask", "express")


def fix_snippets(findings: Iterable[Finding], headers: Headers, url: str | None = None,
                 set_cookies: Iterable[str] | None = None) -> dict[str, str]:
    """Target name (nginx, caddy, apache, flask, express) → snippet; url None assumes https.

    `set_cookies`: the Set-Cookie values to repair when not only the headers' own (plan_fixes)."""
    actions = plan_fixes(headers, url if url is not None else "https://", tuple(findings), set_cookies)
    return {
        "nginx": render_nginx(actions),
        "caddy": render_caddy(actions),
        "apache": render_apache(actions),
        "flask": render_flask(actions),
        "express": render_express(actions),
    }
