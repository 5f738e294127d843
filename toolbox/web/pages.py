"""Pages that are not tools: the home page and the navigation."""

from __future__ import annotations

from dataclasses import dataclass

from flask import Blueprint, current_app, render_template

pages_bp = Blueprint("pages", __name__)


@dataclass(frozen=True)
class ToolCard:
    """A tool as presented on the home page."""

    name: str
    short: str
    endpoint: str
    summary: str
    points: tuple[str, ...]


TOOLS = (
    ToolCard(
        "JWT decoder, verifier and auditor",
        "JWT",
        "jwt.index",
        "Paste a token to see its header and claims, verify its signature against a secret, "
        "a PEM key or a JWKS, and get an audit of what is risky about it.",
        ("Every algorithm PyJWT supports", "Expiry in plain words", "Weak-secret and alg:none checks"),
    ),
    ToolCard(
        "JSON formatter and schema validator",
        "JSON",
        "json.index",
        "Pretty-print or minify JSON without changing a single number, find the exact line of a "
        "syntax error, and validate against a JSON Schema with errors pointed at their line.",
        ("Exact numbers, duplicate keys reported", "Drafts 4 to 2020-12", "Line and column for every error"),
    ),
    ToolCard(
        "Security-header checker",
        "Headers",
        "headers.index",
        "Grade a site's response headers the way the MDN HTTP Observatory does, see why, and "
        "copy the exact lines that fix it for nginx, Caddy, Apache, Flask or Express.",
        ("Observatory-compatible grade", "CSP and cookie findings", "Paste headers or give a URL"),
    ),
)


@pages_bp.app_context_processor
def navigation() -> dict[str, object]:
    """Expose `nav_tools()`: the tools this app actually serves, for the header navigation."""

    def nav_tools() -> list[ToolCard]:
        return [tool for tool in TOOLS if tool.endpoint in current_app.view_functions]

    return {"nav_tools": nav_tools}


@pages_bp.get("/")
def index() -> str:
    """The home page: the three tools and the privacy promise."""
    available = {tool.endpoint for tool in TOOLS if tool.endpoint in current_app.view_functions}
    return render_template("home/index.html", tools=TOOLS, available=available)
