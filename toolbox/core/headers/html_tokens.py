"""A linear-time subset of the WHATWG HTML tokenizer: start/end tags with attributes.

It follows the standard's tokenizer states for what decides where tags begin and end
(tag and attribute states, comments with their EOF rules, bogus comments, doctypes,
CDATA, RCDATA/RAWTEXT/script data/PLAINTEXT) and drops text and comment contents.
The standard's tokenizer never backtracks; here every scan is a `str.find` or a regex
of fixed-length alternatives that consumes what it matched, and a scan that fails
means end of input, so the whole run is linear in the input size.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from html.entities import html5
from typing import Literal, Protocol

TextMode = Literal["rawtext", "script", "plaintext"]

_ASCII_LOWER = str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZ", "abcdefghijklmnopqrstuvwxyz")
_TAG_NAME = re.compile(r"[^\t\n\f />]*")
# Between attributes: whitespace, and any "/" not closing the tag (self-closing-start-tag state).
_GAP = re.compile(r"(?:[\t\n\f ]|/(?!>))*")
# A name (whose first character may be "="), then "=" and spaces if a value follows.
_ATTRIBUTE = re.compile(r"([^\t\n\f />][^\t\n\f />=]*)[\t\n\f ]*(=[\t\n\f ]*)?")
_UNQUOTED = re.compile(r"[^\t\n\f >]*")
_COMMENT_END = re.compile(r"--!?>")
# re.ASCII keeps IGNORECASE from matching e.g. U+017F LONG S as "s", which HTML never does.
_CASELESS = re.IGNORECASE | re.ASCII
_SCRIPT_DATA = re.compile(r"<!--|</script[\t\n\f />]", _CASELESS)
_SCRIPT_ESCAPED = re.compile(r"-->|</script[\t\n\f />]|<script[\t\n\f />]", _CASELESS)
_SCRIPT_DOUBLE_ESCAPED = re.compile(r"-->|</script[\t\n\f />]", _CASELESS)
_END_TAGS: dict[str, re.Pattern[str]] = {}
# The character references html.unescape recognises, found the same way it finds them.
_CHARREF = re.compile(r"&(#[0-9]+;?|#[xX][0-9a-fA-F]+;?|[^\t\n\f <&#;]{1,32};?)")
_LEGACY = frozenset(name for name in html5 if not name.endswith(";"))
EOF = -1


class TokenSink(Protocol):
    """What the tokenizer needs from tree construction."""

    def start(self, name: str, attrs: dict[str, str], self_closing: bool) -> TextMode | None:
        """Take a start tag; return the text state its content is tokenized in, if not data."""

    def end(self, name: str) -> None:
        """Take an end tag."""

    def foreign(self) -> bool:
        """Whether the current node is SVG/MathML content (where <![CDATA[ is a section)."""


def _decode_ref(match: re.Match[str]) -> str:
    text = match.group()
    if text[1] == "#":
        hex_digits = text[2] in "xX"
        digits = text[3 if hex_digits else 2 :].rstrip(";").lstrip("0") or "0"
        if len(digits) > 8:
            # Out of Unicode range (U+FFFD); also keeps int() off huge digit strings,
            # which CPython refuses (ValueError) past 4300 decimal digits.
            return "\ufffd"
        return html.unescape(("&#x" if hex_digits else "&#") + digits + ";")
    name = text[1:]
    if name in html5 and name.endswith(";"):
        return html5[name]
    # Longest legacy (semicolon-less) name; in attributes it is left alone when an
    # "=" or alphanumeric follows, so "?a=1&copy=2" keeps its "&copy".
    for size in range(len(name.rstrip(";")), 1, -1):
        if name[:size] in _LEGACY:
            following = (name[size:] or match.string[match.end() : match.end() + 1])[:1]
            if following == "=" or (following.isascii() and following.isalnum()):
                return text
            return html5[name[:size]] + name[size:]
    return text


def decode_attribute(value: str) -> str:
    """Resolve character references in an attribute value, as the HTML tokenizer does."""
    return _CHARREF.sub(_decode_ref, value) if "&" in value else value


def _skip(pattern: re.Pattern[str], text: str, pos: int) -> int:
    """Where the (possibly empty) run of pattern starting at pos ends."""
    found = pattern.match(text, pos)
    return pos if found is None else found.end()


def ascii_lower(name: str) -> str:
    """Lowercase ASCII letters only, as HTML does (str.lower also folds e.g. U+212A KELVIN SIGN)."""
    return name.lower() if name.isascii() else name.translate(_ASCII_LOWER)


def _is_alpha(char: str) -> bool:
    return char.isascii() and char.isalpha()


def _tag_rest(text: str, pos: int, sink: TokenSink, name: str, end_tag: bool) -> tuple[int, TextMode | None]:
    """Tokenize a tag's attributes from pos and hand the tag over; return where data resumes."""
    attrs: dict[str, str] = {}
    size = len(text)
    while True:
        pos = _skip(_GAP, text, pos)
        if pos >= size:
            return EOF, None  # EOF in a tag drops the tag
        if text[pos] == ">" or text.startswith("/>", pos):
            self_closing = text[pos] == "/"
            pos += 2 if self_closing else 1
            if end_tag:
                sink.end(name)
                return pos, None
            return pos, sink.start(name, attrs, self_closing)
        found = _ATTRIBUTE.match(text, pos)
        if found is None:  # unreachable: text[pos] starts an attribute name
            return EOF, None
        attr, pos = ascii_lower(found.group(1)), found.end()
        value = ""
        if found.group(2):
            quote = text[pos : pos + 1]
            if quote in ('"', "'"):
                close = text.find(quote, pos + 1)
                if close < 0:
                    return EOF, None
                value, pos = decode_attribute(text[pos + 1 : close]), close + 1
            elif quote != ">":
                value_end = _skip(_UNQUOTED, text, pos)
                value, pos = decode_attribute(text[pos:value_end]), value_end
        # Like the DOM, the first occurrence of a repeated attribute wins.
        attrs.setdefault(attr, value)


def _text_end(text: str, pos: int, mode: TextMode, name: str) -> int:
    """Where the end tag closing a text-only element starts being tokenized (EOF if none)."""
    if mode == "plaintext":
        return EOF
    if mode == "rawtext":
        pattern = _END_TAGS.get(name)
        if pattern is None:
            pattern = _END_TAGS.setdefault(name, re.compile(rf"</{re.escape(name)}[\t\n\f />]", _CASELESS))
        found = pattern.search(text, pos)
        return EOF if found is None else found.end() - 1
    # Script data with its escaped ("<!--") and double-escaped ("<!--<script>") states.
    state = _SCRIPT_DATA
    while True:
        found = state.search(text, pos)
        if found is None:
            return EOF
        hit = found.group()
        if hit == "-->":
            state, pos = _SCRIPT_DATA, found.end()
        elif hit == "<!--":
            # The dashes of "<!--" count towards a closing "-->", as in "<!-->".
            state, pos = _SCRIPT_ESCAPED, found.start() + 2
        elif hit[1] != "/":
            state, pos = _SCRIPT_DOUBLE_ESCAPED, found.end()
        elif state is _SCRIPT_DOUBLE_ESCAPED:
            state, pos = _SCRIPT_ESCAPED, found.end()
        else:
            return found.end() - 1


def _markup_declaration(text: str, pos: int, sink: TokenSink) -> int:
    """Skip what follows "<!" at pos: a comment, doctype, CDATA section or bogus comment."""
    if text.startswith("--", pos):
        pos += 2
        if text.startswith(">", pos) or text.startswith("->", pos):
            return text.index(">", pos) + 1  # "<!-->" and "<!--->" are empty comments
        found = _COMMENT_END.search(text, pos)
        return EOF if found is None else found.end()
    if text.startswith("[CDATA[", pos) and sink.foreign():
        close = text.find("]]>", pos + 7)
        return EOF if close < 0 else close + 3
    # A doctype also ends at the first ">", even inside its quoted identifiers.
    close = text.find(">", pos)
    return EOF if close < 0 else close + 1


def tokenize(text: str, sink: TokenSink, on_text: Callable[[str, str, bool], None] | None = None) -> None:
    """Feed the start and end tags of an HTML document to sink, in linear time.

    `on_text(name, content, closed)`, when given, gets the content of each element read as text
    (script, style, ...) as the tree builder would see it (newlines normalised), and whether its
    end tag came before the end of input.
    """
    # Input stream preprocessing: newlines normalised, NUL read as U+FFFD.
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\0", "\ufffd")
    pos = 0
    while pos != EOF:
        lt = text.find("<", pos)
        if lt < 0:
            return
        char = text[lt + 1 : lt + 2]
        mode: TextMode | None = None
        if _is_alpha(char) or (char == "/" and _is_alpha(text[lt + 2 : lt + 3])):
            end_tag = char == "/"
            name_at = lt + (2 if end_tag else 1)
            name_end = _skip(_TAG_NAME, text, name_at)
            name = ascii_lower(text[name_at:name_end])
            pos, mode = _tag_rest(text, name_end, sink, name, end_tag)
        elif char == "/":
            after = text[lt + 2 : lt + 3]
            if after == ">":
                pos = lt + 3  # "</>" is dropped
            else:
                close = text.find(">", lt + 2)  # bogus comment
                pos = EOF if close < 0 else close + 1
        elif char == "!":
            pos = _markup_declaration(text, lt + 2, sink)
        elif char == "?":
            close = text.find(">", lt + 1)  # bogus comment
            pos = EOF if close < 0 else close + 1
        else:
            pos = lt + 1  # a "<" that opens nothing is text
        if mode is not None and pos != EOF:
            start, pos = pos, _text_end(text, pos, mode, name)
            if on_text is not None:  # the end tag "</name" starts len(name) + 2 before pos
                on_text(name, text[start:] if pos == EOF else text[start : pos - len(name) - 2], pos != EOF)
            if pos != EOF:
                pos, _ = _tag_rest(text, pos, sink, name, end_tag=True)
