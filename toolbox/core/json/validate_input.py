"""Strict parsing of the two texts the validator is given, and the errors it raises for them."""

from __future__ import annotations

import gc
import json
import math
import re
import sys
from array import array
from decimal import Decimal
from itertools import accumulate
from typing import Any, Literal

from toolbox.core.json.locate import byte_offset, line_col
from toolbox.core.json.model import DEFAULT_MAX_DEPTH, JsonSyntaxError, JsonTooDeep

Which = Literal["instance", "schema"]


class InstanceSyntaxError(JsonSyntaxError):
    """The pasted instance is not strict JSON (`which == "instance"`)."""

    which: Which = "instance"


class SchemaSyntaxError(JsonSyntaxError):
    """The pasted schema is not strict JSON (`which == "schema"`)."""

    which: Which = "schema"


class UnusableInputError(ValueError):
    """Input that parses but cannot be validated; `which` says which text (a 4xx, never a 500)."""

    def __init__(self, message: str, which: Which) -> None:
        super().__init__(message)
        self.message = message
        self.which: Which = which


class InputTooDeepError(UnusableInputError, JsonTooDeep):
    """Nesting beyond `max_depth` (or beyond what can be parsed without exhausting the stack)."""

    def __init__(self, message: str, which: Which, max_depth: int = DEFAULT_MAX_DEPTH) -> None:
        super().__init__(message, which)
        self.max_depth = max_depth


class UnknownDialectError(UnusableInputError):
    """An unknown `$schema` URI or dialect name."""


_SYNTAX: dict[Which, type[JsonSyntaxError]] = {"instance": InstanceSyntaxError, "schema": SchemaSyntaxError}
_FRIENDLY = {
    "Expecting value": "Expected a JSON value",
    "Extra data": "Unexpected text after the JSON value (only one top-level value is allowed)",
    "Expecting property name enclosed in double quotes": "Expected a property name in double quotes",
    "Expecting ',' delimiter": "Expected ',' or a closing bracket",
    "Expecting ':' delimiter": "Expected ':' after the property name",
    "Invalid \\escape": "Invalid escape sequence",
    "Invalid \\uXXXX escape": "Invalid \\uXXXX escape",
    "Unterminated string starting at": "Unterminated string",
    "Invalid control character at": "Control character in a string (escape it)",
    "Unexpected UTF-8 BOM (decode using utf-8-sig)": "Byte order mark before the JSON text",
}
_CONSTANT = re.compile(r'"(?:[^"\\]|\\.)*"|(-?Infinity|NaN)', re.DOTALL)
# A \uD800-\uDFFF escape, with the escapes before it, so an escaped backslash is not misread.
_SURROGATE = re.compile(r"(?<!\\)(\\\\)*\\u[dD]([89abAB][0-9a-fA-F]{2})(\\u[dD][c-fC-F][0-9a-fA-F]{2})?"
                        r"|(?<!\\)(\\\\)*\\u[dD][c-fC-F][0-9a-fA-F]{2}")
_SURROGATE_HINT = re.compile(r"\\u[dD][89a-fA-F]")  # a literal prefix: a fast scan when there is none
_LONG_INT = re.compile(r"(?<![\d.eE+\-\"])-?\d{" + str(sys.get_int_max_str_digits() + 1) + ",}")
_BRACKETS = bytes.maketrans(b"[{]}", b"\x01\x01\xff\xff")
_NOT_BRACKETS = bytes(sorted(set(range(256)) - set(b"[]{}")))


class _NonFinite(ValueError):
    def __init__(self, literal: str) -> None:
        super().__init__(literal)
        self.literal = literal


class _OutOfRange(ValueError):
    def __init__(self, literal: str) -> None:
        super().__init__(literal)
        self.literal = literal


def _reject_constant(literal: str) -> Any:
    raise _NonFinite(literal)


def _exact_float(literal: str) -> float | Decimal:
    """A float, unless the literal overflows to infinity or underflows to zero: then a Decimal.

    1e400 must not turn into inf (jsonschema-rs would see null) nor 1e-400 into 0. Costs a Python
    call per float literal (~8 ms on the 5 MB benchmark document).
    """
    value = float(literal)
    if math.isinf(value) or (value == 0.0 and literal.lower().partition("e")[0].strip("-0.")):
        try:
            return Decimal(literal)
        except ArithmeticError:  # an exponent beyond what Decimal holds (about ±10^18)
            raise _OutOfRange(literal) from None
    return value


_DECODER = json.JSONDecoder(parse_constant=_reject_constant, parse_float=_exact_float)


def syntax_error(which: Which, text: str, message: str, pos: int) -> JsonSyntaxError:
    """A located syntax error for `which` text at character offset `pos`."""
    pos = max(0, min(pos, len(text)))
    line, column = line_col(text, pos)
    start = text.rfind("\n", 0, pos) + 1
    stop = text.find("\n", pos)
    full = text[start : stop if stop >= 0 else len(text)].rstrip("\r")
    left = max(0, column - 1 - 40)
    snippet = full[left : left + 80]
    caret = " " * (column - 1 - left) + "^"
    return _SYNTAX[which](message, line, column, byte_offset(text, pos), snippet, caret)


def parse_strict(text: str, which: Which, max_depth: int) -> Any:
    """Parse strict RFC 8259 JSON: ints exact, floats as float (what jsonschema sees), floats that
    do not fit a double (1e400) as Decimal, so they are compared exactly instead of as inf/0.

    Raises InstanceSyntaxError/SchemaSyntaxError (located) or InputTooDeepError.
    """
    # The cyclic GC would walk the growing document ~40 times while a 5 MB text is parsed (it
    # holds no cycles): pausing it saves ~20 % of the parse. Only re-enabled if it was enabled.
    collecting = gc.isenabled()
    gc.disable()
    try:
        value = _DECODER.decode(text)
    except json.JSONDecodeError as exc:
        message = _FRIENDLY.get(exc.msg, exc.msg)
        if not text.strip():
            message = "Empty input"
        raise syntax_error(which, text, message, exc.pos) from None
    except _NonFinite as exc:
        pos = next((m.start(1) for m in _CONSTANT.finditer(text) if m.group(1)), 0)
        raise syntax_error(which, text, f"{exc.literal} is not JSON (JSON numbers are finite)", pos) from None
    except _OutOfRange as exc:
        pos = max(0, text.find(exc.literal))
        raise syntax_error(which, text, f"The number {exc.literal[:40]} is out of range (its exponent is too "
                           "large to compare exactly)", pos) from None
    except ValueError:  # int(): more digits than Python converts (sys.get_int_max_str_digits())
        digits = _LONG_INT.search(text)  # linear: a match can only start where a digit run starts
        raise syntax_error(which, text, f"A number with more than {sys.get_int_max_str_digits()} digits "
                           "(too long to compare)", digits.start() if digits else 0) from None
    except RecursionError:
        raise InputTooDeepError(f"The {which} is nested too deeply to parse", which, max_depth) from None
    finally:
        if collecting:
            gc.enable()
    data = _check_surrogates(text, which)
    # The C parser cannot nest deeper than the recursion limit: no need to count below it.
    if max_depth < sys.getrecursionlimit():
        _check_depth(text, data, which, max_depth)
    return value


def _check_surrogates(text: str, which: Which) -> bytes:
    """Reject lone UTF-16 surrogates (escaped or raw): they are not Unicode text. Returns UTF-8."""
    if _SURROGATE_HINT.search(text):
        for match in _SURROGATE.finditer(text):
            if match.group(2) is not None and match.group(3) is not None:
                continue  # a proper high+low pair
            start = match.start() + len(match.group(1) or match.group(4) or "")
            raise syntax_error(which, text, "Lone UTF-16 surrogate escape (not a Unicode character)", start)
    try:
        return text.encode("utf-8")
    except UnicodeEncodeError as exc:
        raise syntax_error(which, text, "Lone surrogate character in the text", exc.start) from None


def _check_depth(text: str, data: bytes, which: Which, max_depth: int) -> None:
    """Raise if brackets nest deeper than `max_depth` (brackets inside strings count too).

    C-speed: keep only the bracket bytes, map them to +1/-1 and take the running maximum.
    Brackets inside strings can only make this stricter or looser by what the strings hold;
    the parser's own recursion guard bounds the real nesting in every case.
    """
    if text.count("[") + text.count("{") <= max_depth:
        return
    steps = data.translate(None, _NOT_BRACKETS).translate(_BRACKETS)
    depth = max(accumulate(array("b", steps)), default=0)
    if depth > max_depth:
        raise InputTooDeepError(f"The {which} nests deeper than {max_depth} levels", which, max_depth)
