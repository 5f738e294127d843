"""The exact model as YAML 1.2 that reads back to the same model (formats.py reads it), iteratively.

Block style, two spaces per level, members in order; empty collections as `{}` and `[]`. A string
is written plain only when no YAML 1.2 *or* 1.1 reader could take it for anything else (it starts
with a letter of any script or `_`, holds letters, digits, `_ . - /` and single inner spaces, and is
not one of `null`, `true`, `yes`, `on`, `y`, … in any case); otherwise double-quoted, with every character
that is not printable, a line break, or a byte order mark escaped. A multi-line value is a literal
block (`|`, `|-`, `|+` by its trailing line breaks) when that is exact and robust: no escapes
needed, its first line starts with neither a space nor a tab, and no line ends in whitespace.
Numbers are written as their exact literal (a Decimal that would look like an integer gets `e0`,
so it reads back as the same non-integer literal). Keys longer than YAML's 1,024-character limit
on implicit keys are written as explicit keys (`? "…"`).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

from toolbox.core.json.model import OutputTooLarge

# A letter (any script) or "_" first, then letters, digits, "_ . - /" and single inner spaces.
_PLAIN = re.compile(r"[^\W\d][\w.\-/]*(?: [\w.\-/]+)*\Z")
# Words some YAML reader (1.1 or 1.2) resolves to something other than a string.
_SPECIAL = frozenset({"null", "true", "false", "yes", "no", "on", "off", "y", "n"})
# What a double-quoted scalar escapes: not c-printable, line breaks of 1.1 or 1.2, BOM, quote, backslash.
_ESCAPE = re.compile("[\"\\\\\x00-\x1f\x7f-\x9f\u2028\u2029\ufeff\ud800-\udfff\ufffe\uffff]")
_NAMED = {"\x00": "\\0", "\x07": "\\a", "\b": "\\b", "\t": "\\t", "\n": "\\n", "\x0b": "\\v",
          "\f": "\\f", "\r": "\\r", "\x1b": "\\e", '"': '\\"', "\\": "\\\\",
          "\x85": "\\N", "\u2028": "\\L", "\u2029": "\\P"}
# Anything a literal block cannot hold exactly (a line break other than \n included).
_NOT_IN_BLOCK = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\ufeff\ud800-\udfff\ufffe\uffff]")
_TRAILING_SPACE = re.compile(r"[ \t]\n|[ \t]\Z")
MAX_IMPLICIT_KEY = 1000  # characters of the written key (YAML's limit is 1,024)


def _escape(char: str) -> str:
    named = _NAMED.get(char)
    if named is not None:
        return named
    code = ord(char)
    return f"\\x{code:02X}" if code < 0x100 else f"\\u{code:04X}"


def quoted(text: str) -> str:
    """A YAML double-quoted scalar holding exactly `text`."""
    return '"' + _ESCAPE.sub(lambda m: _escape(m.group()), text) + '"'


def plain_ok(text: str) -> bool:
    """Whether `text` reads back as this same string, written plain, in YAML 1.2 and 1.1."""
    return _PLAIN.match(text) is not None and text.lower() not in _SPECIAL


def scalar(value: Any) -> str:
    """A scalar on one line: a number's exact literal, true/false/null, a plain or double-quoted string."""
    if value is None:
        return "null"
    if value is True:
        return "true"
    if value is False:
        return "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, Decimal):
        literal = str(value)
        return literal if "." in literal or "E" in literal else literal + "e0"
    text = str(value)
    return text if plain_ok(text) else quoted(text)


def _block(text: str) -> tuple[str, list[str]] | None:
    """A literal block's header and lines for a multi-line string, when that is exact and robust."""
    if "\n" not in text or _NOT_IN_BLOCK.search(text) or _TRAILING_SPACE.search(text):
        return None
    if text[0] in " \t\n":
        return None  # the first line sets the indentation: it must start with content
    if text.endswith("\n\n"):
        header, body = "|+", text[:-1]
    elif text.endswith("\n"):
        header, body = "|", text[:-1]
    else:
        header, body = "|-", text
    return header, body.split("\n")


def _key(key: str) -> tuple[str, bool]:
    written = key if plain_ok(key) else quoted(key)
    return written, len(written) > MAX_IMPLICIT_KEY


def dump_yaml(value: Any, budget: int) -> str:
    """`value` (the exact model) as a YAML 1.2 document; OutputTooLarge beyond `budget` bytes (about)."""
    out: list[str] = []
    size = 0

    def write(piece: str) -> None:
        nonlocal size
        size += len(piece)
        if size > budget:
            raise OutputTooLarge(f"The YAML would exceed the output limit of {budget / (1 << 20):,.1f} MB "
                                 "(deep nesting multiplies indentation)", size, budget)
        out.append(piece)

    if not isinstance(value, (dict, list)) or not value:
        write(_inline(value))
        return out[0] + "\n"

    # Each frame: the children still to write and their indentation. `inline` is set after a "- "
    # that a nested collection continues on the same line (compact notation).
    stack: list[tuple[Iterator[tuple[str | None, Any]], int]] = [(_children(value), 0)]
    inline = True  # the document's first line
    while stack:
        children, indent = stack[-1]
        nxt = next(children, None)
        if nxt is None:
            stack.pop()
            continue
        key, child = nxt
        pad = " " * indent
        if inline:
            inline = False
            lead = ""
        else:
            lead = "\n" + pad
        nested = isinstance(child, (dict, list)) and bool(child)
        if key is None:  # a sequence entry
            write(lead + "-")
            if nested:
                write(" ")
                inline = True
                stack.append((_children(child), indent + 2))
                continue
        else:
            written, explicit = _key(key)
            if explicit:
                write(f"{lead}? {written}\n{pad}:")
            else:
                write(f"{lead}{written}:")
            if nested:
                stack.append((_children(child), indent + 2))
                continue
        if isinstance(child, str):
            block = _block(child)
            if block is not None:
                header, lines = block
                inner = "\n" + pad + "  "
                write(" " + header + "".join(inner + line if line else "\n" for line in lines))
                continue
        write(" " + _inline(child))
    write("\n")
    return "".join(out)


def _inline(value: Any) -> str:
    """A scalar, or an empty collection in flow style."""
    if isinstance(value, dict):
        return "{}"
    if isinstance(value, list):
        return "[]"
    return scalar(value)


def _children(value: dict[str, Any] | list[Any]) -> Iterator[tuple[str | None, Any]]:
    if isinstance(value, dict):
        return iter(value.items())
    return ((None, item) for item in value)
