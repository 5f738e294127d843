"""json/infer: JSON samples → a draft 2020-12 schema that every sample validates against."""

from __future__ import annotations

from typing import Annotated, Any

import msgspec

from toolbox.core.json.model import JsonSyntaxError, JsonTooDeep
from toolbox.ops.contract import Context, Request, operation
from toolbox.ops.errors import ErrorKind, OpError
from toolbox.ops.json import FromFormat, JsonText, syntax_error


class InferRequest(Request):
    """Infer a JSON Schema from one or more sample documents."""

    samples: Annotated[list[JsonText], msgspec.Meta(
        description="Sample JSON texts (1 to 1,000); every one validates against the schema.")]
    from_: FromFormat = msgspec.field(default="json", name="from")


class InferResult(msgspec.Struct, kw_only=True):
    """The inferred schema (draft 2020-12) and notes on what was decided."""

    schema: dict[str, Any]
    notes: list[str]


@operation("json/infer", summary="Infer a draft 2020-12 JSON Schema from sample documents",
           request=InferRequest, result=InferResult)
def infer_json(request: InferRequest, context: Context) -> InferResult:
    """Parse every sample strictly (a bad one is named by index, located) and infer their schema."""
    from toolbox.core.json.infer import MAX_SAMPLES, infer
    from toolbox.core.json.parse import parse_strict

    count = len(request.samples)
    if count == 0:
        raise OpError(ErrorKind.INPUT, "No samples: give at least one JSON document", title="No samples")
    if count > MAX_SAMPLES:
        raise OpError(ErrorKind.TOO_LARGE, f"At most {MAX_SAMPLES:,} samples ({count:,} given)",
                      title="Too many samples")
    values: list[Any] = []
    for index, text in enumerate(request.samples):
        if request.from_ != "json":  # YAML or TOML: read exactly as json/convert reads it
            from toolbox.ops.json_convert import read_document

            try:
                values.append(read_document(text, request.from_, context).value)
            except OpError as err:
                raise OpError(err.kind, f"Sample {index + 1}: {err.message}", title=err.title,
                              sample=index, **err.details) from None
            continue
        try:
            values.append(parse_strict(text, context.settings.json_max_depth))
        except JsonSyntaxError as err:
            located = syntax_error(err)
            raise OpError(ErrorKind.INPUT, f"Sample {index + 1}: {err}", title=f"Sample {index + 1} is not "
                          "valid JSON", sample=index, **located.details) from None
        except JsonTooDeep as err:
            raise OpError(ErrorKind.UNUSABLE, f"Sample {index + 1}: {err}", title="Nested too deeply",
                          sample=index) from None
    inferred = infer(values)
    return InferResult(schema=inferred.schema, notes=list(inferred.notes))
