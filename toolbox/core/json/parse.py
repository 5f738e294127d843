"""The one strict JSON reader: every tool (formatter, validator, tree view, JWT parts) reads here.

msgspec (C) is the gatekeeper: as strict as RFC 8259 (no NaN, comments, trailing commas, leading
zeros, raw control characters, bad escapes or lone surrogate escapes) and verified against the
reference scanner by property tests. When it rejects a text, the reference scanner (scan.py)
re-reads it to say what is wrong and where, so one error has one message and one position,
whichever tool reads it. Nesting is checked once, here (check_depth), and brackets inside strings
never count. Readers differ only in what numbers become (Numbers); a number a reader cannot
represent is a located error in the same words and format as any syntax error.
"""

from __future__ import annotations

import gc
import re
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from decimal import Decimal, InvalidOperation
from typing import Any

import msgspec

from toolbox.core.json import scan as s
from toolbox.core.json.model import DEFAULT_MAX_DEPTH, JsonSyntaxError, JsonTooDeep
from toolbox.core.json.stats import max_level

# msgspec's C code guards its recursion with the interpreter's recursion limit; a host that raised
# the limit far beyond the C stack could crash on deep input, so then the slow path is used.
SAFE_RECURSION_LIMIT = 20_000
_BYTE = re.compile(r"\(byte (\d+)\)")
_C_INT_DIGITS = 18  # integers msgspec surely converts (it takes far more, but fewer than int())
# Strings (skipped) and number tokens, for a text whose prefix the C engine accepted: linear.
_STRING_OR_NUMBER = re.compile(r'"(?:[^"\\]++|\\.)*+"|-?[0-9][0-9.eE+\-]*+', re.S)


class NumberRejected(ValueError):
    """Raised by a Numbers hook: a valid number literal this reader cannot represent (why in `message`)."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class BeyondEngine(JsonTooDeep):
    """Valid JSON, within max_depth, but nested deeper than the C reader goes (read(deep=False))."""


def too_many_digits(literal: str) -> Any:
    """Numbers.long_int for readers that need exact ints: a located error instead of a value."""
    raise NumberRejected(f"A number with more than {sys.get_int_max_str_digits()} digits "
                         "(too long to read exactly)")


class Numbers:
    """What a reader makes of number literals: integers are int, except where the hooks say.

    `float_hook` gets every literal with a fraction or exponent, `long_int` every integer with more
    digits than int() converts (sys.get_int_max_str_digits()); either may raise NumberRejected.
    """

    __slots__ = ("decoder", "float_hook", "long_int")

    def __init__(self, float_hook: Callable[[str], Any], long_int: Callable[[str], Any]) -> None:
        self.float_hook = float_hook
        self.long_int = long_int
        self.decoder = msgspec.json.Decoder(float_hook=float_hook)


def _exact(literal: str) -> Decimal:
    try:
        return Decimal(literal)
    except InvalidOperation:  # an exponent beyond about ±10^18: Decimal cannot hold it
        raise NumberRejected(f"The number {literal[:40]} has an exponent too large to hold exactly") from None


EXACT = Numbers(_exact, _exact)  # int, or Decimal; a number Decimal cannot hold is a located error


def fast_engine_ok() -> bool:
    """Whether msgspec's recursion guard is known to stop before the C stack runs out."""
    return sys.getrecursionlimit() <= SAFE_RECURSION_LIMIT


@contextmanager
def collector_paused() -> Iterator[None]:
    """Pause the cyclic GC while C builds (or drops) a big acyclic document: a third of its cost.

    Only the call that paused it resumes it, so a pause never outlives the call, whatever other
    threads do meanwhile (they see the collector off for these milliseconds, nothing else).
    """
    paused = gc.isenabled()
    if paused:
        gc.disable()
    try:
        yield
    finally:
        if paused:
            gc.enable()


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


def check(text: str, max_depth: int = DEFAULT_MAX_DEPTH) -> bytes:
    """The UTF-8 of a strict JSON text nested at most max_depth; raises JsonSyntaxError/JsonTooDeep."""
    data = s.encode_utf8(text)
    pretty = fast_format(text, data, 1, max_depth)
    if pretty is None:
        s.check(text, max_depth)
    else:
        check_depth(text, data, max_depth, pretty)
    return data


def read(text: str, max_depth: int = DEFAULT_MAX_DEPTH, numbers: Numbers = EXACT, deep: bool = True) -> Any:
    """Parse strict JSON to Python values: objects are dicts (a repeated key keeps its last value),
    strings str, integers int, other numbers as `numbers` says.

    Raises JsonSyntaxError (located, in the scanner's words) or JsonTooDeep, never RecursionError.
    With deep=False, valid text nested deeper than the C reader goes raises BeyondEngine instead of
    being built in Python (for consumers that would recurse over the values).
    """
    data = s.encode_utf8(text)
    if not fast_engine_ok():
        return _read_slow(text, max_depth, numbers)
    with collector_paused():
        try:
            value = numbers.decoder.decode(data)
        except RecursionError:
            if deep:
                return _read_slow(text, max_depth, numbers)
            s.check(text, max_depth)  # a located syntax error or JsonTooDeep first, if there is one
            raise BeyondEngine("Nested too deeply to parse", max_depth) from None
        except msgspec.ValidationError:  # before DecodeError, its base class: a number hook refused
            _raise_number_error(text, numbers)  # a literal, or msgspec converts fewer digits than int()
            return _read_slow(text, max_depth, numbers)
        except msgspec.DecodeError as err:
            raise diagnose(text, data, str(err), max_depth) from None
    check_depth(text, data, max_depth)
    return value


def parse_strict(text: str, max_depth: int = DEFAULT_MAX_DEPTH) -> Any:
    """read() with every number exact: integers as int, other numbers as Decimal."""
    return read(text, max_depth, EXACT)


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


_EMPTY_AT: dict[int, re.Pattern[bytes]] = {}


def check_depth(text: str, data: bytes, max_depth: int, pretty: bytes | None = None) -> None:
    """Raise JsonTooDeep (located) if `data`, which a C engine accepted, nests deeper than max_depth.

    Reads the nesting off the 1-space pretty form (`pretty`, made if not given), where only
    indentation follows a line break: brackets inside strings never count. C-speed throughout.
    """
    if fast_engine_ok() and max_depth >= sys.getrecursionlimit():
        return  # the C engine accepted it, and its guard stops below the recursion limit
    if data.count(b"[") + data.count(b"{") <= max_depth:
        return
    if pretty is None:
        pretty = msgspec.json.format(data, indent=1)
    level = max_level(pretty, 1)  # contents of a container at depth d are indented d spaces
    if level < max_depth:
        return
    if level == max_depth:  # too deep only if an empty container ('[]', '{}') sits at that level
        empty = _EMPTY_AT.get(max_depth)
        if empty is None:
            empty = _EMPTY_AT.setdefault(max_depth, re.compile(
                rb"(?m)^ {%d}(?! )[^\n]*(?:\[\]|\{\}),?$" % max_depth))  # only a bracket ends a line so
        if not empty.search(pretty):
            return
    raise too_deep_error(text, max_depth)


def too_deep_error(text: str, max_depth: int) -> JsonTooDeep:
    """The JsonTooDeep for a valid text known to nest deeper than max_depth, at its first bracket too many."""
    try:
        s.check(text, max_depth)
    except JsonTooDeep as err:
        return err
    return s.too_deep(text, 0, max_depth)  # not reached: the caller knows it is too deep


def _raise_number_error(text: str, numbers: Numbers) -> None:
    """Raise the located error for the first number literal `numbers` refuses, if C stopped there.

    Everything before the literal C stopped at is valid JSON, so the walk stays aligned on tokens
    up to it. A long integer may be where C stopped instead (msgspec converts fewer digits than
    int()): the walk ends there, since what follows may not be valid, and the slow path decides.
    """
    limit = sys.get_int_max_str_digits() or sys.maxsize
    for m in _STRING_OR_NUMBER.finditer(text):
        literal = m.group()
        if literal[0] == '"':
            continue
        try:
            if "." in literal or "e" in literal or "E" in literal:
                numbers.float_hook(literal)
                continue
            digits = len(literal) - literal.startswith("-")
            if digits > limit:
                numbers.long_int(literal)
        except NumberRejected as err:
            raise s.syntax_error(text, m.start(), err.message) from None
        if digits > _C_INT_DIGITS:
            return


def _read_slow(text: str, max_depth: int, numbers: Numbers) -> Any:
    """read() without C: the reference scanner and an explicit stack (no recursion)."""
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
            value = _number(text, start, end, numbers)
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


def _number(text: str, start: int, end: int, numbers: Numbers) -> Any:
    literal = text[start:end]
    try:
        if "." in literal or "e" in literal or "E" in literal:
            return numbers.float_hook(literal)
        try:
            return int(literal)
        except ValueError:  # more digits than Python converts (a CPU-exhaustion guard)
            return numbers.long_int(literal)
    except NumberRejected as err:
        raise s.syntax_error(text, start, err.message) from None
