"""A pasted schema, compiled: parsed, checked against its metaschema, refs scanned, engine built.

`CompiledSchema.validate` then parses an instance text, runs the engine (schema_engine), and
locates every error: its instance pointer in the instance text, its keyword in the schema text.
Both checks (the schema against its metaschema, the instance against the schema) are
jsonschema-rs's, worded by it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any, NamedTuple

import jsonschema_rs

from toolbox.core.json.dialects import detect_dialect, metaschema
from toolbox.core.json.locate import line_cols, locate_paths, pointer
from toolbox.core.json.model import DEFAULT_MAX_DEPTH, Dialect, SchemaError, ValidationResult
from toolbox.core.json.schema_engine import (
    Engine,
    EngineError,
    Path,
    best_match,
    document_places,
    keyword_place,
)
from toolbox.core.json.schema_refs import (
    BRANCH_CAP,
    BranchBound,
    RefScan,
    RefUse,
    branch_bound,
    document_uri,
    fast_retriever,
    scan_refs,
)
from toolbox.core.json.validate_input import InputTooDeepError, parse_strict

MAX_MESSAGE = 1000  # characters; some messages hold the whole failing value
DEFAULT_MAX_ERRORS = 1000  # worded and located (a 5 MB text can hold 10^5 errors)
ENGINE_NAME = "jsonschema-rs"
LINEAR_NOTE = ("Patterns run only in a linear-time regex engine, which has no look-around (?=, ?!, ?<=, ?<!) "
               "and no back-references (\\1, \\k<name>).")
_NOT_VALIDATED = "The instance was not validated because the schema cannot be used as it is."
_NO_REFS = RefScan((), frozenset(), (), False)
# Branch explosion (DESIGN §2): jsonschema-rs builds every anyOf/oneOf error with all its branches'
# errors, recursively, even for its first error, and builds all of a keyword's errors before yielding
# one (islice(iter_errors, 1) costs what the whole list costs); `is_valid` walks every branch. The static
# bound `m` (schema_refs.branch_bound: evaluations one instance value can receive, at the instance's
# depth) times the instance's values bounds both, and decides what may be asked before anything runs:
# an error is built in ~25-50 µs, `is_valid` visits a subschema in ~12 ns. Ordinary schemas (m <= 10)
# take the unchanged path.
EXPLAIN_LIMIT = 10_000  # errors jsonschema-rs may build (m x values): ~0.5 s
DECIDE_LIMIT = 30_000_000  # subschema visits `is_valid` may make for one value (~0.4 s)
DECIDE_WORK = 100_000_000  # subschema visits over the whole instance (m x values; ~1.2 s)
ORDINARY = 10  # m up to this: neither the instance's depth nor its size is looked at
EXPLOSION_NOTE = ("This schema nests anyOf/oneOf (or other applicators) so deeply that explaining every "
                  "branch could take exponential time: jsonschema-rs decided validity without building "
                  "the errors, so only that verdict is shown.")
UNDECIDED_NOTE = ("The instance was not validated: this schema nests anyOf/oneOf (or other applicators) so "
                  "deeply that validating it could take exponential time (up to {m} evaluations of "
                  "subschemas per value of the instance). Flatten the alternatives or make them share less.")
_UNEXPLAINED = ("The instance is not valid against the schema (jsonschema-rs's verdict). "
                "The errors are not listed: this schema nests anyOf/oneOf so deeply that explaining every "
                "branch could take exponential time.")


class _Problem(NamedTuple):
    """A problem with the schema itself, before it is located in the schema text."""

    path: Path  # where in the schema
    schema_path: Path  # the metaschema keyword's path, when the metaschema says so
    keyword: str
    message: str


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
    places: Mapping[str, Path]  # schema document URI (as the engine names it) -> its path in `schema`
    bound: BranchBound = BranchBound((1,), True)  # evaluations per instance value, by instance depth

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
        multiplicity, work = self._cost(instance, instance_text)
        if multiplicity > DECIDE_LIMIT or work > DECIDE_WORK:
            return ValidationResult(
                valid=False, dialect=self.dialect, formats_asserted=self.formats, errors=(),
                notes=(*notes, UNDECIDED_NOTE.format(m=_count(multiplicity))),
            )
        if multiplicity > ORDINARY and work > EXPLAIN_LIMIT:
            valid = self.engine.is_valid(instance)
            unexplained = () if valid else (SchemaError(
                instance_path="", schema_path="", keyword="schema", message=_UNEXPLAINED,
                line=1 if instance_text else None, column=1 if instance_text else None,
            ),)
            return ValidationResult(
                valid=valid, dialect=self.dialect, formats_asserted=self.formats, errors=unexplained,
                best_match=unexplained[0] if unexplained else None, notes=(*notes, EXPLOSION_NOTE),
                engine=ENGINE_NAME, errors_truncated=not valid,
            )
        found, truncated = self.engine.iter_errors(instance, max(1, max_errors))
        if truncated:
            notes.append(f"More than {len(found)} errors: the first {len(found)} are listed.")
        offsets = locate_paths(instance_text, [e.instance_path for e in found])
        ordered = sorted(found, key=lambda e: _order(offsets.get(e.instance_path, -1), e.schema_path))
        best = best_match(ordered)
        everything = [*ordered, best] if best is not None else ordered
        if best is not None and best.instance_path not in offsets:  # a branch error of an anyOf/oneOf
            offsets.update(locate_paths(instance_text, [best.instance_path]))
        places = line_cols(instance_text, offsets.values())
        keyword_paths = {id(e): keyword_place(e, self.schema, self.places) for e in everything}
        schema_offsets = locate_paths(self.text, [p for p in keyword_paths.values() if p is not None])
        schema_places = line_cols(self.text, schema_offsets.values())

        def convert(error: EngineError) -> SchemaError:
            line, column = places.get(offsets.get(error.instance_path, -1), (None, None))
            kpath = keyword_paths[id(error)]
            soffset = schema_offsets.get(kpath, -1) if kpath is not None else -1
            sline, scolumn = schema_places.get(soffset, (None, None))
            return SchemaError(
                instance_path=pointer(error.instance_path), schema_path=pointer(error.schema_path),
                keyword=error.keyword, message=_clip(error.message), line=line, column=column,
                schema_pointer=pointer(kpath) if kpath is not None else None,
                schema_line=sline, schema_column=scolumn,
            )

        return ValidationResult(
            valid=not found, dialect=self.dialect, formats_asserted=self.formats,
            errors=tuple(convert(e) for e in ordered),
            best_match=convert(best) if best is not None else None,
            notes=tuple(notes), engine=ENGINE_NAME, errors_truncated=truncated,
        )

    def _cost(self, instance: Any, instance_text: str) -> tuple[int, int]:
        """The bound of evaluations for one value of the instance, and over the whole instance.

        Ordinary schemas: the static bound alone (the instance is not looked at). Otherwise each
        value counts the bound at its depth; the values are walked only when the text's length (each
        value takes at least two characters but the last) does not already show the work small."""
        bound = self.bound
        most = bound.most
        if most <= ORDINARY:
            return most, most
        if not bound.depth_matters and most * (len(instance_text) // 2 + 1) <= EXPLAIN_LIMIT:
            return most, most * (len(instance_text) // 2 + 1)
        by_depth = _values_by_depth(instance)
        work = sum(count * bound.at_depth(depth) for depth, count in enumerate(by_depth))
        return bound.at_depth(len(by_depth) - 1), work


def _values_by_depth(instance: Any) -> list[int]:
    """How many values the instance holds at each depth (iterative: the parser bounds the depth)."""
    counts: list[int] = []
    stack = [(instance, 0)]
    while stack:
        value, depth = stack.pop()
        if depth == len(counts):
            counts.append(0)
        counts[depth] += 1
        if isinstance(value, dict):
            stack.extend((item, depth + 1) for item in value.values())
        elif isinstance(value, list):
            stack.extend((item, depth + 1) for item in value)
    return counts


def _count(multiplicity: int) -> str:
    return "more than 10^12" if multiplicity >= BRANCH_CAP else f"{multiplicity:,}"


def compile_uncached(
    text: str, chosen: Dialect | None, formats: bool, max_depth: int, resources: Mapping[str, Any]
) -> CompiledSchema:
    """Parse the schema, check it against its metaschema, scan its references, build the engine."""
    schema = parse_strict(text, "schema", max_depth)
    dialect, note = detect_dialect(schema, chosen)
    notes = [note] if note else []
    if not formats:
        notes.append("Formats were not asserted (format is treated as an annotation).")
    meta_errors, _ = _meta_engine(dialect).iter_errors(schema, DEFAULT_MAX_ERRORS)  # ample
    scan = scan_refs(schema, dialect, resources) if isinstance(schema, dict) else _NO_REFS
    problems = [_Problem(e.instance_path, e.schema_path, e.keyword, e.message) for e in meta_errors]
    # The draft-4 metaschema does not type `$ref`; a number there is no reference at all.
    problems += [_Problem(path, (), str(path[-1]), f"{path[-1]} must be a string (a URI reference)")
                 for path in scan.malformed]
    refused = tuple(dict.fromkeys(document_uri(ref.uri) or ref.value for ref in scan.refused))
    engine: Engine | None = None
    bound = BranchBound((1,), True)
    if not problems and not scan.refused:
        bound = branch_bound(schema, dialect)
        try:
            engine = Engine(schema, dialect, formats=formats, retrieve=fast_retriever(resources))
        except (ValueError, jsonschema_rs.ReferencingError) as exc:
            if "recursion limit" in str(exc).lower():
                raise InputTooDeepError("The schema nests too deeply to compile (jsonschema-rs takes about "
                                        "250 levels of subschemas)", "schema", max_depth) from None
            problems.append(_compile_problem(exc, scan))
    for ref in scan.refused:
        problems.append(_Problem(
            ref.path, (), ref.keyword,
            f"{ref.value!r} refers to {document_uri(ref.uri) or ref.value!r}, outside the pasted "
            "schema; remote references are never fetched. Paste that schema under $defs (with its $id).",
        ))
    if scan.refused:
        notes.append("Refused (never fetched): " + ", ".join(refused))
    offsets = locate_paths(text, [p.path for p in problems])
    meta_ordered = sorted(meta_errors, key=lambda e: _order(offsets.get(e.instance_path, -1), e.schema_path))
    best = best_match(meta_ordered)
    if best is not None and best.instance_path not in offsets:
        offsets.update(locate_paths(text, [best.instance_path]))
    places = line_cols(text, offsets.values())

    def located(problem: _Problem) -> SchemaError:
        line, column = places.get(offsets.get(problem.path, -1), (None, None))
        return SchemaError(pointer(problem.path), pointer(problem.schema_path), problem.keyword,
                           _clip(problem.message), line, column)

    ordered = sorted(problems, key=lambda p: _order(offsets.get(p.path, -1), p.schema_path))
    # The metaschema's structure (allOf of vocabularies) can say the same thing several times.
    unique = {(e.instance_path, e.keyword, e.message): e for e in map(located, reversed(ordered))}
    schema_errors = tuple(reversed(unique.values()))
    schema_best = None
    if best is not None:
        schema_best = located(_Problem(best.instance_path, best.schema_path, best.keyword, best.message))
    elif schema_errors:
        schema_best = schema_errors[0]
    return CompiledSchema(text, schema, dialect, formats, schema_errors, schema_best, refused, tuple(notes),
                          engine, document_places(scan.resource_paths), bound)


def _compile_problem(exc: Exception, scan: RefScan) -> _Problem:
    """A schema that passes its metaschema but does not compile: an unresolvable `$ref`, a regex
    the linear-time engine refuses. Located at the reference or keyword when the engine says where."""
    message = str(exc).split("\n", 1)[0]
    kind = getattr(getattr(exc, "kind", None), "name", None)
    if isinstance(exc, jsonschema_rs.ReferencingError) or kind in ("$ref", "referencing"):
        ref = _named_ref(message, scan.refs)
        if ref is not None:
            return _Problem(ref.path, (), ref.keyword, f"Unresolvable reference {ref.value!r}: {message}")
        return _Problem((), (), "$ref", f"Unresolvable reference: {message}")
    path = tuple(getattr(exc, "instance_path", ()) or ())
    keyword = str(path[-1]) if path else "schema"
    text = f"The schema cannot be compiled: {message}"
    if scan.has_patterns and "regex" in message:
        text += f". {LINEAR_NOTE}"
    return _Problem(path, (), keyword, text)


def _named_ref(message: str, refs: Sequence[RefUse]) -> RefUse | None:
    """The reference whose fragment (pointer or anchor) or document the engine's message names."""
    for ref in refs:
        document, _, fragment = ref.uri.partition("#")
        names = [name for name in (fragment, document, ref.value) if name]
        if any(f"'{name}'" in message for name in names):
            return ref
    return None


@cache
def _meta_engine(dialect: Dialect) -> Engine:
    """The engine that checks schemas of `dialect` against its metaschema (formats asserted)."""
    return Engine(metaschema(dialect), dialect, formats=True, retrieve=fast_retriever({}))


def _order(offset: int, schema_path: Path) -> tuple[bool, int, str]:
    """Sort key: located errors by offset (unlocated last), then by schema path."""
    return offset < 0, offset, pointer(schema_path)


def _clip(message: str) -> str:
    """Shorten a message that holds a long value."""
    return message if len(message) <= MAX_MESSAGE else message[: MAX_MESSAGE - 1] + "…"
