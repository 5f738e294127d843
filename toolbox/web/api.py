"""The JSON API frame: /api/v1 operations with jsonschema-validated bodies and OpenAPI 3.1."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import wraps
from typing import Any, TypeVar

import msgspec
from flask import Blueprint, Flask, Response, current_app, jsonify, request
from jsonschema import Draft202012Validator  # type: ignore[import-untyped]

from toolbox import ops, settings_of
from toolbox.web import apiauth
from toolbox.web.errors import ProblemError, problem_of
from toolbox.web.ratelimit import count_fetch

MAX_REPORTED_ERRORS = 20
T = TypeVar("T")


@dataclass(frozen=True)
class Operation:
    """One API operation: its path, schemas and the summary shown in the OpenAPI document."""

    path: str
    summary: str
    request_schema: dict[str, Any]
    response_schema: dict[str, Any]
    endpoint: str
    tag: str
    fetches: bool = False
    validator: Draft202012Validator | None = field(repr=False, compare=False, default=None)
    request_type: Any = None  # typed operations (toolbox.ops): schemas come from these types
    response_type: Any = None


class ApiBlueprint(Blueprint):
    """A blueprint under /api/v1 whose POST operations are listed in the OpenAPI document."""

    def __init__(self, name: str, import_name: str, *, tag: str, url_prefix: str) -> None:
        super().__init__(name, import_name, url_prefix=url_prefix)
        self.tag = tag
        self.operations: list[Operation] = []
        self.before_request(apiauth.enforce)

    def operation(
        self,
        path: str,
        *,
        summary: str,
        request_schema: dict[str, Any],
        response_schema: dict[str, Any],
        fetches: bool = False,
    ) -> Callable[[Callable[[dict[str, Any]], Any]], Callable[[], Response]]:
        """Register `view(body) -> dict` as POST `path`; the body is parsed and validated first.

        An operation that always fetches a URL says so with `fetches`: it counts against the fetch
        limit before the view runs. Views that fetch only for some input call count_fetch() in
        the code that fetches (`context.before_fetch()` in an operation) instead.
        """
        Draft202012Validator.check_schema(request_schema)
        validator = Draft202012Validator(request_schema)

        def decorate(view: Callable[[dict[str, Any]], Any]) -> Callable[[], Response]:
            @wraps(view)
            def endpoint() -> Response:
                body = read_json_body(validator)
                if fetches:
                    count_fetch()
                result = view(body)
                return result if isinstance(result, Response) else jsonify(result)

            self.add_url_rule(path, view.__name__, endpoint, methods=["POST"])
            self.operations.append(
                Operation(path, summary, request_schema, response_schema,
                          f"{self.name}.{view.__name__}", self.tag,
                          fetches, validator)
            )
            return endpoint

        return decorate

    def add_operation(self, op: ops.Operation[Any, Any]) -> None:
        """Serve the typed operation `op` as POST /api/v1/<op.name>: body decoded into its request type."""
        path = "/" + op.name.split("/", 1)[1]
        endpoint_name = op.name.replace("/", "_")

        def endpoint() -> Response:
            body = decode_body(op.request)
            context = ops.Context(settings_of(current_app), before_fetch=count_fetch)
            try:
                result = op.run(body, context)
            except ops.OpError as err:
                raise problem_of(err) from None
            return Response(encode_result(result), mimetype="application/json")

        endpoint.__doc__ = op.summary
        self.add_url_rule(path, endpoint_name, endpoint, methods=["POST"])
        self.operations.append(Operation(path, op.summary, {}, {}, f"{self.name}.{endpoint_name}", self.tag,
                                         request_type=op.request, response_type=op.result))


def decode_body(request_type: type[T]) -> T:
    """The JSON body decoded into `request_type`: 415 when not JSON, 400 when malformed, 422 when it
    does not fit the type (with a JSON Pointer, never quoting the submitted value)."""
    if not request.is_json:
        raise ProblemError(415, "Send the body as JSON with Content-Type: application/json.",
                           title="Unsupported Media Type")
    raw = request.get_data(cache=False)  # over the body limit this raises 413, never cuts the body
    try:
        return msgspec.json.decode(raw, type=request_type)
    except msgspec.ValidationError as err:
        pointer, message = describe_mismatch(str(err))
        raise ProblemError(422, f"The request body does not match the schema: {pointer or '/'} {message}.",
                           extra={"errors": [{"pointer": pointer, "message": message}]},
                           title="Invalid request body") from None
    except (msgspec.DecodeError, RecursionError):
        raise ProblemError(400, "The body is not valid JSON.", title="Malformed JSON") from None


_TYPE_WORDS = {"str": "a string", "int": "an integer", "float": "a number", "bool": "a boolean",
               "object": "an object", "array": "an array", "null": "null"}
_AT = re.compile(r" - at `\$(?P<path>[^`]*)`$")
_STEP = re.compile(r"\.([^.\[]+)|\[(\d+)\]")


def describe_mismatch(message: str) -> tuple[str, str]:
    """(JSON Pointer, words) for a msgspec ValidationError, with any submitted value left out."""
    at = _AT.search(message)
    path = at.group("path") if at else ""
    pointer = "".join("/" + (key or index).replace("~", "~0").replace("/", "~1")
                      for key, index in _STEP.findall(path))
    text = message[: at.start()] if at else message
    if text.startswith("Object missing required field"):
        return pointer, "is missing required field " + text.rsplit(" ", 1)[-1].replace("`", "'")
    if text.startswith("Object contains unknown field"):
        return pointer, "has fields this operation does not accept"
    if text.startswith("Invalid enum value"):
        return pointer, "is not one of the allowed values (see the OpenAPI document)"
    if text.startswith("Expected"):
        wanted = text.split(",", 1)[0].removeprefix("Expected ").replace("`", "")
        return pointer, "must be " + " or ".join(_TYPE_WORDS.get(t, t) for t in wanted.split(" | "))
    return pointer, "does not fit the schema"


def encode_result(result: Any) -> bytes:
    """A result as JSON bytes (msgspec, C speed); text with lone surrogates gets escaped instead."""
    try:
        return msgspec.json.encode(result)
    except UnicodeEncodeError:  # pragma: no cover - decoded tokens can hold "\ud800"
        return json.dumps(msgspec.to_builtins(result)).encode()


def read_json_body(validator: Draft202012Validator) -> dict[str, Any]:
    """Parse the request body as JSON and validate it: 415/400 when unreadable, 422 when invalid."""
    if not request.is_json:
        raise ProblemError(415, "Send the body as JSON with Content-Type: application/json.",
                           title="Unsupported Media Type")
    # Over TOOLBOX_MAX_BODY_BYTES, with or without Content-Length, reading raises 413
    # (security.screen_request and security.StreamedBodyLimit): the body is never cut.
    raw = request.get_data(cache=False)
    try:
        body = json.loads(raw, parse_constant=_reject_constant)
    except (UnicodeDecodeError, ValueError) as err:
        # ValueError covers JSONDecodeError and Python's 4300-digit integer limit.
        located = isinstance(err, json.JSONDecodeError)
        where = f" at line {err.lineno}, column {err.colno}" if located else ""  # type: ignore[attr-defined]
        raise ProblemError(400, f"The body is not valid JSON{where}.", title="Malformed JSON") from None
    except RecursionError:
        raise ProblemError(400, "The body is nested too deeply.", title="Malformed JSON") from None
    errors = sorted(validator.iter_errors(body), key=lambda e: list(e.absolute_path))
    if errors:
        listed = [
            {"pointer": _pointer(e.absolute_path), "message": _describe(e)}
            for e in errors[:MAX_REPORTED_ERRORS]
        ]
        first = listed[0]
        raise ProblemError(
            422,
            f"The request body does not match the schema: {first['pointer'] or '/'} {first['message']}.",
            extra={"errors": listed},
            title="Invalid request body",
        )
    assert isinstance(body, dict)  # every request schema has "type": "object"
    return body


def _reject_constant(name: str) -> Any:
    """NaN and Infinity are not JSON (RFC 8259); Python's parser would accept them."""
    raise ValueError(f"{name} is not valid JSON")


def _pointer(path: Any) -> str:
    return "".join("/" + str(part).replace("~", "~0").replace("/", "~1") for part in path)


def _describe(error: Any) -> str:
    """A message about the request shape that never quotes the submitted value."""
    keyword = error.validator
    if keyword == "required":
        missing = [name for name in error.validator_value if name not in (error.instance or {})]
        return f"is missing required field {missing[0]!r}" if missing else "is missing a field"
    if keyword == "additionalProperties":
        return "has fields this operation does not accept"
    if keyword == "type":
        return f"must be of type {error.validator_value}"
    if keyword == "enum":
        return "must be one of " + ", ".join(json.dumps(v) for v in error.validator_value)
    if keyword in ("maxLength", "minLength", "maximum", "minimum", "maxItems", "minItems"):
        return f"violates {keyword} {error.validator_value}"
    return f"fails the '{keyword}' rule"


api_bp = Blueprint("api", __name__, url_prefix="/api")


@api_bp.get("/openapi.json")
def openapi() -> Response:
    """The OpenAPI 3.1 document, built from the same schemas that validate request bodies."""
    return jsonify(build_openapi(current_app))


def build_openapi(app: Flask) -> dict[str, Any]:
    """Collect every ApiBlueprint's operations into an OpenAPI 3.1 document."""
    problem_ref = {"$ref": "#/components/schemas/Problem"}
    paths: dict[str, Any] = {}
    blueprints = [bp for bp in app.blueprints.values() if isinstance(bp, ApiBlueprint)]
    typed = [t for bp in blueprints for op in bp.operations if op.request_type is not None
             for t in (op.request_type, op.response_type)]
    # One schema per type, shared by reference: the request and result types are the contract.
    refs, components = msgspec.json.schema_components(typed, ref_template="#/components/schemas/{name}")
    schema_of = dict(zip(typed, refs, strict=True))
    for bp in blueprints:
        prefix = bp.url_prefix or ""
        for op in bp.operations:
            request_schema = schema_of.get(op.request_type, op.request_schema)
            response_schema = schema_of.get(op.response_type, op.response_schema)
            responses: dict[str, Any] = {
                "200": {"description": "OK", "content": {"application/json": {"schema": response_schema}}},
            }
            for code, text in PROBLEM_RESPONSES.items():
                responses[code] = {"description": text,
                                   "content": {"application/problem+json": {"schema": problem_ref}}}
            paths[prefix + op.path] = {
                "post": {
                    "operationId": op.endpoint.replace(".", "_"),
                    "summary": op.summary,
                    "tags": [op.tag],
                    "requestBody": {"required": True,
                                    "content": {"application/json": {"schema": request_schema}}},
                    "responses": responses,
                }
            }
    document: dict[str, Any] = {
        "openapi": "3.1.0",
        "info": {"title": "Toolbox API", "version": "1",
                 "description": "JWT, JSON and security-header tools. Bodies are JSON; errors are "
                                "RFC 9457 problem+json."},
        "jsonSchemaDialect": "https://json-schema.org/draft/2020-12/schema",
        "paths": paths,
        "components": {"schemas": {**components, "Problem": PROBLEM_SCHEMA}},
    }
    if app.extensions.get("toolbox.api_auth"):
        document["components"]["securitySchemes"] = {
            "bearer": {"type": "http", "scheme": "bearer", "bearerFormat": "JWT"}
        }
        document["security"] = [{"bearer": []}]
    return document


PROBLEM_RESPONSES = {
    "400": "Malformed JSON body",
    "401": "Missing or invalid bearer token (when API authentication is on)",
    "403": "Cross-site request refused",
    "413": "Body larger than TOOLBOX_MAX_BODY_BYTES",
    "415": "Body is not application/json",
    "422": "Body does not match the schema, or its content cannot be processed",
    "429": "Rate limit exceeded (see Retry-After)",
}

PROBLEM_SCHEMA: dict[str, Any] = {
    "type": "object",
    "required": ["type", "title", "status", "detail"],
    "properties": {
        "type": {"type": "string"},
        "title": {"type": "string"},
        "status": {"type": "integer"},
        "detail": {"type": "string"},
        "request_id": {"type": ["string", "null"]},
        "errors": {"type": "array", "items": {"type": "object", "properties": {
            "pointer": {"type": "string"}, "message": {"type": "string"}}}},
        "reason": {"type": "string"},
        "reason_code": {"type": "string", "description": "A stable kebab-case code for `reason`."},
        "kind": {"enum": [kind.value for kind in ops.ErrorKind],
                 "description": "Why the operation gave no result."},
        "which": {"enum": ["instance", "schema"]},
        "line": {"type": "integer"}, "column": {"type": "integer"}, "offset": {"type": "integer"},
        "snippet": {"type": "string"}, "caret": {"type": "string"},
    },
}
