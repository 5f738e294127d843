"""POST /api/v1/json/format and /api/v1/json/validate (DESIGN.md §3)."""

from __future__ import annotations

from typing import Any

from flask import current_app

from toolbox import settings_of
from toolbox.core.json.format import format_json
from toolbox.core.json.model import FormatOptions, JsonSyntaxError, JsonTooDeep
from toolbox.core.json.validate import UnusableInputError, validate
from toolbox.web.api import ApiBlueprint
from toolbox.web.errors import ProblemError
from toolbox.web.serialize import to_json

json_api_bp = ApiBlueprint("api_json", __name__, tag="json", url_prefix="/api/v1/json")

_TEXT = {"type": "string", "maxLength": 64 * 1024 * 1024,
         "description": "The JSON text (the body size limit applies: TOOLBOX_MAX_BODY_BYTES)."}
_WARNING = {"type": "object", "properties": {
    "id": {"type": "string"}, "message": {"type": "string"}, "line": {"type": ["integer", "null"]},
    "column": {"type": ["integer", "null"]}, "pointer": {"type": ["string", "null"]}}}
_ERROR = {"type": "object", "properties": {
    "instance_path": {"type": "string"}, "schema_path": {"type": "string"},
    "keyword": {"type": "string"}, "message": {"type": "string"},
    "line": {"type": ["integer", "null"]}, "column": {"type": ["integer", "null"]}}}

FORMAT_REQUEST: dict[str, Any] = {
    "type": "object", "required": ["text"], "additionalProperties": False,
    "properties": {
        "text": _TEXT,
        "mode": {"enum": ["pretty", "minify"], "default": "pretty"},
        "indent": {"enum": [2, 4, "tab"], "default": 2},
        "sort_keys": {"type": "boolean", "default": False},
        "ascii": {"type": "boolean", "default": False},
        "lenient": {"type": "boolean", "default": False,
                    "description": "Accept JSON5/JSONC (comments, trailing commas, single quotes) "
                                   "and repair it."},
    },
}
FORMAT_RESPONSE: dict[str, Any] = {"type": "object", "properties": {
    "output": {"type": "string"}, "stats": {"type": "object"},
    "warnings": {"type": "array", "items": _WARNING},
    "repairs": {"type": "array", "items": {"type": "string"}}}}
VALIDATE_REQUEST: dict[str, Any] = {
    "type": "object", "required": ["instance", "schema"], "additionalProperties": False,
    "properties": {
        "instance": _TEXT,
        "schema": _TEXT,
        "dialect": {"enum": ["draft4", "draft6", "draft7", "draft2019-09", "draft2020-12"]},
        "formats": {"type": "boolean", "default": True},
    },
}
VALIDATE_RESPONSE: dict[str, Any] = {"type": "object", "properties": {
    "valid": {"type": "boolean"}, "dialect": {"type": "string"}, "formats_asserted": {"type": "boolean"},
    "errors": {"type": "array", "items": _ERROR}, "best_match": {"oneOf": [_ERROR, {"type": "null"}]},
    "schema_errors": {"type": "array", "items": _ERROR},
    "refused_refs": {"type": "array", "items": {"type": "string"}}}}


def syntax_problem(err: JsonSyntaxError, title: str = "Invalid JSON",
                   which: str | None = None) -> ProblemError:
    """422 problem+json carrying the location of a syntax error."""
    extra: dict[str, Any] = {"line": err.line, "column": err.column, "offset": err.offset,
                             "snippet": err.snippet, "caret": err.caret}
    if which:
        extra["which"] = which
    return ProblemError(422, str(err), extra=extra, title=title)


@json_api_bp.operation("/format", summary="Pretty-print or minify JSON, keeping every number exactly",
                       request_schema=FORMAT_REQUEST, response_schema=FORMAT_RESPONSE)
def format_text(body: dict[str, Any]) -> dict[str, Any]:
    """Format; invalid JSON is a 422 with line, column and offset."""
    options = FormatOptions(mode=body.get("mode", "pretty"), indent=body.get("indent", 2),
                            sort_keys=body.get("sort_keys", False), ascii=body.get("ascii", False),
                            lenient=body.get("lenient", False),
                            max_depth=settings_of(current_app).json_max_depth)
    try:
        result = format_json(body["text"], options)
    except JsonSyntaxError as err:
        raise syntax_problem(err) from None
    except JsonTooDeep as err:
        raise ProblemError(422, str(err), title="Nested too deeply") from None
    return to_json(result)


@json_api_bp.operation("/validate", summary="Validate a JSON document against a JSON Schema",
                       request_schema=VALIDATE_REQUEST, response_schema=VALIDATE_RESPONSE)
def validate_text(body: dict[str, Any]) -> dict[str, Any]:
    """Validate; unparseable instance or schema text is a 422 naming which one."""
    try:
        result = validate(body["instance"], body["schema"], dialect=body.get("dialect"),
                          formats=body.get("formats", True),
                          max_depth=settings_of(current_app).json_max_depth)
    except JsonSyntaxError as err:
        which = getattr(err, "which", None)
        raise syntax_problem(err, f"The {which or 'input'} is not valid JSON", which) from None
    except (UnusableInputError, JsonTooDeep) as err:
        raise ProblemError(422, str(err), title="Cannot validate") from None
    return to_json(result)
