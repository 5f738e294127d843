"""Schema compatibility (core/json/compat.py), checked by an independent oracle.

Every example reported for a breaking change is validated with the reference Python `jsonschema`
(and its format checker): a request-direction example is valid against the old schema and invalid
against the new one; a response-direction example the other way round. Hypothesis makes random
schema pairs (a schema from a small grammar and a mutation of it) and checks that oracle for every
example, and that a direction called compatible keeps documents valid (documents near the schema,
valid under the old one, stay valid under the new one for the request direction, and the reverse).
"""

from __future__ import annotations

import json
from typing import Any

import jsonschema
import msgspec
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from toolbox.core.json.compat import MAX_CHANGES, Comparison, CompatSchemaError, compare_texts
from toolbox.core.json.compat_values import pattern_sample
from toolbox.core.json.validate import validate

REFERENCE = jsonschema.Draft202012Validator
EXACT = msgspec.json.Encoder(decimal_format="number")


def valid(schema: Any, document: Any) -> bool:
    """The reference library's verdict (formats asserted, as the app does by default)."""
    validator = jsonschema.validators.validator_for(schema, default=REFERENCE)
    return bool(validator(schema, format_checker=validator.FORMAT_CHECKER).is_valid(document))


def run(old: Any, new: Any, **options: Any) -> Comparison:
    return compare_texts(json.dumps(old), json.dumps(new), **options)


def oracle(old: Any, new: Any, comparison: Comparison) -> None:
    """Every reported example passes the reference library's check for its direction."""
    for entry in comparison.entries:
        if entry.verdict != "breaking":
            assert not entry.has_example
            continue
        assert entry.has_example, entry
        document = json.loads(_text(entry.example))
        accepting, rejecting = (old, new) if entry.direction == "request" else (new, old)
        assert valid(accepting, document), (entry, document)
        assert not valid(rejecting, document), (entry, document)


def _text(value: Any) -> str:
    return EXACT.encode(value).decode()


def kinds(comparison: Comparison) -> dict[tuple[str, str], str]:
    return {(e.kind, e.direction): e.verdict for e in comparison.entries}


ORDER_OLD = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "type": "object", "required": ["id", "items"], "additionalProperties": False,
    "properties": {
        "id": {"type": "string", "pattern": "^ord-[0-9]{4}$"},
        "status": {"enum": ["new", "paid", "shipped"]},
        "total": {"type": "number", "minimum": 0},
        "note": {"type": ["string", "null"], "maxLength": 200},
        "coupon": {"type": "string"},
        "items": {"type": "array", "minItems": 1, "items": {"$ref": "#/$defs/line"}},
    },
    "$defs": {"line": {"type": "object", "required": ["sku", "qty"],
                       "properties": {"sku": {"type": "string"},
                                      "qty": {"type": "integer", "minimum": 1, "maximum": 100}}}},
}
ORDER_NEW = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "type": "object", "required": ["id", "items", "currency"], "additionalProperties": False,
    "properties": {
        "id": {"type": "string", "pattern": "^ord-[0-9]{4}$"},
        "status": {"enum": ["new", "paid", "cancelled"]},
        "total": {"type": "number", "minimum": 0},
        "note": {"type": "string", "maxLength": 500},
        "currency": {"type": "string", "enum": ["EUR", "USD"]},
        "items": {"type": "array", "minItems": 1, "items": {"$ref": "#/$defs/line"}},
    },
    "$defs": {"line": {"type": "object", "required": ["sku", "qty"],
                       "properties": {"sku": {"type": "string"},
                                      "qty": {"type": "integer", "minimum": 1, "maximum": 10}}}},
}


def test_a_realistic_pair_every_change_classified_and_every_example_checked() -> None:
    result = run(ORDER_OLD, ORDER_NEW)
    oracle(ORDER_OLD, ORDER_NEW, result)
    found = kinds(result)
    assert found[("required-added", "request")] == "breaking"
    assert found[("required-added", "response")] == "compatible"
    assert found[("enum-value-removed", "request")] == "breaking"
    assert found[("enum-value-added", "response")] == "breaking"
    assert found[("type-narrowed", "request")] == "breaking"
    assert found[("maxLength-raised", "response")] == "breaking"
    assert found[("maxLength-raised", "request")] == "compatible"
    assert found[("maximum-lowered", "request")] == "breaking"
    assert found[("property-removed", "request")] == "breaking"
    assert found[("property-added", "response")] == "breaking"
    assert result.verdicts == {"request": "breaking", "response": "breaking"}
    qty = next(e for e in result.entries if e.kind == "maximum-lowered" and e.direction == "request")
    assert qty.path == "/items/*/qty" and qty.old_pointer == "/$defs/line/properties/qty/maximum"
    assert qty.example["items"][0]["qty"] > 10


def test_identical_and_annotation_only_changes_are_compatible() -> None:
    described = json.loads(json.dumps(ORDER_OLD))
    described["description"] = "An order"
    described["properties"]["id"]["examples"] = ["ord-0001"]
    result = run(ORDER_OLD, described)
    assert result.entries == () and result.verdicts == {"request": "compatible", "response": "compatible"}


def test_a_ref_inlined_is_no_change() -> None:
    inlined = json.loads(json.dumps(ORDER_OLD))
    inlined["properties"]["items"]["items"] = ORDER_OLD["$defs"]["line"]
    assert run(ORDER_OLD, inlined).entries == ()


CASES = [
    ({"type": "integer"}, {"type": "number"}, ("type-widened", "response")),
    ({"type": "number"}, {"type": "integer"}, ("type-narrowed", "request")),
    ({"type": ["string", "null"]}, {"type": "string"}, ("type-narrowed", "request")),
    ({"enum": [1, 2, 3]}, {"enum": [1, 2]}, ("enum-value-removed", "request")),
    ({"enum": [1, 2]}, {"enum": [1.0, 2, 3]}, ("enum-value-added", "response")),
    ({"type": "string"}, {"type": "string", "enum": ["a"]}, ("enum-added", "request")),
    ({"type": "string"}, {"type": "string", "const": "a"}, ("const-added", "request")),
    ({"const": "a"}, {"const": "b"}, ("const-changed", "request")),
    ({"const": "a"}, {"const": "b"}, ("const-changed", "response")),
    ({"type": "integer", "minimum": 1}, {"type": "integer", "minimum": 5}, ("minimum-raised", "request")),
    ({"type": "integer", "minimum": 5}, {"type": "integer", "minimum": 1}, ("minimum-lowered", "response")),
    ({"type": "number", "maximum": 10}, {"type": "number", "exclusiveMaximum": 10}, ("maximum-lowered", "request")),
    ({"type": "number"}, {"type": "number", "maximum": 0.5}, ("maximum-added", "request")),
    ({"type": "number", "exclusiveMinimum": 0}, {"type": "number"}, ("minimum-removed", "response")),
    ({"type": "integer", "multipleOf": 2}, {"type": "integer", "multipleOf": 4}, ("multipleOf-changed", "request")),
    ({"type": "number", "multipleOf": 0.5}, {"type": "number", "multipleOf": 0.25},
     ("multipleOf-changed", "response")),
    ({"type": "string", "minLength": 1}, {"type": "string", "minLength": 3}, ("minLength-raised", "request")),
    ({"type": "string", "maxLength": 3}, {"type": "string"}, ("maxLength-removed", "response")),
    ({"type": "array", "maxItems": 5}, {"type": "array", "maxItems": 2}, ("maxItems-lowered", "request")),
    ({"type": "array"}, {"type": "array", "uniqueItems": True}, ("uniqueItems-added", "request")),
    ({"type": "object"}, {"type": "object", "minProperties": 2}, ("minProperties-added", "request")),
    ({"type": "string"}, {"type": "string", "pattern": "^[a-z]+$"}, ("pattern-added", "request")),
    ({"type": "string", "pattern": "^[a-z]+$"}, {"type": "string", "pattern": "^[a-z0-9]+$"},
     ("pattern-changed", "response")),
    ({"type": "string"}, {"type": "string", "format": "date"}, ("format-added", "request")),
    ({"type": "string", "format": "date"}, {"type": "string", "format": "email"}, ("format-changed", "request")),
    ({"type": "object", "properties": {"a": {}}}, {"type": "object", "properties": {"a": {}},
                                                   "additionalProperties": False},
     ("additionalProperties-closed", "request")),
    ({"properties": {"a": {"type": "string"}}, "additionalProperties": False}, {"properties": {"a": {}}},
     ("additionalProperties-opened", "response")),
    ({"properties": {"a": {"type": "string"}}}, {"properties": {}}, ("property-removed", "response")),
    ({"properties": {}}, {"properties": {"a": {"type": "string"}}}, ("property-added", "request")),
    ({"required": ["a"]}, {"required": []}, ("required-removed", "response")),
    ({"type": "array", "items": {"type": "integer"}}, {"type": "array", "items": {"type": "string"}},
     ("type-narrowed", "request")),
    ({"type": "array", "prefixItems": [{"type": "integer"}]},
     {"type": "array", "prefixItems": [{"type": "integer"}, {"type": "string"}]}, ("items-constrained", "request")),
    ({"type": "array", "prefixItems": [{"type": "integer"}], "items": False},
     {"type": "array", "prefixItems": [{"type": "integer"}]}, ("items-opened", "response")),
    ({"anyOf": [{"type": "string"}, {"type": "integer", "maximum": 5}]},
     {"anyOf": [{"type": "string"}, {"type": "integer", "maximum": 3}]}, ("maximum-lowered", "request")),
    ({"allOf": [{"type": "object"}, {"required": ["a"]}]}, {"allOf": [{"type": "object"}, {"required": []}]},
     ("required-removed", "response")),
    (True, False, ("now-forbidden", "request")),
    (False, {"type": "string"}, ("now-allowed", "response")),
    ({"properties": {"名前": {"type": "string"}, "a/b~c": {"type": "integer"}}},
     {"properties": {"名前": {"type": "integer"}, "a/b~c": {"type": "integer", "maximum": 1}}},
     ("maximum-added", "request")),
]


@pytest.mark.parametrize(("old", "new", "expected"), CASES, ids=[f"{c[2][0]}-{c[2][1]}" for c in CASES])
def test_each_kind_of_change(old: Any, new: Any, expected: tuple[str, str]) -> None:
    result = run(old, new)
    oracle(old, new, result)
    assert kinds(result).get(expected) == "breaking", [(e.kind, e.direction, e.verdict) for e in result.entries]
    other = "response" if expected[1] == "request" else "request"
    if expected[0] not in ("const-changed", "pattern-changed", "format-changed", "multipleOf-changed"):
        assert kinds(result)[(expected[0], other)] == "compatible"


def test_non_ascii_names_are_escaped_pointers() -> None:
    old, new = CASES[-1][0], CASES[-1][1]
    result = run(old, new)
    paths = {e.path for e in result.entries}
    assert paths == {"/名前", "/a~1b~0c"}
    assert {e.new_pointer for e in result.entries} == {"/properties/名前/type", "/properties/a~1b~0c/maximum"}


def test_oneof_not_and_pattern_properties_are_unknown_unless_an_example_proves_it() -> None:
    old = {"oneOf": [{"type": "integer"}, {"type": "number", "maximum": 5}]}
    new = {"oneOf": [{"type": "integer"}, {"type": "number", "maximum": 10}]}
    result = run(old, new)
    oracle(old, new, result)
    verdicts = {e.direction: e.verdict for e in result.entries if e.kind == "oneOf-changed"}
    assert verdicts["request"] in ("unknown", "breaking") and verdicts["response"] in ("unknown", "breaking")
    assert "compatible" not in verdicts.values()
    old = {"patternProperties": {"^x": {"type": "integer"}}, "properties": {"xa": {"type": "string"}}}
    new = {"patternProperties": {"^x": {"type": "integer"}}}
    result = run(old, new)
    oracle(old, new, result)
    assert all(e.verdict != "compatible" for e in result.entries if e.kind == "property-removed")


def test_not_is_unknown_in_both_directions_and_never_compatible() -> None:
    old = {"not": {"type": "string", "maxLength": 3}}
    new = {"not": {"type": "string", "maxLength": 5}}
    result = run(old, new)
    oracle(old, new, result)
    assert {e.verdict for e in result.entries} <= {"unknown", "breaking"}
    assert result.verdicts["request"] != "compatible" and result.verdicts["response"] != "compatible"


def test_a_shared_definition_used_under_not_is_not_called_compatible() -> None:
    defs = {"A": {"type": "integer", "maximum": 5}}
    old = {"$defs": defs, "properties": {"a": {"$ref": "#/$defs/A"}, "b": {"not": {"$ref": "#/$defs/A"}}}}
    new = {"$defs": {"A": {"type": "integer", "maximum": 9}},
           "properties": {"a": {"$ref": "#/$defs/A"}, "b": {"not": {"$ref": "#/$defs/A"}}}}
    result = run(old, new)
    oracle(old, new, result)
    assert result.verdicts["request"] != "compatible"


def test_ref_cycles_end_and_recursive_schemas_compare() -> None:
    old = {"$defs": {"node": {"type": "object", "properties": {"value": {"type": "integer"},
                                                                "children": {"type": "array",
                                                                             "items": {"$ref": "#/$defs/node"}}}}},
           "$ref": "#/$defs/node"}
    new = json.loads(json.dumps(old))
    new["$defs"]["node"]["properties"]["value"]["minimum"] = 0
    result = run(old, new)
    oracle(old, new, result)
    assert [(e.kind, e.direction, e.verdict) for e in result.entries][0] == ("minimum-added", "request", "breaking")
    assert len(result.entries) == 2  # reported once, not once per depth
    loop = {"$defs": {"a": {"$ref": "#/$defs/b"}, "b": {"$ref": "#/$defs/a"}}, "properties": {"x": {"$ref":
                                                                                                 "#/$defs/a"}}}
    result = run(loop, {"properties": {"x": {"type": "string"}}})
    oracle(loop, {"properties": {"x": {"type": "string"}}}, result)


def test_draft7_items_arrays_and_boolean_exclusives_of_draft4() -> None:
    old = {"$schema": "http://json-schema.org/draft-07/schema#", "type": "array",
           "items": [{"type": "integer"}], "additionalItems": False}
    new = {"$schema": "http://json-schema.org/draft-07/schema#", "type": "array",
           "items": [{"type": "integer"}, {"type": "string"}], "additionalItems": False}
    result = run(old, new)
    oracle(old, new, result)
    assert kinds(result)[("items-opened", "response")] == "breaking"
    old4 = {"$schema": "http://json-schema.org/draft-04/schema#", "type": "number", "maximum": 5}
    new4 = {"$schema": "http://json-schema.org/draft-04/schema#", "type": "number", "maximum": 5,
            "exclusiveMaximum": True}
    result = run(old4, new4)
    oracle(old4, new4, result)
    assert kinds(result)[("maximum-lowered", "request")] == "breaking"
    mixed = run(old4, {"type": "number", "exclusiveMaximum": 5})
    assert any("draft4" in note for note in mixed.notes)


def test_huge_enum_deep_nesting_and_many_changes_are_bounded() -> None:
    old = {"enum": list(range(100_000))}
    new = {"enum": list(range(10, 100_010))}
    result = run(old, new)
    oracle(old, new, result)
    assert result.entries[0].message == "0, 1, 2, 3, 4 and 5 more no longer accepted"
    deep_old: Any = {"type": "integer"}
    deep_new: Any = {"type": "string"}
    for _ in range(80):  # jsonschema-rs compiles about 125 such levels; the walk stops at 64
        deep_old = {"properties": {"a": deep_old}}
        deep_new = {"properties": {"a": deep_new}}
    result = run(deep_old, deep_new)
    assert result.verdicts["request"] == "unknown" and any("deeper" in n for n in result.notes)
    wide_old = {"properties": {f"p{i}": {"type": "integer"} for i in range(1500)}}
    wide_new = {"properties": {f"p{i}": {"type": "string"} for i in range(1500)}}
    result = run(wide_old, wide_new)
    assert len({e.change for e in result.entries}) == MAX_CHANGES and result.notes
    assert result.verdicts["request"] == "breaking"


def test_invalid_schemas_are_refused_with_which() -> None:
    with pytest.raises(CompatSchemaError) as caught:
        compare_texts("[]", "{}")
    assert caught.value.which == "old"
    with pytest.raises(CompatSchemaError) as caught:
        compare_texts("{}", '{"type": 5}')
    assert caught.value.which == "new" and caught.value.error.line == 1
    with pytest.raises(CompatSchemaError):  # remote references are refused, never fetched
        compare_texts("{}", '{"$ref": "https://example.com/schema.json"}')


def test_formats_off_makes_format_changes_annotations() -> None:
    result = run({"type": "string"}, {"type": "string", "format": "date"}, formats=False)
    assert result.entries == ()


@pytest.mark.parametrize("pattern", ["^ord-[0-9]{4}$", "^[A-Z]{2,3}-\\d+$", "^(foo|bar)_[a-z]*$", "a+b?c",
                                     "^\\w+@\\w+\\.com$", "^[^@]+$", "^(?:x|y){3}$"])
def test_pattern_samples_match_their_pattern(pattern: str) -> None:
    sample = pattern_sample(pattern)
    assert sample is not None
    schema = json.dumps({"pattern": pattern})
    assert validate(json.dumps(sample), schema).valid


# --- random pairs ---------------------------------------------------------------------------------

NAMES = st.sampled_from(["a", "b", "c", "ü"])
PATTERNS = ["^a", "^[ab]+$", "b$", "^[a-z]{2}$"]
SMALL = st.integers(-3, 6)


@st.composite
def leaf(draw: Any) -> dict[str, Any]:
    kind = draw(st.sampled_from(["integer", "number", "string", "boolean", "null", "enum", "const"]))
    if kind == "enum":
        return {"enum": draw(st.lists(st.sampled_from(["x", "y", "z", 1, 2, None]), min_size=1, max_size=4,
                                      unique=True))}
    if kind == "const":
        return {"const": draw(st.sampled_from(["x", 1, None, True]))}
    node: dict[str, Any] = {"type": kind if kind == "null" or draw(st.booleans()) else [kind, "null"]}
    if kind in ("integer", "number"):
        for keyword in ("minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum", "multipleOf"):
            if draw(st.integers(0, 3)) == 0:
                node[keyword] = draw(SMALL) if keyword != "multipleOf" else draw(st.sampled_from([1, 2, 3, 0.5]))
    if kind == "string":
        for keyword in ("minLength", "maxLength"):
            if draw(st.booleans()):
                node[keyword] = draw(st.integers(0, 4))
        if draw(st.integers(0, 3)) == 0:
            node["pattern"] = draw(st.sampled_from(PATTERNS))
    return node


def schemas(depth: int = 2) -> st.SearchStrategy[Any]:
    if depth == 0:
        return leaf()
    child = schemas(depth - 1)
    objects = st.builds(
        lambda props, required, closed: {"type": "object", "properties": props,
                                         "required": sorted(set(required) & set(props)),
                                         **({"additionalProperties": False} if closed else {})},
        st.dictionaries(NAMES, child, max_size=3), st.lists(NAMES, max_size=3), st.booleans())
    arrays = st.builds(lambda items, low, high, unique: {"type": "array", "items": items, "minItems": low,
                                                         "maxItems": low + high, **({"uniqueItems": True} if unique
                                                                                    else {})},
                       child, st.integers(0, 2), st.integers(0, 3), st.booleans())
    anyof = st.builds(lambda a, b: {"anyOf": [a, b]}, child, child)
    return st.one_of(leaf(), objects, arrays, anyof)


@st.composite
def mutated(draw: Any, schema: Any) -> Any:
    """The schema with a few random keyword-level edits (the shape mostly kept)."""
    if isinstance(schema, dict):
        node = dict(schema)
        if draw(st.integers(0, 2)) == 0:
            choice = draw(st.sampled_from(["drop", "bound", "type", "enum", "required", "closed", "pattern"]))
            keys = sorted(k for k in node if k not in ("properties", "items", "anyOf"))
            if choice == "drop" and keys:
                node.pop(draw(st.sampled_from(keys)))
            elif choice == "bound":
                keyword = draw(st.sampled_from(["minimum", "maximum", "minLength", "maxLength", "minItems",
                                                "maxItems", "exclusiveMaximum"]))
                node[keyword] = draw(st.integers(0, 5))
            elif choice == "type":
                node["type"] = draw(st.sampled_from(["integer", "number", "string", ["string", "null"],
                                                     ["integer", "string"], "object", "array"]))
            elif choice == "enum":
                node["enum"] = draw(st.lists(st.sampled_from(["x", "y", 1, 2, None]), min_size=1, max_size=3,
                                             unique=True))
            elif choice == "required" and isinstance(node.get("properties"), dict):
                node["required"] = sorted(draw(st.sets(st.sampled_from(sorted(node["properties"]) or ["a"]))))
            elif choice == "closed":
                node["additionalProperties"] = draw(st.booleans())
            elif choice == "pattern":
                node["pattern"] = draw(st.sampled_from(PATTERNS))
        if isinstance(node.get("properties"), dict):
            props = {k: draw(mutated(v)) for k, v in node["properties"].items()}
            if draw(st.integers(0, 3)) == 0:
                props[draw(NAMES)] = draw(leaf())
            node["properties"] = props
        if "items" in node:
            node["items"] = draw(mutated(node["items"]))
        if isinstance(node.get("anyOf"), list):
            node["anyOf"] = [draw(mutated(b)) for b in node["anyOf"]]
        return node
    return schema


def documents(schema: Any, depth: int = 0) -> st.SearchStrategy[Any]:
    """Documents near a schema of the grammar (valid or not: the caller filters)."""
    scalars = st.one_of(st.none(), st.booleans(), st.integers(-4, 7), st.sampled_from([0.5, 2.5, -1.5]),
                        st.text(alphabet="abxyz", max_size=4), st.sampled_from(["x", "y", "z", "ab", "aa"]))
    if depth > 3 or not isinstance(schema, dict):
        return scalars
    if "anyOf" in schema:
        return st.one_of([documents(b, depth + 1) for b in schema["anyOf"]])
    if isinstance(schema.get("properties"), dict):
        props = {k: documents(v, depth + 1) for k, v in schema["properties"].items()}
        return st.fixed_dictionaries({}, optional={**props, "extra": scalars})
    if "items" in schema:
        return st.lists(documents(schema["items"], depth + 1), max_size=4)
    return scalars


PAIRS = settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                          HealthCheck.filter_too_much])


@PAIRS
@given(st.data())
def test_random_pairs_every_example_satisfies_the_oracle(data: Any) -> None:
    old = data.draw(schemas())
    new = data.draw(mutated(old))
    result = run(old, new)
    oracle(old, new, result)


@PAIRS
@given(st.data())
def test_random_pairs_compatible_directions_keep_documents_valid(data: Any) -> None:
    old = data.draw(schemas())
    new = data.draw(mutated(old))
    result = run(old, new)
    for direction, source, target in (("request", old, new), ("response", new, old)):
        if result.verdicts[direction] != "compatible":
            continue
        for _ in range(8):
            document = data.draw(documents(source))
            if valid(source, document):
                assert valid(target, document), (direction, document, result.entries)


def test_documents_reach_validity() -> None:
    # The generator above must make valid documents often enough for the previous test to mean something.
    @settings(max_examples=50, deadline=None)
    @given(st.data())
    def check(data: Any) -> None:
        schema = {"type": "object", "properties": {"a": {"type": "integer"}}}
        assume(valid(schema, data.draw(documents(schema))))

    check()


@pytest.mark.parametrize("extra", [{"unevaluatedProperties": False}, {"$defs": {"e": {"$id": "e.json"}}},
                                   {"$dynamicAnchor": "m", "properties": {"z": {"$dynamicRef": "#m"}}}])
def test_what_depends_on_the_rest_is_never_called_compatible(extra: dict[str, Any]) -> None:
    old = {"allOf": [{"properties": {"a": {"type": "string"}}}], **extra}
    new = {"allOf": [{"properties": {"a": {"type": "string"}, "b": {"type": "integer"}}}], **extra}
    result = run(old, new)
    oracle(old, new, result)
    assert "compatible" not in result.verdicts.values() and result.notes
    assert all(e.verdict != "compatible" for e in result.entries)
    assert run(old, json.loads(json.dumps(old))).verdicts["request"] == "compatible"  # the same text


def test_unevaluated_properties_widening_is_not_missed() -> None:
    # "b" evaluated by a new allOf branch is no longer an unevaluated property: the new schema accepts it.
    old = {"allOf": [{"properties": {"a": {}}}], "unevaluatedProperties": False}
    new = {"allOf": [{"properties": {"a": {}, "b": {}}}], "unevaluatedProperties": False}
    result = run(old, new)
    oracle(old, new, result)
    assert result.verdicts["response"] != "compatible"


def test_fractional_multiple_of_is_not_promised() -> None:
    result = run({"type": "number", "multipleOf": 0.1}, {"type": "number", "multipleOf": 0.01})
    request = next(e for e in result.entries if e.direction == "request")
    assert request.verdict != "compatible"


def test_a_definition_used_under_not_by_many_properties_is_compared_once() -> None:
    big = {"type": "object", "properties": {f"k{i}": {"type": "integer", "maximum": i} for i in range(300)}}
    changed = json.loads(json.dumps(big))
    changed["properties"]["k299"]["maximum"] = 5
    uses = {f"p{i}": {"not": {"$ref": "#/$defs/big"}} for i in range(300)}
    old = {"$defs": {"big": big}, "properties": uses}
    same = run(old, json.loads(json.dumps(old)))
    assert same.entries == () and same.verdicts["request"] == "compatible"
    result = run(old, {"$defs": {"big": changed}, "properties": uses})
    oracle(old, {"$defs": {"big": changed}, "properties": uses}, result)
    assert {e.kind for e in result.entries} == {"not-changed"}  # $defs alone are not walked: their uses are
    assert result.verdicts["request"] != "compatible" and result.verdicts["response"] != "compatible"
