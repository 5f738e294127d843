"""Issue 10: errors about an object's keys point at the offending key (line, column, pointer), not at
the object's `{`: additionalProperties, unevaluatedProperties and propertyNames."""

from __future__ import annotations

import json

from toolbox.core.json.validate import validate

INSTANCE = '{\n  "a": {\n    "x": 1,\n    "extra": 2,\n      "more": [3]\n  }\n}'


def _where(result):  # type: ignore[no-untyped-def]
    return [(e.instance_path, e.line, e.column, e.keyword) for e in result.errors]


def test_additional_properties_point_at_each_unexpected_key() -> None:
    schema = {"properties": {"a": {"properties": {"x": {}}, "additionalProperties": False}}}
    result = validate(INSTANCE, json.dumps(schema))
    assert _where(result) == [("/a/extra", 4, 5, "additionalProperties"), ("/a/more", 5, 7, "additionalProperties")]
    assert [e.message for e in result.errors] == ["Additional properties are not allowed ('extra' was unexpected)",
                                                  "Additional properties are not allowed ('more' was unexpected)"]
    assert all(e.schema_pointer == "/properties/a/additionalProperties" for e in result.errors)


def test_a_single_unexpected_key_keeps_the_engine_message() -> None:
    result = validate('{"id": 1,\n "typo": true}', '{"properties": {"id": {}}, "additionalProperties": false}')
    assert _where(result) == [("/typo", 2, 2, "additionalProperties")]
    assert result.errors[0].message == "Additional properties are not allowed ('typo' was unexpected)"


def test_unevaluated_properties_point_at_the_key() -> None:
    schema = {"properties": {"a": {"properties": {"x": {}}, "unevaluatedProperties": False}}}
    result = validate(INSTANCE, json.dumps(schema))
    assert _where(result) == [("/a/extra", 4, 5, "unevaluatedProperties"), ("/a/more", 5, 7, "unevaluatedProperties")]


def test_property_names_point_at_the_key() -> None:
    result = validate('{"ok": 1,\n   "toolong": 2}', '{"propertyNames": {"maxLength": 3}}')
    assert _where(result) == [("/toolong", 2, 4, "maxLength")]


def test_keys_that_need_escaping_in_a_pointer() -> None:
    result = validate('{"a/b": 1, "c~d": 2}', '{"additionalProperties": false}')
    assert [(e.instance_path, e.column) for e in result.errors] == [("/a~1b", 2), ("/c~0d", 12)]


def test_an_error_in_the_value_of_an_additional_property_stays_at_the_value() -> None:
    result = validate('{"n": "x"}', '{"additionalProperties": {"type": "integer"}}')
    assert _where(result) == [("/n", 1, 2, "type")]


def test_bare_additional_properties_false_names_every_key() -> None:
    # jsonschema-rs reports this as one `false` schema error about the first value, at the object.
    result = validate('{"a": {"k": 1,\n "l": 2}}', '{"properties": {"a": {"additionalProperties": false}}}')
    assert _where(result) == [("/a/k", 1, 8, "additionalProperties"), ("/a/l", 2, 2, "additionalProperties")]
    assert result.errors[1].message == "Additional properties are not allowed ('l' was unexpected)"
    assert result.errors[0].schema_pointer == "/properties/a/additionalProperties"
