"""JSON shown to people under an output budget: indented when that stays small, else on one line, else cut.

Indenting is quadratic in nesting depth (each level repeats the indent of every level above it), so a
240 KB token of nested arrays once printed as a 160 MB page. Here the printer is iterative (no recursion,
whatever the depth) and stops as soon as the text outgrows its budget: a small multiple of the compact
form plus a constant, so the cost and the size of any display are linear in the input.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from json.encoder import encode_basestring  # C-accelerated when available
from typing import Any

DISPLAY_FACTOR = 4  # indented text may be this many times the compact text (plus DISPLAY_BASE)
DISPLAY_BASE = 16 * 1024
MAX_DISPLAY = 1024 * 1024  # the compact form itself, for values that did not come from a bounded token
CELL_LIMIT = 2000  # one value in a table cell


@dataclass(frozen=True)
class Shown:
    """Text to display, and a note when it is not the plain indented form."""

    text: str
    note: str | None = None


def show_json(value: Any, *, factor: int = DISPLAY_FACTOR, base: int = DISPLAY_BASE,
              limit: int = MAX_DISPLAY) -> Shown:
    """Indented JSON when it fits factor x compact + base, else compact, cut at `limit` characters."""
    compact, complete = _compact(value, limit)
    if not complete:
        return Shown(compact, f"Cut short: only the first {limit:,} characters are shown.")
    budget = factor * len(compact) + base
    pretty, complete = render(value, 2, budget)
    if complete:
        return Shown(pretty)
    return Shown(compact, f"Shown on one line: indented, it would be more than {budget:,} characters "
                          "(it is nested deeply).")


def _compact(value: Any, limit: int) -> tuple[str, bool]:
    """One-line JSON by the C encoder when the value is shallow enough for it, else iteratively."""
    try:
        text = json.dumps(value, ensure_ascii=False, separators=(", ", ": "))
    except (RecursionError, TypeError, ValueError):  # deeper than the C encoder goes, or not JSON
        return render(value, None, limit)
    return (text, True) if len(text) <= limit else (text[:limit], False)


def show_cell(value: Any, limit: int = CELL_LIMIT) -> str:
    """One-line JSON for a table cell, cut at `limit` characters with an ellipsis."""
    text, complete = render(value, None, limit)
    return text if complete else text + " …"


def render(value: Any, indent: int | None, budget: int) -> tuple[str, bool]:
    """JSON text as json.dumps(indent=..., ensure_ascii=False) writes it (one line, ', ' and ': ', when
    indent is None), built iteratively; (text cut at `budget`, False) once it would grow longer."""
    out: list[str] = []
    size = 0
    stack: list[Any] = [(value, 0)]  # (value, level) to write, or a literal str
    while stack:
        top = stack.pop()
        if isinstance(top, str):
            chunk = top
        else:
            node, level = top
            chunk = _open(node, level, indent, stack)
        out.append(chunk)
        size += len(chunk)
        if size > budget:
            return "".join(out)[:budget], False
    return "".join(out), True


def _open(node: Any, level: int, indent: int | None, stack: list[Any]) -> str:
    """The text that starts `node`; what follows it is pushed onto `stack` (in reverse)."""
    if isinstance(node, dict) and node:
        pairs = list(node.items())
        inner, close = _newline(indent, level + 1), _newline(indent, level) + "}"
        stack.append(close)
        for i in range(len(pairs) - 1, -1, -1):
            key, child = pairs[i]
            stack.append((child, level + 1))
            stack.append(("," if indent is not None else ", ") * (i > 0) + inner + _scalar(str(key)) + ": ")
        return "{"
    if isinstance(node, list | tuple) and node:
        inner, close = _newline(indent, level + 1), _newline(indent, level) + "]"
        stack.append(close)
        for i in range(len(node) - 1, -1, -1):
            stack.append((node[i], level + 1))
            stack.append(("," if indent is not None else ", ") * (i > 0) + inner)
        return "["
    if isinstance(node, dict):
        return "{}"
    if isinstance(node, list | tuple):
        return "[]"
    return _scalar(node)


def _newline(indent: int | None, level: int) -> str:
    return "" if indent is None else "\n" + " " * (indent * level)


def _scalar(value: Any) -> str:
    if isinstance(value, str):
        return str(encode_basestring(value))
    if value is None or isinstance(value, bool):
        return "null" if value is None else "true" if value else "false"
    try:
        return json.dumps(value, ensure_ascii=False)
    except (TypeError, ValueError):  # not JSON (bytes, an object), or an int too long for str()
        return json.dumps(f"({type(value).__name__} not shown)")
