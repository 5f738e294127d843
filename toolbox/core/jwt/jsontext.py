"""Strict JSON parsing that explains itself: no NaN, duplicate keys reported, never raises."""

from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass
from itertools import accumulate
from typing import Any, TypeGuard

# Values JavaScript's JSON.parse rejects but Python's json accepts by default.
_CONSTANTS = ("NaN", "Infinity", "-Infinity")
# Skips over strings so a search for a bad literal finds the one outside any string.
_SCAN = re.compile(
    r'"(?:[^"\\]|\\.)*"|(-?Infinity|NaN)|(-?\d{4301,})(?![.eE\d])|(-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?)', re.S
)
_STRING = re.compile(r'"(?:[^"\\]|\\.)*"', re.S)
_NOT_BRACKET = re.compile(r"[^\[\]{}]+")
# Arrays and objects inside each other. Real tokens nest a few levels; deeper values would reach the
# recursive parts of Python's json (encoder, printers) and Jinja at a depth that depends on the stack.
MAX_DEPTH = 64


@dataclass(frozen=True)
class DuplicateKey:
    """A key that appears more than once in one object; the last value is the one kept."""

    key: str
    pointer: str | None  # JSON Pointer of the object ("" is the top level); None if that value was replaced


@dataclass(frozen=True)
class JsonResult:
    """The parsed value (when `error` is None), the error in words, and duplicate keys."""

    value: Any
    error: str | None
    duplicates: tuple[DuplicateKey, ...] = ()

    @property
    def ok(self) -> bool:
        """True when the text parsed."""
        return self.error is None


class _Rejected(ValueError):
    """Raised from the parse hooks for input valid to Python but not to JSON.parse."""


def type_name(value: Any) -> str:
    """The JSON name of a parsed value's type: object, array, string, number, boolean, null."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, dict):
        return "object"
    if isinstance(value, list):
        return "array"
    if isinstance(value, str):
        return "string"
    return "number"


def is_finite_number(value: Any) -> TypeGuard[int | float]:
    """True for a number that JSON can carry: int or float, not a boolean, NaN or an infinity."""
    if isinstance(value, bool):
        return False
    if isinstance(value, int):
        return True  # math.isfinite() overflows on ints beyond a float's range; all ints are finite
    return isinstance(value, float) and math.isfinite(value)


def escape_pointer_token(token: str) -> str:
    """Escape one reference token of a JSON Pointer (RFC 6901: '~' -> '~0', '/' -> '~1')."""
    return token.replace("~", "~0").replace("/", "~1")


def line_col(text: str, offset: int) -> tuple[int, int]:
    """1-based line and column of a 0-based character offset."""
    line = text.count("\n", 0, offset) + 1
    return line, offset - (text.rfind("\n", 0, offset) + 1) + 1


def depth(text: str) -> int:
    """How deeply arrays and objects nest in JSON text (brackets inside strings do not count); linear."""
    brackets = _NOT_BRACKET.sub("", _STRING.sub("", text))
    return max(accumulate(1 if ch in "[{" else -1 for ch in brackets), default=0)


def parse(text: str) -> JsonResult:
    """Parse JSON text as JSON.parse would, explaining failures instead of raising."""
    # The bracket count bounds the depth: most texts need no scan.
    if text.count("[") + text.count("{") > MAX_DEPTH and depth(text) > MAX_DEPTH:
        return JsonResult(None, f"nested deeper than {MAX_DEPTH} levels "
                                "(arrays and objects inside each other)")
    flagged: list[tuple[dict[str, Any], list[str]]] = []

    def pairs_hook(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
        obj = dict(pairs)  # like JSON.parse: the last value of a repeated key wins
        if len(obj) != len(pairs):
            seen: set[str] = set()
            repeated: list[str] = []
            for key, _ in pairs:
                if key in seen and key not in repeated:
                    repeated.append(key)
                seen.add(key)
            # Hold a strong reference so the object's id() cannot be reused before the walk.
            flagged.append((obj, repeated))
        return obj

    def reject_constant(name: str) -> Any:
        raise _Rejected(f"{name} is not allowed in JSON")

    def strict_float(literal: str) -> float:
        number = float(literal)
        if math.isinf(number):
            # It would become Infinity, which JSON cannot carry back out (and JSON.parse loses it).
            raise _Rejected(f"the number {literal[:40]} is too large for a 64-bit float")
        return number

    try:
        value = json.loads(
            text, object_pairs_hook=pairs_hook, parse_constant=reject_constant, parse_float=strict_float
        )
    except json.JSONDecodeError as err:
        return JsonResult(None, f"{err.msg} at line {err.lineno} column {err.colno}")
    except RecursionError:
        return JsonResult(None, "nested deeper than Python can parse (too many '[' or '{')")
    except _Rejected as err:
        return JsonResult(None, _locate(text, str(err)))
    except ValueError as err:  # Python's int limit: more than 4300 digits
        if "digits" in str(err):
            return JsonResult(None, _locate(text, "a number has more than 4300 digits, too long to read"))
        return JsonResult(None, f"cannot parse: {err}")
    except Exception as err:  # a parser surprise must never turn into a 500
        return JsonResult(None, f"cannot parse: {type(err).__name__}")
    if not flagged:
        return JsonResult(value, None)
    return JsonResult(value, None, _duplicates(value, flagged))


def _locate(text: str, message: str) -> str:
    """Add the line and column of the first literal that tripped a parse hook."""
    want = 1 if "allowed" in message else 2 if "digits" in message else 3
    for match in _SCAN.finditer(text):
        if match.group(want) is not None:
            if want == 3 and not math.isinf(float(match.group(3))):
                continue
            line, col = line_col(text, match.start(want))
            return f"{message} at line {line} column {col}"
    return message


def _duplicates(root: Any, flagged: list[tuple[dict[str, Any], list[str]]]) -> tuple[DuplicateKey, ...]:
    """Find where each object with repeated keys sits, walking iteratively (no recursion limit)."""
    wanted = {id(obj): keys for obj, keys in flagged}
    found: dict[int, str] = {}
    # Paths are linked (parent, token) pairs, so deep or wide documents cost O(nodes) memory.
    stack: list[tuple[Any, Any]] = [(root, None)]
    while stack and len(found) < len(wanted):
        node, path = stack.pop()
        if isinstance(node, dict):
            if id(node) in wanted:
                found[id(node)] = _materialise(path)
            stack.extend((kid, (path, key)) for key, kid in node.items() if isinstance(kid, (dict, list)))
        else:
            stack.extend((kid, (path, str(i))) for i, kid in enumerate(node) if isinstance(kid, (dict, list)))
    out: list[DuplicateKey] = []
    for obj, keys in flagged:
        out.extend(DuplicateKey(key, found.get(id(obj))) for key in keys)
    return tuple(out)


def _materialise(path: Any) -> str:
    """Turn a linked (parent, token) path into a JSON Pointer string."""
    tokens: list[str] = []
    while path is not None:
        path, token = path
        tokens.append(escape_pointer_token(token))
    return "".join("/" + token for token in reversed(tokens))
