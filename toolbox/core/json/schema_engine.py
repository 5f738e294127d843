"""Two engines, one answer: jsonschema-rs finds the errors fast; jsonschema (the reference) words them.

jsonschema alone needs ~2.6 s for the 5 MB benchmark; jsonschema-rs ~25 ms. We run jsonschema-rs
over the whole instance, then *replay* each error it reports in jsonschema: follow the error's
evaluation path (keyword by keyword, through `$ref` with jsonschema's own resolver) to the
failing keyword and run only that keyword there. The errors are then jsonschema's own
`ValidationError`s (messages, context, best_match), computed on a few small subtrees.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from functools import cache
from itertools import islice
from typing import Any, NamedTuple

import jsonschema_rs
import referencing
import referencing.jsonschema
from jsonschema import FormatChecker, validators  # type: ignore[import-untyped]
from jsonschema.exceptions import ValidationError  # type: ignore[import-untyped]
from jsonschema.protocols import Validator as ReferenceValidator  # type: ignore[import-untyped]
from referencing.jsonschema import lookup_recursive_ref

from toolbox.core.json.dialects import FAST_CLASS, METASCHEMA_URI, REFERENCE_CLASS
from toolbox.core.json.model import Dialect

# User regexes run only in the `regex` crate's linear-time engine (compiled size capped). The default,
# fancy-regex, backtracks for look-around and back-references: `^(a|aa)*\1$` took ~40 ms per string,
# minutes over a few thousand strings. Such patterns are refused when the schema is compiled.
LINEAR_REGEX = jsonschema_rs.RegexOptions(size_limit=2 << 20, dfa_size_limit=2 << 20)
# jsonschema checks these with a general parser (rfc3987-syntax) that takes ~0.1 s per 100 characters
# and grows faster than the input; jsonschema-rs checks them in linear time.
SLOW_FORMATS = frozenset({"iri", "iri-reference"})
# Replays stop after this long in all (the rest keep jsonschema-rs's wording), and skip subtrees
# bigger than this many nodes: jsonschema must never get to do the slow full run by the back door.
REPLAY_BUDGET_S = 0.2
REPLAY_MAX_NODES = 2000
_FALSE = "false"  # our keyword for "the schema here is `false`"
# Keywords whose jsonschema implementation runs no user regex and evaluates no subschema.
_PLAIN_TERMINALS = frozenset({
    "type", "enum", "const", "required", "minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum",
    "multipleOf", "minLength", "maxLength", "minItems", "maxItems", "uniqueItems", "minProperties",
    "maxProperties", "dependentRequired", "format", "pattern", _FALSE,
})
# Keywords that always fail as a whole at the instance they apply to.
_WHOLE = frozenset({"contains", "propertyNames", "anyOf", "oneOf", "not"})
# Applicators the walk steps through: keyed/indexed ones take the next path segment as the key.
_KEYED = frozenset({
    "properties", "patternProperties", "dependentSchemas", "dependencies", "allOf", "prefixItems",
})
_SINGLE = frozenset({"additionalProperties", "unevaluatedProperties", "items", "additionalItems",
                     "unevaluatedItems", "if", "then", "else"})
# Applicators that also step into the instance (along the error's instance path).
_INSTANCE_STEP = frozenset({
    "properties", "patternProperties", "additionalProperties", "unevaluatedProperties",
    "prefixItems", "items", "additionalItems", "unevaluatedItems",
})


class Unreplayable(Exception):
    """The error's path is not one the replay follows; keep jsonschema-rs's wording."""


class Walk(NamedTuple):
    """Where an error's evaluation path leads in jsonschema: subschema, resolver, instance, keyword."""

    schema: Any
    resolver: Any
    instance: Any
    instance_prefix: tuple[Any, ...]
    schema_prefix: tuple[Any, ...]
    keyword: str
    key: tuple[Any, ...]  # the same key means the same replay


@cache
def reference_class(dialect: Dialect) -> type[ReferenceValidator]:
    """jsonschema's class for the dialect, with `$ref` hops kept in error schema paths.

    jsonschema leaves `$ref` out of `schema_path`; the standard evaluation path (and
    jsonschema-rs) keep it, so paths from either engine read the same.
    """
    base = REFERENCE_CLASS[dialect]
    follow = base.VALIDATORS["$ref"]

    def ref(validator: Any, value: Any, instance: Any, schema: Any) -> Iterator[ValidationError]:
        for error in follow(validator, value, instance, schema) or ():
            error.schema_path.appendleft("$ref")
            yield error

    return validators.extend(base, validators={"$ref": ref})  # type: ignore[no-any-return]


class Engine:
    """Validates instances against one schema; all errors as jsonschema ValidationErrors."""

    def __init__(
        self,
        schema: Any,
        dialect: Dialect,
        *,
        formats: bool,
        retrieve: Callable[[str], Any],
        registry: referencing.Registry[Any],
        trusted_regexes: bool,
    ) -> None:
        cls = reference_class(dialect)
        checker = None
        if formats:  # jsonschema's checkers minus the super-linear ones (jsonschema-rs still checks those)
            names = [name for name in cls.FORMAT_CHECKER.checkers if name not in SLOW_FORMATS]
            checker = FormatChecker(names)
        self.reference: Any = cls(schema, registry=registry, format_checker=checker)
        self.spec = referencing.jsonschema.specification_with(METASCHEMA_URI[dialect])
        self.trusted_regexes = trusted_regexes
        self.dialect = dialect
        self.fast: Any = None
        self.fast_error: Exception | None = None
        try:
            self.fast = FAST_CLASS[dialect](schema, validate_formats=formats, retriever=retrieve,
                                            pattern_options=LINEAR_REGEX)
        except (jsonschema_rs.ValidationError, jsonschema_rs.ReferencingError, ValueError) as exc:
            self.fast_error = exc

    def iter_errors(self, instance: Any, max_errors: int) -> tuple[list[ValidationError], bool, list[str]]:
        """The first `max_errors` errors, in jsonschema's words where they could be replayed there.

        Also returns whether there were more, and the instance paths where only jsonschema-rs
        sees an error (it keeps its own wording there): the engines disagree.
        """
        if self.fast is None:
            first = list(islice(self.reference.iter_errors(instance), max_errors + 1))
            return first[:max_errors], len(first) > max_errors, []
        found = list(islice(self.fast.iter_errors(instance), max_errors + 1))
        more = len(found) > max_errors
        fast_only: list[str] = []
        errors: list[ValidationError] = []
        replayed_keys: set[tuple[Any, ...]] = set()
        deadline = time.monotonic() + REPLAY_BUDGET_S
        for raw in found[:max_errors]:
            try:
                walk = self._walk(instance, raw)
            except Unreplayable:
                errors.append(self._convert(raw))
                continue
            if walk.key in replayed_keys:
                continue  # one replay words every error of that keyword at that place
            try:
                if time.monotonic() > deadline:
                    raise Unreplayable("replay budget spent")
                replayed = self._replay(walk)
            except Unreplayable:
                errors.append(self._convert(raw, walk.schema))
                continue
            if replayed:
                replayed_keys.add(walk.key)
                errors.extend(replayed)
            else:  # jsonschema accepts what jsonschema-rs rejects (e.g. a stricter format check)
                fast_only.append("/" + "/".join(map(str, raw.instance_path)))
                errors.append(self._convert(raw, walk.schema))
        return errors, more, fast_only

    def _walk(self, root: Any, raw: Any) -> Walk:
        """Follow a jsonschema-rs error's evaluation path with jsonschema's resolver.

        Mirrors jsonschema's `descend`: `$ref`s are looked up (keeping the dynamic scope),
        other subschemas enter `in_subresource`, and the instance follows the instance path.
        """
        if raw.kind.name in ("backtrackLimitExceeded", "regexEngineFailure", "referencing", "custom"):
            raise Unreplayable(raw.kind.name)
        segments = list(raw.evaluation_path)
        wanted = list(raw.instance_path)
        schema: Any = self.reference.schema
        resolver = self.reference._resolver
        instance, consumed, i = root, 0, 0
        try:
            while True:
                if i == len(segments):  # the path ended on a subschema: it is `false`
                    keyword = _FALSE
                    break
                keyword = segments[i]
                if keyword in ("minContains", "maxContains"):
                    keyword = "contains"
                if i == len(segments) - 1 or keyword in _WHOLE:
                    break
                if keyword in ("$ref", "$dynamicRef", "$recursiveRef"):
                    if keyword == "$recursiveRef":
                        resolved = lookup_recursive_ref(resolver)
                    else:
                        resolved = resolver.lookup(schema[keyword])
                    schema, resolver, i = resolved.contents, resolved.resolver, i + 1
                    continue
                value = schema[keyword]
                step = 1
                if keyword in _KEYED or (keyword == "items" and isinstance(value, list)):
                    value, step = value[segments[i + 1]], 2
                elif keyword not in _SINGLE:
                    raise Unreplayable(keyword)
                if keyword in _INSTANCE_STEP:
                    instance = instance[wanted[consumed]]
                    consumed += 1
                i += step
                schema = value
                if isinstance(value, dict):
                    resolver = resolver.in_subresource(self.spec.create_resource(value))
        except (LookupError, TypeError, referencing.exceptions.Unresolvable) as exc:
            raise Unreplayable(repr(exc)) from None
        if keyword in ("exclusiveMaximum", "exclusiveMinimum") and self.dialect == "draft4":
            keyword = "maximum" if keyword == "exclusiveMaximum" else "minimum"  # draft 4: booleans
        prefix = tuple(wanted[:consumed])
        key = (tuple(map(str, prefix)), tuple(map(str, segments[:i])), keyword)
        return Walk(schema, resolver, instance, prefix, tuple(segments[:i]), keyword, key)

    def _replay(self, walk: Walk) -> list[ValidationError]:
        """Run the failing keyword in jsonschema where the walk arrived; errors get full paths."""
        keyword, schema, instance = walk.keyword, walk.schema, walk.instance
        if keyword not in _PLAIN_TERMINALS and (not self.trusted_regexes or not _small(instance)):
            raise Unreplayable(keyword)  # it would evaluate subschemas: user regexes, big subtrees
        if keyword in ("format", "pattern", "enum", "const", "uniqueItems") and not _small(instance):
            raise Unreplayable(keyword)
        if keyword == "format" and isinstance(schema, dict) and schema.get("format") in SLOW_FORMATS:
            raise Unreplayable("format")  # jsonschema-rs's wording: jsonschema's check is too slow
        if keyword == _FALSE:
            if schema is not False:
                raise Unreplayable("not a false schema")
            errors = [ValidationError(f"False schema does not allow {instance!r}", validator=None,
                                      validator_value=None, instance=instance, schema=False)]
        elif keyword == "pattern":  # worded here: jsonschema would run the user's regex with `re`
            error = ValidationError(f"{instance!r} does not match {schema['pattern']!r}")
            error._set(validator="pattern", validator_value=schema["pattern"], instance=instance,
                       schema=schema, type_checker=self.reference.TYPE_CHECKER)
            error.schema_path.appendleft("pattern")
            errors = [error]
        else:
            errors = self._run_keyword(schema, walk.resolver, keyword, instance)
        for error in errors:
            error.path.extendleft(reversed(walk.instance_prefix))
            error.schema_path.extendleft(reversed(walk.schema_prefix))
        return errors

    def _run_keyword(self, schema: Any, resolver: Any, keyword: str, instance: Any) -> list[ValidationError]:
        """What jsonschema's `descend` does for one keyword of one subschema."""
        evolved = self.reference.evolve(schema=schema, _resolver=resolver)
        function = evolved.VALIDATORS.get(keyword)
        if function is None or not isinstance(schema, dict) or keyword not in schema:
            raise Unreplayable(keyword)
        value = schema[keyword]
        try:
            errors = list(function(evolved, value, instance, schema) or ())
        # ArithmeticError: Decimal operands beyond its context (1e400 % 3); AttributeError and
        # TypeError: values jsonschema assumes were checked by a metaschema (a draft-4 `$ref: 5`).
        except (RecursionError, ValueError, TypeError, LookupError, ArithmeticError, AttributeError) as exc:
            raise Unreplayable(repr(exc)) from None
        for error in errors:
            error._set(validator=keyword, validator_value=value, instance=instance, schema=schema,
                       type_checker=evolved.TYPE_CHECKER)
            if keyword not in ("if", "$ref"):
                error.schema_path.appendleft(keyword)
        return errors

    def _convert(self, raw: Any, schema: Any = None, parent: Any = None) -> ValidationError:
        """A jsonschema ValidationError from a jsonschema-rs error (its wording kept)."""
        path = list(raw.instance_path)
        schema_path = list(raw.evaluation_path)
        if parent is not None:  # context errors are relative to their anyOf/oneOf
            above, via = list(parent.instance_path), list(parent.evaluation_path)
            path = path[len(above):] if path[: len(above)] == above else path
            schema_path = schema_path[len(via):] if schema_path[: len(via)] == via else schema_path
        keyword = str(schema_path[-1]) if schema_path else _FALSE
        if raw.kind.name == "falseSchema":
            keyword = _FALSE
        context = [
            self._convert(sub, parent=raw)
            for group in (getattr(raw.kind, "context", None) or ())
            for sub in group
        ]
        return ValidationError(
            raw.message, validator=keyword, path=path, schema_path=schema_path, context=context,
            instance=raw.instance, schema=schema if schema is not None else {}, validator_value=None,
            type_checker=self.reference.TYPE_CHECKER,
        )


def _small(value: Any) -> bool:
    """Whether a value has at most REPLAY_MAX_NODES nodes and short strings (bounded look)."""
    budget = REPLAY_MAX_NODES
    stack = [value]
    while stack:
        item = stack.pop()
        budget -= 1
        if budget < 0:
            return False
        if isinstance(item, str) and len(item) > 10_000:
            return False
        if isinstance(item, dict):
            stack.extend(item.keys())
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
    return True

