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
from urllib.parse import urldefrag, urljoin

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
