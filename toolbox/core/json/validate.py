"""Validate a pasted JSON instance against a pasted JSON Schema: every error, located, fast, offline.

Flow: parse both texts strictly; pick the dialect; check the schema against its metaschema
(errors located in the schema text); refuse references that leave the schema (never fetched);
validate with jsonschema-rs, which decides validity and words every error, the same way
whatever the load (schema_engine); locate every error's instance pointer in the instance text
and its keyword in the schema text (schema_compile). Compiled schemas are cached by
(SHA-256 of the text, dialect, formats, max_depth). `jsonschema` is not imported on this path.
"""

from __future__ import annotations

import hashlib
import threading
from collections import OrderedDict
from collections.abc import Mapping
from typing import Any

from toolbox.core.json.model import DEFAULT_MAX_DEPTH, Dialect, ValidationResult
from toolbox.core.json.schema_compile import DEFAULT_MAX_ERRORS, MAX_MESSAGE, CompiledSchema, compile_uncached
from toolbox.core.json.validate_input import (
    InputTooDeepError,
    InstanceSyntaxError,
    SchemaSyntaxError,
    UnknownDialectError,
    UnusableInputError,
)

__all__ = [
    "DEFAULT_MAX_ERRORS", "MAX_MESSAGE", "CompiledSchema", "InputTooDeepError", "InstanceSyntaxError",
    "SchemaSyntaxError", "UnknownDialectError", "UnusableInputError", "compile_schema", "validate",
]

CACHE_SIZE = 32
CACHE_MAX_SCHEMA_CHARS = 2_000_000


def validate(
    instance_text: str,
    schema_text: str,
    *,
    dialect: Dialect | None = None,
    formats: bool = True,
    max_depth: int = DEFAULT_MAX_DEPTH,
    max_errors: int = DEFAULT_MAX_ERRORS,
    resources: Mapping[str, Any] | None = None,
) -> ValidationResult:
    """Validate `instance_text` against `schema_text`; see the module docstring.

    Raises SchemaSyntaxError / InstanceSyntaxError (JsonSyntaxError with `which`),
    UnknownDialectError and InputTooDeepError (UnusableInputError, a ValueError).
    At most `max_errors` errors are listed (`errors_truncated` says when there were more).
    `resources` (tests only) maps URIs to documents that `$ref` may use without fetching.
    """
    compiled = compile_schema(schema_text, dialect=dialect, formats=formats, max_depth=max_depth,
                              resources=resources)
    return compiled.validate(instance_text, max_depth=max_depth, max_errors=max_errors)


_CACHE: OrderedDict[tuple[str, Dialect | None, bool, int], CompiledSchema] = OrderedDict()
_CACHE_LOCK = threading.Lock()


def compile_schema(
    schema_text: str,
    *,
    dialect: Dialect | None = None,
    formats: bool = True,
    max_depth: int = DEFAULT_MAX_DEPTH,
    resources: Mapping[str, Any] | None = None,
) -> CompiledSchema:
    """Parse and check a schema once (cached unless `resources` are given)."""
    if resources is not None:
        return compile_uncached(schema_text, dialect, formats, max_depth, resources)
    digest = hashlib.sha256(schema_text.encode("utf-8", "surrogatepass")).hexdigest()
    key = (digest, dialect, formats, max_depth)
    with _CACHE_LOCK:
        hit = _CACHE.get(key)
        if hit is not None:
            _CACHE.move_to_end(key)
            return hit
    compiled = compile_uncached(schema_text, dialect, formats, max_depth, {})
    if len(schema_text) <= CACHE_MAX_SCHEMA_CHARS:
        with _CACHE_LOCK:
            _CACHE[key] = compiled
            while len(_CACHE) > CACHE_SIZE:
                _CACHE.popitem(last=False)
    return compiled
