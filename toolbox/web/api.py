"""The JSON API frame: every /api/v1 operation generated from a typed operation, and OpenAPI 3.1."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import cache
from itertools import islice
from typing import Any, TypeVar

import jsonschema_rs
import msgspec
from flask import Blueprint, Flask, Response, current_app, jsonify, request

from toolbox import ops, settings_of
from toolbox.web import apiauth
from toolbox.web.errors import ProblemError, problem_of
from toolbox.web.ratelimit import count_fetch

MAX_REPORTED_ERRORS = 20
T = TypeVar("T")


@dataclass(frozen=True)
class Operation:
    """One served operation: its path and endpoint, and the typed operation it runs."""

    path: str
    endpoint: str
    tag: str
    op: ops.Operation[Any, Any]


class ApiBlueprint(Blueprint):
    """A blueprint under /api/v1 whose POST operations are listed in the OpenAPI document."""

    def __init__(self, name: str, import_name: str, *, tag: str, url_prefix: str) -> None:
        super().__init__(name, import_name, url_prefix=url_prefix)
        self.tag = tag
        self.operations: list[Operation] = []
        self.before_request(apiauth.enforce)

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
        self.operations.append(Operation(path, f"{self.name}.{endpoint_name}", self.tag, op))


def decode_body(request_type: type[T]) -> T:
    """The JSON body decoded into `request_type`: 415 when not JSON, 400 when malformed, 422 when it
    does not fit the type, listing every mismatch with a JSON Pointer and never the submitted value."""
    if not request.is_json:
        raise ProblemError(415, "Send the body as JSON with Content-Type: application/json.",
                           title="Unsupported Media Type")
    raw = request.get_data(cache=False)  # over the body limit this raises 413, never cuts the body
    try:
        return msgspec.json.decode(raw, type=request_type)
    except msgspec.ValidationError as err:
        listed = mismatches(request_type, raw, str(err))
        first = listed[0]
        raise ProblemError(
            422, f"The request body does not match the schema: {first['pointer'] or '/'} {first['message']}.",
            extra={"errors": listed}, title="Invalid request body") from None
    except (msgspec.DecodeError, UnicodeDecodeError) as err:
        raise ProblemError(400, f"The body is not valid JSON{_where(raw, err)}.",
                           title="Malformed JSON") from None


def mismatches(request_type: Any, raw: bytes, first: str) -> list[dict[str, str]]:
    """Every way the body misses the request type's generated schema (at most MAX_REPORTED_ERRORS);
    `first` is msgspec's own message, used when the body cannot be read as plain values."""
    try:
        body = msgspec.json.decode(raw)
    except (msgspec.DecodeError, ValueError, RecursionError):  # deeper or longer than Python values go
        at = _AT.search(first)
        where = _pointer(_STEP.findall(at.group(1)) if at else ())
        return [{"pointer": where, "message": "does not fit the type"}]
    found = [{"pointer": _pointer(e.instance_path), "message": _words(e.kind.name, e.kind.as_dict())}
             for e in islice(_schema_validator(request_type).iter_errors(body), MAX_REPORTED_ERRORS)]
    return sorted(found, key=lambda e: e["pointer"]) or [{"pointer": "", "message": "does not fit the type"}]


_AT = re.compile(r" - at `\$([^`]*)`$")
_STEP = re.compile(r"\.([^.\[]+)|\[(\d+)\]")


@cache
def _schema_validator(request_type: Any) -> Any:
    """jsonschema-rs over the schema msgspec generates from the type: the same contract, all errors."""
    (schema,), components = msgspec.json.schema_components([request_type], ref_template="#/$defs/{name}")
    return jsonschema_rs.validator_for({**schema, "$defs": components})


def _words(keyword: str, facts: dict[str, Any]) -> str:
    """What a mismatch means, from the schema's side only (the submitted value is never quoted)."""
    if keyword == "required":
        return f"is missing required field {facts.get('property')!r}"
    if keyword == "additionalProperties":
        return "has fields this operation does not accept"
    if keyword == "type":
        return "must be of type " + " or ".join(facts.get("types", ()))
    if keyword == "enum":
        return "must be one of " + ", ".join(json.dumps(option) for option in facts.get("options", ()))
    if "limit" in facts:
        return f"violates {keyword} {facts['limit']}"
    if keyword in ("anyOf", "oneOf"):
        return "matches none of the forms this field takes"
    return f"fails the '{keyword}' rule"


def _pointer(path: Any) -> str:
    """A JSON Pointer from path parts (or msgspec's (key, index) pairs)."""
    parts = [next(filter(None, part)) if isinstance(part, tuple) else part for part in path]
    return "".join("/" + str(part).replace("~", "~0").replace("/", "~1") for part in parts)


_BYTE = re.compile(r"\(byte (\d+)\)")


def _where(raw: bytes, err: Exception) -> str:
    """" at line L, column C" of a malformed body: where msgspec stopped, or the end when truncated."""
    if isinstance(err, UnicodeDecodeError):
        return f" (not UTF-8 at byte {err.start})"
    found = _BYTE.search(str(err))
    stop = int(found.group(1)) if found else len(raw) if "truncated" in str(err) else -1
    if stop < 0:
        return ""
    before = raw[:stop]
    line = before.count(b"\n") + 1
    column = len(before[before.rfind(b"\n") + 1:].decode("utf-8", "replace")) + 1
    return f" at line {line}, column {column}"


def encode_result(result: Any) -> bytes:
    """A result as JSON bytes (msgspec, C speed); text with lone surrogates gets escaped instead."""
    try:
        return msgspec.json.encode(result)
    except UnicodeEncodeError:  # pragma: no cover - decoded tokens can hold "\ud800"
        return json.dumps(msgspec.to_builtins(result)).encode()


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
    typed = [t for bp in blueprints for served in bp.operations
             for t in (served.op.request, served.op.result)]
    # One schema per type, shared by reference: the request and result types are the contract.
    refs, components = msgspec.json.schema_components(typed, ref_template="#/components/schemas/{name}")
    schema_of = dict(zip(typed, refs, strict=True))
    for bp in blueprints:
        prefix = bp.url_prefix or ""
        for op in bp.operations:
            request_schema = schema_of[op.op.request]
            response_schema = schema_of[op.op.result]
            responses: dict[str, Any] = {
                "200": {"description": "OK", "content": {"application/json": {"schema": response_schema}}},
            }
            for code, text in PROBLEM_RESPONSES.items():
                responses[code] = {"description": text,
                                   "content": {"application/problem+json": {"schema": problem_ref}}}
            paths[prefix + op.path] = {
                "post": {
                    "operationId": op.endpoint.replace(".", "_"),
                    "summary": op.op.summary,
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
