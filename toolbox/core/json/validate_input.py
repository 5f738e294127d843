"""The validator's two texts read by the one strict reader (parse.read), and the errors it raises for them."""

from __future__ import annotations

import math
from decimal import Decimal
from typing import Any, Literal

from toolbox.core.json.model import DEFAULT_MAX_DEPTH, JsonSyntaxError, JsonTooDeep
from toolbox.core.json.parse import BeyondEngine, NumberRejected, Numbers, read, too_many_digits

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
            raise NumberRejected(f"The number {literal[:40]} is out of range (its exponent is too large "
                                 "to compare exactly)") from None
    return value


# Integers exact, floats as float (what jsonschema sees), floats a double cannot hold as Decimal.
_NUMBERS = Numbers(_exact_float, too_many_digits)


def parse_strict(text: str, which: Which, max_depth: int) -> Any:
    """Parse strict RFC 8259 JSON with the one reader (parse.read): ints exact, floats as float,
    floats that do not fit a double (1e400) as Decimal, so they are compared exactly, not as inf/0.

    Raises InstanceSyntaxError/SchemaSyntaxError (located, worded as the formatter words them) or
    InputTooDeepError (also for valid text nested deeper than the C reader goes).
    """
    try:
        return read(text, max_depth, _NUMBERS, deep=False)
    except JsonSyntaxError as err:
        raise _SYNTAX[which](err.message, err.line, err.column, err.offset, err.snippet, err.caret) from None
    except BeyondEngine:
        raise InputTooDeepError(f"The {which} is nested too deeply to parse", which, max_depth) from None
    except JsonTooDeep as err:
        deep = InputTooDeepError(err.message, which, max_depth)
        deep.line, deep.column, deep.offset = err.line, err.column, err.offset
        raise deep from None
