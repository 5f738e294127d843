"""The JSON of JWT parts, read by the one strict JSON reader: no NaN, duplicates reported, never raises."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any, TypeGuard

from toolbox.core.json import dups, stats
from toolbox.core.json.locate import pointer_token as escape_pointer_token
from toolbox.core.json.model import JsonSyntaxError, JsonTooDeep
from toolbox.core.json.parse import NumberRejected, Numbers, read, too_many_digits

__all__ = ["MAX_DEPTH", "DuplicateKey", "JsonResult", "escape_pointer_token", "is_finite_number", "parse",
           "type_name"]

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


def _double(literal: str) -> float:
    """A float, as JSON.parse reads it; a literal beyond a double's range is refused, not made Infinity."""
    number = float(literal)
    if math.isinf(number):  # JSON cannot carry Infinity back out (and JSON.parse loses the value)
        raise NumberRejected(f"The number {literal[:40]} is too large for a 64-bit float")
    return number


_NUMBERS = Numbers(_double, too_many_digits)


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


def parse(text: str) -> JsonResult:
    """Parse JSON text as JSON.parse would (strictly: one error, worded and placed as every JSON tool
    words and places it), explaining failures instead of raising."""
    try:
        value = read(text, MAX_DEPTH, _NUMBERS)
    except (JsonSyntaxError, JsonTooDeep) as err:
        return JsonResult(None, str(err))
    except Exception as err:  # a parser surprise must never turn into a 500
        return JsonResult(None, f"cannot parse: {type(err).__name__}")
    data = text.encode("utf-8")  # read() refused lone surrogates: this cannot fail
    # The parsed value holds fewer values than the text exactly when some object repeats a key.
    if stats.TREE_SHAPE_OK and stats.tree_shape(value)[0] == stats.structure_stats(data)[1]:
        return JsonResult(value, None)
    found, _more, _depth = dups.duplicates(text)
    return JsonResult(value, None, tuple(DuplicateKey(d.key, None if d.replaced else d.parent)
                                         for d in found if d.first_repeat))
