"""JSON Lines / NDJSON, validated line by line as the bytes arrive, in memory bounded by the longest line.

`LinesValidator` is fed chunks of bytes (a file read piece by piece, a request body as it streams)
and never holds more than one line: a line longer than `max_line` bytes is reported and skipped
without being buffered. Each line is read by the one strict reader (parse.py): a line that is not
JSON is one located error (the column within that line); with a compiled schema (compiled once,
validate.compile_schema) each value is validated by jsonschema-rs, every error of a line kept with its
JSON Pointer. What is kept is bounded too: the first `keep_errors` errors in order, and a summary of
the most common errors (at most `max_groups` groups, each with its count and first lines).

The format, as jsonlines.org and the ndjson spec say: UTF-8; one JSON value per line; lines end
with LF, a CR before it is whitespace; the last line needs no LF (a final LF does not start another
line); a byte order mark is not allowed (it is line 1's syntax error); a blank line (nothing but
spaces, tabs and CRs) is an error unless `blank="ignore"` (ndjson: a parser MAY ignore empty lines,
documented and configurable). An empty input is valid and holds no values.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Literal

from toolbox.core.json import parse
from toolbox.core.json.locate import line_cols, locate_paths, pointer
from toolbox.core.json.model import DEFAULT_MAX_DEPTH, Dialect, JsonSyntaxError, JsonTooDeep
from toolbox.core.json.schema_compile import ORDINARY, CompiledSchema
from toolbox.core.json.schema_engine import convert
from toolbox.core.json.validate_input import UnusableInputError, parse_strict

BlankLines = Literal["error", "ignore"]

DEFAULT_MAX_LINE = 1024 * 1024  # bytes of one line (TOOLBOX_JSON_LINE_MAX)
DEFAULT_KEEP_ERRORS = 1000  # errors listed; the rest are counted
DEFAULT_MAX_GROUPS = 100  # distinct kinds of error summarised; the rest are counted as "other"
FIRST_LINES = 5  # line numbers kept per summary group
PER_LINE_ERRORS = 100  # errors listed for one line
# jsonschema-rs builds every error of a keyword before yielding the first (1 MiB of `[0,0,…]` against
# `items: {type: string}` is 500,000 errors: ~800 MB and 7 s). An invalid line longer than this gets
# its first error only (jsonschema-rs's `validate`, which stops there: microseconds, no memory);
# shorter lines hold at most ~8,000 values, so all their errors cost at most ~12 MB.
EXPLAIN_MAX_BYTES = 16 * 1024
MAX_TEXT = 300  # characters of a message kept in the summary and the error list
MAX_POINTER = 1000  # characters of a JSON Pointer or schema path kept (longer ones end with "…")
BLANK_MESSAGE = "Blank line: every line must hold one JSON value (a blank line is not one)"
LINE_KEYWORDS = ("syntax", "encoding", "blank", "too-long", "too-deep")  # a line that is not a usable value
_INDEX = re.compile(r"/(?:0|[1-9][0-9]*)(?=/|$)")
_CR_INSIDE = re.compile(rb"\r[^\r]")


@dataclass(frozen=True)
class LineError:
    """One error: its line (1-based), column in that line (when known), JSON Pointer and message.

    `keyword` is the failing JSON Schema keyword, or for a line that is not a usable JSON value one
    of `syntax`, `encoding` (not UTF-8), `blank`, `too-long` and `too-deep` (then `pointer` is None).
    """

    line: int
    keyword: str
    message: str
    pointer: str | None = None
    column: int | None = None
    schema_path: str | None = None


@dataclass(frozen=True)
class ErrorGroup:
    """Errors of one kind: the same keyword at the same place (array indexes as `*`), same rule.

    `message` is the first one's; `first_lines` the first lines (at most 5) where it occurs.
    """

    keyword: str
    pointer: str | None
    schema_path: str | None
    message: str
    count: int
    first_lines: tuple[int, ...]


@dataclass(frozen=True)
class LinesResult:
    """The verdict on a JSON Lines text, its totals, the most common errors and the first errors.

    `lines` counts every line (a final LF starts none); `values` the non-blank ones, `valid` and
    `invalid` split them; `blank` lines are counted whether or not they are errors. `errors_total`
    counts every error, `errors` lists the first ones (`errors_truncated` when there were more);
    `summary` groups them, most frequent first (`other_errors` counts those past the group cap).
    """

    valid: bool
    lines: int
    values: int
    valid_values: int
    invalid_lines: int
    blank: int
    bytes: int
    errors_total: int
    errors: tuple[LineError, ...]
    errors_truncated: bool
    summary: tuple[ErrorGroup, ...]
    other_errors: int
    blank_lines: BlankLines
    schema: bool
    dialect: Dialect | None = None
    formats_asserted: bool | None = None
    notes: tuple[str, ...] = ()


@dataclass
class _Group:
    keyword: str
    pointer: str | None
    schema_path: str | None
    message: str
    count: int = 0
    first_lines: list[int] = field(default_factory=list)


class LinesValidator:
    """Validates JSON Lines fed in chunks of any size; `finish()` gives the result (see the module)."""

    def __init__(
        self,
        compiled: CompiledSchema | None = None,
        *,
        max_depth: int = DEFAULT_MAX_DEPTH,
        max_line: int = DEFAULT_MAX_LINE,
        blank: BlankLines = "error",
        keep_errors: int = DEFAULT_KEEP_ERRORS,
        max_groups: int = DEFAULT_MAX_GROUPS,
        on_error: Callable[[LineError], None] | None = None,
    ) -> None:
        """`compiled` must be usable (its `engine` set); without it lines are checked for syntax only.

        `on_error` is called with every error as it is found (the command line prints them all).
        """
        if compiled is not None and compiled.engine is None:
            raise ValueError("the schema cannot be used")
        self.compiled = compiled
        self.max_depth = max_depth
        self.max_line = max_line
        self.blank = blank
        self.keep_errors = keep_errors
        self.max_groups = max_groups
        self.on_error = on_error
        self._ordinary = compiled is not None and compiled.bound.most <= ORDINARY
        self._pending = bytearray()  # the start of the line being received
        self._skipping = False  # the line being received is over max_line: not buffered
        self._skipped = 0  # its length so far
        self._line = 0  # lines completed
        self._bytes = 0
        self._values = 0
        self._valid = 0
        self._invalid = 0
        self._blank = 0
        self._errors: list[LineError] = []
        self._errors_total = 0
        self._groups: dict[tuple[str, str | None, str | None, str], _Group] = {}
        self._other = 0
        self._finished = False

    def feed(self, chunk: bytes) -> None:
        """Take the next bytes; every line they complete is validated now."""
        if self._finished:
            raise ValueError("feed() after finish()")
        self._bytes += len(chunk)
        start = 0
        while True:
            end = chunk.find(b"\n", start)
            if end < 0:
                break
            if self._skipping:
                self._skipped += end - start
                self._too_long(self._skipped)
                self._skipping = False
            elif self._pending:
                if len(self._pending) + end - start > self.max_line:
                    self._too_long(len(self._pending) + end - start)
                else:
                    self._pending += chunk[start:end]
                    self._check(bytes(self._pending))
                self._pending.clear()
            elif end - start > self.max_line:
                self._too_long(end - start)
            else:
                self._check(chunk[start:end])
            start = end + 1
        rest = len(chunk) - start
        if not rest:
            return
        if self._skipping:
            self._skipped += rest
        elif len(self._pending) + rest > self.max_line:
            self._skipping = True
            self._skipped = len(self._pending) + rest
            self._pending.clear()
        else:
            self._pending += chunk[start:]

    def finish(self, notes: Iterable[str] = ()) -> LinesResult:
        """The last line (it needs no LF), then the result."""
        if not self._finished:
            self._finished = True
            if self._skipping:
                self._too_long(self._skipped)
            elif self._pending:
                self._check(bytes(self._pending))
            self._pending = bytearray()
        groups = sorted(self._groups.values(), key=lambda g: (-g.count, g.first_lines[0]))
        compiled = self.compiled
        notes = list(notes)
        if self._values == 0 and not self._errors_total:
            notes.append("No JSON values: the input is empty" + (" or blank." if self._line else "."))
        return LinesResult(
            valid=not self._errors_total, lines=self._line, values=self._values, valid_values=self._valid,
            invalid_lines=self._invalid, blank=self._blank, bytes=self._bytes,
            errors_total=self._errors_total, errors=tuple(self._errors),
            errors_truncated=self._errors_total > len(self._errors),
            summary=tuple(ErrorGroup(g.keyword, g.pointer, g.schema_path, g.message, g.count,
                                     tuple(g.first_lines)) for g in groups),
            other_errors=self._other, blank_lines=self.blank, schema=compiled is not None,
            dialect=compiled.dialect if compiled is not None else None,
            formats_asserted=compiled.formats if compiled is not None else None, notes=tuple(notes),
        )

    # One line -----------------------------------------------------------------------------------

    def _check(self, raw: bytes) -> None:
        """Validate one complete line (without its LF)."""
        self._line += 1
        if not raw.strip(b" \t\r"):
            self._blank += 1
            if self.blank == "error":
                self._invalid += 1
                self._report([LineError(self._line, "blank", BLANK_MESSAGE)])
            return
        self._values += 1
        errors = self._errors_of(raw)
        if errors:
            self._invalid += 1
            self._report(errors)
        else:
            self._valid += 1

    def _errors_of(self, raw: bytes) -> list[LineError]:
        line = self._line
        column: int | None
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError as err:
            column = len(raw[:err.start].decode("utf-8", "replace")) + 1
            return [LineError(line, "encoding", f"Not UTF-8: byte 0x{raw[err.start]:02x} at column {column} "
                                                "(JSON Lines are UTF-8)", column=column)]
        try:
            if self.compiled is None:
                parse.check(text, self.max_depth)
                return []
            return self._schema_errors(text)
        except JsonSyntaxError as err:
            column = len(raw[:err.offset].decode("utf-8", "replace")) + 1
            message = err.message
            if _CR_INSIDE.search(raw):
                message += " (this line holds a carriage return: lines must end with LF, not CR alone)"
            return [LineError(line, "syntax", message, column=column)]
        except (JsonTooDeep, UnusableInputError) as err:
            column = None
            offset = getattr(err, "offset", None)
            if offset is not None:
                column = len(raw[:offset].decode("utf-8", "replace")) + 1
            return [LineError(line, "too-deep", f"Nested deeper than {self.max_depth} levels", column=column)]

    def _schema_errors(self, text: str) -> list[LineError]:
        compiled = self.compiled
        assert compiled is not None and compiled.engine is not None  # nosec B101 - only called with a schema (narrows the type)
        line = self._line
        if not self._ordinary:  # anyOf/oneOf nested deep: the validator's own cost guards decide
            result = compiled.validate(text, max_depth=self.max_depth, max_errors=PER_LINE_ERRORS)
            if result.valid:
                return []
            return [LineError(line, e.keyword, _clip(e.message), _clip(e.instance_path, MAX_POINTER),
                              e.column, _clip(e.schema_path, MAX_POINTER)) for e in result.errors] or [
                LineError(line, "schema", _clip(result.notes[-1] if result.notes else "Not valid"))]
        instance = parse_strict(text, "instance", self.max_depth)
        engine = compiled.engine
        if engine.is_valid(instance):
            return []
        if len(text) > EXPLAIN_MAX_BYTES:  # characters: at least as many bytes
            return [self._first_error(text, instance)]
        found, _ = engine.iter_errors(instance, PER_LINE_ERRORS)
        offsets = locate_paths(text, [e.instance_path for e in found])
        places = line_cols(text, offsets.values())
        errors = []
        for e in sorted(found, key=lambda e: offsets.get(e.instance_path, len(text))):
            column = places[offsets[e.instance_path]][1] if e.instance_path in offsets else None
            errors.append(LineError(line, e.keyword, _clip(e.message),
                                    _clip(pointer(e.instance_path), MAX_POINTER), column,
                                    _clip(pointer(e.schema_path), MAX_POINTER)))
        return errors or [LineError(line, "schema", "Not valid against the schema")]

    def _first_error(self, text: str, instance: object) -> LineError:
        """jsonschema-rs's first error alone (it stops there), for a long invalid line."""
        import jsonschema_rs

        assert self.compiled is not None and self.compiled.engine is not None  # nosec B101 - only called with a schema
        try:
            self.compiled.engine.validator.validate(instance)
        except jsonschema_rs.ValidationError as raw:
            error = convert(raw)
            offsets = locate_paths(text, [error.instance_path])
            column = None
            if error.instance_path in offsets:
                column = line_cols(text, [offsets[error.instance_path]])[offsets[error.instance_path]][1]
            return LineError(self._line, error.keyword,
                             _clip(error.message) + f" (the first error only: the line is over "
                                                    f"{EXPLAIN_MAX_BYTES // 1024} KiB)",
                             _clip(pointer(error.instance_path), MAX_POINTER), column,
                             _clip(pointer(error.schema_path), MAX_POINTER))
        return LineError(self._line, "schema", "Not valid against the schema")

    def _too_long(self, length: int) -> None:
        self._line += 1
        self._values += 1
        self._invalid += 1
        self._report([LineError(self._line, "too-long", f"Line of {length:,} bytes, over the limit of "
                                f"{self.max_line:,} (TOOLBOX_JSON_LINE_MAX): not read")])

    def _report(self, errors: list[LineError]) -> None:
        self._errors_total += len(errors)
        if self.on_error is not None:
            for error in errors:
                self.on_error(error)
        room = self.keep_errors - len(self._errors)
        if room > 0:
            self._errors.extend(errors[:room])
        for error in errors:
            where = _INDEX.sub("/*", error.pointer) if error.pointer is not None else None
            # Errors that name a property say which one, syntax errors say what is wrong; the others
            # embed the failing value in their message, so the rule (schema path) and place identify them.
            named = error.keyword in _NAMING or error.keyword == "syntax"
            key = (error.keyword, where, error.schema_path, error.message if named else "")
            group = self._groups.get(key)
            if group is None:
                if len(self._groups) >= self.max_groups:
                    self._other += 1
                    continue
                group = self._groups[key] = _Group(error.keyword, where, error.schema_path, error.message)
            group.count += 1
            if len(group.first_lines) < FIRST_LINES and group.first_lines[-1:] != [error.line]:
                group.first_lines.append(error.line)


_NAMING = frozenset({"required", "dependentRequired", "dependencies", "additionalProperties",
                     "unevaluatedProperties", "propertyNames"})


def _clip(text: str, limit: int = MAX_TEXT) -> str:
    return text if len(text) <= limit else text[:limit - 1] + "…"


def validate_lines(chunks: Iterable[bytes], compiled: CompiledSchema | None = None, *,
                   blank: BlankLines = "error", max_line: int = DEFAULT_MAX_LINE) -> LinesResult:
    """Feed every chunk to a LinesValidator and finish."""
    validator = LinesValidator(compiled, blank=blank, max_line=max_line)
    for chunk in chunks:
        validator.feed(chunk)
    return validator.finish()
