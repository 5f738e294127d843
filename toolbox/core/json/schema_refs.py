"""What a schema refers to: every `$ref`, which of them leave the pasted schema, and offline lookups.

Security: a `$ref` is never fetched (SSRF). References resolve only inside the pasted schema,
to the bundled standard metaschemas, or (tests only) to resources handed in by the caller.
Everything else is listed as refused and the instance is not validated.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from functools import cache
from typing import Any
from urllib.parse import unquote, urldefrag, urljoin

import jsonschema_rs
from jsonschema_specifications import REGISTRY as BUNDLED_METASCHEMAS  # type: ignore[import-untyped]

from toolbox.core.json.dialects import BUNDLED_URIS, ID_KEYWORD, REF_OVERRIDES_SIBLINGS, normalize_uri
from toolbox.core.json.model import Dialect

Path = tuple[str | int, ...]
REF_KEYWORDS = ("$ref", "$dynamicRef", "$recursiveRef")
# Keywords whose values are subschemas (one, a list, or a map), across the supported dialects.
_ONE = frozenset({
    "additionalItems", "additionalProperties", "contains", "contentSchema", "else", "if", "items",
    "not", "propertyNames", "then", "unevaluatedItems", "unevaluatedProperties",
})
_LIST = frozenset({"allOf", "anyOf", "oneOf", "prefixItems", "items"})
_MAP = frozenset({
    "$defs", "definitions", "dependentSchemas", "patternProperties", "properties", "dependencies",
})


class RefusedReference(LookupError):
    """A reference to a document outside the pasted schema (never fetched)."""


@dataclass(frozen=True)
class RefUse:
    """One reference in the schema: where it is, what it says, and what it resolves to."""

    path: Path  # JSON Pointer path of the keyword in the schema document ((..., "$ref"))
    keyword: str
    value: str
    uri: str  # absolute (or as absolute as the schema allows), with the fragment


@dataclass(frozen=True)
class RefScan:
    """All references of a schema, the documents it contains, and whether it holds regexes."""

    refs: tuple[RefUse, ...]
    resources: frozenset[str]  # document URIs defined inside the schema ("" = the root without $id)
    refused: tuple[RefUse, ...]  # references to documents that are not available offline
    has_patterns: bool  # a regex anywhere in the documents (explains a schema the linear engine refuses)
    malformed: tuple[Path, ...] = ()  # reference keywords whose value is not a string (draft 4 allows it)
    # Where each document of `resources` starts in the pasted schema (the first place it is defined).
    resource_paths: Mapping[str, Path] = field(default_factory=dict)


def document_uri(uri: str) -> str:
    """The URI without its fragment (and without an empty trailing '#')."""
    return urldefrag(uri)[0]


def join(base: str, ref: str) -> str:
    """Resolve `ref` against `base` (fragment-only refs keep any base, even a URN)."""
    if ref.startswith("#"):
        return document_uri(base) + ref
    return urljoin(base, ref) if base else ref


def scan_refs(schema: Any, dialect: Dialect, extra: Mapping[str, Any]) -> RefScan:
    """Walk the schema's subschemas (iteratively: depth is bounded only by the parser)."""
    id_key = ID_KEYWORD[dialect]
    legacy_ref = REF_OVERRIDES_SIBLINGS[dialect]
    refs: list[RefUse] = []
    malformed: list[Path] = []
    resources: set[str] = set()
    resource_paths: dict[str, Path] = {}
    stack: list[tuple[Any, Path, str]] = [(schema, (), "")]
    first = True
    while stack:
        node, path, base = stack.pop()
        if not isinstance(node, dict):
            continue
        declared = node.get(id_key)
        # A "#foo" id is an anchor (draft 4-7); next to $ref (draft 4-7) an id is ignored.
        if isinstance(declared, str) and not declared.startswith("#") and not (legacy_ref and "$ref" in node):
            base = document_uri(join(base, declared))
            resources.add(base)
            resource_paths.setdefault(base, path)
        if first:
            resources.add(base)
            resource_paths.setdefault(base, path)
            first = False
        for keyword in REF_KEYWORDS:
            value = node.get(keyword)
            if isinstance(value, str):
                refs.append(RefUse((*path, keyword), keyword, value, join(base, value)))
            elif keyword in node:
                malformed.append((*path, keyword))
        for key, value in node.items():
            if key in _ONE and isinstance(value, dict):
                stack.append((value, (*path, key), base))
            if key in _LIST and isinstance(value, list):
                stack.extend((item, (*path, key, i), base) for i, item in enumerate(value))
            if key in _MAP and isinstance(value, dict):
                stack.extend((item, (*path, key, name), base) for name, item in value.items())
    known = resources | {document_uri(uri) for uri in extra}
    refused = tuple(
        ref for ref in refs
        if document_uri(ref.uri) not in known
        and normalize_uri(document_uri(ref.uri)) not in BUNDLED_URIS
    )
    has_patterns = holds_regex(schema) or any(holds_regex(document) for document in extra.values())
    return RefScan(tuple(refs), frozenset(resources), refused, has_patterns, tuple(malformed), resource_paths)


def holds_regex(document: Any) -> bool:
    """Whether any object anywhere in `document` has a string `pattern` or an object `patternProperties`.

    Deliberately every object, not only the subschemas this module walks: a JSON-Pointer `$ref`
    can make a subschema of anything (an unknown keyword, `const`, `default`, `examples`). Used
    to explain a schema that does not compile (the linear-time engine's limits); no regex of the
    user's ever runs in Python's backtracking `re`, wherever it is.
    """
    stack = [document]
    while stack:
        node = stack.pop()
        if isinstance(node, dict):
            if isinstance(node.get("pattern"), str) or isinstance(node.get("patternProperties"), dict):
                return True
            stack.extend(value for value in node.values() if isinstance(value, dict | list))
        elif isinstance(node, list):
            stack.extend(value for value in node if isinstance(value, dict | list))
    return False


def fast_retriever(extra: Mapping[str, Any]) -> Callable[[str], Any]:
    """A retriever for jsonschema-rs that reads only `extra` and the bundled metaschemas."""
    documents = {document_uri(uri): contents for uri, contents in extra.items()}

    def retrieve(uri: str) -> Any:
        key = document_uri(uri)
        if key in documents:
            return documents[key]
        for bundled in BUNDLED_METASCHEMAS:
            if normalize_uri(bundled) == normalize_uri(key):
                return BUNDLED_METASCHEMAS.contents(bundled)
        raise RefusedReference(f"{uri} is outside the pasted schema and is never fetched")

    return retrieve


@cache
def bundled_registry() -> Any:
    """A jsonschema-rs registry holding every bundled standard metaschema (built once, shared).

    jsonschema-rs preloads only the metaschemas of the schema's own dialect and does not ask the
    retriever for the others: a 2020-12 schema with `$ref` to the draft-07 metaschema would not compile.
    """
    return jsonschema_rs.Registry([(uri, BUNDLED_METASCHEMAS.contents(uri))
                                   for uri in BUNDLED_METASCHEMAS if not uri.endswith("#")])


# --- How many times one instance value can be evaluated (the branch-explosion bound) ---------------
#
# anyOf/oneOf errors carry every branch's errors, recursively, and jsonschema-rs builds them all, even
# for its first error: `$defs` a0..a11 with a_i = {"anyOf": [3 x {"$ref": a_{i+1}}]} makes 3^12 errors
# for the instance `1` (seconds), and `is_valid` itself walks 3^12 branches (it is only ~1000x
# cheaper). The bound below is static: for each subschema, how many evaluations of subschemas one
# instance value (any single place in the instance) can receive from one evaluation of it, following
# every applicator and `$ref` (all of allOf/anyOf/oneOf/not/if/then/else/dependentSchemas counted,
# as if no branch short-circuited). Children applied to different properties or items do not add
# up (`properties` a and b); those that can reach the same one do (`properties/a` and
# `patternProperties`). A recursive schema's bound grows with the instance's depth; it is computed
# level by level, up to where it stops growing.

BRANCH_CAP = 1 << 40  # "unbounded": larger than any limit the callers use
_IN_PLACE_ONE = ("not", "if", "then", "else")
_IN_PLACE_LIST = ("allOf", "anyOf", "oneOf")
_IN_PLACE_MAP = ("dependentSchemas", "dependencies")
_ALL_PROPERTIES = ("patternProperties", "unevaluatedProperties", "propertyNames")  # may reach any member
_ALL_ITEMS = ("contains", "unevaluatedItems")  # may reach any item
_ANCHOR_KEYWORDS = ("$anchor", "$dynamicAnchor")
_APPLICATORS = frozenset({
    *_IN_PLACE_ONE, *_IN_PLACE_LIST, *_IN_PLACE_MAP, *REF_KEYWORDS, *_ALL_PROPERTIES, *_ALL_ITEMS,
    "properties", "additionalProperties", "items", "additionalItems", "prefixItems",
})
_MAX_ITERATION_WORK = 5_000_000  # node visits spent on a recursive schema's levels (then: unbounded)

_Slot = tuple[str, str | int]  # ("p", member name) / ("i", item index)


@dataclass(frozen=True)
class BranchBound:
    """The bound by instance depth: `levels[d]` for an instance of depth d (0 for a scalar)."""

    levels: tuple[int, ...]
    converged: bool  # whether deeper instances keep `levels[-1]` (otherwise: unbounded beyond)

    def at_depth(self, depth: int) -> int:
        if depth < len(self.levels):
            return self.levels[depth]
        return self.levels[-1] if self.converged else BRANCH_CAP

    @property
    def depth_matters(self) -> bool:
        return not self.converged or len(set(self.levels)) > 1

    @property
    def most(self) -> int:
        return self.levels[-1] if self.converged else BRANCH_CAP


@dataclass
class _Node:
    in_place: list[tuple[Path, ...]]  # each: its candidate targets ($dynamicRef: one of several)
    descending: list[tuple[str, _Slot | None, Path]]  # (kind "p"/"i", slot or None = the rest, child)
    all_kinds: list[tuple[str, Path]]  # children that may reach any member ("p") or any item ("i")


_LEAF = _Node([], [], [])
_OUTSIDE: Path = ("<outside>",)  # a bundled metaschema, a given resource or a leaf: counted once


class _Vector:
    """Per member/item of the instance value: how many evaluations reach it."""

    __slots__ = ("named", "rest")

    def __init__(self) -> None:
        self.named: dict[_Slot, int] = {}
        self.rest = {"p": 0, "i": 0}  # members/items no slot names

    def get(self, slot: _Slot) -> int:
        return self.named.get(slot, self.rest[slot[0]])

    def combine(self, other: _Vector, weight: int = 1, use_max: bool = False) -> None:
        if not other.named and not other.rest["p"] and not other.rest["i"]:
            return
        for slot in set(self.named) | set(other.named):
            mine, theirs = self.get(slot), other.get(slot) * weight
            self.named[slot] = min(max(mine, theirs) if use_max else mine + theirs, BRANCH_CAP)
        for kind in ("p", "i"):
            mine, theirs = self.rest[kind], other.rest[kind] * weight
            self.rest[kind] = min(max(mine, theirs) if use_max else mine + theirs, BRANCH_CAP)

    def most(self) -> int:
        return max([*self.named.values(), *self.rest.values()])


def branch_bound(schema: Any, dialect: Dialect) -> BranchBound:
    """The static bound of evaluations per instance value (see above)."""
    graph = _BranchGraph(schema, dialect)
    nodes = graph.build()
    try:
        return _bound(graph, nodes)
    except _InPlaceCycle:
        return BranchBound((BRANCH_CAP,), True)


def _bound(graph: _BranchGraph, nodes: dict[Path, _Node]) -> BranchBound:
    order = _in_place_order(nodes)
    here = _fold_in_place(nodes, order, lambda own, parts: _sum_counts(own, parts), lambda _p: 1)
    root: Path = ()
    levels = [here[root]]
    previous = dict(here)
    if not graph.cyclic:
        return BranchBound((levels[0], _total(nodes, here, None)), True)
    work = 0
    while levels[-1] < BRANCH_CAP and work < _MAX_ITERATION_WORK:
        current = _level(nodes, order, here, previous)
        work += len(nodes)
        levels.append(current[root])
        if current == previous:
            return BranchBound(tuple(levels), True)
        previous = current
    return BranchBound(tuple(levels), False)


def _sum_counts(own: int, parts: list[int]) -> int:
    return min(own + sum(parts), BRANCH_CAP)


def _total(nodes: dict[Path, _Node], here: dict[Path, int], previous: dict[Path, int] | None) -> int:
    """An acyclic graph's bound for every depth (one pass: a child's bound is its own total)."""
    totals: dict[Path, int] = {}
    order = _post_order(nodes, lambda n: [c for e in n.in_place for c in e] + [c for *_, c in n.descending]
                        + [c for _, c in n.all_kinds])
    vectors: dict[Path, _Vector] = {}
    for path in order:
        node = nodes[path]
        vector = _own_vector(node, totals if previous is None else previous)
        for edge in node.in_place:
            if len(edge) == 1:
                vector.combine(vectors[edge[0]])
            else:
                alternative = _Vector()
                for target in edge:
                    alternative.combine(vectors[target], use_max=True)
                vector.combine(alternative)
        vectors[path] = vector
        totals[path] = max(here[path], vector.most())
    return totals[()]


def _level(nodes: dict[Path, _Node], order: list[Path], here: dict[Path, int],
           previous: dict[Path, int]) -> dict[Path, int]:
    """One more level of instance depth: descending children count as they did one level down."""
    vectors = _fold_in_place(nodes, order, _add_vectors, lambda path: _own_vector(nodes[path], previous))
    return {path: max(here[path], vectors[path].most()) for path in nodes}


def _add_vectors(own: _Vector, parts: list[_Vector]) -> _Vector:
    for part in parts:
        own.combine(part)
    return own


def _own_vector(node: _Node, bounds: Mapping[Path, int]) -> _Vector:
    vector = _Vector()
    named: dict[_Slot, int] = {}
    for kind, slot, child in node.descending:
        value = bounds.get(child, 1)
        if slot is None:
            vector.rest[kind] = min(vector.rest[kind] + value, BRANCH_CAP)
        else:
            named[slot] = min(named.get(slot, 0) + value, BRANCH_CAP)
    vector.named = named
    for kind, child in node.all_kinds:
        value = bounds.get(child, 1)
        vector.rest[kind] = min(vector.rest[kind] + value, BRANCH_CAP)
        for slot in vector.named:
            if slot[0] == kind:
                vector.named[slot] = min(vector.named[slot] + value, BRANCH_CAP)
    return vector


def _in_place_order(nodes: dict[Path, _Node]) -> list[Path]:
    """Every node after its in-place children (raises _InPlaceCycle: jsonschema-rs would never end)."""
    return _post_order(nodes, lambda n: [c for e in n.in_place for c in e], cycles={})


def _fold_in_place(nodes: dict[Path, _Node], order: list[Path], join_parts: Callable[[Any, list[Any]], Any],
                   own: Callable[[Path], Any]) -> dict[Path, Any]:
    """Fold over in-place edges, children first."""
    values: dict[Path, Any] = {}
    for path in order:
        node = nodes[path]
        parts: list[Any] = []
        for edge in node.in_place:
            if len(edge) == 1:
                parts.append(values[edge[0]])
            else:
                parts.append(_alternatives([values[target] for target in edge]))
        values[path] = join_parts(own(path), parts)
    return values


def _alternatives(values: list[Any]) -> Any:
    if isinstance(values[0], int):
        return max(values)
    best = _Vector()
    for value in values:
        best.combine(value, use_max=True)
    return best


def _post_order(nodes: dict[Path, _Node], children: Callable[[_Node], list[Path]],
                cycles: dict[Path, Any] | None = None) -> list[Path]:
    """Every node, each after its children; on a cycle through `children` the back edge's target gets
    the cap in `cycles` (an in-place cycle: jsonschema-rs would recurse without end)."""
    order: list[Path] = []
    state: dict[Path, int] = {}  # 1 = open, 2 = done
    for start in nodes:
        if start in state:
            continue
        stack: list[tuple[Path, int]] = [(start, 0)]
        state[start] = 1
        while stack:
            path, index = stack.pop()
            kids = children(nodes[path])
            if index < len(kids):
                stack.append((path, index + 1))
                kid = kids[index]
                if kid not in state:
                    state[kid] = 1
                    stack.append((kid, 0))
                elif state[kid] == 1 and cycles is not None:
                    raise _InPlaceCycle
            else:
                state[path] = 2
                order.append(path)
    return order


class _InPlaceCycle(Exception):
    """A subschema applies itself to the same value: no finite bound."""


class _BranchGraph:
    """The subschemas reachable from the root, with their applicator edges and resolved references."""

    def __init__(self, schema: Any, dialect: Dialect) -> None:
        self.schema = schema
        self.dialect = dialect
        self.id_key = ID_KEYWORD[dialect]
        self.resources: dict[str, Path] = {}
        self.anchors: dict[tuple[str, str], Path] = {}
        self.dynamic: dict[str, list[Path]] = {}
        self.recursive: list[Path] = []
        self.base: dict[Path, str] = {}  # each object's base URI
        self.cyclic = False

    def build(self) -> dict[Path, _Node]:
        self._index()
        nodes: dict[Path, _Node] = {_OUTSIDE: _LEAF}
        stack: list[Path] = [()]
        while stack:
            path = stack.pop()
            if path in nodes:
                continue
            node = self._at(path)
            nodes[path] = self._node(node, path, self.base[path]) if isinstance(node, dict) else _LEAF
            edges = nodes[path]
            for child in [c for e in edges.in_place for c in e] + [c for *_, c in edges.descending] + \
                    [c for _, c in edges.all_kinds]:
                if child not in nodes:
                    stack.append(child)
        self.cyclic = _has_cycle(nodes)
        return nodes

    def _at(self, path: Path) -> Any:
        node = self.schema
        for segment in path:
            node = node[segment]
        return node

    def _base_of(self, base: str, node: Any) -> str:
        declared = node.get(self.id_key) if isinstance(node, dict) else None
        legacy = REF_OVERRIDES_SIBLINGS[self.dialect] and isinstance(node, dict) and "$ref" in node
        if isinstance(declared, str) and not declared.startswith("#") and not legacy:
            return document_uri(join(base, declared))
        return base

    def _index(self) -> None:
        """Every resource, anchor, dynamic and recursive anchor, wherever an object is."""
        stack: list[tuple[Any, Path, str]] = [(self.schema, (), "")]
        self.resources[""] = ()
        while stack:
            node, path, base = stack.pop()
            if isinstance(node, list):
                stack.extend((item, (*path, i), base) for i, item in enumerate(node))
                continue
            if not isinstance(node, dict):
                continue
            base = self._base_of(base, node)
            self.base[path] = base
            self.resources.setdefault(base, path)
            for keyword in (*_ANCHOR_KEYWORDS, self.id_key):
                name = node.get(keyword)
                if isinstance(name, str) and (keyword != self.id_key or name.startswith("#")):
                    name = name.lstrip("#")
                    self.anchors.setdefault((base, name), path)
                    if keyword == "$dynamicAnchor":
                        self.dynamic.setdefault(name, []).append(path)
            if node.get("$recursiveAnchor") is True:
                self.recursive.append(path)
            stack.extend((value, (*path, key), base) for key, value in node.items()
                         if isinstance(value, dict | list))

    def _resolve(self, uri: str) -> Path:
        document, _, fragment = uri.partition("#")
        start = self.resources.get(document)
        if start is None:
            return _OUTSIDE
        if fragment and not fragment.startswith("/"):
            found = self.anchors.get((document, unquote(fragment)))
            return _OUTSIDE if found is None else found
        path: list[str | int] = list(start)
        node = self._at(start)
        for part in fragment.split("/")[1:] if fragment else ():
            segment = unquote(part).replace("~1", "/").replace("~0", "~")
            if isinstance(node, dict) and segment in node:
                path.append(segment)
                node = node[segment]
            elif isinstance(node, list) and _index_in(segment, node):
                path.append(int(segment))
                node = node[int(segment)]
            else:
                return _OUTSIDE
        return tuple(path)

    def _node(self, node: dict[str, Any], path: Path, base: str) -> _Node:
        result = _Node([], [], [])

        def child(key: str, *more: str | int) -> Path:
            target = node[key]
            for segment in more:
                target = target[segment]
            if not isinstance(target, dict) or _APPLICATORS.isdisjoint(target):
                return _OUTSIDE  # applies nothing further: counted once, like a reference leaving
            return (*path, key, *more)

        for keyword in _IN_PLACE_ONE:
            if keyword in node:
                result.in_place.append((child(keyword),))
        for keyword in _IN_PLACE_LIST:
            if isinstance(node.get(keyword), list):
                result.in_place.extend((child(keyword, i),) for i in range(len(node[keyword])))
        for keyword in _IN_PLACE_MAP:
            if isinstance(node.get(keyword), dict):
                result.in_place.extend((child(keyword, name),) for name, value in node[keyword].items()
                                       if isinstance(value, dict | bool))
        for keyword in REF_KEYWORDS:
            value = node.get(keyword)
            if not isinstance(value, str):
                continue
            target = self._resolve(join(base, value))
            candidates = [target]
            if keyword == "$dynamicRef":
                candidates += self.dynamic.get(value.partition("#")[2], [])
            elif keyword == "$recursiveRef":
                candidates += self.recursive
            result.in_place.append(tuple(dict.fromkeys(candidates)))
        if isinstance(node.get("properties"), dict):
            result.descending.extend(("p", ("p", name), child("properties", name))
                                     for name in node["properties"])
        if "additionalProperties" in node:
            result.descending.append(("p", None, child("additionalProperties")))
        items = node.get("items")
        if isinstance(items, list):
            result.descending.extend(("i", ("i", i), child("items", i)) for i in range(len(items)))
            if "additionalItems" in node:
                result.descending.append(("i", None, child("additionalItems")))
        elif items is not None:
            result.all_kinds.append(("i", child("items")))
        if isinstance(node.get("prefixItems"), list):
            result.descending.extend(("i", ("i", i), child("prefixItems", i))
                                     for i in range(len(node["prefixItems"])))
        if isinstance(node.get("patternProperties"), dict):
            result.all_kinds.extend(("p", child("patternProperties", name))
                                    for name in node["patternProperties"])
        for keyword in _ALL_PROPERTIES[1:]:
            if keyword in node:
                result.all_kinds.append(("p", child(keyword)))
        for keyword in _ALL_ITEMS:
            if keyword in node:
                result.all_kinds.append(("i", child(keyword)))
        return result


def _has_cycle(nodes: dict[Path, _Node]) -> bool:
    try:
        _post_order(nodes, lambda n: [c for e in n.in_place for c in e] + [c for *_, c in n.descending]
                    + [c for _, c in n.all_kinds], cycles={})
    except _InPlaceCycle:
        return True
    return False


def _index_in(segment: str, node: list[Any]) -> bool:
    """Whether a JSON Pointer segment is an index of `node` (ASCII digits only: int("¹") fails)."""
    return segment.isascii() and segment.isdigit() and int(segment) < len(node)
