"""The reference strict RFC 8259 scanner: a pure-Python token stream with positions and clear errors.

The fast path (msgspec, in C) decides whether a text is valid; this scanner is the slow path that
says *why* and *where* it is not, finds duplicate keys with their places, and formats documents the
C engines cannot (nesting deeper than their recursion guard). It never recurses: nesting costs one
list entry, so 100 000 '[' are a JsonTooDeep, never a RecursionError.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator

from toolbox.core.json import errors as e
from toolbox.core.json.errors import encode_utf8, location, syntax_error, too_deep

__all__ = ["check", "encode_utf8", "location", "scan", "syntax_error", "too_deep"]

# Token kinds yielded by scan(): (kind, start, end) with start/end as str indexes into the text.
OPEN_OBJECT, CLOSE_OBJECT, OPEN_ARRAY, CLOSE_ARRAY, KEY, STRING, NUMBER, LITERAL = range(8)

_WS = re.compile(r"[ \t\n\r]*+")
# Possessive quantifiers: a long unterminated string fails in linear time, never by backtracking.
_STRING = re.compile(r'"(?:[^"\\\x00-\x1f]++|\\(?:["\\/bfnrt]|u[0-9a-fA-F]{4}))*+"')
_NUMBER = re.compile(r"-?(?:0|[1-9][0-9]*+)(?:\.[0-9]++)?(?:[eE][+-]?[0-9]++)?")
_ESCAPE_U = re.compile(r"\\(?:u([0-9a-fA-F]{4})|.)", re.S)


def check_escapes(text: str, start: int, end: int) -> None:
    """Reject lone surrogate escapes (\\ud800 without its pair) in the string token text[start:end]."""
    high = -1
    for m in _ESCAPE_U.finditer(text, start, end):
        hexa = m.group(1)
        unit = int(hexa, 16) if hexa else -1
        if high >= 0:
            if 0xDC00 <= unit <= 0xDFFF and m.start() == high + 6:
                high = -1
                continue
            raise syntax_error(text, high, f"Lone surrogate escape '{text[high:high + 6]}': a high "
                                           "surrogate must be followed by a low one (\\udc00-\\udfff)")
        if 0xD800 <= unit <= 0xDBFF:
            high = m.start()
        elif 0xDC00 <= unit <= 0xDFFF:
            raise syntax_error(text, m.start(), f"Lone surrogate escape '{m.group()}': a low surrogate "
                                                "must follow a high one (\\ud800-\\udbff)")
    if high >= 0:
        raise syntax_error(text, high, f"Lone surrogate escape '{text[high:high + 6]}': a high surrogate "
                                       "must be followed by a low one (\\udc00-\\udfff)")



def _key_and_colon(text: str, pos: int, n: int) -> tuple[int, int]:
    """End of the key string at `pos`, and where the value starts after its ':'."""
    end = _string(text, pos)
    colon = _WS.match(text, end).end()  # type: ignore[union-attr]  # matches the empty string too
    if not text.startswith(":", colon):
        raise syntax_error(text, colon, "Expected ':' after the key" if colon < n
                           else "Unexpected end of input: expected ':'")
    return end, _WS.match(text, colon + 1).end()  # type: ignore[union-attr]

def _string(text: str, pos: int) -> int:
    """End of the valid string token starting at text[pos] (which is '"'), or a located error."""
    m = _STRING.match(text, pos)
    if m is None:
        where, why = e.bad_string(text, pos)
        raise syntax_error(text, where, why)
    end = m.end()
    if "\\u" in text[pos:end] and re.search(r"\\u[dD][89a-fA-F]", text[pos:end]):
        check_escapes(text, pos, end)
    return end


def _number(text: str, pos: int) -> int:
    """End of the valid number token at text[pos], or a located error saying what is wrong."""
    m = _NUMBER.match(text, pos)
    if m is None:
        raise syntax_error(text, pos, e.bad_value(text, pos))
    end = m.end()
    nxt = text[end:end + 1]
    if nxt and nxt in "0123456789" and text[m.start():end].lstrip("-") == "0":
        raise syntax_error(text, m.start(), "Numbers cannot have leading zeros")
    if nxt == ".":
        raise syntax_error(text, end + 1, "Expected a digit after the decimal point")
    if nxt and nxt in "eE":
        sign = text[end + 1:end + 2]
        raise syntax_error(text, end + (2 if sign and sign in "+-" else 1), "Expected digits in the exponent")
    if nxt and nxt in "xXbBoO" and text[m.start():end].lstrip("-") == "0":
        raise syntax_error(text, m.start(), "Hexadecimal, octal and binary numbers are not JSON")
    return end


def scan(text: str, max_depth: int) -> Iterator[tuple[int, int, int]]:
    """Yield (kind, start, end) tokens of a strict RFC 8259 text; raise at the first error."""
    # The pattern matches the empty string too, so match() never returns None here.
    ws: Callable[[str, int], re.Match[str]] = _WS.match  # type: ignore[assignment]
    n = len(text)
    pos = ws(text, 0).end()
    if pos >= n:
        raise syntax_error(text, pos, "Empty input: expected a JSON value" if not text.strip(" \t\r\n")
                           else "Unexpected end of input: expected a value")
    stack: list[int] = []  # openers' positions; the kind is text[position]
    while True:
        # A value starts at pos.
        c = text[pos] if pos < n else ""
        if c == "{" or c == "[":
            if len(stack) >= max_depth:
                raise too_deep(text, pos, max_depth)
            stack.append(pos)
            is_obj = c == "{"
            yield (OPEN_OBJECT if is_obj else OPEN_ARRAY), pos, pos + 1
            pos = ws(text, pos + 1).end()
            close = "}" if is_obj else "]"
            if text.startswith(close, pos):
                stack.pop()
                yield (CLOSE_OBJECT if is_obj else CLOSE_ARRAY), pos, pos + 1
                pos += 1
            elif is_obj:
                if not text.startswith('"', pos):
                    raise syntax_error(text, pos, e.bad_key(text, pos, False))
                end, after = _key_and_colon(text, pos, n)
                yield KEY, pos, end
                pos = after
                continue
            else:
                if text.startswith(",", pos):
                    raise syntax_error(text, pos, "Expected a value before ','")
                continue
        elif c == '"':
            end = _string(text, pos)
            yield STRING, pos, end
            pos = end
        elif c == "-" or "0" <= c <= "9":
            end = _number(text, pos)
            yield NUMBER, pos, end
            pos = end
        elif c == "t" and text.startswith("true", pos):
            yield LITERAL, pos, pos + 4
            pos += 4
        elif c == "f" and text.startswith("false", pos):
            yield LITERAL, pos, pos + 5
            pos += 5
        elif c == "n" and text.startswith("null", pos):
            yield LITERAL, pos, pos + 4
            pos += 4
        else:
            raise syntax_error(text, pos, e.bad_value(text, pos))
        # After a value: ',' or the closer of the innermost container, or the end of the text.
        while True:
            pos = ws(text, pos).end()
            if not stack:
                if pos < n:
                    raise syntax_error(text, pos, e.after_document(text, pos))
                return
            opener = text[stack[-1]]
            c = text[pos] if pos < n else ""
            if c == ",":
                comma = pos
                pos = ws(text, pos + 1).end()
                if opener == "[":
                    if text.startswith("]", pos):
                        raise syntax_error(text, comma, "Trailing comma before ']'")
                    break
                if not text.startswith('"', pos):
                    raise syntax_error(text, comma if text.startswith("}", pos) else pos,
                                       e.bad_key(text, pos, True))
                end, after = _key_and_colon(text, pos, n)
                yield KEY, pos, end
                pos = after
                break
            closer = "]" if opener == "[" else "}"
            if c == closer:
                stack.pop()
                yield (CLOSE_ARRAY if closer == "]" else CLOSE_OBJECT), pos, pos + 1
                pos += 1
                continue
            if not c:
                line, column, _ = location(text, stack[-1])
                what = "array" if closer == "]" else "object"
                raise syntax_error(text, pos, f"Unexpected end of input: the {what} opened at line {line}, "
                                              f"column {column} is not closed")
            raise syntax_error(text, pos, e.after_value(text, pos, closer))


def check(text: str, max_depth: int) -> None:
    """Raise JsonSyntaxError / JsonTooDeep if the text is not strict JSON nested at most max_depth."""
    for _ in scan(text, max_depth):
        pass
