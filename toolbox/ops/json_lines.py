"""json/lines: JSON Lines / NDJSON validated line by line (syntax, and a JSON Schema when given).

`json/lines` takes a pasted text (the body limit bounds it); `start_lines` gives the adapters that
stream (the CLI reading a file, the API and the page reading an upload) the same validator, with
the schema compiled once, to feed chunk by chunk in bounded memory.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated

import msgspec

from toolbox.config import Settings
from toolbox.core.json.lines import BlankLines, LineError, LinesResult, LinesValidator
from toolbox.core.json.model import Dialect, JsonSyntaxError, JsonTooDeep
from toolbox.ops.contract import Context, Request, operation
from toolbox.ops.errors import ErrorKind, OpError
from toolbox.ops.json import JsonText, syntax_error

MAX_SCHEMA_ERRORS = 20  # schema problems listed in the refusal


class LinesRequest(Request):
    """Validate JSON Lines (one JSON value per line), against a JSON Schema when one is given."""

    text: Annotated[str, msgspec.Meta(description="JSON Lines: one JSON value per line (LF or CRLF).")]
    schema: Annotated[JsonText | None, msgspec.Meta(
        description="A JSON Schema every line's value must match; none: syntax only.")] = None
    dialect: Dialect | None = None
    formats: Annotated[bool, msgspec.Meta(description="Assert `format` (false: an annotation only).")] = True
    blank_lines: Annotated[BlankLines, msgspec.Meta(
        description="A blank line is an error (JSON Lines) or is ignored (ndjson allows it).")] = "error"


def start_lines(settings: Settings, schema: str | None = None, *, dialect: Dialect | None = None,
                formats: bool = True, blank_lines: BlankLines = "error",
                on_error: Callable[[LineError], None] | None = None) -> LinesValidator:
    """A validator to feed chunks to, its schema compiled once; an unusable schema is an OpError."""
    compiled = None
    if schema is not None:
        from toolbox.core.json.validate import UnusableInputError, compile_schema

        try:
            compiled = compile_schema(schema, dialect=dialect, formats=formats,
                                      max_depth=settings.json_max_depth)
        except JsonSyntaxError as err:
            located = syntax_error(err, "schema")
            raise OpError(ErrorKind.UNUSABLE, located.message, title=located.title,
                          **located.details) from None
        except (UnusableInputError, JsonTooDeep) as err:
            raise OpError(ErrorKind.UNUSABLE, f"The schema cannot be used: {err}", title="Cannot validate",
                          which="schema") from None
        if compiled.engine is None:
            problems = [{"pointer": e.instance_path, "message": e.message}
                        for e in compiled.schema_errors[:MAX_SCHEMA_ERRORS]]
            first = problems[0]["message"] if problems else "it refers outside itself"
            raise OpError(ErrorKind.UNUSABLE, f"The schema cannot be used: {first}",
                          title="Schema cannot be used", which="schema", errors=problems)
    return LinesValidator(compiled, max_depth=settings.json_max_depth, max_line=settings.json_line_max,
                          blank=blank_lines, on_error=on_error)


@operation("json/lines", summary="Validate JSON Lines / NDJSON line by line, against a JSON Schema if given",
           request=LinesRequest, result=LinesResult)
def validate_lines(request: LinesRequest, context: Context) -> LinesResult:
    """Validate the pasted lines (large files go through `start_lines`, streamed)."""
    validator = start_lines(context.settings, request.schema, dialect=request.dialect,
                            formats=request.formats, blank_lines=request.blank_lines)
    validator.feed(request.text.encode("utf-8", "surrogatepass"))  # a lone surrogate: that line is not UTF-8
    return validator.finish()
