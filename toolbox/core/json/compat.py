"""Schema compatibility: what changed between an old and a new JSON Schema, and whom it breaks.

Both schemas are compiled by the validator (metaschema checked, remote `$ref`s refused, never
fetched). Then both are walked in parallel, by the instance location their subschemas apply to
(`properties/x` with `properties/x`, `items` with `items`, `allOf/i` with `allOf/i`, local `$ref`s
followed, each pair of locations once: cycles end there). Each difference that can change which
documents validate is a change, classified in two directions:

- request (documents a producer sends, validated by the new schema): breaking when the new
  schema rejects a document the old one accepted (a narrowing); the example is such a document.
- response (documents a consumer written against the old schema reads): breaking when the new
  schema accepts a document the old one rejected (a widening); the example is such a document.

A direction is "breaking" only with an example that the validator confirmed (accepted by one
schema, rejected by the other, each checked with jsonschema-rs); a change that can narrow (or
widen) but for which no example was confirmed is "unknown" (review it by hand), and so is a
change in a construct this does not analyse (oneOf, not, if/then/else, patternProperties, ...).
"compatible" is a promise: the change cannot narrow (or widen) the documents accepted.
"""

from __future__ import annotations

import functools
import re
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field, replace
from decimal import Decimal
from typing import Any, Literal

import msgspec

from toolbox.core.json.compat_values import (
    ANNOTATIONS,
    FORMAT_SAMPLES,
    MAX_LENGTH,
    MAX_SAMPLE_DEPTH,
    POOL,
    STRINGS,
    TYPES,
    Bounds,
    canon,
    lengths_near,
    node_types,
    number,
    numbers_near,
    pattern_sample,
    plain,
    type_ok,
)
from toolbox.core.json.locate import parse_pointer, pointer, pointer_token
from toolbox.core.json.model import DEFAULT_MAX_DEPTH, Dialect, SchemaError
from toolbox.core.json.schema_compile import ORDINARY, CompiledSchema
from toolbox.core.json.validate import compile_schema
from toolbox.core.json.validate_input import parse_strict

Direction = Literal["request", "response"]
Verdict = Literal["breaking", "compatible", "unknown"]
DIRECTIONS: tuple[Direction, ...] = ("request", "response")
MAX_PAIRS = 20_000  # pairs of subschema locations compared
MAX_CHANGES = 1_000
MAX_WALK_DEPTH = 64  # nested subschemas walked (deeper: a note)
MAX_CHECKS = 4_000  # documents validated while looking for examples (two schemas each)
TRIES = 24  # candidate examples per change and direction
MAX_REF_HOPS = 64
SAMPLE_BUDGET = 20_000  # subschemas visited to write candidate values
SAME_BUDGET = 500_000  # values visited to tell whether two subschemas are the same text
EXAMPLE_SECONDS = 10.0  # looking for examples stops after this (the changes left say "no example found")
SLOW_CHECKS = 200  # documents validated for a schema outside the ordinary branch bound
# Keywords that assert or apply subschemas in ways this does not analyse: any difference is "unknown".
OPAQUE = ("oneOf", "not", "if", "then", "else", "dependentSchemas", "dependentRequired", "dependencies",
          "unevaluatedProperties", "unevaluatedItems", "contains", "minContains", "maxContains",
          "propertyNames", "patternProperties", "$dynamicRef", "$recursiveRef", "contentEncoding",
          "contentMediaType", "contentSchema")
LENGTHS = (("minLength", "maxLength", "string"), ("minItems", "maxItems", "array"),
           ("minProperties", "maxProperties", "object"))
_EXACT = msgspec.json.Encoder(decimal_format="number")
_INDEX = re.compile(r"0|[1-9][0-9]{0,8}")
NO_EXAMPLE = "no example found"
Loc = tuple[str | int, ...]


class CompatSchemaError(ValueError):
    """A schema that cannot be compared: `which` (old/new) and its first located error."""

    def __init__(self, which: str, error: SchemaError, count: int) -> None:
        super().__init__(error.message)
        self.which = which
        self.error = error
        self.count = count


@dataclass(frozen=True)
class Entry:
    """One change in one direction."""

    change: int  # the change's number (its two directions share it)
    kind: str
    direction: Direction
    verdict: Verdict
    path: str  # the instance location (JSON Pointer; `*` any array element or any other member)
    old_pointer: str | None  # where in the old schema (None: absent there)
    new_pointer: str | None
    message: str
    example: Any = None
    has_example: bool = False
    note: str = ""


@dataclass(frozen=True)
class Comparison:
    """Every change in both directions, each direction's verdict, and notes."""

    entries: tuple[Entry, ...]
    verdicts: dict[Direction, Verdict]
    notes: tuple[str, ...]
    checks: int = 0  # documents validated to find and confirm examples


@dataclass(frozen=True)
class _Step:
    segment: tuple[str, Any] | None  # None: the same instance value (an in-place applicator)
    old: Any
    new: Any


@dataclass
class _Change:
    kind: str
    old_loc: Loc | None
    new_loc: Loc | None
    path: str
    message: str
    narrows: str  # "no" | "yes" | "maybe"
    widens: str
    request: Callable[[], Iterable[Any]] = field(default=lambda: ())  # witnesses the old accepts
    response: Callable[[], Iterable[Any]] = field(default=lambda: ())  # witnesses the new accepts
    steps: tuple[_Step, ...] = ()
    member: bool = False  # a member added or removed: its object reports the error
    family: str | None = None  # the keyword applies only to values of this type ("number", "string", ...)


class _Side:
    """One schema: its document, dialect and compiled validator; local `$ref` resolution."""

    def __init__(self, compiled: CompiledSchema, max_depth: int) -> None:
        self.compiled = compiled
        self.root = compiled.schema
        self.dialect: Dialect = compiled.dialect
        self.legacy = self.dialect in ("draft4", "draft6", "draft7")
        self.max_depth = max_depth
        self.anchors: dict[str, Loc] = {}
        self._collect_anchors(self.root, ())

    def _collect_anchors(self, node: Any, loc: Loc) -> None:
        stack = [(node, loc)]
        while stack:
            current, here = stack.pop()
            if isinstance(current, dict):
                for key in ("$anchor", "$dynamicAnchor"):
                    if isinstance(current.get(key), str):
                        self.anchors.setdefault(current[key], here)
                ident = current.get("id" if self.dialect == "draft4" else "$id")
                if isinstance(ident, str) and ident.startswith("#") and len(ident) > 1:
                    self.anchors.setdefault(ident[1:], here)
                stack.extend((v, (*here, k)) for k, v in current.items() if isinstance(v, dict | list))
            elif isinstance(current, list):
                stack.extend((v, (*here, i)) for i, v in enumerate(current) if isinstance(v, dict | list))

    def resolve(self, ref: str) -> tuple[Any, Loc] | None:
        """A local reference's target and location (None: not local or not found)."""
        if ref == "#":
            return self.root, ()
        if ref.startswith("#/"):
            from urllib.parse import unquote

            node: Any = self.root
            loc: list[str | int] = []
            for token in parse_pointer(unquote(ref[1:])):
                if isinstance(node, dict) and token in node:
                    node = node[token]
                    loc.append(token)
                elif isinstance(node, list) and _INDEX.fullmatch(token) and int(token) < len(node):
                    node = node[int(token)]
                    loc.append(int(token))
                else:
                    return None
            return node, tuple(loc)
        if ref.startswith("#") and ref[1:] in self.anchors:
            loc2 = self.anchors[ref[1:]]
            return self.at(loc2), loc2
        return None

    def at(self, loc: Loc) -> Any:
        node: Any = self.root
        for token in loc:
            node = node[token]
        return node

    def effective(self, node: Any, loc: Loc) -> tuple[Any, Loc, bool]:
        """Follow `$ref`s that stand alone (or, in draft 4-7, hide their siblings).

        Returns the node, its location and whether it is resolved (False: a cycle of bare `$ref`s
        or an unresolvable one; the node is then compared as it is written)."""
        seen = set()
        for _ in range(MAX_REF_HOPS):
            if not (isinstance(node, dict) and isinstance(node.get("$ref"), str)):
                return node, loc, True
            if not self.legacy and any(k not in ANNOTATIONS and k != "$ref" for k in node):
                return node, loc, True
            if loc in seen:
                return node, loc, False
            seen.add(loc)
            target = self.resolve(node["$ref"])
            if target is None:
                return node, loc, False
            node, loc = target
        return node, loc, False

    def check(self, value: Any) -> tuple[bool | None, tuple[str, ...]]:
        """Our validator's verdict on a document (None: it could not decide) and its errors' places."""
        text = _EXACT.encode(value).decode()
        engine = self.compiled.engine
        try:
            if engine is not None and self.compiled.bound.most <= ORDINARY:
                # An ordinary schema (no branch explosion): jsonschema-rs's errors, not located in the texts.
                instance = parse_strict(text, "instance", self.max_depth)
                errors, _ = engine.iter_errors(instance, 50)
                return not errors, tuple(pointer(e.instance_path) for e in errors)
            result = self.compiled.validate(text, max_depth=self.max_depth, max_errors=50)
        except ValueError:
            return None, ()
        if not result.valid and not result.errors:
            return None, ()
        return result.valid, tuple(e.instance_path for e in result.errors)


def compile_side(text: str, which: str, *, formats: bool = True,
                 max_depth: int = DEFAULT_MAX_DEPTH) -> CompiledSchema:
    """One schema text compiled by the validator; CompatSchemaError when it cannot be used.

    The validator's SchemaSyntaxError and UnusableInputError pass through (the caller names `which`).
    """
    compiled = compile_schema(text, formats=formats, max_depth=max_depth)
    if compiled.schema_errors or compiled.engine is None:
        best = compiled.schema_best or (compiled.schema_errors[0] if compiled.schema_errors else
                                        SchemaError("", "", "schema", "The schema cannot be used"))
        raise CompatSchemaError(which, best, len(compiled.schema_errors))
    return compiled


def compare(old: CompiledSchema, new: CompiledSchema, *, formats: bool = True,
            max_depth: int = DEFAULT_MAX_DEPTH) -> Comparison:
    """Compare two compiled schemas (see the module docstring); `compile_side` makes them."""
    return _Walker(_Side(old, max_depth), _Side(new, max_depth), formats).run()


def compare_texts(old_text: str, new_text: str, *, formats: bool = True,
                  max_depth: int = DEFAULT_MAX_DEPTH) -> Comparison:
    """Compile both texts and compare them (for the CLI's and the tests' convenience)."""
    return compare(compile_side(old_text, "old", formats=formats, max_depth=max_depth),
                   compile_side(new_text, "new", formats=formats, max_depth=max_depth),
                   formats=formats, max_depth=max_depth)


def _dict(node: dict[str, Any], key: str) -> dict[str, Any]:
    value = node.get(key)
    return value if isinstance(value, dict) else {}


def _list(node: dict[str, Any], key: str) -> list[Any]:
    value = node.get(key)
    return value if isinstance(value, list) else []


def _count(node: dict[str, Any], key: str, default: int = 0) -> int:
    value = node.get(key)
    return value if isinstance(value, int) and not isinstance(value, bool) else default


_VALUES = frozenset({"const", "enum", "default", "examples"})  # instance values, not subschemas


def _unanalysed(side: _Side) -> str:
    """Why a schema's changes cannot be called compatible (or ""): keywords whose meaning depends on
    what the rest evaluated or on the dynamic scope, or embedded resources (their own `#` base)."""
    id_key = "id" if side.dialect == "draft4" else "$id"
    stack: list[tuple[Any, bool]] = [(side.root, True)]
    while stack:
        node, root = stack.pop()
        if isinstance(node, dict):
            for keyword in ("unevaluatedProperties", "unevaluatedItems", "$dynamicRef", "$recursiveRef"):
                if keyword in node:
                    return f"one of them uses {keyword}, whose meaning depends on the rest of the schema"
            ident = node.get(id_key)
            if not root and isinstance(ident, str) and not ident.startswith("#"):
                return "one of them embeds a schema with its own $id (references inside it are not followed)"
            stack.extend((value, False) for key, value in node.items()
                         if isinstance(value, dict | list) and key not in _VALUES)
        elif isinstance(node, list):
            stack.extend((value, False) for value in node if isinstance(value, dict | list))
    return ""


def _takes(node: Any, family: str) -> bool:
    """Whether a subschema can accept values of a type family ("number" takes integers)."""
    if not isinstance(node, dict):
        return node is not False
    types = node_types(node)
    if types is not None and not (family in types or (family == "number" and "integer" in types)):
        return False
    for keyword in ("const", "enum"):
        if keyword in node:
            values = [node[keyword]] if keyword == "const" else node[keyword]
            if isinstance(values, list) and not any(type_ok(v, frozenset({family})) for v in values):
                return False
    return True


def _is_true(node: Any) -> bool:
    return node is True or (isinstance(node, dict) and all(k in ANNOTATIONS for k in node))


def _shown(value: Any) -> str:
    text = _EXACT.encode(value).decode()
    return text if len(text) <= 60 else text[:59] + "…"


class _Walker:
    def __init__(self, old: _Side, new: _Side, formats: bool) -> None:
        self.old, self.new, self.formats = old, new, formats
        self.changes: list[_Change] = []
        self.seen: set[tuple[Loc, Loc]] = set()
        self.notes: list[str] = []
        self.checks = 0
        self.pairs = 0
        self.truncated = False
        self.deep = False
        self.memo: dict[tuple[int, int, frozenset[str] | None, int], list[Any]] = {}
        self.pick = 0  # which candidate fills the places around an example (0: the first, 1: the second)
        self.budget = SAMPLE_BUDGET
        self.max_checks = MAX_CHECKS
        self.same_budget = SAME_BUDGET
        self.same_cache: dict[tuple[Loc, Loc], bool] = {}
        self.same_active: set[tuple[Loc, Loc]] = set()
        self.deadline = time.monotonic() + EXAMPLE_SECONDS

    # --- the walk ------------------------------------------------------------------------------------

    def run(self) -> Comparison:
        if self.old.dialect != self.new.dialect:
            self.notes.append(f"The old schema is {self.old.dialect}, the new one {self.new.dialect}: "
                              "each is read in its own dialect.")
        root = (_Step(None, self.old.root, self.new.root),)
        self.walk(self.old.root, (), self.new.root, (), root, "", None)
        if self.truncated:
            self.notes.append(f"Stopped after {MAX_CHANGES:,} changes or {MAX_PAIRS:,} compared subschemas: "
                              "the rest was not compared (verdicts cover what was).")
        if self.deep:
            self.notes.append(f"Subschemas nested deeper than {MAX_WALK_DEPTH} levels were not compared.")
        unsure = _unanalysed(self.old) or _unanalysed(self.new)
        if unsure and canon(self.old.root) == canon(self.new.root):
            unsure = ""  # the same text: nothing changed, whatever it uses
        if unsure:
            self.notes.append(f"Both schemas are compared, but {unsure}: no change is called compatible.")
        entries = self.classify(bool(unsure))
        verdicts: dict[Direction, Verdict] = {}
        for direction in DIRECTIONS:
            mine = [e.verdict for e in entries if e.direction == direction]
            verdicts[direction] = ("breaking" if "breaking" in mine else "unknown" if "unknown" in mine
                                   or self.truncated or self.deep or unsure else "compatible")
        return Comparison(tuple(entries), verdicts, tuple(self.notes), self.checks)

    def add(self, change: _Change) -> None:
        if change.family is not None and change.steps:
            # A string keyword cannot narrow what the old schema accepts if it accepts no strings (and
            # cannot widen what the new one accepts if that accepts none).
            if not _takes(change.steps[-1].old, change.family):
                change.narrows = "no"
            if not _takes(change.steps[-1].new, change.family):
                change.widens = "no"
            if change.narrows == "no" and change.widens == "no":
                return
        if len(self.changes) >= MAX_CHANGES:
            self.truncated = True
            return
        self.changes.append(change)

    def walk(self, o: Any, ol: Loc, n: Any, nl: Loc, steps: tuple[_Step, ...], path: str,
             label: str | None) -> None:
        """Compare two subschemas that apply to the same instance location."""
        o, ol, o_ok = self.old.effective(o, ol)
        n, nl, n_ok = self.new.effective(n, nl)
        if (ol, nl) in self.seen:
            return
        self.seen.add((ol, nl))
        self.pairs += 1
        if self.pairs > MAX_PAIRS or len(self.changes) >= MAX_CHANGES:
            self.truncated = True
            return
        if len(steps) > MAX_WALK_DEPTH:
            self.deep = True
            return
        steps = (*steps[:-1], _Step(steps[-1].segment, o, n))
        if not (o_ok and n_ok):
            if not self.same(o, ol, n, nl):
                self.opaque("$ref", o, ol, n, nl, steps, path)
            return
        if o is False or n is False or _is_true(o) or _is_true(n):
            if label is not None or o is False or n is False or (_is_true(o) and _is_true(n)):
                self.booleans(o, ol, n, nl, steps, path, label)
                return
            o, n = ({} if o is True else o), ({} if n is True else n)
        if isinstance(o, dict) and isinstance(n, dict):
            self.keywords(o, ol, n, nl, steps, path)

    def booleans(self, o: Any, ol: Loc, n: Any, nl: Loc, steps: tuple[_Step, ...], path: str,
                 label: str | None) -> None:
        names = {"property": ("property-removed", "property-added"),
                 "additionalProperties": ("additionalProperties-closed", "additionalProperties-opened"),
                 "items": ("items-closed", "items-opened")}.get(label or "", ("now-forbidden", "now-allowed"))
        if o is False and n is False:
            return
        if n is False:
            what = "no longer allowed" if label != "property" else "property removed (no longer allowed)"
            self.add(_Change(names[0], ol, nl, path, what, "yes", "no",
                             request=lambda: self.values(self.old, o, 0), steps=steps,
                             member=label is not None))
            return
        if o is False:
            what = "now allowed" if label != "property" else "property added (not allowed before)"
            self.add(_Change(names[1], ol, nl, path, what, "no", "yes",
                             response=lambda: self.values(self.new, n, 0), steps=steps,
                             member=label is not None))
            return
        if (_is_true(o) and _is_true(n)) or label is None:
            return
        if _is_true(o):
            kind = "property-added" if label == "property" else f"{label}-constrained"
            self.add(_Change(kind, ol, nl, path, "anything was accepted, now only "
                             "what the new subschema allows", "maybe", "no", request=lambda: POOL,
                             steps=steps, member=True))
        else:
            kind = "property-removed" if label == "property" else f"{label}-unconstrained"
            self.add(_Change(kind, ol, nl, path, "its subschema was removed, anything "
                             "is accepted", "no", "maybe", response=lambda: POOL, steps=steps, member=True))

    def keywords(self, o: dict[str, Any], ol: Loc, n: dict[str, Any], nl: Loc, steps: tuple[_Step, ...],
                 path: str) -> None:
        self.types(o, ol, n, nl, steps, path)
        self.enums(o, ol, n, nl, steps, path)
        self.bounds(o, ol, n, nl, steps, path)
        self.lengths(o, ol, n, nl, steps, path)
        self.strings(o, ol, n, nl, steps, path)
        self.required(o, ol, n, nl, steps, path)
        self.unique(o, ol, n, nl, steps, path)
        for keyword in OPAQUE:
            ov, nv = o.get(keyword), n.get(keyword)
            if (ov is not None or nv is not None) and not self.same(ov, (*ol, keyword), nv, (*nl, keyword)):
                self.opaque(keyword, o, (*ol, keyword) if ov is not None else ol, n,
                            (*nl, keyword) if nv is not None else nl, steps, path)
        self.objects(o, ol, n, nl, steps, path)
        self.arrays(o, ol, n, nl, steps, path)
        self.combinators(o, ol, n, nl, steps, path)

    # --- keywords ------------------------------------------------------------------------------------

    def types(self, o: dict[str, Any], ol: Loc, n: dict[str, Any], nl: Loc, steps: tuple[_Step, ...],
              path: str) -> None:
        ot, nt = node_types(o), node_types(n)
        if ot == nt:
            return
        old_set = set(ot) if ot is not None else set(TYPES)
        new_set = set(nt) if nt is not None else set(TYPES)

        def covered(kind: str, within: set[str]) -> bool:
            return kind in within or (kind == "integer" and "number" in within)

        removed = sorted(t for t in old_set if not covered(t, new_set))
        added = sorted(t for t in new_set if not covered(t, old_set))
        if removed:
            words = ", ".join("non-integer numbers" if t == "number" and "integer" in new_set else t
                              for t in removed)
            self.add(_Change("type-narrowed", self.kw(ol, o, "type"), self.kw(nl, n, "type"), path,
                             f"{words} no longer accepted", "yes", "no",
                             request=lambda: self.values(self.old, o, 0, want=frozenset(removed)),
                             steps=steps))
        if added:
            words = ", ".join("non-integer numbers" if t == "number" and "integer" in old_set else t
                              for t in added)
            self.add(_Change("type-widened", self.kw(ol, o, "type"), self.kw(nl, n, "type"), path,
                             f"{words} now accepted", "no", "yes",
                             response=lambda: self.values(self.new, n, 0, want=frozenset(added)),
                             steps=steps))

    def kw(self, loc: Loc, node: dict[str, Any], keyword: str) -> Loc:
        return (*loc, keyword) if keyword in node else loc

    def enums(self, o: dict[str, Any], ol: Loc, n: dict[str, Any], nl: Loc, steps: tuple[_Step, ...],
              path: str) -> None:
        for keyword in ("enum", "const"):
            ov = o.get(keyword) if keyword in o else None
            nv = n.get(keyword) if keyword in n else None
            olk, nlk = self.kw(ol, o, keyword), self.kw(nl, n, keyword)
            if keyword == "const":
                if keyword not in o and keyword not in n:
                    continue
                if keyword in o and keyword in n and canon(ov) == canon(nv):
                    continue
                if keyword not in o:
                    self.add(_Change("const-added", olk, nlk, path, f"must now be "
                                     f"{_shown(nv)}", "yes", "no",
                                     request=lambda: self.values(self.old, o, 0), steps=steps))
                elif keyword not in n:
                    self.add(_Change("const-removed", olk, nlk, path, f"no longer has "
                                     f"to be {_shown(ov)}", "no", "yes",
                                     response=lambda: self.values(self.new, n, 0), steps=steps))
                else:
                    self.add(_Change("const-changed", olk, nlk, path, f"must be "
                                     f"{_shown(nv)} instead of {_shown(ov)}", "yes", "yes",
                                     request=lambda ov=ov: [ov], response=lambda nv=nv: [nv],  # type: ignore[misc]
                                     steps=steps))
                continue
            if not isinstance(ov, list) and not isinstance(nv, list):
                continue
            if isinstance(ov, list) and isinstance(nv, list):
                old_keys = {canon(v): v for v in ov}
                new_keys = {canon(v): v for v in nv}
                gone = [v for k, v in old_keys.items() if k not in new_keys]
                came = [v for k, v in new_keys.items() if k not in old_keys]
                if gone:
                    self.add(_Change("enum-value-removed", olk, nlk, path,
                                     f"{self.listing(gone)} no longer accepted",
                                     "yes", "no",
                                     request=lambda gone=gone: gone, steps=steps))  # type: ignore[misc]
                if came:
                    self.add(_Change("enum-value-added", olk, nlk, path,
                                     f"{self.listing(came)} now accepted", "no", "yes",
                                     response=lambda came=came: came, steps=steps))  # type: ignore[misc]
            elif isinstance(nv, list):
                values = nv
                self.add(_Change("enum-added", olk, nlk, path, f"must now be one of "
                                 f"{self.listing(values)}", "yes", "no",
                                 request=lambda: self.values(self.old, o, 0), steps=steps))
            else:
                self.add(_Change("enum-removed", olk, nlk, path, f"is no longer limited "
                                 f"to {self.listing(ov if isinstance(ov, list) else [])}", "no", "yes",
                                 response=lambda: self.values(self.new, n, 0), steps=steps))

    def listing(self, values: list[Any]) -> str:
        shown = ", ".join(_shown(v) for v in values[:5])
        return shown + (f" and {len(values) - 5:,} more" if len(values) > 5 else "")

    def bounds(self, o: dict[str, Any], ol: Loc, n: dict[str, Any], nl: Loc, steps: tuple[_Step, ...],
               path: str) -> None:
        ob, nb = Bounds(o), Bounds(n)
        integer_old = node_types(o) == frozenset({"integer"})
        integer_new = node_types(n) == frozenset({"integer"})

        def pool(accepting: Bounds, integer: bool, rejecting: Bounds) -> Callable[[], list[Any]]:
            def make() -> list[Any]:
                return [plain(x) for x in numbers_near(ob, nb)
                        if accepting.accepts(x, integer) and not rejecting.accepts(x)]
            return make

        def where_kw(loc: Loc, node: dict[str, Any], names: tuple[str, ...]) -> Loc:
            for name in names:
                if name in node:
                    return (*loc, name)
            return loc

        def shown(bound: Decimal | None, exclusive: bool, sign: str) -> str:
            return "none" if bound is None else f"{sign}{'' if exclusive else '='} {bound}"

        for side, names in (("minimum", ("minimum", "exclusiveMinimum")),
                            ("maximum", ("maximum", "exclusiveMaximum"))):
            sign = ">" if side == "minimum" else "<"
            if side == "minimum":
                old_b, old_ex, new_b, new_ex = ob.lo, ob.lo_ex, nb.lo, nb.lo_ex
            else:
                old_b, old_ex, new_b, new_ex = ob.hi, ob.hi_ex, nb.hi, nb.hi_ex
            if old_b == new_b and old_ex == new_ex:
                continue
            olk, nlk = where_kw(ol, o, names), where_kw(nl, n, names)
            shown_old, shown_new = shown(old_b, old_ex, sign), shown(new_b, new_ex, sign)
            tighter = new_b is not None and old_b is not None and (new_b > old_b if side == "minimum"
                                                                   else new_b < old_b)
            if new_b is not None and (old_b is None or tighter or (new_b == old_b and new_ex)):
                verb = "added" if old_b is None else "raised" if side == "minimum" else "lowered"
                self.add(_Change(f"{side}-{verb}", olk, nlk, path, f"{side} {verb} "
                                 f"({shown_old} → {shown_new})", "yes", "no",
                                 request=pool(ob, integer_old, nb), steps=steps, family="number"))
            else:
                verb = "removed" if new_b is None else "lowered" if side == "minimum" else "raised"
                self.add(_Change(f"{side}-{verb}", olk, nlk, path, f"{side} {verb} "
                                 f"({shown_old} → {shown_new})", "no", "yes",
                                 response=pool(nb, integer_new, ob), steps=steps, family="number"))
        if ob.step != nb.step:
            olk, nlk = self.kw(ol, o, "multipleOf"), self.kw(nl, n, "multipleOf")
            narrows = widens = "yes"
            if ob.step is None:
                widens = "no"
            elif nb.step is None:
                narrows = "no"
            elif ob.step == ob.step.to_integral_value() and nb.step == nb.step.to_integral_value():
                # Whole steps only: the validator divides floats, where 0.3 is no multiple of 0.1.
                if (ob.step / nb.step) == (ob.step / nb.step).to_integral_value():
                    narrows = "no"
                if (nb.step / ob.step) == (nb.step / ob.step).to_integral_value():
                    widens = "no"
            self.add(_Change("multipleOf-changed", olk, nlk, path, f"multipleOf "
                             f"{ob.step if ob.step is not None else 'none'} → "
                             f"{nb.step if nb.step is not None else 'none'}", narrows, widens,
                             request=pool(ob, integer_old, nb), response=pool(nb, integer_new, ob),
                             steps=steps, family="number"))

    def lengths(self, o: dict[str, Any], ol: Loc, n: dict[str, Any], nl: Loc, steps: tuple[_Step, ...],
                path: str) -> None:
        for low, high, kind in LENGTHS:
            for keyword, is_min in ((low, True), (high, False)):
                ov, nv = o.get(keyword), n.get(keyword)
                if ov == nv or (ov is not None and nv is not None and number(ov) == number(nv)):
                    continue
                olk, nlk = self.kw(ol, o, keyword), self.kw(nl, n, keyword)
                if nv is None:
                    verb, narrows = "removed", False
                elif ov is None:
                    verb, narrows = "added", True
                elif (number(nv) or 0) > (number(ov) or 0):
                    verb, narrows = "raised", is_min
                else:
                    verb, narrows = "lowered", not is_min
                lengths = lengths_near(*(int(v) for v in (o.get(low), o.get(high), n.get(low), n.get(high))
                                         if isinstance(v, int | float) and not isinstance(v, bool)
                                         and int(v) == v))

                def sized(side: _Side, node: dict[str, Any], kind: str = kind,
                          lengths: list[int] = lengths) -> Iterator[Any]:
                    for length in lengths:
                        value = self.of_length(side, node, kind, length)
                        if value is not None:
                            yield value

                message = (f"{keyword} {verb} ({ov if ov is not None else 'none'} → "
                           f"{nv if nv is not None else 'none'})")
                if narrows:
                    self.add(_Change(f"{keyword}-{verb}", olk, nlk, path, message, "yes", "no",
                                     request=functools.partial(sized, self.old, o), steps=steps,
                                     family=kind))
                else:
                    self.add(_Change(f"{keyword}-{verb}", olk, nlk, path, message, "no", "yes",
                                     response=functools.partial(sized, self.new, n), steps=steps,
                                     family=kind))

    def strings(self, o: dict[str, Any], ol: Loc, n: dict[str, Any], nl: Loc, steps: tuple[_Step, ...],
                path: str) -> None:
        for keyword in ("pattern", "format"):
            if keyword == "format" and not self.formats:
                continue
            ov, nv = o.get(keyword), n.get(keyword)
            if ov == nv:
                continue
            olk, nlk = self.kw(ol, o, keyword), self.kw(nl, n, keyword)
            verb = "added" if ov is None else "removed" if nv is None else "changed"
            message = (f"{keyword} {verb} ({_shown(ov) if ov is not None else 'none'} → "
                       f"{_shown(nv) if nv is not None else 'none'})")

            def texts(side: _Side, node: dict[str, Any], other: dict[str, Any]) -> Iterator[Any]:
                for source in (node, other):
                    p = source.get("pattern")
                    if isinstance(p, str):
                        for more in (False, True):
                            sample = pattern_sample(p, more)
                            if sample is not None:
                                yield sample
                    f = source.get("format")
                    if isinstance(f, str) and f in FORMAT_SAMPLES:
                        yield FORMAT_SAMPLES[f]
                yield from self.values(side, node, 0, want=frozenset({"string"}))
                yield from STRINGS
                yield from FORMAT_SAMPLES.values()

            self.add(_Change(f"{keyword}-{verb}", olk, nlk, path, message,
                             "no" if nv is None else "maybe", "no" if ov is None else "maybe",
                             request=lambda: texts(self.old, o, n), response=lambda: texts(self.new, n, o),
                             steps=steps, family="string"))

    def required(self, o: dict[str, Any], ol: Loc, n: dict[str, Any], nl: Loc, steps: tuple[_Step, ...],
                 path: str) -> None:
        old_req = [r for r in o.get("required", []) if isinstance(r, str)] if isinstance(o.get("required"),
                                                                                          list) else []
        new_req = [r for r in n.get("required", []) if isinstance(r, str)] if isinstance(n.get("required"),
                                                                                          list) else []
        for name in new_req:
            if name not in old_req:
                self.add(_Change("required-added", self.kw(ol, o, "required"), self.kw(nl, n, "required"),
                                 path, f"{_shown(name)} is now required", "yes", "no",
                                 request=lambda name=name: self.without(self.old, o, name),  # type: ignore[misc]
                                 steps=steps, family="object"))
        for name in old_req:
            if name not in new_req:
                self.add(_Change("required-removed", self.kw(ol, o, "required"), self.kw(nl, n, "required"),
                                 path, f"{_shown(name)} is no longer required",
                                 "no", "yes",
                                 response=lambda name=name: self.without(self.new, n, name),  # type: ignore[misc]
                                 steps=steps, family="object"))

    def unique(self, o: dict[str, Any], ol: Loc, n: dict[str, Any], nl: Loc, steps: tuple[_Step, ...],
               path: str) -> None:
        ou, nu = o.get("uniqueItems") is True, n.get("uniqueItems") is True
        if ou == nu:
            return

        def doubled(side: _Side, node: dict[str, Any]) -> Iterator[Any]:
            for value in self.values(side, node, 0, want=frozenset({"array"})):
                if isinstance(value, list) and value:
                    yield [value[0], *value]
            yield [None, None]

        if nu:
            self.add(_Change("uniqueItems-added", ol, (*nl, "uniqueItems"), path,
                             "items must now be unique", "yes", "no",
                             request=lambda: doubled(self.old, o), steps=steps, family="array"))
        else:
            self.add(_Change("uniqueItems-removed", (*ol, "uniqueItems"), nl, path,
                             "items no longer have to be unique", "no", "yes",
                             response=lambda: doubled(self.new, n), steps=steps, family="array"))

    def opaque(self, keyword: str, o: Any, ol: Loc, n: Any, nl: Loc, steps: tuple[_Step, ...],
               path: str) -> None:
        """A difference in what this does not analyse: unknown in both directions (unless an example)."""
        self.add(_Change(f"{keyword}-changed", ol, nl, path, f"{keyword} changed (not "
                         "analysed: review by hand)", "maybe", "maybe",
                         request=lambda: self.values(self.old, o, 0),
                         response=lambda: self.values(self.new, n, 0), steps=steps))

    def objects(self, o: dict[str, Any], ol: Loc, n: dict[str, Any], nl: Loc, steps: tuple[_Step, ...],
                path: str) -> None:
        if not (_takes(o, "object") or _takes(n, "object")):
            return  # no object is accepted here: nothing about members matters
        op, np_ = _dict(o, "properties"), _dict(n, "properties")
        oap = o.get("additionalProperties", True)
        nap = n.get("additionalProperties", True)
        o_patterns = isinstance(o.get("patternProperties"), dict) and bool(o["patternProperties"])
        n_patterns = isinstance(n.get("patternProperties"), dict) and bool(n["patternProperties"])
        oapl, napl = self.kw(ol, o, "additionalProperties"), self.kw(nl, n, "additionalProperties")
        for name in [*op, *(k for k in np_ if k not in op)]:
            child_path = f"{path}/{pointer_token(name)}"
            segment = ("p", name)
            if name in op and name in np_:
                self.walk(op[name], (*ol, "properties", name), np_[name], (*nl, "properties", name),
                          (*steps, _Step(segment, op[name], np_[name])), child_path, None)
                continue
            if (name in op and n_patterns) or (name in np_ and o_patterns):
                # Which subschema applies to the name on the other side depends on a regex: unknown.
                ov = op.get(name, oap)
                nv = np_.get(name, nap)
                olk = (*ol, "properties", name) if name in op else oapl
                nlk = (*nl, "properties", name) if name in np_ else napl
                kind = "property-removed" if name in op else "property-added"
                self.add(_Change(kind, olk, nlk, child_path, f"property "
                                 f"{'removed' if name in op else 'added'}, next to patternProperties (not "
                                 "analysed: review by hand)", "maybe", "maybe",
                                 request=lambda ov=ov: [*self.values(self.old, ov, 1), *POOL],  # type: ignore[misc]
                                 response=lambda nv=nv: [*self.values(self.new, nv, 1), *POOL],  # type: ignore[misc]
                                 steps=(*steps, _Step(segment, ov, nv)), member=True))
                continue
            if name in op:
                self.walk(op[name], (*ol, "properties", name), nap, napl,
                          (*steps, _Step(segment, op[name], nap)), child_path, "property")
            else:
                self.walk(oap, oapl, np_[name], (*nl, "properties", name),
                          (*steps, _Step(segment, oap, np_[name])), child_path, "property")
        if not self.same(o.get("patternProperties"), (*ol, "patternProperties"), n.get("patternProperties"),
                         (*nl, "patternProperties")):
            return  # reported (opaque); which members additionalProperties covers changed too
        fresh = "extra"
        while fresh in op or fresh in np_:
            fresh += "_"
        if "additionalProperties" in o or "additionalProperties" in n:
            self.walk(oap, oapl, nap, napl, (*steps, _Step(("p", fresh), oap, nap)), f"{path}/*",
                      "additionalProperties")

    def arrays(self, o: dict[str, Any], ol: Loc, n: dict[str, Any], nl: Loc, steps: tuple[_Step, ...],
               path: str) -> None:
        if not (_takes(o, "array") or _takes(n, "array")):
            return
        o_prefix, o_rest, orl = self.tuple_form(self.old, o, ol)
        n_prefix, n_rest, nrl = self.tuple_form(self.new, n, nl)
        if not o_prefix and not n_prefix and o_rest is None and n_rest is None:
            return
        o_pk = "prefixItems" if not self.old.legacy and self.old.dialect != "draft2019-09" else "items"
        n_pk = "prefixItems" if not self.new.legacy and self.new.dialect != "draft2019-09" else "items"
        o_rest_v = True if o_rest is None else o_rest
        n_rest_v = True if n_rest is None else n_rest
        for i in range(max(len(o_prefix), len(n_prefix))):
            ov = o_prefix[i] if i < len(o_prefix) else o_rest_v
            nv = n_prefix[i] if i < len(n_prefix) else n_rest_v
            olk = (*ol, o_pk, i) if i < len(o_prefix) else orl
            nlk = (*nl, n_pk, i) if i < len(n_prefix) else nrl
            self.walk(ov, olk, nv, nlk, (*steps, _Step(("i", i), ov, nv)), f"{path}/{i}", "items")
        if o_rest is not None or n_rest is not None:
            start = max(len(o_prefix), len(n_prefix))
            self.walk(o_rest_v, orl, n_rest_v, nrl, (*steps, _Step(("i", start), o_rest_v, n_rest_v)),
                      f"{path}/*", "items")

    def tuple_form(self, side: _Side, node: dict[str, Any], loc: Loc) -> tuple[list[Any], Any, Loc]:
        """(prefix subschemas, the subschema of the other items or None, its location) in any dialect."""
        if side.legacy or side.dialect == "draft2019-09":
            items = node.get("items")
            if isinstance(items, list):
                rest = node.get("additionalItems")
                return items, rest, self.kw(loc, node, "additionalItems")
            return [], items, self.kw(loc, node, "items")
        return _list(node, "prefixItems"), node.get("items"), self.kw(loc, node, "items")

    def combinators(self, o: dict[str, Any], ol: Loc, n: dict[str, Any], nl: Loc, steps: tuple[_Step, ...],
                    path: str) -> None:
        for keyword in ("allOf", "anyOf"):
            ov, nv = o.get(keyword), n.get(keyword)
            if ov is None and nv is None:
                continue
            if isinstance(ov, list) and isinstance(nv, list) and len(ov) == len(nv):
                if self.same(ov, (*ol, keyword), nv, (*nl, keyword)):
                    continue
                for i, (a, b) in enumerate(zip(ov, nv, strict=True)):
                    self.walk(a, (*ol, keyword, i), b, (*nl, keyword, i), (*steps, _Step(None, a, b)), path,
                              None)
                continue
            if not self.same(ov, (*ol, keyword), nv, (*nl, keyword)):
                self.opaque(keyword, o, self.kw(ol, o, keyword), n, self.kw(nl, n, keyword), steps, path)
        if not self.old.legacy and not self.new.legacy:
            oref, nref = o.get("$ref"), n.get("$ref")
            if isinstance(oref, str) and isinstance(nref, str):
                a, b = self.old.resolve(oref), self.new.resolve(nref)
                if a is not None and b is not None:
                    self.walk(a[0], a[1], b[0], b[1], (*steps, _Step(None, a[0], b[0])), path, None)
                    return
            if (oref is not None or nref is not None) and not self.same(oref, (*ol, "$ref"), nref,
                                                                        (*nl, "$ref")):
                self.opaque("$ref", o, ol, n, nl, steps, path)

    # --- equality with references followed -----------------------------------------------------------

    def same(self, a: Any, al: Loc, b: Any, bl: Loc, depth: int = 0) -> bool:
        """Whether two subschema texts are equal, local `$ref`s compared by their targets (cycles: equal).

        The targets of a pair of references are compared once (cached): a definition used by many
        subschemas costs one comparison. A True is cached only when no outer comparison was assumed."""
        stack = [(a, al, b, bl)]
        assumed: set[tuple[Loc, Loc]] = set()
        while stack:
            self.same_budget -= 1
            if self.same_budget < 0:  # not shown equal: compared as changed (unknown), never compatible
                return False
            x, xl, y, yl = stack.pop()
            if isinstance(x, dict) and isinstance(y, dict):
                if (xl, yl) in assumed:
                    continue
                assumed.add((xl, yl))
                xr, yr = x.get("$ref"), y.get("$ref")
                if isinstance(xr, str) and isinstance(yr, str):
                    tx, ty = self.old.resolve(xr), self.new.resolve(yr)
                    if tx is not None and ty is not None:
                        key = (tx[1], ty[1])
                        if key in self.same_cache:
                            if not self.same_cache[key]:
                                return False
                        elif key in self.same_active:
                            pass  # a cycle: assumed equal while the outer comparison goes on
                        elif depth < 64:
                            outermost = not self.same_active
                            self.same_active.add(key)
                            equal = self.same(tx[0], tx[1], ty[0], ty[1], depth + 1)
                            self.same_active.discard(key)
                            if not equal or outermost:
                                self.same_cache[key] = equal
                            if not equal:
                                return False
                        else:
                            stack.append((tx[0], tx[1], ty[0], ty[1]))
                    elif xr != yr:
                        return False
                elif (xr is None) != (yr is None):
                    return False
                keys_x = {k for k in x if k not in ANNOTATIONS and k != "$ref"}
                keys_y = {k for k in y if k not in ANNOTATIONS and k != "$ref"}
                if keys_x != keys_y:
                    return False
                stack.extend((x[k], (*xl, k), y[k], (*yl, k)) for k in keys_x)
            elif isinstance(x, list) and isinstance(y, list):
                if len(x) != len(y):
                    return False
                stack.extend((x[i], (*xl, i), y[i], (*yl, i)) for i in range(len(x)))
            elif canon(x) != canon(y):
                return False
        return True

    # --- candidate values ----------------------------------------------------------------------------

    def values(self, side: _Side, node: Any, depth: int, want: frozenset[str] | None = None) -> list[Any]:
        """Candidate values the subschema probably accepts (checked later), a few of each kind."""
        key = (id(side), id(node), want, self.pick)
        if key in self.memo:
            return self.memo[key]
        self.budget -= 1
        if self.budget < 0:
            return [None]
        found = self.fresh_values(side, node, depth, want)
        self.memo[key] = found
        return found

    def fresh_values(self, side: _Side, node: Any, depth: int, want: frozenset[str] | None) -> list[Any]:
        node, _, _ = side.effective(node, ())
        if node is False:
            return []
        if _is_true(node) or not isinstance(node, dict):
            return [v for v in POOL if type_ok(v, want)]
        found: list[Any] = []
        if "const" in node:
            found.append(node["const"])
        if isinstance(node.get("enum"), list):
            found.extend(node["enum"][:8])
        if isinstance(node.get("examples"), list):
            found.extend(node["examples"][:4])
        if "default" in node:
            found.append(node["default"])
        if depth > MAX_SAMPLE_DEPTH:
            return [v for v in found if type_ok(v, want)] + [None]
        types = node_types(node)
        if types is None:
            implied = {t for keywords, t in ((("properties", "required", "additionalProperties"), "object"),
                                             (("items", "prefixItems", "minItems"), "array"),
                                             (("pattern", "minLength", "maxLength", "format"), "string"),
                                             (("minimum", "maximum", "multipleOf", "exclusiveMinimum",
                                               "exclusiveMaximum"), "number"))
                       if any(k in node for k in keywords)}
            types = frozenset(implied) if implied else frozenset(TYPES)
        for kind in sorted(types, key=lambda t: (want is not None and t not in want, TYPES.index(t)
                                                 if t in TYPES else 9)):
            if want is not None and kind not in want and not (kind == "number" and "integer" in want):
                continue
            found.extend(self.typed(side, node, kind, depth))
        for keyword in ("allOf",):
            if isinstance(node.get(keyword), list):
                merged = self.merged(side, node, depth)
                if merged is not None:
                    found.insert(0, merged)
        for keyword in ("anyOf", "oneOf"):
            if isinstance(node.get(keyword), list):
                for branch in node[keyword][:6]:
                    found.extend(self.values(side, branch, depth + 1, want)[:2])
        if isinstance(node.get("$ref"), str):
            target = side.resolve(node["$ref"])
            if target is not None:
                found.extend(self.values(side, target[0], depth + 1, want)[:3])
        return [v for v in found if type_ok(v, want)] if want is not None else found

    def merged(self, side: _Side, node: dict[str, Any], depth: int) -> Any:
        """An object that satisfies every allOf branch's own candidate, merged (or None)."""
        merged: dict[str, Any] = {}
        own = {k: v for k, v in node.items() if k != "allOf"}
        for part in [own, *node["allOf"][:8]]:
            first = next((v for v in self.values(side, part, depth + 1) if isinstance(v, dict)), None)
            if first is None:
                continue
            merged.update(first)
        return merged or None

    def typed(self, side: _Side, node: dict[str, Any], kind: str, depth: int) -> list[Any]:
        if kind == "null":
            return [None]
        if kind == "boolean":
            return [False, True]
        if kind in ("number", "integer"):
            bounds = Bounds(node)
            integer = kind == "integer"
            points = [x for x in numbers_near(bounds) if bounds.accepts(x, integer)]
            if kind == "number":
                points.sort(key=lambda x: x == x.to_integral_value())
            return [plain(x) for x in points[:3]]
        if kind == "string":
            out: list[Any] = []
            p = node.get("pattern")
            if isinstance(p, str):
                out.extend(s for s in (pattern_sample(p), pattern_sample(p, True)) if s is not None)
            f = node.get("format")
            if isinstance(f, str) and f in FORMAT_SAMPLES:
                out.append(FORMAT_SAMPLES[f])
            low, high = _count(node, "minLength"), _count(node, "maxLength", 1)
            length = max(low, 1) if high >= 1 else 0
            if length <= MAX_LENGTH:
                out.extend(("a" * length, "b" * length, "x-" + "1" * max(length - 2, 0)))
            return out
        if kind == "array":
            value = self.of_length(side, node, "array", None, depth)
            return [] if value is None else [value]
        if kind == "object":
            value = self.of_length(side, node, "object", None, depth)
            return [] if value is None else [value]
        return []

    def nth(self, values: list[Any]) -> Any:
        """The candidate `self.pick` chooses (the last one when there are fewer), or None."""
        return values[min(self.pick, len(values) - 1)] if values else None

    def of_length(self, side: _Side, node: dict[str, Any], kind: str, length: int | None,
                  depth: int = 0) -> Any:
        """A string, array or object for the node, of `length` (None: the least it needs)."""
        if kind == "string":
            if length is None or length > MAX_LENGTH:
                return None
            base = next((v for v in self.typed(side, node, "string", depth) if isinstance(v, str)), "a")
            return (base * (length // max(len(base), 1) + 1))[:length] if base else "a" * length
        if kind == "array":
            prefix, rest, _ = self.tuple_form(side, node, ())
            size = _count(node, "minItems") if length is None else length
            if size > MAX_LENGTH:
                return None
            out: list[Any] = []
            for i in range(size):
                sub = prefix[i] if i < len(prefix) else (True if rest is None else rest)
                first = self.nth(self.values(side, sub, depth + 1))
                out.append(first)
            return out
        props = _dict(node, "properties")
        required = [r for r in _list(node, "required") if isinstance(r, str)]
        obj: dict[str, Any] = {}
        for name in required:
            sub = props.get(name, node.get("additionalProperties", True))
            obj[name] = self.nth(self.values(side, sub, depth + 1))
        size = _count(node, "minProperties") if length is None else length
        if size > MAX_LENGTH:
            return None
        for name, sub in props.items():
            if len(obj) >= size:
                break
            if name not in obj:
                obj[name] = self.nth(self.values(side, sub, depth + 1))
        extra = 0
        while len(obj) < size:
            obj[f"extra{extra}"] = next(iter(self.values(side, node.get("additionalProperties", True),
                                                         depth + 1)), None)
            extra += 1
        if length is not None and len(obj) > length:
            return None
        return obj

    def without(self, side: _Side, node: dict[str, Any], name: str) -> Iterator[Any]:
        for value in self.values(side, node, 0, want=frozenset({"object"})):
            if isinstance(value, dict):
                yield {k: v for k, v in value.items() if k != name}

    # --- examples ------------------------------------------------------------------------------------

    def classify(self, unsure: bool) -> list[Entry]:
        ordinary = all(side.compiled.bound.most <= ORDINARY for side in (self.old, self.new))
        self.max_checks = MAX_CHECKS if ordinary else SLOW_CHECKS
        self.deadline = time.monotonic() + EXAMPLE_SECONDS
        entries: list[Entry] = []
        for number_, change in enumerate(self.changes, 1):
            for direction in DIRECTIONS:
                could = change.narrows if direction == "request" else change.widens
                base = Entry(number_, change.kind, direction, "compatible", change.path,
                             None if change.old_loc is None else pointer(change.old_loc),
                             None if change.new_loc is None else pointer(change.new_loc), change.message)
                if could == "no" and unsure:
                    entries.append(replace(base, verdict="unknown", note="not proven (see the notes)"))
                    continue
                if could == "no":
                    entries.append(base)
                    continue
                found = self.example(change, direction)
                if found is not None:
                    entries.append(replace(base, verdict="breaking", example=found[0], has_example=True))
                else:
                    entries.append(replace(base, verdict="unknown", note=NO_EXAMPLE))
        return entries

    def example(self, change: _Change, direction: Direction) -> tuple[Any] | None:
        """A whole document the accepting schema takes and the other refuses (both checked), or None."""
        accept, reject = (self.old, self.new) if direction == "request" else (self.new, self.old)
        witnesses = change.request if direction == "request" else change.response
        tried: set[Any] = set()
        count = 0
        try:
            source = iter(witnesses())
            for witness in source:
                key = canon(witness)
                if key in tried:
                    continue
                tried.add(key)
                count += 1
                if count > TRIES:
                    break
                for self.pick, inner in ((0, True), (0, False), (1, True), (1, False)):
                    document, where = self.embed(accept, change.steps, witness, inner)
                    if self.checks >= self.max_checks or time.monotonic() > self.deadline:
                        return None
                    self.checks += 1
                    if accept.check(document)[0] is not True:
                        continue
                    self.checks += 1
                    valid, places = reject.check(document)
                    # Rejected because of this change: an error at its place (or the member's object).
                    if valid is False and any(self.at_place(place, where, change) for place in places):
                        return (document,)
                    break
        except RecursionError:  # pragma: no cover - a pathological schema
            return None
        finally:
            self.pick = 0
        return None

    @staticmethod
    def at_place(place: str, where: str, change: _Change) -> bool:
        """Whether an error's instance pointer is at the witness's place, inside it, or (for a member
        added or removed) at the object holding it."""
        if place == where or place.startswith(where + "/"):
            return True
        return change.member and place == where.rpartition("/")[0]

    def embed(self, side: _Side, steps: tuple[_Step, ...], witness: Any, inner: bool) -> tuple[Any, str]:
        """The witness placed at the change's instance location inside a document built for `side`,
        and the JSON Pointer of that place."""
        levels: list[tuple[tuple[str, Any] | None, list[Any]]] = []
        for step in steps:
            node = step.old if side is self.old else step.new
            if step.segment is None and levels:
                levels[-1][1].append(node)
            else:
                levels.append((step.segment, [node]))
        value = witness
        where: list[str] = []
        for j in range(len(levels) - 1, 0, -1):
            segment = levels[j][0]
            nodes = levels[j - 1][1]
            node, _, _ = side.effective(nodes[-1] if inner else nodes[0], ())
            if segment is None or not isinstance(node, dict):
                node = {}
            kind, key = segment if segment is not None else ("p", "")
            where.append(pointer_token(str(key)))
            if kind == "p":
                shape: dict[str, Any] = self.nth([v for v in self.values(side, node, 1, frozenset({"object"}))
                                                  if isinstance(v, dict)]) or {}
                value = {**shape, str(key): value}
            else:
                base: list[Any] = self.nth([v for v in self.values(side, node, 1, want=frozenset({"array"}))
                                            if isinstance(v, list)]) or []
                prefix, rest, _ = self.tuple_form(side, node, ())
                index = int(key)
                items = list(base[:index])
                while len(items) < index:
                    sub = prefix[len(items)] if len(items) < len(prefix) else (True if rest is None else rest)
                    items.append(self.nth(self.values(side, sub, 1)))
                items.append(value)
                items.extend(base[index + 1:])
                value = items
        return value, "".join("/" + token for token in reversed(where))

