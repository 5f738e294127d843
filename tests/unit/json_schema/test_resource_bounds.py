"""Issue 8: a pasted schema or instance must never freeze a worker or raise a 500.

The bounds here are generous for a loaded CI machine: they catch exponential and quadratic
growth (the attacks took 10 s to minutes), not milliseconds.
"""

from __future__ import annotations

import json
import time

import pytest

from toolbox.core.json.schema_refs import holds_regex
from toolbox.core.json.validate import validate
from toolbox.core.json.validate_input import InstanceSyntaxError, SchemaSyntaxError

EVIL = "^(a+)+$"  # catastrophic backtracking in Python's `re`: doubling time per extra "a"
VICTIM = "a" * 30 + "!"  # ~40 s in `re` before the fix; microseconds in a linear engine

# A regex stored where the subschema scanner does not look, then reached through a JSON-Pointer
# `$ref` from each applicator whose failure jsonschema used to replay as a whole (before jsonschema-rs
# worded errors itself): kept as a guard that no user regex ever reaches a backtracking engine.
HIDING_PLACES = ["x-stash", "const", "default", "examples", "description", "enum", "$comment", "nested/deep"]
APPLICATORS = {
    "anyOf": lambda ref: {"anyOf": [{"$ref": ref}, {"type": "null"}]},
    "oneOf": lambda ref: {"oneOf": [{"$ref": ref}, {"type": "null"}]},
    "not": lambda ref: {"not": {"not": {"$ref": ref}}},
    "allOf": lambda ref: {"allOf": [{"$ref": ref}]},
    "if/then": lambda ref: {"if": {"$ref": ref}, "then": {"$ref": ref}, "else": {"$ref": ref}},
}


def _stash(place: str, subschema: dict) -> tuple[dict, str]:
    """A schema holding `subschema` at `place` (a path of keys), and the pointer to it."""
    keys = place.split("/")
    schema: dict = {}
    node = schema
    for key in keys[:-1]:
        node = node.setdefault(key, {})
    node[keys[-1]] = subschema
    return schema, "#/" + "/".join(keys)


def _timed(instance: object, schema: dict) -> tuple[float, object]:
    start = time.perf_counter()
    result = validate(json.dumps(instance), json.dumps(schema))
    return time.perf_counter() - start, result


@pytest.mark.parametrize("place", HIDING_PLACES)
@pytest.mark.parametrize("applicator", sorted(APPLICATORS))
def test_hidden_pattern_is_never_run_by_a_backtracking_engine(place: str, applicator: str) -> None:
    schema, ref = _stash(place, {"pattern": EVIL})
    schema.update(APPLICATORS[applicator](ref))
    elapsed, result = _timed(VICTIM, schema)
    assert elapsed < 2.0
    assert result.valid is False or result.schema_errors  # the string fails the pattern


@pytest.mark.parametrize("place", HIDING_PLACES[:4])
def test_hidden_pattern_properties_are_never_run_by_a_backtracking_engine(place: str) -> None:
    schema, ref = _stash(place, {"patternProperties": {EVIL: False}})
    for wrapper in ({"additionalProperties": {"$ref": ref}}, {"anyOf": [{"$ref": ref}, {"type": "null"}]},
                    {"contains": {"$ref": ref}}, {"items": {"$ref": ref}}):
        elapsed, _result = _timed({VICTIM: {VICTIM: 1}} if "contains" not in wrapper else [{VICTIM: 1}],
                                  {**schema, **wrapper})
        assert elapsed < 2.0


def test_the_regex_scan_sees_every_object_in_the_document() -> None:
    assert holds_regex({"x": [{"y": {"pattern": "a"}}]})
    assert holds_regex({"const": {"patternProperties": {"a": {}}}})
    assert not holds_regex({"properties": {"pattern": {"type": "string"}}})  # a property named pattern
    assert not holds_regex({"pattern": 5})


@pytest.mark.parametrize("pattern", [r"^(a|aa)*\1$", r"^(?=(a+)+$)a", r"(?<=a)b", r"(?!x)y", r"(?<n>a)\k<n>"])
def test_patterns_that_need_backtracking_are_refused_with_a_reason(pattern: str) -> None:
    # jsonschema-rs's default engine (fancy-regex) backtracks for these: ^(a|aa)*\1$ took ~40 ms
    # per 26-character string, 7 minutes for 10,000 of them. Only the linear engine runs now.
    elapsed, result = _timed(["a" * 25 + "!"] * 2000, {"items": {"pattern": pattern}})
    assert elapsed < 2.0
    assert result.valid is False and not result.errors
    assert any("linear-time" in error.message for error in result.schema_errors)


def test_linear_patterns_still_validate_large_instances() -> None:
    elapsed, result = _timed(["a" * 25 + "!"] * 10_000, {"items": {"pattern": EVIL}})
    assert elapsed < 5.0
    assert len(result.errors) == 1000 and result.errors_truncated
    assert result.errors[0].message == '"aaaaaaaaaaaaaaaaaaaaaaaaa!" does not match "^(a+)+$"'


@pytest.mark.parametrize("fmt", ["iri", "iri-reference"])
@pytest.mark.parametrize("value", ["http://" + "a" * 9000 + "/" + "%" * 500, "http://" + "a:" * 4500, "a:" * 4900])
def test_slow_format_checks_are_not_replayed(fmt: str, value: str) -> None:
    # jsonschema's iri check took ~0.1 s per 100 characters, growing faster than the input (3.6 s).
    elapsed, _result = _timed([value, "%%" + value] * 3, {"items": {"format": fmt}})
    assert elapsed < 2.0


def test_slow_formats_are_still_asserted() -> None:
    # jsonschema's iri parser was the slow one; jsonschema-rs checks these in linear time.
    assert not validate('"http://exa mple.com"', '{"format": "iri"}').valid
    assert validate('"http://example.com/\u00e9"', '{"format": "iri"}').valid
    assert not validate('"\\\\"', '{"format": "iri-reference"}').valid


@pytest.mark.parametrize("instance", [
    "1e9999999999999999999", "[1e9999999999999999999]", '{"a": -1E+99999999999999999999}',
    "1" * 4400, "[-" + "2" * 5000 + "]", '{"k": ' + "9" * 4301 + "}",
])
def test_numbers_beyond_exact_comparison_are_located_input_errors(instance: str) -> None:
    with pytest.raises(InstanceSyntaxError) as caught:
        validate(instance, '{"type": "integer"}')
    assert caught.value.line == 1 and caught.value.column >= 1
    assert "number" in caught.value.message.lower()


def test_long_digit_runs_in_strings_do_not_slow_the_number_search() -> None:
    instance = "[" + ",".join(['"' + "1" * 4000 + '"'] * 1000) + ",-" + "2" * 4400 + "]"
    start = time.perf_counter()
    with pytest.raises(InstanceSyntaxError) as caught:
        validate(instance, "{}")
    assert time.perf_counter() - start < 2.0
    assert caught.value.column == len(instance) - 4401 - 1 + 1


def test_a_schema_number_out_of_range_is_a_schema_error() -> None:
    with pytest.raises(SchemaSyntaxError):
        validate("1", '{"maximum": 1e9999999999999999999}')


@pytest.mark.parametrize(("instance", "schema"), [
    ("1e400", {"multipleOf": 3}),
    ("[1e400, 2e500]", {"items": {"multipleOf": 7}}),
    ("1e-400", {"multipleOf": 1e-5}),
    ("1e400", {"$schema": "http://json-schema.org/draft-04/schema#", "multipleOf": 3,
               "properties": {"a": {"$ref": "#/definitions/x"}}, "definitions": {"x": {}}}),
])
def test_decimal_arithmetic_beyond_its_context_is_no_crash(instance: str, schema: dict) -> None:
    result = validate(instance, json.dumps(schema))
    assert result.valid in (True, False)


@pytest.mark.parametrize("bad", [5, None, True, [], {"a": 1}, 1.5])
@pytest.mark.parametrize("where", ["root", "properties", "items", "definitions"])
def test_draft4_reference_that_is_not_a_string_is_a_schema_error(bad: object, where: str) -> None:
    schema: dict = {"$schema": "http://json-schema.org/draft-04/schema#"}
    if where == "root":
        schema["$ref"] = bad
    elif where == "properties":
        schema["properties"] = {"a": {"$ref": bad}}
    elif where == "items":
        schema["items"] = {"$ref": bad}
    else:
        schema["definitions"] = {"d": {"$ref": bad}}
        schema["$ref"] = "#/definitions/d"
    result = validate('{"a": 1}' if where != "items" else "[1]", json.dumps(schema))
    assert result.valid is False
    assert any(e.keyword == "$ref" and "must be a string" in e.message for e in result.schema_errors)


def test_many_errors_are_built_with_the_collector_paused(monkeypatch: pytest.MonkeyPatch) -> None:
    # jsonschema-rs builds every error before yielding the first; with the cyclic GC running each
    # collection walks all the error objects built so far (a million errors: 11 s, against 2.4 s
    # paused). Deterministic check of the mechanism, then a coarse check of the growth.
    import gc

    from toolbox.core.json.schema_engine import Engine

    seen: list[bool] = []
    real = Engine.iter_errors

    def spy(self: Engine, instance: object, max_errors: int) -> object:
        original = self.validator.iter_errors

        class Recording:
            def iter_errors(self, value: object) -> object:
                seen.append(gc.isenabled())
                return original(value)

            def __getattr__(self, name: str) -> object:
                return getattr(original.__self__, name)

        monkeypatch.setattr(self, "validator", Recording())
        return real(self, instance, max_errors)

    monkeypatch.setattr(Engine, "iter_errors", spy)
    result = validate(json.dumps(list(range(5000))), '{"items": {"type": "string"}}')
    assert seen and not any(seen) and gc.isenabled()
    assert len(result.errors) == 1000 and result.errors_truncated


def test_many_errors_cost_time_linear_in_their_number() -> None:
    def run(n: int) -> float:
        text = json.dumps(list(range(n)))
        start = time.perf_counter()
        validate(text, '{"items": {"type": "string"}}')
        return time.perf_counter() - start

    # Quadratic would be 16x for 4x the errors; the best of a few runs keeps a loaded machine's noise out.
    small = min(run(100_000) for _ in range(3))
    large = min(run(400_000) for _ in range(2))
    assert large < 8 * max(small, 0.05)


@pytest.mark.parametrize("segment", ["%C2%B9", "%D9%A3", "0%C2%B2"])
def test_pointer_segments_with_unicode_digits_are_a_schema_error(segment: str) -> None:
    # "¹".isdigit() is true but int("¹") fails: this was a 500 while locating the keyword.
    schema = {"$defs": {"a": {"x": [{"type": "string"}]}}, "items": {"$ref": f"#/$defs/a/x/{segment}"}}
    result = validate("[1]", json.dumps(schema))
    assert result.valid is False and result.schema_errors and result.schema_errors[0].keyword == "$ref"
