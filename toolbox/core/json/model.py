"""Typed results of the JSON tool: parse errors, format results, validation results."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

Indent = Literal[2, 4, "tab"]
Mode = Literal["pretty", "minify"]
Dialect = Literal["draft4", "draft6", "draft7", "draft2019-09", "draft2020-12"]

DEFAULT_MAX_DEPTH = 1000
# Output budget of the formatter: the larger of these. Indentation grows with depth × lines, so
# without it 500 KB of nested arrays pretty-print to ~1 GB (DESIGN §2, resource bounds).
OUTPUT_FLOOR = 16 << 20  # bytes
OUTPUT_FACTOR = 8  # × the input's size in bytes


@dataclass(frozen=True)
class Location:
    """A place in a text: 1-based line and column (in characters), 0-based byte offset."""

    line: int
    column: int
    offset: int


class JsonSyntaxError(ValueError):
    """The text is not strict RFC 8259 JSON; says where and why, with a caret snippet."""

    def __init__(self, message: str, line: int, column: int, offset: int, snippet: str, caret: str) -> None:
        super().__init__(f"{message} at line {line}, column {column}")
        self.message = message  # "Trailing comma before '}'", "NaN is not JSON", ...
        self.line = line  # 1-based
        self.column = column  # 1-based, in characters
        self.offset = offset  # 0-based byte offset into the UTF-8 text
        self.snippet = snippet  # the offending line, clipped around the column when long
        self.caret = caret  # spaces then '^' under the offending character of `snippet`


class JsonTooDeep(ValueError):
    """Nesting beyond the configured depth (a clear 4xx, never a RecursionError)."""

    def __init__(self, message: str, max_depth: int = DEFAULT_MAX_DEPTH, line: int | None = None,
                 column: int | None = None, offset: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.max_depth = max_depth
        self.line = line  # where the bracket one level too deep is, when known
        self.column = column
        self.offset = offset


class OutputTooLarge(JsonTooDeep):
    """The formatted text would exceed the output budget (deep nesting multiplies indentation)."""

    def __init__(self, message: str, size: int, budget: int) -> None:
        super().__init__(message)
        self.size = size  # bytes the formatted text would have
        self.budget = budget


@dataclass(frozen=True)
class JsonWarning:
    """Something the data does that is legal but worth knowing (e.g. a duplicate key)."""

    id: str  # "duplicate-key", "sort-changes-duplicates", "ascii-escaped", "lenient-repair"
    message: str
    line: int | None = None
    column: int | None = None
    pointer: str | None = None  # RFC 6901 JSON Pointer


@dataclass(frozen=True)
class Stats:
    """Numbers about the document."""

    bytes_in: int
    bytes_out: int
    depth: int
    objects: int
    arrays: int
    strings: int
    numbers: int
    literals: int  # true, false, null
    keys: int


@dataclass(frozen=True)
class FormatOptions:
    """How to format."""

    mode: Mode = "pretty"
    indent: Indent = 2
    sort_keys: bool = False
    ascii: bool = False
    lenient: bool = False  # accept JSON5/JSONC input and repair it to strict JSON
    max_depth: int = DEFAULT_MAX_DEPTH
    max_output: int = OUTPUT_FLOOR  # bytes; the budget is max(this, OUTPUT_FACTOR × input bytes)


@dataclass(frozen=True)
class FormatResult:
    """Formatted text (number literals exactly as written), stats and warnings."""

    output: str
    stats: Stats
    warnings: tuple[JsonWarning, ...] = ()
    repairs: tuple[str, ...] = ()  # lenient mode: each repair in words ("removed a comment at 3:5")


@dataclass(frozen=True)
class SchemaError:
    """One validation error, located in the pasted text (instance or schema)."""

    instance_path: str  # JSON Pointer into the instance ("" = the root)
    schema_path: str  # JSON Pointer into the schema ("/properties/email/format")
    keyword: str  # "format", "required", "type", ...
    message: str
    line: int | None = None  # where instance_path starts in the instance text
    column: int | None = None
    # Instance errors only: where the failing keyword is written in the pasted schema, if it is there:
    schema_pointer: str | None = None  # JSON Pointer ("/$defs/user/properties/email/format")
    schema_line: int | None = None
    schema_column: int | None = None


@dataclass(frozen=True)
class ValidationResult:
    """The outcome of validating an instance against a schema."""

    valid: bool
    dialect: Dialect
    formats_asserted: bool
    errors: tuple[SchemaError, ...]  # all instance errors, in document order
    best_match: SchemaError | None = None
    schema_errors: tuple[SchemaError, ...] = ()  # the schema fails its metaschema (located in the schema)
    refused_refs: tuple[str, ...] = ()  # remote $refs that were not fetched
    notes: tuple[str, ...] = field(default_factory=tuple)
    engine: str = ""  # "jsonschema-rs" (it decides and words every error); "" = not run (schema unusable)
    errors_truncated: bool = False  # more than max_errors instance errors: `errors` holds the first ones
