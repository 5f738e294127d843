"""DESIGN §2: nested anyOf/oneOf must not make one small request hold a worker.

jsonschema-rs builds every anyOf/oneOf error with all its branches' errors, recursively, even for
its first error (`validate`, `islice(iter_errors, 1)`): a 1 KB schema chaining `$ref`'d anyOf of 3
branches thirteen levels deep took ~50 s to explain the instance `1`, and each level more multiplies
that by 3. `is_valid` walks every branch too (~1000x cheaper per branch). The schema's static
bound (schema_refs.branch_bound) now decides how much may be asked of jsonschema-rs.

Each attack below took 20 s to minutes before; the bound here (2 s) is generous for a loaded
2-core CI machine and still catches the growth. The verdict is always jsonschema-rs's `is_valid`.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from typing import Any

import jsonschema_rs
import pytest

from toolbox.core.json.schema_refs import BRANCH_CAP, branch_bound
from toolbox.core.json.validate import validate

LEVELS = 13  # 3^14 branch errors: ~50 s to build before (12 levels: ~18 s); `is_valid`: ~60 ms
BOUND_S = 2.0
EXPLAINED_NOTE = "explaining every branch could take exponential time"
UNDECIDED_NOTE = "The instance was not validated"
D2020 = "https://json-schema.org/draft/2020-12/schema"


def ref_chain(levels: int, keyword: str = "anyOf", wrap: Callable[[dict], dict] = lambda s: s) -> dict:
    """`$defs` a0..a{levels-1}: a_i = {keyword: 3 x {"$ref": a_{i+1}}}; the last one is a string."""
    defs: dict[str, Any] = {f"a{i}": wrap({keyword: [{"$ref": f"#/$defs/a{i + 1}"}] * 3}) for i in range(levels)}
    defs[f"a{levels}"] = {"type": "string"}
    return {"$schema": D2020, "$ref": "#/$defs/a0", "$defs": defs}


def ref_chain_through(levels: int, step: Callable[[dict], dict]) -> dict:
    """Like ref_chain, with each branch going one level down the instance (`items`, `properties`)."""
    defs: dict[str, Any] = {f"a{i}": {"anyOf": [step({"$ref": f"#/$defs/a{i + 1}"})] * 3} for i in range(levels)}
    defs[f"a{levels}"] = {"type": "string"}
    return {"$schema": D2020, "$ref": "#/$defs/a0", "$defs": defs}


def inline_tree(levels: int) -> dict:
    """anyOf of 3 copies of itself, written out (no `$ref`): 3^levels leaves."""
    schema: dict[str, Any] = {"type": "string"}
    for _ in range(levels):
        schema = {"anyOf": [schema] * 3}
    return schema


def nested_arrays(depth: int) -> Any:
    value: Any = 1
    for _ in range(depth):
        value = [value]
    return value


def nested_objects(depth: int) -> Any:
    value: Any = 1
    for _ in range(depth):
        value = {"x": value}
    return value


# A schema that refers to itself: the recursion is bounded by the instance's depth.
RECURSIVE_REF = {"$schema": D2020, "type": "array", "anyOf": [{"items": {"$ref": "#"}}] * 3}
DYNAMIC_REF = {"$schema": D2020, "$dynamicAnchor": "node", "type": "array",
               "anyOf": [{"items": {"$dynamicRef": "#node"}}] * 3}
RECURSIVE_2019 = {"$schema": "https://json-schema.org/draft/2019-09/schema", "$recursiveAnchor": True,
                  "type": "array", "anyOf": [{"items": {"$recursiveRef": "#"}}] * 3}

ATTACKS: dict[str, tuple[dict, Any]] = {
    "anyOf via $ref": (ref_chain(LEVELS), 1),
    "oneOf via $ref": (ref_chain(LEVELS, "oneOf"), 1),
    "anyOf in allOf wrappers": (ref_chain(LEVELS, wrap=lambda s: {"allOf": [s]}), 1),
    "oneOf in allOf wrappers": (ref_chain(LEVELS, "oneOf", wrap=lambda s: {"allOf": [{"allOf": [s]}]}), 1),
    "anyOf through items": (ref_chain_through(LEVELS, lambda r: {"items": r}), nested_arrays(LEVELS)),
    "anyOf through properties": (ref_chain_through(LEVELS, lambda r: {"properties": {"x": r}}),
                                 nested_objects(LEVELS)),
    "recursive $ref, deep instance": (RECURSIVE_REF, nested_arrays(LEVELS)),
    "$dynamicRef, deep instance": (DYNAMIC_REF, nested_arrays(LEVELS)),
    "$recursiveRef, deep instance": (RECURSIVE_2019, nested_arrays(LEVELS)),
    # Inline: linear in the schema's size, but each of the 2000 values' errors carries 3^8 branch errors,
    # and jsonschema-rs builds them all before it yields the first (islice does not help).
    "inline anyOf tree, many values": ({"$schema": D2020, "items": inline_tree(8)}, [1] * 2000),
}


def _is_valid(schema: dict, instance: Any) -> bool:
    return bool(jsonschema_rs.validator_for(schema).is_valid(instance))


def _timed(instance: Any, schema: dict) -> tuple[float, Any]:
    start = time.perf_counter()
    result = validate(json.dumps(instance), json.dumps(schema))
    return time.perf_counter() - start, result


@pytest.mark.parametrize("name", sorted(ATTACKS))
def test_nested_branches_are_explained_in_bounded_time(name: str) -> None:
    schema, instance = ATTACKS[name]
    elapsed, result = _timed(instance, schema)
    assert elapsed < BOUND_S, f"{name}: {elapsed:.1f} s"
    assert result.valid is _is_valid(schema, instance) is False
    assert result.errors and result.best_match is not None
    assert result.engine == "jsonschema-rs"


@pytest.mark.parametrize("name", ["anyOf via $ref", "anyOf in allOf wrappers", "anyOf through items"])
def test_a_valid_instance_is_still_valid(name: str) -> None:
    schema, instance = ATTACKS[name]
    valid = "a" if instance == 1 else json.loads(json.dumps(instance).replace("1", '"a"'))
    elapsed, result = _timed(valid, schema)
    assert elapsed < BOUND_S
    assert result.valid is _is_valid(schema, valid) is True
    assert not result.errors


def test_past_the_explanation_limit_only_the_verdict_is_given_with_a_note() -> None:
    _elapsed, result = _timed(1, ref_chain(LEVELS))
    assert len(result.errors) == 1 and result.errors_truncated
    assert any(EXPLAINED_NOTE in note for note in result.notes)


def test_a_little_branching_over_a_few_values_is_still_explained_fully() -> None:
    schema = {"items": inline_tree(2)}  # 13 evaluations per value
    _elapsed, result = _timed([1] * 10, schema)
    assert result.valid is False and not result.notes
    assert len(result.errors) == 10 and result.best_match is not None
    _elapsed, result = _timed([1] * 2000, schema)  # 26,000 branch errors: the verdict only
    assert result.valid is False and len(result.errors) == 1
    assert any(EXPLAINED_NOTE in note for note in result.notes)


@pytest.mark.parametrize("schema, instance", [
    (ref_chain(24), 1),  # `is_valid` alone: 3^24 branches (hours)
    (RECURSIVE_REF, nested_arrays(40)),  # 3^40
    (DYNAMIC_REF, nested_arrays(200)),
])
def test_beyond_what_even_is_valid_can_walk_the_instance_is_not_validated(schema: dict, instance: Any) -> None:
    elapsed, result = _timed(instance, schema)
    assert elapsed < BOUND_S
    assert result.valid is False and not result.errors and result.engine == ""
    assert any(UNDECIDED_NOTE in note for note in result.notes)


def test_a_shallow_instance_of_a_branching_recursive_schema_is_explained_fully() -> None:
    _elapsed, result = _timed(nested_arrays(2), RECURSIVE_REF)
    assert result.valid is False and not result.notes
    assert result.errors and result.best_match is not None and result.best_match.keyword == "anyOf"
    assert result.best_match.message.startswith("[[1]] is not valid under any of")  # jsonschema-rs's words


def test_ordinary_schemas_keep_every_error_and_the_best_match() -> None:
    schema = {"type": "array", "items": {"anyOf": [{"type": "string"}, {"type": "object", "required": ["a"]}]}}
    _elapsed, result = _timed([1, {}, "ok", 2], schema)
    assert result.valid is False and not result.notes and not result.errors_truncated
    assert [e.instance_path for e in result.errors] == ["/0", "/1", "/3"]
    assert result.best_match is not None and result.best_match.instance_path == "/0"
    assert [e.keyword for e in result.errors] == ["anyOf"] * 3


# --- the bound itself ---------------------------------------------------------------------------

def test_the_bound_multiplies_along_references() -> None:
    for levels in (3, 6):
        assert branch_bound(ref_chain(levels), "draft2020-12").most >= 3 ** levels


def test_the_bound_of_a_recursive_schema_grows_with_the_instance_depth() -> None:
    bound = branch_bound(RECURSIVE_REF, "draft2020-12")
    assert not bound.converged and bound.at_depth(500) == BRANCH_CAP
    assert bound.at_depth(3) >= 3 ** 3 and bound.at_depth(4) >= 3 * bound.at_depth(3)


def test_ordinary_recursion_and_distinct_properties_do_not_add_up() -> None:
    tree = {"type": "object", "properties": {"name": {"type": "string"},
                                             "children": {"type": "array", "items": {"$ref": "#"}}}}
    bound = branch_bound(tree, "draft2020-12")
    assert bound.converged and bound.most <= 3
    wide = {"properties": {f"p{i}": {"anyOf": [{"type": "string"}, {"type": "null"}]} for i in range(100)}}
    assert branch_bound(wide, "draft2020-12").most <= 3
    overlapping = {"properties": {"a": {"$ref": "#/$defs/x"}}, "patternProperties": {"^a": {"$ref": "#/$defs/x"}},
                   "$defs": {"x": {"anyOf": [{"type": "string"}, {"type": "null"}]}}}
    assert branch_bound(overlapping, "draft2020-12").most >= 6


def test_a_schema_applying_itself_in_place_has_no_finite_bound() -> None:
    assert branch_bound({"anyOf": [{"$ref": "#"}]}, "draft2020-12").most == BRANCH_CAP
