"""json/convert: JSON, YAML 1.2 or TOML to JSON or YAML, numbers exact; and the reader every JSON
operation uses for its `from` choice (format, validate and diff read YAML and TOML through it)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Any, Literal

import msgspec

from toolbox.core.json.formats import FORMAT_NAMES, Format, Loaded, UnlocatedError
from toolbox.core.json.model import (
    FormatOptions,
    FormatResult,
    JsonSyntaxError,
    JsonTooDeep,
    OutputTooLarge,
    ValidationResult,
)
from toolbox.ops.contract import Context, Request, operation
from toolbox.ops.errors import ErrorKind, OpError

InputFormat = Annotated[Format, msgspec.Meta(description="How the text is written: json (default), yaml "
                                                         "(YAML 1.2, one document) or toml.")]
OutputFormat = Literal["json", "yaml"]


class ConvertRequest(Request):
    """Convert a JSON, YAML or TOML text to JSON or YAML."""

    text: Annotated[str, msgspec.Meta(description="A JSON, YAML or TOML text (the body limit, "
                                                  "TOOLBOX_MAX_BODY_BYTES, bounds it).")]
    from_: Annotated[Format, msgspec.Meta(description="How the text is written: json, yaml (YAML 1.2; a "
                                                      "stream of documents becomes an array) or toml.")
                     ] = msgspec.field(name="from")
    to: OutputFormat


class ConvertResult(msgspec.Struct, kw_only=True):
    """The converted text and what changed on the way (comments dropped, aliases expanded, …)."""

    output: str
    notes: list[str]


def load_error(err: Exception, fmt: str, which: str | None = None) -> OpError:
    """The OpError for a text that cannot be read as `fmt` (located when the reader can say where)."""
    name = FORMAT_NAMES.get(fmt, fmt.upper())
    extra: dict[str, Any] = {"which": which} if which else {}
    prefix = f"{which}: " if which else ""
    if isinstance(err, JsonSyntaxError):
        title = f"The {which} is not valid {name}" if which else f"Invalid {name}"
        return OpError(ErrorKind.INPUT, prefix + str(err), title=title, reason=err.message, line=err.line,
                       column=err.column, offset=err.offset, snippet=err.snippet, caret=err.caret, **extra)
    if isinstance(err, UnlocatedError):
        return OpError(ErrorKind.INPUT, prefix + err.message, title=f"No JSON form for this {name} value",
                       pointer=err.pointer, **extra)
    if isinstance(err, OutputTooLarge):
        return OpError(ErrorKind.TOO_LARGE, prefix + str(err), title="Output too large", **extra)
    if isinstance(err, JsonTooDeep):
        return OpError(ErrorKind.UNUSABLE, prefix + str(err), title="Nested too deeply", **extra)
    raise err


def read_document(text: str, fmt: Format, context: Context, which: str | None = None, *,
                  documents: Literal["one", "all"] = "one", locate: bool = False) -> Loaded:
    """Read `text` as `fmt` into the exact model; any failure is the OpError of load_error."""
    from toolbox.core.json.formats import load

    try:
        return load(text, fmt, max_depth=context.settings.json_max_depth, documents=documents, locate=locate)
    except (JsonSyntaxError, JsonTooDeep, UnlocatedError) as err:
        raise load_error(err, fmt, which) from None


def as_json_text(text: str, fmt: Format, context: Context, which: str | None = None
                 ) -> tuple[str, Loaded | None]:
    """`text` as a JSON text for the operations that read JSON: itself for json, else converted (exact)."""
    from toolbox.core.json.formats import to_json

    if fmt == "json":
        return text, None
    loaded = read_document(text, fmt, context, which, locate=fmt == "yaml")
    return to_json(loaded.value).decode("utf-8"), loaded


@operation("json/convert", summary="Convert JSON, YAML or TOML to JSON or YAML, every number exact",
           request=ConvertRequest, result=ConvertResult)
def convert_json(request: ConvertRequest, context: Context) -> ConvertResult:
    """Read the text as `from` (located 4xx), write it as `to` (JSON pretty-printed by two spaces)."""
    from toolbox.core.json.format import format_strict
    from toolbox.core.json.formats import budget, to_json
    from toolbox.core.json.yaml_out import dump_yaml

    loaded = read_document(request.text, request.from_, context, documents="all")
    try:
        if request.to == "yaml":
            output = dump_yaml(loaded.value, budget(request.text))
        else:
            minified = to_json(loaded.value).decode("utf-8")
            options = FormatOptions(max_depth=context.settings.json_max_depth,
                                    max_output=budget(request.text))
            output = format_strict(minified, options).output + "\n"
    except (OutputTooLarge, JsonTooDeep) as err:
        raise load_error(err, request.to) from None
    return ConvertResult(output=output, notes=list(loaded.notes))


def format_converted(text: str, fmt: Format, options: FormatOptions, context: Context) -> FormatResult:
    """json/format of a YAML or TOML text: formatted as JSON, its notes as `converted` warnings."""
    import dataclasses

    from toolbox.core.json.format import format_strict
    from toolbox.core.json.formats import budget
    from toolbox.core.json.model import JsonWarning

    json_text, loaded = as_json_text(text, fmt, context)
    try:
        options = dataclasses.replace(options, max_output=budget(text, options.max_output))
        result = format_strict(json_text, options, bytes_in=len(text.encode("utf-8")))
    except (OutputTooLarge, JsonTooDeep) as err:
        raise load_error(err, "json") from None
    notes = tuple(JsonWarning("converted", note) for note in (loaded.notes if loaded else ()))
    return dataclasses.replace(result, warnings=notes + result.warnings)


def convert_pair(instance: str, instance_from: Format, schema: str, schema_from: Format, context: Context
                 ) -> tuple[str, str, Callable[[ValidationResult], ValidationResult]]:
    """json/validate's two texts as JSON, and how to move its errors' places back to the texts as written."""
    from toolbox.core.json.formats import relocate

    instance_json, instance_loaded = as_json_text(instance, instance_from, context, "instance")
    try:
        schema_json, schema_loaded = as_json_text(schema, schema_from, context, "schema")
    except OpError as err:  # an unreadable schema is unusable, as for JSON schemas
        raise OpError(ErrorKind.UNUSABLE, err.message, title=err.title, **err.details) from None
    return instance_json, schema_json, lambda result: relocate(result, instance_loaded, schema_loaded)
