"""JSONPath (RFC 9535) and jq queries over one strictly parsed JSON document, numbers exact.

Pure evaluation: no limits of its own beyond the result count and output size it is given. A
hostile expression (`def f: f; f`, `"x" * 1e9`, `$..*..*..*`) is only safe inside the child
process toolbox.query_child runs it in (CPU, address space and wall-clock limits); never call
`run_query` with untrusted input in a server process.

JSONPath: jsonpath-rfc9535 evaluates over the document read by the strict parser, each
non-integer number an ExactNumber (a float the engine can compare, carrying its exact Decimal):
comparisons in filters are exact, and results are written with every number's exact value.
Normalized paths (RFC 9535 §2.7) come from the engine's node locations.

jq: libjq (1.8, decNumber) reads the document's text itself after the strict parser accepted it,
and each result leaves through `tojson`, which writes number literals that were not computed on
exactly as read. Arithmetic in jq uses doubles: a number of the document that a double cannot
hold is counted, and the result set says so in a note.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, Literal

import msgspec

from toolbox.core.json.parse import EXACT, Numbers, check, read

Language = Literal["jsonpath", "jq"]
LANGUAGES: tuple[Language, ...] = ("jsonpath", "jq")

# halt_error ends the query with its message as an error (jq's CLI would print it and exit). The
# child runs with an empty environment (`env`, `$ENV`: `{}`), no module search path and no file
# descriptor to spare, so no module or file is ever read; `input` has nothing more to read.
JQ_PRELUDE = ('def halt_error($code): error(if type == "string" then . else tojson end); '
              "def halt_error: halt_error(5); ")
_NUMBER = re.compile(r'"(?:[^"\\]++|\\.)*+"|(-?[0-9][0-9.eE+\-]*+)', re.S)
_AFTER_PUNCTUATION = re.compile(r"[:,\[][ \t\r\n]*+(-?[0-9][0-9.eE+\-]*+)")
_LEADING_NUMBER = re.compile(r"[ \t\r\n]*+-?[0-9]")
_JQ_ERROR = re.compile(r"^jq: error(?: \(at [^)]*\))?: ", re.M)


class QueryInvalid(ValueError):
    """The expression is not valid in its language (syntax, or a well-typedness rule of RFC 9535)."""


class QueryFailed(ValueError):
    """The expression is valid but failed on this document (a jq error, an engine's own limit);
    `results` are those produced before the error."""

    def __init__(self, message: str, results: list[bytes] | None = None) -> None:
        super().__init__(message)
        self.results = results or []


class OutputTooLarge(Exception):
    """The results' JSON would exceed the output limit."""

    def __init__(self, message: str, limit: int) -> None:
        super().__init__(message)
        self.limit = limit


@dataclass(frozen=True)
class QueryOutcome:
    """The results (each one JSON text), JSONPath's normalized paths, and what was cut or noted."""

    results: list[bytes]
    paths: list[str] | None = None
    truncated: bool = False
    notes: list[str] = field(default_factory=list)


class ExactNumber(float):
    """A JSON number that is not a plain integer: the engine compares it as a float would, but
    exactly (by its Decimal), and the encoder writes its Decimal."""

    __slots__ = ("exact",)
    exact: Decimal

    def __new__(cls, literal: str) -> ExactNumber:  # noqa: D102 - the literal as read
        number = float.__new__(cls, literal)
        number.exact = EXACT.float_hook(literal)  # a located error when Decimal cannot hold it
        return number

    def __hash__(self) -> int:
        return hash(self.exact)

    def __eq__(self, other: object) -> bool:
        value = _decimal(other)
        return NotImplemented if value is None else self.exact == value

    def __ne__(self, other: object) -> bool:
        value = _decimal(other)
        return NotImplemented if value is None else self.exact != value

    def __lt__(self, other: object) -> bool:
        value = _decimal(other)
        return NotImplemented if value is None else self.exact < value

    def __le__(self, other: object) -> bool:
        value = _decimal(other)
        return NotImplemented if value is None else self.exact <= value

    def __gt__(self, other: object) -> bool:
        value = _decimal(other)
        return NotImplemented if value is None else self.exact > value

    def __ge__(self, other: object) -> bool:
        value = _decimal(other)
        return NotImplemented if value is None else self.exact >= value


def _decimal(value: object) -> Decimal | None:
    """Another number as a Decimal (a float by its shortest repr, as written in an expression)."""
    if isinstance(value, ExactNumber):
        return value.exact
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    if isinstance(value, float):
        return Decimal(repr(value)) if value == value and abs(value) != float("inf") else None
    return Decimal(value)


_EXACT_NUMBERS = Numbers(ExactNumber, ExactNumber)
_ENCODER = msgspec.json.Encoder(enc_hook=lambda number: number.exact, decimal_format="number")


def run_query(text: str, expression: str, language: Language, *, max_depth: int, max_results: int,
              max_output: int) -> QueryOutcome:
    """Evaluate `expression` over the JSON `text`: at most max_results results (then truncated),
    at most max_output bytes of results' JSON (else OutputTooLarge).

    Raises JsonSyntaxError/JsonTooDeep for the document, QueryInvalid for the expression,
    QueryFailed when evaluation fails.
    """
    if language == "jsonpath":
        return _jsonpath(text, expression, max_depth, max_results, max_output)
    return _jq(text, expression, max_depth, max_results, max_output)


def _jsonpath(text: str, expression: str, max_depth: int, max_results: int, max_output: int) -> QueryOutcome:
    import jsonpath_rfc9535 as jsonpath

    class Environment(jsonpath.JSONPathEnvironment):
        max_recursion_depth = max_depth + 1  # the document's own bound, not the engine's 100

    environment = Environment()
    try:
        query = environment.compile(expression)
    except jsonpath.JSONPathError as err:
        raise QueryInvalid(_jsonpath_message(err, expression)) from None
    document = read(text, max_depth, _EXACT_NUMBERS)
    results: list[bytes] = []
    paths: list[str] = []
    size = 0
    truncated = False
    try:
        for node in query.finditer(document):
            if len(results) == max_results:
                truncated = True
                break
            encoded = _ENCODER.encode(node.value)
            path = node.path()
            size += len(encoded) + len(path) + 2
            if size > max_output:
                raise OutputTooLarge(_output_message(max_output), max_output)
            results.append(encoded)
            paths.append(path)
    except jsonpath.JSONPathError as err:
        raise QueryFailed(_jsonpath_message(err, expression)) from None
    except RecursionError:
        raise QueryFailed("The document is nested too deeply for this query") from None
    return QueryOutcome(results, paths, truncated, _truncation_notes(truncated, max_results))


def _jsonpath_message(err: Exception, expression: str) -> str:
    """The engine's message with the column it points at (its own format quotes the query)."""
    message = str(err.args[0]) if err.args else str(err)
    token = getattr(err, "token", None)
    index = getattr(token, "index", None)
    if isinstance(index, int) and 0 <= index <= len(expression):
        return f"{message} at column {index + 1}"
    return message


def _jq(text: str, expression: str, max_depth: int, max_results: int, max_output: int) -> QueryOutcome:
    import jq  # type: ignore[import-not-found]  # a compiled module without type information

    try:
        jq.compile(expression)  # alone first: its errors point into the expression as typed
    except ValueError as err:
        raise QueryInvalid(_jq_message(err)) from None
    try:
        program = jq.compile(f"{JQ_PRELUDE}({expression}\n\n) | tojson")  # line 1 stays line 1
    except ValueError as err:  # valid alone, not inside the wrapper: module directives
        raise QueryInvalid("import and include are not available here (no modules on this server)"
                           if re.search(r"\b(import|include)\b", expression) else _jq_message(err)) from None
    check(text, max_depth)  # the strict parser decides what is JSON (located errors), jq reads it after
    inexact = count_inexact(text)
    results: list[bytes] = []
    size = 0
    truncated = False
    outputs: Iterator[Any] = iter(program.input_text(text))
    try:
        for output in outputs:
            if len(results) == max_results:
                truncated = True
                break
            encoded = output.encode("utf-8", "surrogatepass") if isinstance(output, str) else \
                msgspec.json.encode(output)
            size += len(encoded) + 1
            if size > max_output:
                raise OutputTooLarge(_output_message(max_output), max_output)
            results.append(encoded)
    except ValueError as err:
        done = f" (after {len(results):,} results)" if results else ""
        raise QueryFailed(f"jq error{done}: {_jq_message(err)}", results) from None
    notes = _truncation_notes(truncated, max_results)
    if inexact:
        them = "it" if inexact == 1 else "them"
        numbers = f"{inexact:,} number{'' if inexact == 1 else 's'}"
        notes.append(f"{numbers} in the document cannot be held exactly by a double: jq passes {them} on "
                     f"as written and compares {them} exactly, but arithmetic and math functions on {them} "
                     "use the nearest double (rounded)")
    return QueryOutcome(results, None, truncated, notes)


def _jq_message(err: Exception) -> str:
    """jq's message without its `jq: error:` prefix and compile-error count line."""
    message = _JQ_ERROR.sub("", str(err)).strip()
    lines = [line for line in message.splitlines() if not re.fullmatch(r"jq: \d+ compile errors?", line)]
    return "\n".join(lines).strip() or "jq failed"


def _output_message(limit: int) -> str:
    return f"The results exceed the output limit of {limit:,} bytes of JSON"


def _truncation_notes(truncated: bool, max_results: int) -> list[str]:
    return [f"Only the first {max_results:,} results are shown (the result limit)"] if truncated else []


def count_inexact(text: str) -> int:
    """How many number literals of a valid JSON text a double cannot hold exactly."""
    # Every number follows `[`, `:` or `,` (or is the whole text): a fast look at those first; only
    # when one is long or has an exponent (or a string holds such text) are strings skipped exactly.
    if not _LEADING_NUMBER.match(text) and not any(len(literal) > 15 or "e" in literal or "E" in literal
                                                   for literal in _AFTER_PUNCTUATION.findall(text)):
        return 0
    count = 0
    for match in _NUMBER.finditer(text):
        literal = match.group(1)
        if literal is None or len(literal) <= 15 and "e" not in literal and "E" not in literal:
            continue  # a string, or at most 15 digits: a double holds it
        nearest = float(literal)  # inf when out of range
        if nearest in (float("inf"), float("-inf")) or Decimal(repr(nearest)) != Decimal(literal):
            count += 1
    return count
