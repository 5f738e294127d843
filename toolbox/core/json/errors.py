"""Located, worded JSON syntax errors: line, column, byte offset, a clipped snippet and a caret."""

from __future__ import annotations

import re

from toolbox.core.json.locate import byte_offset, line_col
from toolbox.core.json.model import JsonSyntaxError, JsonTooDeep

SNIPPET_WIDTH = 120


def location(text: str, index: int) -> tuple[int, int, int]:
    """1-based line and column (in characters) and 0-based UTF-8 byte offset of text[index]."""
    return (*line_col(text, index), byte_offset(text, index))


def _visible(char: str, keep_tab: bool = True) -> str:
    """One printable character standing for `char` in a snippet (controls and surrogates shown)."""
    code = ord(char)
    if code < 0x20 and (char != "\t" or not keep_tab):
        return chr(0x2400 + code)  # U+2400.. control pictures: same width, visible, never raw
    if code == 0x7F:
        return "\u2421"
    if 0xD800 <= code <= 0xDFFF:
        return "\ufffd"  # a lone surrogate cannot be encoded: the page would fail to render
    return char


def snippet_at(text: str, index: int) -> tuple[str, str]:
    """The line holding text[index], clipped around it to ~120 characters, and a caret line."""
    start = text.rfind("\n", 0, index) + 1
    end = text.find("\n", index)
    end = len(text) if end < 0 else end
    lo = max(start, index - SNIPPET_WIDTH // 2)
    hi = min(end, lo + SNIPPET_WIDTH)
    lo = max(start, min(lo, hi - SNIPPET_WIDTH))
    raw = text[lo:hi].rstrip("\r") if hi == end else text[lo:hi]
    prefix = "…" if lo > start else ""
    suffix = "…" if hi < end else ""
    column = index - lo
    shown = "".join(_visible(c, i != column) for i, c in enumerate(raw))
    pad = "".join("\t" if c == "\t" else " " for c in shown[:column])
    return prefix + shown + suffix, " " * len(prefix) + pad + "^"


def syntax_error(text: str, index: int, message: str) -> JsonSyntaxError:
    """A JsonSyntaxError for text[index] with line, column, byte offset, snippet and caret."""
    index = max(0, min(index, len(text)))
    line, column, offset = location(text, index)
    snippet, caret = snippet_at(text, index)
    return JsonSyntaxError(message, line, column, offset, snippet, caret)


def too_deep(text: str, index: int, max_depth: int) -> JsonTooDeep:
    """A JsonTooDeep located at the bracket that opens one level too many."""
    line, column, offset = location(text, index)
    return JsonTooDeep(f"Arrays and objects nested deeper than {max_depth} levels at line {line}, "
                       f"column {column}", max_depth=max_depth, line=line, column=column, offset=offset)


def encode_utf8(text: str) -> bytes:
    """UTF-8 of the text; a lone surrogate (unencodable, not Unicode text) is a located syntax error."""
    try:
        return text.encode("utf-8")
    except UnicodeEncodeError as err:
        char = ord(text[err.start])
        raise syntax_error(text, err.start, f"Unpaired surrogate code point U+{char:04X} in the input: "
                                            "this is not valid Unicode text") from None


def char_name(char: str) -> str:
    """How to name a character in a message: quoted if printable, U+XXXX if not."""
    code = ord(char)
    if char == "\ufeff":
        return "a byte order mark (U+FEFF)"
    if code < 0x20 or code == 0x7F or 0x80 <= code <= 0xA0 or char in "\u2028\u2029\u200b":
        return f"U+{code:04X}"
    if 0xD800 <= code <= 0xDFFF:
        return f"a lone surrogate U+{code:04X}"
    return f"'{char}'"


def bad_value(text: str, pos: int) -> str:
    """Why no JSON value starts at text[pos] (the caller knows one must)."""
    rest = text[pos:pos + 9]
    c = rest[:1]
    if not c:
        return "Unexpected end of input: expected a value"
    if c == "'":
        return "Single quotes are not allowed: JSON strings use double quotes"
    if rest.startswith(("//", "/*")):
        return "Comments are not allowed in JSON"
    if rest.startswith(("NaN", "-NaN", "+NaN")):
        return "NaN is not a JSON number"
    if rest.startswith(("Infinity", "-Infinity", "+Infinity", "inf", "-inf")):
        return "Infinity is not a JSON number"
    if c == "+":
        return "Numbers cannot start with '+'"
    if c == "." or rest.startswith("-."):
        return "Numbers need a digit before the decimal point"
    if c == "-":
        return "Expected a digit after '-'"
    word = re.match(r"[A-Za-z]+", text[pos:pos + 12])
    if word and word.group() in ("True", "False", "None", "Null", "TRUE", "FALSE", "NULL", "undefined"):
        return f"Unknown literal '{word.group()}': JSON has true, false and null"
    if c in "tfn":
        return "Invalid literal: JSON has true, false and null (lowercase)"
    if c == "]" or c == "}":
        return f"Expected a value before '{c}'"
    if c == ",":
        return "Expected a value before ','"
    if c == "\ufeff":
        return "A byte order mark (U+FEFF) is not allowed in JSON text"
    if c.isspace() or c in "\u200b":
        return (f"Unexpected whitespace character {char_name(c)}: "
                "JSON whitespace is space, tab, CR and LF only")
    return f"Unexpected character {char_name(c)}: expected a value"


def bad_string(text: str, pos: int) -> tuple[int, str]:
    """Where and why the string starting at text[pos] is invalid."""
    valid = re.compile(r'"(?:[^"\\\x00-\x1f]++|\\(?:["\\/bfnrt]|u[0-9a-fA-F]{4}))*+').match(text, pos)
    end = valid.end() if valid else pos + 1
    if end >= len(text):
        return pos, "Unterminated string: the closing '\"' is missing"
    c = text[end]
    if c == "\\":
        esc = text[end:end + 6]
        if esc[1:2] == "u":
            return end, f"Invalid escape '{esc}': \\u needs four hex digits"
        if not esc[1:2]:
            return pos, "Unterminated string: the closing '\"' is missing"
        shown = esc[:2] if esc[1].isprintable() else f"\\ followed by {char_name(esc[1])}"
        return end, (f"Invalid escape '{shown}' in string: "
                     "JSON allows \\\" \\\\ \\/ \\b \\f \\n \\r \\t \\uXXXX")
    if c == "\n":
        return end, "Unescaped line break in string (write \\n), or the closing '\"' is missing"
    return end, f"Unescaped control character {char_name(c)} in string: write it as \\u{ord(c):04x}"


def after_value(text: str, pos: int, closer: str) -> str:
    """Why text[pos] cannot follow a value inside an array (closer ']') or object ('}')."""
    c = text[pos:pos + 1]
    if not c:
        return f"Unexpected end of input: expected ',' or '{closer}'"
    if text.startswith(("//", "/*"), pos):
        return "Comments are not allowed in JSON"
    if c in "]}":
        return f"Mismatched '{c}': expected ',' or '{closer}'"
    if c == ":":
        hint = " (keys go in objects)" if closer == "]" else ""
        return f"Unexpected ':': expected ',' or '{closer}'{hint}"
    return f"Expected ',' or '{closer}' after a value, found {char_name(c)}" + (
        " (a comma is missing?)" if c in "\"[{-0123456789tfn" else "")


def after_document(text: str, pos: int) -> str:
    """Why text[pos] cannot follow the complete top-level value."""
    if text.startswith(("//", "/*"), pos):
        return "Comments are not allowed in JSON"
    return "Unexpected data after the JSON value: a JSON text holds exactly one top-level value"


def bad_key(text: str, pos: int, after_comma: bool) -> str:
    """Why no key starts at text[pos] inside an object."""
    c = text[pos:pos + 1]
    if not c:
        return "Unexpected end of input: expected a key in double quotes"
    if c == "}" and after_comma:
        return "Trailing comma before '}'"
    if c == "'":
        return "Single quotes are not allowed: object keys use double quotes"
    if text.startswith(("//", "/*"), pos):
        return "Comments are not allowed in JSON"
    if c.isalpha() or c in "_$":
        return "Object keys must be strings in double quotes"
    return f"Expected a key in double quotes, found {char_name(c)}"


# What lenient input (JSON5/JSONC) accepts, by the strict reader's message for it: the page then says
# which option would read the text. Only the messages written above and in scan.py are matched.
_LENIENT_CAUSES = (
    ("Comments are not allowed", "comments"),
    ("Trailing comma before", "trailing commas"),
    ("Single quotes are not allowed", "single quotes"),
    ("Object keys must be strings in double quotes", "unquoted keys"),
)


def lenient_cause(message: str) -> str | None:
    """What in the text lenient input would accept ("comments", "trailing commas", ...), or None."""
    for start, cause in _LENIENT_CAUSES:
        if message.startswith(start):
            return cause
    return None
