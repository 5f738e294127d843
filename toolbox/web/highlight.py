"""Server-side JSON syntax highlighting: escaped text wrapped in classed spans (no JS needed)."""

from __future__ import annotations

import html
import re

from markupsafe import Markup

# One pass over JSON text; anything unexpected is emitted escaped and unstyled.
_TOKEN = re.compile(
    r'(?P<key>"(?:[^"\\]|\\.)*"(?=\s*:))'
    r'|(?P<string>"(?:[^"\\]|\\.)*")'
    r"|(?P<number>-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?)"
    r"|(?P<literal>\btrue\b|\bfalse\b|\bnull\b)"
)


def highlight_json(text: str) -> Markup:
    """Return `text` HTML-escaped with JSON tokens wrapped in `<span class="j-…">`."""
    out: list[str] = []
    last = 0
    for match in _TOKEN.finditer(text):
        out.append(html.escape(text[last:match.start()]))
        kind = match.lastgroup
        out.append(f'<span class="j-{kind}">{html.escape(match.group())}</span>')
        last = match.end()
    out.append(html.escape(text[last:]))
    return Markup("".join(out))  # noqa: S704 - every piece above is escaped
