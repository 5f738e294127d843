"""One engine decides and words: jsonschema-rs validates, and its messages are the messages.

jsonschema-rs (~25 ms for the 5 MB benchmark) reports every error with its instance path, its
evaluation path (`$ref` hops kept), the canonical location of the failing keyword and, for
anyOf/oneOf, each branch's errors. Nothing here depends on time or load: the same schema and
instance give the same errors, in the same words, in the same order. `best_match` picks the
error to show first by a fixed rule over those errors.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from functools import cached_property
from itertools import islice
from typing import Any
from urllib.parse import unquote, urljoin

import jsonschema_rs

from toolbox.core.json.dialects import ENGINE_CLASS
from toolbox.core.json.model import Dialect
from toolbox.core.json.parse import collector_paused
from toolbox.core.json.schema_refs import bundled_registry

Path = tuple[str | int, ...]
# User regexes run only in the `regex` crate's linear-time engine (compiled size capped). The default,
# fancy-regex, backtracks for look-around and back-references: `^(a|aa)*\1$` took ~40 ms per string,
# minutes over a few thousand strings. Such patterns are refused when the schema is compiled.
LINEAR_REGEX = jsonschema_rs.RegexOptions(size_limit=2 << 20, dfa_size_limit=2 << 20)
# The base URI of the pasted schema. jsonschema-rs's default base (json-schema:///) is reported as
# "no location", which would make the root and an embedded relative `$id` ("other.json")
# indistinguishable; with a base of our own every keyword location names its document.
# (`$ref`s to documents outside the pasted schema are refused before compiling, whatever the base.)
PASTED_BASE = "https://pasted-schema.invalid/"
FALSE_KEYWORD = "false"  # our keyword for "the schema here is `false`"
# anyOf/oneOf only say that no branch fitted: another keyword failing at the same place says more.
WEAK = frozenset({"anyOf", "oneOf"})
# A branch that fails on the instance's type (or is `false`) was most likely not the one meant.
MISMATCH = frozenset({"type", FALSE_KEYWORD})
# Keywords whose errors name unexpected keys of an object (kind.unexpected): located at each key.
KEY_KEYWORDS = frozenset({"additionalProperties", "unevaluatedProperties"})
# jsonschema-rs writes a float of 1e16 or more with all its binary digits ("1e25" as
# "10000000000000000905969664.0"): a JSON string, or such a number outside one.
_STRING_OR_LONG_FLOAT = re.compile(r'"(?:[^"\\]|\\.)*"|(?<![\w.])(\d{17,}\.0)(?![\w.])')
TIDY_MAX_CHARS = 100_000  # longer messages hold a huge value and are clipped anyway


@dataclass(frozen=True)
class EngineError:
    """One error as jsonschema-rs reports it, in plain values."""

    instance_path: Path
    schema_path: Path  # the evaluation path, `$ref` hops kept ("/properties/a/$ref/type")
    keyword: str  # the failing keyword, or "false" for a `false` subschema
    message: str  # jsonschema-rs's wording
    document: str  # absolute URI of the schema document holding the keyword
    keyword_path: Path  # where the keyword is inside that document (JSON Pointer segments, as text)
    raw_context: Any = field(default=(), compare=False, repr=False)  # jsonschema-rs's, converted on demand

    @cached_property
    def context(self) -> tuple[tuple[EngineError, ...], ...]:
        """anyOf/oneOf: each branch's errors (converted only when asked: there can be very many)."""
        return tuple(tuple(e for sub in group for e in convert_each(sub)) for group in self.raw_context)


class Engine:
    """Validates instances against one compiled schema (safe to share across threads)."""

    def __init__(
        self, schema: Any, dialect: Dialect, *, formats: bool, retrieve: Callable[[str], Any]
    ) -> None:
        """Compile; raises jsonschema_rs.ReferencingError or ValueError (its ValidationError) if not."""
        self.dialect = dialect
        self.validator: Any = ENGINE_CLASS[dialect](
            schema, validate_formats=formats, retriever=retrieve, registry=bundled_registry(),
            pattern_options=LINEAR_REGEX, base_uri=PASTED_BASE,
        )

    def iter_errors(self, instance: Any, max_errors: int) -> tuple[list[EngineError], bool]:
        """The first `max_errors` errors in jsonschema-rs's order, and whether there were more.

        jsonschema-rs builds each error with all its anyOf/oneOf branch errors, recursively, and all
        of a keyword's errors before yielding the first (`islice` bounds the converting, not the
        building): the caller asks only when the schema's branch bound allows (schema_compile).
        With the cyclic GC running, building a million errors took 11 s and grew faster than their
        number (each error is a few Python objects, and every collection walks them all); paused,
        it is linear (~2.4 µs per error).
        """
        with collector_paused():
            found = list(islice(self.validator.iter_errors(instance), max_errors + 1))
        errors = [error for raw in found[:max_errors] for error in convert_each(raw, instance)]
        return errors[:max_errors], len(found) > max_errors or len(errors) > max_errors

    def is_valid(self, instance: Any) -> bool:
        """jsonschema-rs's verdict alone (no error is built: ~1000x cheaper than the first error)."""
        return bool(self.validator.is_valid(instance))


def convert(raw: Any) -> EngineError:
    """An EngineError from a jsonschema_rs.ValidationError (its branch errors converted on demand)."""
    evaluation = tuple(raw.evaluation_path)
    if raw.kind.name == "falseSchema" or not evaluation:
        keyword = FALSE_KEYWORD
    else:
        keyword = str(evaluation[-1])
    location = raw.absolute_keyword_location
    keyword_path: Path
    if location is None:  # only under jsonschema-rs's own default base, which we never use
        document, keyword_path = PASTED_BASE, tuple(map(str, raw.schema_path))
    else:
        document, _, fragment = location.partition("#")
        keyword_path = _pointer_segments(fragment)
    return EngineError(
        tuple(raw.instance_path), evaluation, keyword, readable_numbers(raw.message), document, keyword_path,
        getattr(raw.kind, "context", None) or (),
    )


def convert_each(raw: Any, instance: Any = None) -> list[EngineError]:
    """`convert`, with errors about object keys pointed at the offending key instead of the object.

    additionalProperties/unevaluatedProperties name their unexpected keys: one error per key, at
    that key, worded as jsonschema-rs words a single one ("Additional properties are not allowed
    ('extra' was unexpected)"). propertyNames names the key its inner error is about. A bare
    `additionalProperties: false` (no properties or patternProperties beside it) is reported by
    jsonschema-rs as one `false` schema error about the first value, at the object: given the
    `instance`, every key of that object is unexpected, and each gets its error.
    """
    error = convert(raw)
    kind = raw.kind
    if error.keyword == FALSE_KEYWORD and error.schema_path[-1:] == ("additionalProperties",):
        node = _at(instance, error.instance_path)
        if isinstance(node, dict) and node:
            return [replace(error, instance_path=(*error.instance_path, key), keyword="additionalProperties",
                            message=f"Additional properties are not allowed ('{key}' was unexpected)")
                    for key in node]
    elif error.keyword in KEY_KEYWORDS:
        unexpected = getattr(kind, "unexpected", None)
        if isinstance(unexpected, list) and unexpected and all(isinstance(k, str) for k in unexpected):
            head = error.message.split(" (", 1)[0]
            one = len(unexpected) == 1
            return [replace(error, instance_path=(*error.instance_path, key),
                            message=error.message if one else f"{head} ('{key}' was unexpected)")
                    for key in unexpected]
    elif kind.name == "propertyNames":
        key = getattr(getattr(kind, "error", None), "instance", None)
        if isinstance(key, str):
            return [replace(error, instance_path=(*error.instance_path, key))]
    return [error]


def _at(instance: Any, path: Path) -> Any:
    """The value at `path` in `instance`, or None when the path does not lead anywhere."""
    node = instance
    for part in path:
        found = (isinstance(node, dict) and isinstance(part, str) and part in node) or (
            isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node))
        if not found:
            return None
        node = node[part]
    return node


def readable_numbers(message: str) -> str:
    """The message with long floats written as Python writes them ("1e+25"), strings left alone."""
    if len(message) > TIDY_MAX_CHARS or ".0" not in message:
        return message

    def tidy(match: re.Match[str]) -> str:
        number = match.group(1)
        return match.group(0) if number is None else repr(float(number))

    return _STRING_OR_LONG_FLOAT.sub(tidy, message)


def _pointer_segments(fragment: str) -> Path:
    """The segments of a URI-fragment JSON Pointer ("/a~1b/%25" -> ("a/b", "%"))."""
    if not fragment:
        return ()
    return tuple(unquote(part).replace("~1", "/").replace("~0", "~") for part in fragment.split("/")[1:])


def document_places(resource_paths: Mapping[str, Path]) -> dict[str, Path]:
    """Absolute document URI (as jsonschema-rs names it) -> where that document is in the pasted schema.

    `resource_paths` is keyed like schema_refs.scan_refs keys documents: relative to no base,
    "" for the root without `$id`.
    """
    places: dict[str, Path] = {PASTED_BASE: ()}  # the root, unless its `$id` names it otherwise
    for uri, path in resource_paths.items():
        absolute = urljoin(PASTED_BASE, uri) if uri else PASTED_BASE
        places.setdefault(absolute, path)
        places.setdefault(uri, path)
    return places


def keyword_place(error: EngineError, schema: Any, places: Mapping[str, Path]) -> Path | None:
    """Where the failing keyword is written in the pasted `schema` (typed segments), if it is there.

    The place is checked against the schema itself: a keyword in a bundled metaschema or in a
    document given as a resource has no place in the pasted text. jsonschema-rs's location names
    a neighbour of the keyword in a few cases (`dependencies/0`, draft 4's boolean
    `exclusiveMaximum` as `maximum`, `propertyNames` for the keyword inside it): the keyword
    is then looked for at that place, beside it and inside it, and nowhere else.
    """
    start = places.get(error.document)
    if start is None:
        return None
    path: list[str | int] = list(start)
    nodes = [schema]
    for segment in start:  # the document's own place, found by scanning this schema
        nodes.append(nodes[-1][segment])
    resolved = True
    for segment in error.keyword_path:
        node = nodes[-1]
        if isinstance(node, dict) and segment in node:
            path.append(segment)
        elif isinstance(node, list) and _index(segment) < len(node):
            path.append(_index(segment))
        else:
            resolved = False
            break
        nodes.append(node[path[-1]])
    keyword = error.keyword
    if keyword == FALSE_KEYWORD:
        return tuple(path) if resolved and nodes[-1] is False else None
    if resolved and path and path[-1] == keyword:
        return tuple(path)
    if keyword in path:  # the location went past the keyword (`dependencies/0`)
        return tuple(path[: len(path) - path[::-1].index(keyword)])
    if not resolved:
        return None
    if len(nodes) > 1 and isinstance(nodes[-2], dict) and keyword in nodes[-2]:  # beside it
        return (*path[:-1], keyword)
    if isinstance(nodes[-1], dict) and keyword in nodes[-1]:  # inside it
        return (*path, keyword)
    return None


def _index(segment: str | int) -> int:
    """A JSON Pointer array index (ASCII digits), or a number no array reaches."""
    text = str(segment)
    return int(text) if text.isascii() and text.isdigit() else 1 << 62


def best_match(errors: Sequence[EngineError]) -> EngineError | None:
    """The error to show first, by a fixed rule (the same errors always give the same answer).

    Among `errors` (given in document order): the one highest up in the instance (more is wrong
    there); at the same place a wrong type first (the other errors there often follow from it)
    and anyOf/oneOf last; then the first. Into an anyOf/oneOf: the branch that got furthest, i.e.
    whose best error is deepest in the instance and is not a type mismatch; when two branches
    tie, the anyOf/oneOf error itself stays.
    """
    if not errors:
        return None
    best = min(errors, key=lambda e: (len(e.instance_path), e.keyword != "type", e.keyword in WEAK))
    while best.context:
        branches = sorted((min(map(_branch_rank, group)), i) for i, group in enumerate(best.context) if group)
        if not branches or (len(branches) > 1 and branches[0][0] == branches[1][0]):
            break
        rank, index = branches[0]
        best = next(e for e in best.context[index] if _branch_rank(e) == rank)
    return best


def _branch_rank(error: EngineError) -> tuple[int, bool, bool]:
    return -len(error.instance_path), error.keyword in MISMATCH, error.keyword in WEAK
