"""Jinja filters shared by the tool templates."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

from flask import Flask
from markupsafe import Markup

from toolbox.core.jwt.display import Shown, show_cell, show_json
from toolbox.web.highlight import escape_revealed, highlight_json

HIGHLIGHT_FACTOR = 2  # span markup may double the text (plus HIGHLIGHT_BASE); the rest is shown plain
HIGHLIGHT_BASE = 16 * 1024


def pretty_json(value: Any) -> str:
    """Indented JSON, non-ASCII kept as is."""
    return json.dumps(value, indent=2, ensure_ascii=False)


def compact_json(value: Any) -> str:
    """One-line JSON for table cells, cut short after a few KB (display.show_cell)."""
    return show_cell(value)


def shown_json(value: Any) -> Shown:
    """JSON under an output budget: indented when small, else one line (with a note), else cut."""
    return show_json(value)


def isotime(timestamp: float) -> str:
    """UTC ISO 8601 with a Z."""
    return datetime.fromtimestamp(timestamp, UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def highlight(text: str) -> Markup:
    """Syntax-highlight JSON text; past a budget proportional to the text, the rest is escaped, unstyled."""
    return highlight_json(text, budget=HIGHLIGHT_FACTOR * len(text) + HIGHLIGHT_BASE)


def highlight_lines(text: str) -> Markup:
    """Highlighted JSON with each line in a `<span class="ln">` (CSS numbers the lines)."""
    # Pretty-printed JSON never has a raw newline inside a token, so lines highlight alone.
    return Markup("\n").join(Markup('<span class="ln">') + highlight_json(line) + Markup("</span>")
                             for line in text.split("\n"))


def reveal(text: object) -> Markup:
    """Any text from user input, escaped, with invisible and bidi control characters shown as escapes."""
    if isinstance(text, Markup):
        return text
    return Markup(escape_revealed(str(text)))  # noqa: S704 - escape_revealed escapes everything  # nosec B704


def filesize(size: int) -> str:
    """1536 -> '1.5 KB'."""
    value = float(size)
    for unit in ("bytes", "KB", "MB", "GB"):
        if value < 1024 or unit == "GB":
            return f"{int(value)} {unit}" if unit == "bytes" else f"{value:.1f} {unit}"
        value /= 1024
    return f"{size} bytes"  # pragma: no cover


def thousands(number: int) -> str:
    """8000 -> '8,000': every count on a page is written the same way."""
    return f"{number:,}"


def counted(number: int, singular: str, plural: str | None = None) -> str:
    """(1, 'object') -> '1 object', (8000, 'object') -> '8,000 objects'; plural defaults to singular + 's'."""
    return f"{number:,} {singular if number == 1 else plural or singular + 's'}"


def init_app(app: Flask) -> None:
    """Register the filters."""
    for function in (pretty_json, compact_json, shown_json, isotime, highlight, highlight_lines, reveal,
                     filesize, thousands, counted):
        app.add_template_filter(function)
