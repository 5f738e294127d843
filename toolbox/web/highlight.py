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


def highlight_json(text: str, budget: int | None = None) -> Markup:
    """Return `text` HTML-escaped with JSON tokens wrapped in `<span class="j-…">`.

    With a `budget`, spans stop once the output passes it and the rest is escaped without them, so the
    markup added to many tiny tokens ([1,1,1,...]) stays a bounded multiple of the text.
    """
    out: list[str] = []
    last = size = 0
    for match in _TOKEN.finditer(text):
        out.append(html.escape(text[last:match.start()]))
        kind = match.lastgroup
        out.append(f'<span class="j-{kind}">{html.escape(match.group())}</span>')
        last = match.end()
        if budget is not None:
            size += len(out[-2]) + len(out[-1])
            if size > budget:
                break
    out.append(html.escape(text[last:]))
    return Markup("".join(out))  # noqa: S704 - every piece above is escaped
