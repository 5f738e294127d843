"""Server-side JSON syntax highlighting: escaped text wrapped in classed spans (no JS needed)."""

from __future__ import annotations

import html
import re

from markupsafe import Markup

from toolbox.core.jwt.invisible import INVISIBLE, escape

# One pass over JSON text; anything unexpected is emitted escaped and unstyled.
_TOKEN = re.compile(
    r'(?P<key>"(?:[^"\\]|\\.)*"(?=\s*:))'
    r'|(?P<string>"(?:[^"\\]|\\.)*")'
    r"|(?P<number>-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?)"
    r"|(?P<literal>\btrue\b|\bfalse\b|\bnull\b)"
)


def escape_revealed(text: str) -> str:
    """HTML-escaped text with invisible and bidi control characters shown as `\\u202e` in a span.

    The character itself is never written, so it cannot reorder or hide what the page shows; inside
    a JSON string the escape is the same JSON, so copied output still parses to the same value.
    """
    escaped = html.escape(text)
    if not INVISIBLE.search(escaped):
        return escaped
    return INVISIBLE.sub(lambda match: f'<span class="cc">{escape(match.group())}</span>', escaped)


def highlight_json(text: str, budget: int | None = None) -> Markup:
    """Return `text` HTML-escaped with JSON tokens wrapped in `<span class="j-…">`.

    With a `budget`, spans stop once the output passes it and the rest is escaped without them, so the
    markup added to many tiny tokens ([1,1,1,...]) stays a bounded multiple of the text.
    """
    out: list[str] = []
    last = size = 0
    esc = escape_revealed if INVISIBLE.search(text) else html.escape  # one search spares one per token
    for match in _TOKEN.finditer(text):
        out.append(esc(text[last:match.start()]))
        kind = match.lastgroup
        out.append(f'<span class="j-{kind}">{esc(match.group())}</span>')
        last = match.end()
        if budget is not None:
            size += len(out[-2]) + len(out[-1])
            if size > budget:
                break
    out.append(esc(text[last:]))
    return Markup("".join(out))  # noqa: S704 - every piece above is escaped  # nosec B704


def textarea_text(text: str) -> Markup:
    """`text` escaped for a <textarea>'s content (RCDATA): only `&` and `<` need it there.

    A textarea ends only at `</textarea`, and character references start with `&`: with both escaped
    the browser reads back exactly `text`. Quotes stay as they are, which keeps a 5 MB JSON text
    ~5 MB in the page (escaping every `"` as `&#34;` made it ~8 MB, ~1 s more to parse in Chromium).
    """
    return Markup(text.replace("&", "&amp;").replace("<", "&lt;"))  # noqa: S704 - escaped for RCDATA  # nosec B704
