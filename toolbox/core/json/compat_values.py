"""Candidate values for schema compatibility examples: values a schema probably accepts.

Nothing here decides anything: every document built from these candidates is checked by the
validator (jsonschema-rs) before it is reported. User regexes never run in Python: a `pattern` is
only read to write a string that probably matches it (`pattern_sample`), and the validator checks.
Numbers are exact (int and Decimal, never a float computed here).
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

TYPES = ("null", "boolean", "object", "array", "number", "integer", "string")
# Keywords that say nothing about validity (compared by nobody, changed freely).
ANNOTATIONS = frozenset({
    "title", "description", "default", "examples", "deprecated", "readOnly", "writeOnly", "$comment",
    "$schema", "$id", "id", "$anchor", "$dynamicAnchor", "$recursiveAnchor", "$vocabulary", "$defs",
    "definitions",
})
FORMAT_SAMPLES = {
    "date-time": "2026-01-01T00:00:00Z", "date": "2026-01-01", "time": "12:00:00Z",
    "email": "ann@example.com", "idn-email": "ann@example.com", "hostname": "example.com",
    "idn-hostname": "example.com", "ipv4": "192.0.2.1", "ipv6": "2001:db8::1", "uri": "https://example.com/",
    "uri-reference": "/a", "iri": "https://example.com/", "iri-reference": "/a", "duration": "P1D",
    "uuid": "123e4567-e89b-12d3-a456-426614174000", "uri-template": "/a/{b}", "json-pointer": "/a",
    "relative-json-pointer": "0/a", "regex": "^a$",
}
STRINGS = ("", "a", "abc", "A", "0", "1", "-", "_", " ", "x-1", "not a value", "!")
# Values of every type, for a schema that accepts anything (`{}`, `true`) or to find one it rejects.
POOL: tuple[Any, ...] = (None, True, False, 0, 1, -1, Decimal("0.5"), "", "a", "!", [], [None], {},
                         {"a": None})
MAX_SAMPLE_DEPTH = 12
MAX_LENGTH = 10_000  # longer strings, arrays and objects are not written as examples


def number(value: Any) -> Decimal | None:
    """A schema's number as an exact Decimal (None for anything else, booleans included)."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return Decimal(value)
    if isinstance(value, float):
        return Decimal(repr(value))
    if isinstance(value, Decimal) and value.is_finite():
        return value
    return None


def plain(value: Decimal) -> int | Decimal:
    """An exact number for a document: an int when it is integral, else the Decimal."""
    try:
        if value == value.to_integral_value():
            return int(value)
    except InvalidOperation:  # pragma: no cover - a huge exponent
        return value
    return value


def integral(value: Any) -> bool:
    """Whether a JSON value is an integer in JSON Schema's sense (1.0 is)."""
    n = number(value)
    return n is not None and n == n.to_integral_value()


def canon(value: Any) -> Any:
    """A hashable key with JSON Schema's equality: 1 == 1.0, true != 1, key order ignored."""
    if value is None or isinstance(value, bool | str):
        return (type(value).__name__, value)
    n = number(value)
    if n is not None:
        return ("n", n.normalize())
    if isinstance(value, list):
        return ("a", tuple(canon(item) for item in value))
    if isinstance(value, dict):
        return ("o", frozenset((key, canon(item)) for key, item in value.items()))
    return ("?", repr(value))


def type_of(value: Any) -> str:
    """The JSON Schema type name of a value ("integer" for integral numbers)."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, str):
        return "string"
    if isinstance(value, list):
        return "array"
    if isinstance(value, dict):
        return "object"
    return "integer" if integral(value) else "number"


def type_ok(value: Any, types: frozenset[str] | None) -> bool:
    """Whether the value's type is among `types` (None: any; "number" takes integers)."""
    if types is None:
        return True
    kind = type_of(value)
    return kind in types or (kind == "integer" and "number" in types)


def node_types(node: Any) -> frozenset[str] | None:
    """The types a schema object names (None: not restricted)."""
    if not isinstance(node, dict):
        return None
    declared = node.get("type")
    if isinstance(declared, str):
        return frozenset({declared})
    if isinstance(declared, list):
        return frozenset(t for t in declared if isinstance(t, str))
    return None


class Bounds:
    """A schema object's numeric bounds, exactly, in every dialect (draft 4's boolean exclusives too)."""

    def __init__(self, node: dict[str, Any]) -> None:
        self.lo: Decimal | None = None
        self.lo_ex = False
        self.hi: Decimal | None = None
        self.hi_ex = False
        minimum, maximum = number(node.get("minimum")), number(node.get("maximum"))
        if isinstance(node.get("exclusiveMinimum"), bool):  # draft 4
            self.lo, self.lo_ex = minimum, bool(node["exclusiveMinimum"]) and minimum is not None
        else:
            self.lo = minimum
            exclusive = number(node.get("exclusiveMinimum"))
            if exclusive is not None and (self.lo is None or exclusive >= self.lo):
                self.lo, self.lo_ex = exclusive, True
        if isinstance(node.get("exclusiveMaximum"), bool):
            self.hi, self.hi_ex = maximum, bool(node["exclusiveMaximum"]) and maximum is not None
        else:
            self.hi = maximum
            exclusive = number(node.get("exclusiveMaximum"))
            if exclusive is not None and (self.hi is None or exclusive <= self.hi):
                self.hi, self.hi_ex = exclusive, True
        self.step = number(node.get("multipleOf"))

    def accepts(self, value: Decimal, integer: bool = False) -> bool:
        """Whether a number satisfies these bounds and multipleOf (and is integral when asked)."""
        if integer and value != value.to_integral_value():
            return False
        if self.lo is not None and (value < self.lo or (self.lo_ex and value == self.lo)):
            return False
        if self.hi is not None and (value > self.hi or (self.hi_ex and value == self.hi)):
            return False
        if self.step is not None and self.step > 0:
            try:
                return (value / self.step) == (value / self.step).to_integral_value()
            except (InvalidOperation, ArithmeticError):
                return False
        return True

    def near(self) -> list[Decimal]:
        """Numbers around every bound and step (where a bound's change shows)."""
        points = [Decimal(0), Decimal(1), Decimal(-1), Decimal("0.5"), Decimal("-0.5")]
        for bound in (self.lo, self.hi, self.step):
            if bound is not None:
                points.extend((bound, bound + 1, bound - 1, bound + Decimal("0.5"), bound - Decimal("0.5"),
                               bound * 2, bound + Decimal("0.001"), bound - Decimal("0.001")))
        if self.lo is not None and self.hi is not None:
            points.append((self.lo + self.hi) / 2)
        if self.step is not None and self.step > 0:
            start = self.lo if self.lo is not None else Decimal(0)
            try:
                first = (start / self.step).to_integral_value(rounding="ROUND_CEILING") * self.step
                points.extend((first, first + self.step, first - self.step))
            except (InvalidOperation, ArithmeticError):
                pass
        return points


def numbers_near(*bounds: Bounds) -> list[Decimal]:
    """Candidate numbers around the bounds of several schema objects, without repeats."""
    seen: dict[Decimal, None] = {}
    for b in bounds:
        for point in b.near():
            if point.is_finite() and abs(point.adjusted()) < 40:
                seen.setdefault(point.normalize() if point != 0 else Decimal(0), None)
    return list(seen)


def lengths_near(*values: Any) -> list[int]:
    """Candidate lengths around some length bounds (0 to MAX_LENGTH)."""
    found: dict[int, None] = {0: None, 1: None, 2: None}
    for value in values:
        if isinstance(value, int) and not isinstance(value, bool):
            for length in (value - 1, value, value + 1):
                if 0 <= length <= MAX_LENGTH:
                    found.setdefault(length, None)
    return list(found)


# --- A string that probably matches a pattern --------------------------------------------------------

_CLASS_ESCAPES = {"d": "0", "w": "a", "s": " ", "D": "a", "W": "-", "S": "a", "b": "", "B": ""}
_LITERAL_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", "f": "\f", "v": "\v", "0": "\0"}


class _Unsupported(Exception):
    pass


def pattern_sample(pattern: str, more: bool = False) -> str | None:
    """A string that probably matches `pattern` (None when the pattern uses what this does not read).

    Reads literals, escapes, classes, groups, alternation and quantifiers; `more` takes the last
    alternative and one more repetition. The validator decides whether it matches.
    """
    try:
        text, end = _alternation(pattern, 0, more, 0)
    except (_Unsupported, IndexError, ValueError):
        return None
    return text if end == len(pattern) else None


def _alternation(p: str, i: int, more: bool, depth: int) -> tuple[str, int]:
    if depth > 20:
        raise _Unsupported
    branches: list[str] = []
    current: list[str] = []
    while i < len(p) and p[i] != ")":
        if p[i] == "|":
            branches.append("".join(current))
            current = []
            i += 1
            continue
        atom, i = _atom(p, i, more, depth)
        atom, i = _quantified(p, i, atom, more)
        current.append(atom)
    branches.append("".join(current))
    return (branches[-1] if more else branches[0]), i


def _atom(p: str, i: int, more: bool, depth: int) -> tuple[str, int]:
    c = p[i]
    if c in "^$":
        return "", i + 1
    if c == ".":
        return "a", i + 1
    if c == "(":
        i += 1
        if p.startswith("?:", i):
            i += 2
        elif p.startswith("?<", i) and not p.startswith(("?<=", "?<!"), i) or p.startswith("?P<", i):
            i = p.index(">", i) + 1
        elif p.startswith("?", i):
            raise _Unsupported  # look-around, flags
        inner, i = _alternation(p, i, more, depth + 1)
        if i >= len(p) or p[i] != ")":
            raise _Unsupported
        return inner, i + 1
    if c == "[":
        return _klass(p, i + 1)
    if c == "\\":
        e = p[i + 1]
        if e in _CLASS_ESCAPES:
            return _CLASS_ESCAPES[e], i + 2
        if e in _LITERAL_ESCAPES:
            return _LITERAL_ESCAPES[e], i + 2
        if e.isascii() and (e.isalpha() or e in "0123456789"):
            raise _Unsupported  # \p{..}, \u...., back-references
        return e, i + 2
    if c in "*+?{":
        raise _Unsupported
    return c, i + 1


def _klass(p: str, i: int) -> tuple[str, int]:
    negated = p[i] == "^"
    if negated:
        i += 1
    members: list[tuple[str, str]] = []
    first = True
    while first or p[i] != "]":
        first = False
        c = p[i]
        if c == "\\":
            e = p[i + 1]
            if e in _CLASS_ESCAPES:
                sample = _CLASS_ESCAPES[e] or "a"
                members.append((sample, sample) if e not in "DWS" else ("\0", "\0"))
            else:
                members.append((_LITERAL_ESCAPES.get(e, e),) * 2)
            i += 2
            continue
        if c == "[":
            raise _Unsupported  # nested classes, [:alpha:]
        if p[i + 1] == "-" and p[i + 2] != "]":
            members.append((c, p[i + 2]))
            i += 3
            continue
        members.append((c, c))
        i += 1
    i += 1
    if not negated:
        return members[0][0], i
    for candidate in "a0_-zA Z9.":
        if not any(lo <= candidate <= hi for lo, hi in members):
            return candidate, i
    raise _Unsupported


def _quantified(p: str, i: int, atom: str, more: bool) -> tuple[str, int]:
    if i >= len(p):
        return atom, i
    c = p[i]
    low, high = 1, 1
    if c == "*":
        low, high, i = 0, 2, i + 1
    elif c == "+":
        low, high, i = 1, 2, i + 1
    elif c == "?":
        low, high, i = 0, 1, i + 1
    elif c == "{":
        close = p.index("}", i)
        body = p[i + 1: close]
        lo_text, comma, hi_text = body.partition(",")
        low = _small_int(lo_text)
        high = _small_int(hi_text) if hi_text.strip() else (low + 1 if comma else low)
        i = close + 1
    else:
        return atom, i
    if i < len(p) and p[i] in "?+":  # lazy or possessive
        i += 1
    count = max(low, min(high, low + 1)) if more else low
    if count > MAX_LENGTH or len(atom) * count > MAX_LENGTH:
        raise _Unsupported
    return atom * count, i


def _small_int(text: str) -> int:
    text = text.strip()
    if not text or len(text) > 6 or any(ch not in "0123456789" for ch in text):
        raise _Unsupported
    return int(text)
