"""A pasted schema, compiled: parsed, checked against its metaschema, refs scanned, engine built.

`CompiledSchema.validate` then parses an instance text, runs the engine (schema_engine), and
locates every error: its instance pointer in the instance text, its keyword in the schema text.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from typing import Any

import referencing.exceptions
from jsonschema.exceptions import ValidationError, best_match  # type: ignore[import-untyped]

from toolbox.core.json.dialects import METASCHEMA_URI, REFERENCE_CLASS, detect_dialect
from toolbox.core.json.locate import line_cols, locate_paths, pointer
from toolbox.core.json.model import DEFAULT_MAX_DEPTH, Dialect, SchemaError, ValidationResult
from toolbox.core.json.schema_engine import Engine
from toolbox.core.json.schema_refs import RefScan, document_uri, fast_retriever, reference_registry, scan_refs
from toolbox.core.json.validate_input import InputTooDeepError, UnusableInputError, parse_strict

MAX_MESSAGE = 1000  # characters; jsonschema puts the whole failing value into some messages
DEFAULT_MAX_ERRORS = 1000  # worded and located (a 5 MB text can hold 10^5 errors)
REFERENCE_MAX_CHARS = 1_000_000  # jsonschema alone runs ~0.5 s/MB: only small instances go there
LINEAR_NOTE = ("Patterns run only in a linear-time regex engine, which has no look-around (?=, ?!, ?<=, ?<!) "
               "and no back-references (\\1, \\k<name>).")
_NOT_VALIDATED = "The instance was not validated because the schema cannot be used as it is."
_NO_REFS = RefScan((), frozenset(), (), False)


@dataclass(frozen=True)
class CompiledSchema:
    """A parsed, checked schema, ready to validate many instances (safe to share across threads)."""

    text: str
    schema: Any
    dialect: Dialect
    formats: bool
    schema_errors: tuple[SchemaError, ...]
    schema_best: SchemaError | None
    refused_refs: tuple[str, ...]
    notes: tuple[str, ...]
    engine: Engine | None
    pointers: Mapping[int, tuple[str | int, ...]]  # id() of each dict/list of `schema` -> its path

    def validate(
        self, instance_text: str, *, max_depth: int = DEFAULT_MAX_DEPTH, max_errors: int = DEFAULT_MAX_ERRORS
    ) -> ValidationResult:
        """Validate one instance text; raises InstanceSyntaxError or UnusableInputError for bad input."""
        instance = parse_strict(instance_text, "instance", max_depth)
        if self.engine is None:
            return ValidationResult(
                valid=False, dialect=self.dialect, formats_asserted=self.formats, errors=(),
                best_match=self.schema_best, schema_errors=self.schema_errors,
                refused_refs=self.refused_refs, notes=(*self.notes, _NOT_VALIDATED),
            )
        notes = list(self.notes)
        if self.engine.fast is None and len(instance_text) > REFERENCE_MAX_CHARS:
            raise UnusableInputError(
                "Only the slower reference validator can use this schema, and it takes instances up to "
                f"{REFERENCE_MAX_CHARS // 1_000_000} MB", "instance",
            )
        try:
            raw, truncated, fast_only = self.engine.iter_errors(instance, max(1, max_errors))
        except RecursionError:  # jsonschema (the fallback) recurses per schema level and per instance level
            if self.engine.fast is None:
                raise InputTooDeepError("The schema nests too deeply to validate with (jsonschema-rs takes "
                                        "about 250 levels, jsonschema fewer)", "schema", max_depth) from None
            raise InputTooDeepError("The instance is nested too deeply for this schema", "instance",
                                    max_depth) from None
        except ArithmeticError:  # reference engine only: Decimal beyond its context (1e400 % 3)
            raise UnusableInputError("The instance holds a number too large to compare with this schema "
                                     "exactly", "instance") from None
        except referencing.exceptions.Unresolvable as exc:  # reference engine only: refs are lazy there
            error = SchemaError("", "", "$ref", _clip(f"Unresolvable reference: {exc}"))
            return ValidationResult(
                valid=False, dialect=self.dialect, formats_asserted=self.formats, errors=(),
                best_match=error, schema_errors=(error,), notes=(*notes, _NOT_VALIDATED), engine="jsonschema",
            )
        if truncated:
            notes.append(f"More than {len(raw)} errors: the first {len(raw)} are listed.")
        if fast_only:
            notes.append(
                "jsonschema-rs reports errors that jsonschema (the reference) accepts at "
                + ", ".join(sorted(set(fast_only))[:10]) + "; they keep jsonschema-rs's wording."
            )
        try:
            best = best_match(raw)
        except TypeError:  # mixed key types in sibling paths: fall back to the first error
            best = raw[0] if raw else None
        everything = [*raw, best] if best is not None else raw
        offsets = locate_paths(instance_text, [tuple(e.absolute_path) for e in everything])
        places = line_cols(instance_text, offsets.values())
        keyword_paths = {id(e): self._keyword_path(e) for e in everything}
        schema_offsets = locate_paths(self.text, [p for p in keyword_paths.values() if p is not None])
        schema_places = line_cols(self.text, schema_offsets.values())

        def convert(error: ValidationError) -> tuple[int, SchemaError]:
            offset = offsets.get(tuple(error.absolute_path), -1)
            line, column = places.get(offset, (None, None))
            kpath = keyword_paths[id(error)]
            soffset = schema_offsets.get(kpath, -1) if kpath is not None else -1
            sline, scolumn = schema_places.get(soffset, (None, None))
            return offset, SchemaError(
                instance_path=pointer(error.absolute_path), schema_path=pointer(error.absolute_schema_path),
                keyword=_keyword(error), message=_clip(error.message), line=line, column=column,
                schema_pointer=pointer(kpath) if kpath is not None else None,
                schema_line=sline, schema_column=scolumn,
            )

        converted = sorted((convert(e) for e in raw), key=_document_order)
        engine = "jsonschema-rs" if self.engine.fast is not None else "jsonschema"
        return ValidationResult(
            valid=not raw, dialect=self.dialect, formats_asserted=self.formats,
            errors=tuple(error for _, error in converted),
            best_match=convert(best)[1] if best is not None else None,
            notes=tuple(notes), engine=engine, errors_truncated=truncated,
        )

    def _keyword_path(self, error: ValidationError) -> tuple[str | int, ...] | None:
        """Where the failing keyword is written in the pasted schema, if it is written there."""
        where = self.pointers.get(id(error.schema)) if isinstance(error.schema, dict) else None
        if where is None or error.validator is None or not isinstance(error.schema, dict):
            return None
        if error.validator not in error.schema:
            return None
        return (*where, str(error.validator))


def compile_uncached(
    text: str, chosen: Dialect | None, formats: bool, max_depth: int, resources: Mapping[str, Any]
) -> CompiledSchema:
    """Parse the schema, check it against its metaschema, scan its references, build the engine."""
    schema = parse_strict(text, "schema", max_depth)
    dialect, note = detect_dialect(schema, chosen)
    notes = [note] if note else []
    if not formats:
        notes.append("Formats were not asserted (format is treated as an annotation).")
    pointers = _pointers(schema) if isinstance(schema, dict | list) else {}
    try:
        meta_errors, _, _ = _meta_engine(dialect).iter_errors(schema, DEFAULT_MAX_ERRORS)  # ample
    except RecursionError:
        raise InputTooDeepError("The schema is nested too deeply to check", "schema", max_depth) from None
    scan = scan_refs(schema, dialect, resources) if isinstance(schema, dict) else _NO_REFS
    errors = [(tuple(e.absolute_path), e) for e in meta_errors]
    best = best_match(meta_errors) if meta_errors else None
    refused = tuple(dict.fromkeys(document_uri(ref.uri) or ref.value for ref in scan.refused))
    engine: Engine | None = None
    # The draft-4 metaschema does not type `$ref`; jsonschema would crash on a number there.
    errors += [(path, ValidationError(f"{path[-1]} must be a string (a URI reference)", validator=path[-1]))
               for path in scan.malformed]
    if not meta_errors and not scan.refused and not scan.malformed:
        engine = Engine(
            schema, dialect, formats=formats, retrieve=fast_retriever(resources),
            registry=reference_registry(resources, METASCHEMA_URI[dialect]),
            trusted_regexes=not scan.has_patterns,
        )
        broken = _unresolvable(engine, scan) if engine.fast is None else []
        if broken:
            errors += broken
            engine = None
        elif engine.fast is None and scan.has_patterns:
            # jsonschema would run the user's regexes with Python's backtracking `re`: not on a server.
            path = tuple(getattr(engine.fast_error, "instance_path", ()) or ())
            message = str(engine.fast_error).split("\n", 1)[0]
            errors.append((path, ValidationError(f"The schema cannot be compiled: {message}"
                                                 + (f". {LINEAR_NOTE}" if "regex" in message else ""),
                                                 validator="schema")))
            engine = None
        elif engine.fast is None:
            notes.append("Validated by jsonschema alone: jsonschema-rs cannot compile this schema ("
                         + str(engine.fast_error).split("\n", 1)[0] + ").")
    refusal_errors = [
        SchemaError(
            instance_path=pointer(ref.path), schema_path="", keyword=ref.keyword,
            message=f"{ref.value!r} refers to {document_uri(ref.uri) or ref.value!r}, outside the pasted "
            "schema; remote references are never fetched. Paste that schema under $defs (with its $id).",
        )
        for ref in scan.refused
    ]
    if scan.refused:
        notes.append("Refused (never fetched): " + ", ".join(refused))
    offsets = locate_paths(text, [path for path, _ in errors] + [ref.path for ref in scan.refused])
    places = line_cols(text, offsets.values())

    def place(path: tuple[str | int, ...]) -> tuple[int | None, int | None]:
        return places.get(offsets.get(path, -1), (None, None))

    located = [
        (offsets.get(path, -1), SchemaError(pointer(path), pointer(e.absolute_schema_path), _keyword(e),
                                            _clip(e.message), *place(path)))
        for path, e in errors
    ]
    for ref, refusal in zip(scan.refused, refusal_errors, strict=True):
        located.append((offsets.get(ref.path, -1), _with_place(refusal, *place(ref.path))))
    located.sort(key=_document_order)
    # The metaschema's structure (allOf of vocabularies) can say the same thing several times.
    unique = {(e.instance_path, e.keyword, e.message): e for _, e in reversed(located)}
    schema_errors = tuple(reversed(unique.values()))
    schema_best = None
    if best is not None:
        schema_best = SchemaError(pointer(best.absolute_path), pointer(best.absolute_schema_path),
                                  _keyword(best), _clip(best.message), *place(tuple(best.absolute_path)))
    elif schema_errors:
        schema_best = schema_errors[0]
    return CompiledSchema(text, schema, dialect, formats, schema_errors, schema_best, refused, tuple(notes),
                          engine, pointers)


def _unresolvable(engine: Engine, scan: RefScan) -> list[tuple[tuple[str | int, ...], ValidationError]]:
    """`$ref`s inside the schema that point at nothing (jsonschema-rs refuses to compile those)."""
    resolver = engine.reference._resolver
    broken = []
    for ref in scan.refs:
        if ref.keyword != "$ref":
            continue
        try:
            resolver.lookup(ref.uri)
        except referencing.exceptions.Unresolvable as exc:
            message = f"Unresolvable reference {ref.value!r}: {type(exc).__name__}"
            broken.append((ref.path, ValidationError(message, validator="$ref")))
    return broken


@cache
def _meta_engine(dialect: Dialect) -> Engine:
    """The engine that checks schemas of `dialect` against its metaschema (formats asserted)."""
    meta = REFERENCE_CLASS[dialect].META_SCHEMA
    return Engine(meta, dialect, formats=True, retrieve=fast_retriever({}),
                  registry=reference_registry({}, METASCHEMA_URI[dialect]), trusted_regexes=True)


def _pointers(schema: Any) -> dict[int, tuple[str | int, ...]]:
    """The path of every dict and list in the schema, by id() (iterative: any depth)."""
    found: dict[int, tuple[str | int, ...]] = {}
    stack: list[tuple[Any, tuple[str | int, ...]]] = [(schema, ())]
    while stack:
        node, where = stack.pop()
        found[id(node)] = where
        if isinstance(node, dict):
            stack.extend((v, (*where, k)) for k, v in node.items() if isinstance(v, dict | list))
        else:
            stack.extend((v, (*where, i)) for i, v in enumerate(node) if isinstance(v, dict | list))
    return found


def _document_order(pair: tuple[int, SchemaError]) -> tuple[bool, int, str]:
    """Sort key: located errors by offset (unlocated last), then by schema path."""
    return pair[0] < 0, pair[0], pair[1].schema_path


def _keyword(error: ValidationError) -> str:
    return "false" if error.validator is None else str(error.validator)


_DECIMAL_REPR = re.compile(r"Decimal\('([-+0-9.eE]+)'\)")


def _clip(message: str) -> str:
    """Shorten a message; show numbers parsed as Decimal (1e400) as the number, not its repr."""
    message = _DECIMAL_REPR.sub(r"\1", message)
    return message if len(message) <= MAX_MESSAGE else message[: MAX_MESSAGE - 1] + "…"


def _with_place(error: SchemaError, line: int | None, column: int | None) -> SchemaError:
    return SchemaError(error.instance_path, error.schema_path, error.keyword, error.message, line, column)
