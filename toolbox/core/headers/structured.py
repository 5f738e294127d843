"""Structured Field "Item" values (RFC 9651, which extends RFC 8941), as COOP and COEP are parsed.

The HTML standard parses `Cross-Origin-Opener-Policy` and `Cross-Origin-Embedder-Policy` as an
Item: a value that does not parse is ignored as a whole, and only a Token is a policy. The
Observatory's scoring version 6 does the same (its `parseStructuredFieldToken`), so
`token_item` answers the one question both need: the Item's bare Token, or None.
"""

from __future__ import annotations

import re

_TOKEN = re.compile(r"[A-Za-z*][!#$%&'*+\-.^_`|~0-9A-Za-z:/]*")
_KEY = re.compile(r"[a-z*][a-z0-9_\-.*]*")
_INTEGER_OR_DECIMAL = re.compile(r"-?(?:[0-9]{1,12}\.[0-9]{1,3}|[0-9]{1,15})")
_STRING = re.compile(r'"(?:[ !#-\[\]-~]|\\["\\])*"')
_BYTES = re.compile(r":[A-Za-z0-9+/=]*:")
_BOOLEAN = re.compile(r"\?[01]")
_DATE = re.compile(r"@-?[0-9]{1,15}")
_DISPLAY = re.compile(r'%"(?:[ !#$&-~]|%[0-9a-f]{2})*"')


# What JavaScript's String.prototype.trim removes (WhiteSpace and LineTerminator).
JS_WHITESPACE = "\t\n\v\f\r \u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008" \
    "\u2009\u200a\u2028\u2029\u202f\u205f\u3000\ufeff"


def js_trim(text: str) -> str:
    """`text.trim()` as JavaScript does it (Python's strip() also removes \\x1c-\\x1f and \\x85)."""
    return text.strip(JS_WHITESPACE)


class _Invalid(ValueError):
    """The value is not a Structured Field Item."""


def _bare_item(text: str, at: int) -> tuple[str | None, int]:
    """Parse the bare item at `at`: (its text when it is a Token, else None; the end offset)."""
    for pattern, is_token in ((_TOKEN, True), (_INTEGER_OR_DECIMAL, False), (_STRING, False),
                              (_BYTES, False), (_BOOLEAN, False), (_DATE, False), (_DISPLAY, False)):
        match = pattern.match(text, at)
        if match:
            if pattern is _DISPLAY and not _valid_display(match.group()):
                raise _Invalid(text)
            if pattern is _INTEGER_OR_DECIMAL and text[match.end():match.end() + 1] in tuple(".0123456789"):
                raise _Invalid(text)  # too many digits, or a decimal with more than 3 fraction digits
            return (match.group() if is_token else None), match.end()
    raise _Invalid(text)


def _valid_display(quoted: str) -> bool:
    """A Display String's %xx escapes must spell valid UTF-8."""
    raw = re.sub(r"%([0-9a-f]{2})", lambda m: chr(int(m.group(1), 16)), quoted[2:-1])
    try:
        raw.encode("latin-1").decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def _parameters(text: str, at: int) -> int:
    """Skip `;key[=bare-item]` parameters from `at`; the offset after them."""
    while at < len(text) and text[at] == ";":
        at += 1
        while at < len(text) and text[at] == " ":
            at += 1
        key = _KEY.match(text, at)
        if not key:
            raise _Invalid(text)
        at = key.end()
        if at < len(text) and text[at] == "=":
            _, at = _bare_item(text, at + 1)
    return at


def token_item(value: str) -> str | None:
    """The Token a header value holds as a Structured Field Item (parameters allowed), else None.

    Leading and trailing spaces are allowed (not tabs, and nothing else may follow the item);
    a quoted string, a number or anything that does not parse gives None.
    """
    if not value.isascii():
        return None
    text = value.lstrip(" ")
    try:
        token, end = _bare_item(text, 0)
        end = _parameters(text, end)
    except _Invalid:
        return None
    if text[end:].strip(" "):
        return None
    return token
