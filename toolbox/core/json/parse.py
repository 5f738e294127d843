"""Strict parsing: the fast C validator, error diagnosis, and parse_strict for Python values.

msgspec (C) is the gatekeeper: as strict as RFC 8259 (no NaN, comments, trailing commas, leading
zeros, raw control characters, bad escapes or lone surrogate escapes) and verified against the
reference scanner by property tests. When it rejects a text, the reference scanner (scan.py)
re-reads it to say what is wrong and where, in words a person understands.
"""

from __future__ import annotations

import re
import sys
from decimal import Decimal
from typing import Any

import msgspec

from toolbox.core.json import scan as s
from toolbox.core.json.model import DEFAULT_MAX_DEPTH, JsonSyntaxError

# msgspec's C code guards its recursion with the interpreter's recursion limit; a host that raised
# the limit far beyond the C stack could crash on deep input, so then the slow path is used.
SAFE_RECURSION_LIMIT = 20_000
_DECIMALS = msgspec.json.Decoder(float_hook=Decimal)
_BYTE = re.compile(r"\(byte (\d+)\)")


def fast_engine_ok() -> bool:
    """Whether msgspec's recursion guard is known to stop before the C stack runs out."""
    return sys.getrecursionlimit() <= SAFE_RECURSION_LIMIT


def fast_format(text: str, data: bytes, width: int, max_depth: int) -> bytes | None:
    """data re-indented by `width` spaces (C, literals verbatim); None if only the slow path can."""
    if not fast_engine_ok():
        return None
    try:
        return msgspec.json.format(data, indent=width)
    except msgspec.DecodeError as err:
        raise diagnose(text, data, str(err), max_depth) from None
    except RecursionError:
        return None  # nested deeper than the C guard allows: the iterative scanner decides


def diagnose(text: str, data: bytes, engine_message: str, max_depth: int) -> Exception:
    """The located error for a text the C engine rejected, in words (from the reference scanner)."""
    try:
        s.check(text, max_depth)
    except (JsonSyntaxError, ValueError) as err:  # ValueError covers JsonTooDeep
        return err
    # Should not happen (property tests compare both): fall back to the engine's own words.
    m = _BYTE.search(engine_message)
    byte = int(m.group(1)) if m else len(data)
    index = len(data[:byte].decode("utf-8", "ignore"))
    message = engine_message.split(" (byte")[0].replace("JSON is malformed: ", "")
    return s.syntax_error(text, index, message[:1].upper() + message[1:])


def parse_strict(text: str, max_depth: int = DEFAULT_MAX_DEPTH) -> Any:
    """Parse strict JSON to Python values, exactly: integers as int, other numbers as Decimal.

    Objects are dicts (a repeated key keeps its last value, as most parsers do); strings are str.
    Raises JsonSyntaxError (located, in words) or JsonTooDeep, never RecursionError.
    """
    data = s.encode_utf8(text)
    if fast_engine_ok():
        try:
            value = _DECIMALS.decode(data)
        except (RecursionError, msgspec.ValidationError):  # before DecodeError, its base class
            return _parse_slow(text, max_depth)  # too deep for C, or an integer Python won't convert
        except msgspec.DecodeError as err:
            raise diagnose(text, data, str(err), max_depth) from None
        if max_depth < DEFAULT_MAX_DEPTH and data.count(b"[") + data.count(b"{") > max_depth:
            check_depth(text, data, max_depth)
        return value
    return _parse_slow(text, max_depth)


def check_depth(text: str, data: bytes, max_depth: int) -> None:
    """Raise JsonTooDeep (located) if a text the C engine accepted nests deeper than max_depth."""
    from toolbox.core.json.stats import max_level  # deepest line of the pretty form, C-speed probes

    pretty = msgspec.json.format(data, indent=1)
    if max_level(pretty, 1) >= max_depth:  # the next level may be an empty container: be exact
        s.check(text, max_depth)


def _parse_slow(text: str, max_depth: int) -> Any:
    """parse_strict without C: the reference scanner and an explicit stack (no recursion)."""
    import json

    stack: list[dict[str, Any] | list[Any]] = []
    key = ""
    root: Any = None
    for kind, start, end in s.scan(text, max_depth):
        if kind == s.KEY:
            key = json.loads(text[start:end])
            continue
        if kind == s.CLOSE_OBJECT or kind == s.CLOSE_ARRAY:
            stack.pop()
            continue
        value: Any
        if kind == s.OPEN_OBJECT:
            value = {}
        elif kind == s.OPEN_ARRAY:
            value = []
        elif kind == s.STRING:
            value = json.loads(text[start:end])
        elif kind == s.NUMBER:
            literal = text[start:end]
            value = Decimal(literal) if any(c in literal for c in ".eE") else _int(literal)
        else:
            value = {"true": True, "false": False, "null": None}[text[start:end]]
        if not stack:
            root = value
        elif isinstance(stack[-1], dict):
            stack[-1][key] = value
        else:
            stack[-1].append(value)
        if kind == s.OPEN_OBJECT or kind == s.OPEN_ARRAY:
            stack.append(value)
    return root


def _int(literal: str) -> int | Decimal:
    try:
        return int(literal)
    except ValueError:  # more digits than Python converts by default (a CPU-exhaustion guard)
        return Decimal(literal)
