"""The JSON tool's operations: format and validate."""

from __future__ import annotations

from typing import Annotated

import msgspec

from toolbox.core.json.formats import Format
from toolbox.core.json.model import (
    Dialect,
    FormatOptions,
    FormatResult,
    Indent,
    JsonSyntaxError,
    JsonTooDeep,
    Mode,
    OutputTooLarge,
    ValidationResult,
)
from toolbox.ops.contract import Context, Request, operation
from toolbox.ops.errors import ErrorKind, OpError

JsonText = Annotated[str, msgspec.Meta(description="A JSON text (the body limit, TOOLBOX_MAX_BODY_BYTES, "
                                                   "bounds it).")]
FromFormat = Annotated[Format, msgspec.Meta(
    description="How the text is written: json (the default), yaml (YAML 1.2, one document) or toml.")]


class FormatRequest(Request):
    """Pretty-print or minify a JSON text."""

    text: JsonText
    mode: Mode = "pretty"
    indent: Indent = 2
    sort_keys: bool = False
    ascii: Annotated[bool, msgspec.Meta(description="Write non-ASCII characters as \\u escapes.")] = False
    lenient: Annotated[bool, msgspec.Meta(
        description="Accept JSON5/JSONC (comments, trailing commas, single quotes) and repair it.")] = False
    from_: FromFormat = msgspec.field(default="json", name="from")


class ValidateRequest(Request):
    """Validate a JSON text against a JSON Schema text."""

    instance: JsonText
    schema: JsonText
    dialect: Dialect | None = None
    formats: Annotated[bool, msgspec.Meta(description="Assert `format` (false: an annotation only).")] = True
    from_: FromFormat = msgspec.field(default="json", name="from")
    schema_from: Annotated[Format, msgspec.Meta(description="How the schema is written (json by default).")
                           ] = "json"


def syntax_error(err: JsonSyntaxError, which: str | None = None) -> OpError:
    """A located syntax error as an OpError (kind input): line, column, offset, snippet, caret."""
    details = {"reason": err.message, "line": err.line, "column": err.column, "offset": err.offset,
               "snippet": err.snippet, "caret": err.caret}
    title = f"The {which} is not valid JSON" if which else "Invalid JSON"
    return OpError(ErrorKind.INPUT, str(err), title=title, **details, **({"which": which} if which else {}))


@operation("json/format", summary="Pretty-print or minify JSON, keeping every number exactly",
           request=FormatRequest, result=FormatResult)
def format_json(request: FormatRequest, context: Context) -> FormatResult:
    """Format `request.text`; invalid JSON is an input error with its location."""
    from toolbox.core.json.format import format_json as run

    options = FormatOptions(mode=request.mode, indent=request.indent, sort_keys=request.sort_keys,
                            ascii=request.ascii, lenient=request.lenient and request.from_ == "json",
                            max_depth=context.settings.json_max_depth)
    if request.from_ != "json":
        from toolbox.ops.json_convert import format_converted

        return format_converted(request.text, request.from_, options, context)
    try:
        return run(request.text, options)
    except JsonSyntaxError as err:
        raise syntax_error(err) from None
    except OutputTooLarge as err:
        raise OpError(ErrorKind.TOO_LARGE, str(err), title="Output too large") from None
    except JsonTooDeep as err:
        raise OpError(ErrorKind.UNUSABLE, str(err), title="Nested too deeply") from None


@operation("json/validate", summary="Validate a JSON document against a JSON Schema",
           request=ValidateRequest, result=ValidationResult)
def validate_json(request: ValidateRequest, context: Context) -> ValidationResult:
    """Validate; an unparseable instance is an input error, an unusable schema is unusable."""
    from toolbox.core.json.validate import UnusableInputError, validate

    instance, schema, relocate = request.instance, request.schema, None
    if request.from_ != "json" or request.schema_from != "json":
        from toolbox.ops.json_convert import convert_pair

        instance, schema, relocate = convert_pair(request.instance, request.from_, request.schema,
                                                  request.schema_from, context)
    try:
        result = validate(instance, schema, dialect=request.dialect, formats=request.formats,
                          max_depth=context.settings.json_max_depth)
    except JsonSyntaxError as err:
        which = getattr(err, "which", None)
        if which == "schema":
            located = syntax_error(err, which)
            raise OpError(ErrorKind.UNUSABLE, located.message, title=located.title,
                          **located.details) from None
        raise syntax_error(err, which) from None
    except (UnusableInputError, JsonTooDeep) as err:
        raise OpError(ErrorKind.UNUSABLE, str(err), title="Cannot validate",
                      **({"which": err.which} if isinstance(err, UnusableInputError) else {})) from None
    return result if relocate is None else relocate(result)
