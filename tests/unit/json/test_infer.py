"""Schema inference (toolbox/core/json/infer.py) and `toolbox json infer`.

The promise, checked against two independent validators: every sample validates against the schema
inferred from it (jsonschema-rs through the app's validate(), and the reference Python jsonschema
with its format checker), on hypothesis-made sample sets and on realistic ones.
"""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

import jsonschema
import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from toolbox.cli import main
from toolbox.core.json import infer as inf
from toolbox.core.json.infer import FORMATS, MAX_SAMPLES, infer, string_formats
from toolbox.core.json.parse import parse_strict
from toolbox.core.json.validate import validate

REFERENCE = jsonschema.Draft202012Validator
FORMAT_LIKE = ["2024-02-29T23:59:59.5+05:30", "2026-12-06T00:00:00Z", "2024-02-29", "1999-12-31", "23:59:59Z",
               "a.b+c@example.co.uk", "x@y.io", "https://example.com:8080/a%20b?q=1#f", "ftp://localhost",
               "123e4567-e89b-12d3-a456-426614174000", "10.0.0.1", "255.255.255.255", "::1", "fe80::1:2",
               "2023-02-29", "24:00:00Z", "1.2.3.04", "x@y", "red", "green", "blue", "", "é", "a\u202eb"]


def schema_of(*texts: str) -> dict[str, Any]:
    return infer([parse_strict(text) for text in texts]).schema


def assert_all_valid(texts: list[str], schema: dict[str, Any]) -> None:
    schema_text = json.dumps(schema)
    REFERENCE.check_schema(schema)
    reference = REFERENCE(schema, format_checker=REFERENCE.FORMAT_CHECKER)
    for text in texts:
        result = validate(text, schema_text)
        assert result.valid, (text, schema, result.errors)
        reference.validate(parse_strict(text))


json_values = st.recursive(
    st.none() | st.booleans() | st.integers(-(10**30), 10**30)
    | st.floats(allow_nan=False, allow_infinity=False) | st.sampled_from(FORMAT_LIKE) | st.text(max_size=8),
    lambda children: st.lists(children, max_size=4)
    | st.dictionaries(st.sampled_from(["id", "name", "a", "b", "ключ", "x/y~z", ""]), children, max_size=5),
    max_leaves=25,
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(json_values, min_size=1, max_size=6))
def test_every_random_sample_validates(values: list[Any]) -> None:
    texts = [json.dumps(value, ensure_ascii=False) for value in values]
    assert_all_valid(texts, schema_of(*texts))


# Object sets shaped like real API records: same keys, some missing, small vocabularies: enums happen.
records = st.fixed_dictionaries(
    {"id": st.integers(1, 10**6), "status": st.sampled_from(["active", "disabled", "pending"])},
    optional={"email": st.sampled_from(["a@example.com", "bob@mail.example.org"]) | st.none(),
              "created": st.sampled_from(["2024-01-01T10:00:00Z", "2025-06-30T23:59:59.123+02:00"]),
              "score": st.floats(-1e6, 1e6), "tags": st.lists(st.sampled_from(["x", "y", "z"]), max_size=3),
              "address": st.fixed_dictionaries({"city": st.text(max_size=5)},
                                               optional={"zip": st.from_regex(r"[0-9]{5}", fullmatch=True)})},
)


@settings(max_examples=100, deadline=None)
@given(st.lists(records, min_size=1, max_size=12))
def test_every_record_sample_validates(values: list[Any]) -> None:
    texts = [json.dumps(value) for value in values]
    assert_all_valid(texts, schema_of(*texts))


PATTERNS = {"date-time": r"[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(\.[0-9]{1,3})?(Z|[+-][0-9]{2}:[0-9]{2})",
            "date": r"[0-9]{4}-[0-9]{2}-[0-9]{2}", "time": r"[0-9]{2}:[0-9]{2}:[0-9]{2}(Z|[+-][0-9]{2}:[0-9]{2})",
            "email": r"[a-z0-9.+_-]{1,8}@[a-z0-9.-]{1,10}\.[a-z]{2,3}",
            "uri": r"(https?|ftp)://[a-z0-9.-]{1,10}(:[0-9]{1,5})?(/[a-zA-Z0-9%._~()!$&'*+,;=:@-]{0,6}){0,3}"
                   r"(\?[a-z0-9=&%/?]{0,6})?(#[a-z0-9%]{0,4})?",
            "uuid": r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}",
            "ipv4": r"[0-9]{1,3}\.[0-9]{1,3}\.[0-9]{1,3}\.[0-9]{1,3}", "ipv6": r"[0-9a-f:]{2,20}"}


@settings(max_examples=300, deadline=None)
@given(st.sampled_from(sorted(PATTERNS)).flatmap(lambda f: st.from_regex(PATTERNS[f], fullmatch=True)))
def test_a_detected_format_is_one_both_validators_accept(text: str) -> None:
    for name in string_formats(text):
        schema = {"type": "string", "format": name}
        assert validate(json.dumps(text), json.dumps(schema)).valid, (text, name)
        REFERENCE(schema, format_checker=REFERENCE.FORMAT_CHECKER).validate(text)


@pytest.mark.parametrize(("text", "expected"), [
    ("2026-12-06T00:42:00Z", "date-time"), ("2024-02-29", "date"), ("08:30:00+01:00", "time"),
    ("ops@example.com", "email"), ("https://example.com/a?b=c#d", "uri"),
    ("123e4567-e89b-12d3-a456-426614174000", "uuid"), ("192.168.0.1", "ipv4"), ("2001:db8::1", "ipv6"),
])
def test_formats_detected(text: str, expected: str) -> None:
    assert string_formats(text) == {expected}
    assert schema_of(json.dumps(text)) == {"$schema": inf.DIALECT_URI, "type": "string", "format": expected}


@pytest.mark.parametrize("text", [
    "2023-02-29", "2024-13-01", "2024-01-01 00:00:00Z", "2024-01-01T00:00:00", "24:00:00Z", "12:00:00",
    "23:59:60Z", "1.2.3.04", "256.1.1.1", "::ffff:1.2.3.4", "fe80::1%eth0", "x@y", "a b@c.io",
    "http://ex ample.com", "mailto:x@y.io", "//example.com", "not-a-uuid-123e4567", "\uff11\uff12.0.0.1",
    "١٢٣٤-٠١-٠١", "2024-01-01T00:00:00Z\n", "",
])
def test_strict_format_checks_refuse(text: str) -> None:
    assert string_formats(text) == frozenset()


def test_format_only_when_every_string_matches() -> None:
    assert "format" not in schema_of('"2024-01-01"', '"yesterday"')
    assert schema_of('"2024-01-01"', "null")["format"] == "date"  # null is not a string
    assert "format" not in schema_of('"2024-01-01"', '"2024-01-01T00:00:00Z"')  # two formats: neither


def test_integer_and_number_from_the_literals() -> None:
    assert schema_of("1", "-7", "12345678901234567890123456789")["type"] == "integer"
    # Decided: 1.0 and 1e2 are number literals, so the path is "number" (which accepts 1 too).
    assert schema_of("1", "1.0")["type"] == "number"
    assert schema_of("1e2")["type"] == "number"
    assert schema_of("[1, 2.5, null]")["items"]["type"] == ["number", "null"]


def test_required_properties_and_open_objects() -> None:
    texts = ['{"id": 1, "name": "a", "extra": true}', '{"name": "b", "id": 2}', '{"id": 3, "name": null}']
    schema = schema_of(*texts)
    assert list(schema["properties"]) == ["id", "name", "extra"]  # first-seen order
    assert schema["required"] == ["id", "name"]
    assert schema["properties"]["name"]["type"] == ["string", "null"]
    assert "additionalProperties" not in schema  # decided: open by default
    assert_all_valid([*texts, '{"id": 4, "name": "c", "new": 1}'], schema)


def test_array_items_merged_across_elements_and_samples() -> None:
    schema = schema_of('{"xs": [{"a": 1}, {"a": 2, "b": "x"}]}', '{"xs": []}', '{"xs": [{"a": 3.5, "c": []}]}')
    items = schema["properties"]["xs"]["items"]
    assert items["type"] == "object" and items["required"] == ["a"]
    assert items["properties"]["a"]["type"] == "number"
    assert items["properties"]["c"] == {"type": "array"}  # only empty arrays seen: items left open
    assert schema_of("[]") == {"$schema": inf.DIALECT_URI, "type": "array"}


def test_mixed_types_are_a_type_list_with_each_types_keywords() -> None:
    texts = ['{"v": 1}', '{"v": "2024-01-01"}', '{"v": [true]}', '{"v": {"k": null}}', '{"v": false}']
    v = schema_of(*texts)["properties"]["v"]
    assert v["type"] == ["object", "array", "string", "integer", "boolean"]
    assert v["format"] == "date" and v["items"] == {"type": "boolean"} and v["required"] == ["k"]
    assert "anyOf" not in v
    assert_all_valid(texts, schema_of(*texts))


def test_enum_rule() -> None:
    status = ['{"s": "open"}', '{"s": "closed"}', '{"s": "open"}', '{"s": "closed"}']
    assert schema_of(*status)["properties"]["s"]["enum"] == ["closed", "open"]
    # A value seen once: no enum (it is probably free text).
    assert "enum" not in schema_of(*status, '{"s": "merged"}')["properties"]["s"]
    # Fewer than 3 samples: no enum, however often a value repeats inside them.
    assert "enum" not in schema_of('["a", "a", "b", "b"]', '["a", "b"]')["items"]
    assert schema_of('["a", "a", "b", "b"]', '["a", "b"]', '["a"]')["items"]["enum"] == ["a", "b"]
    # More than 5 distinct values, or long ones: no enum.
    six = [json.dumps({"s": c}) for c in "abcdef" * 2]
    assert "enum" not in schema_of(*six)["properties"]["s"]
    long = [json.dumps({"s": "x" * 41})] * 4
    assert "enum" not in schema_of(*long)["properties"]["s"]
    # null seen too: listed in the enum, or null would fail it.
    nulls = [*status, '{"s": null}']
    schema = schema_of(*nulls)
    assert schema["properties"]["s"]["enum"] == ["closed", "open", None]
    assert_all_valid(nulls, schema)
    # Not a string-only path: no enum.
    assert "enum" not in schema_of('"a"', '"a"', '"b"', '"b"', "1")


def test_deep_nesting_is_left_open_with_a_note() -> None:
    text = "[" * 900 + "]" * 900
    inferred = infer([parse_strict(text)])
    assert any("deeper than 64 levels" in note for note in inferred.notes)
    assert_all_valid([text], inferred.schema)
    obj = '{"a":' * 500 + "1" + "}" * 500
    assert_all_valid([obj], schema_of(obj))


def test_ten_thousand_members_and_non_ascii_keys() -> None:
    big = json.dumps({f"k{i}": i for i in range(10_000)})
    schema = schema_of(big)
    assert len(schema["properties"]) == 10_000 and len(schema["required"]) == 10_000
    assert_all_valid([big], schema)
    text = '{"名前": "太郎", "emoji😀": 1, "x/y~z": true, "\\u0000": null, "a\\u202eb": "ok"}'
    schema = schema_of(text)
    assert list(schema["properties"]) == ["名前", "emoji😀", "x/y~z", "\x00", "a\u202eb"]
    assert_all_valid([text], schema)


def test_bounds_and_wrong_input() -> None:
    with pytest.raises(ValueError, match="At least one"):
        infer([])
    with pytest.raises(ValueError, match="At most 1,000"):
        infer([1] * (MAX_SAMPLES + 1))
    with pytest.raises(TypeError):
        infer([object()])
    assert infer([Decimal("1.5")] * MAX_SAMPLES).schema["type"] == "number"
    assert set(FORMATS) == {"date-time", "date", "time", "email", "uri", "uuid", "ipv4", "ipv6"}


REALISTIC = [
    '{"id": "123e4567-e89b-12d3-a456-426614174000", "status": "paid", "total": 12.50, "currency": "EUR",'
    ' "customer": {"email": "ann@example.com", "ip": "203.0.113.7"}, "placed": "2026-11-30T09:15:00Z",'
    ' "lines": [{"sku": "A-1", "qty": 2, "price": 5.25}, {"sku": "B-2", "qty": 1, "price": 2.00}]}',
    '{"id": "9f1c2b3a-0000-4000-8000-000000000001", "status": "refunded", "total": 0, "currency": "EUR",'
    ' "customer": {"email": "bo@example.org", "ip": "2001:db8::7"}, "placed": "2026-12-01T10:00:00+01:00",'
    ' "lines": [], "note": null}',
    '{"id": "9f1c2b3a-0000-4000-8000-000000000002", "status": "paid", "total": 99, "currency": "USD",'
    ' "customer": {"email": "cy@example.net", "ip": "198.51.100.1"}, "placed": "2026-12-02T11:30:00.5Z",'
    ' "lines": [{"sku": "C-3", "qty": 3, "price": 33}], "note": "gift"}',
    '{"id": "9f1c2b3a-0000-4000-8000-000000000003", "status": "refunded", "total": 1.5, "currency": "USD",'
    ' "customer": {"email": "di@example.com", "ip": "192.0.2.10"}, "placed": "2026-12-03T12:00:00Z",'
    ' "lines": [{"sku": "D-4", "qty": 1, "price": 1.5, "gift": true}]}',
]


def test_realistic_orders() -> None:
    schema = schema_of(*REALISTIC)
    props = schema["properties"]
    assert props["id"] == {"type": "string", "format": "uuid"}
    assert props["status"] == {"type": "string", "enum": ["paid", "refunded"]}
    assert props["currency"]["enum"] == ["EUR", "USD"]
    assert props["total"]["type"] == "number" and props["placed"]["format"] == "date-time"
    assert props["customer"]["properties"]["email"]["format"] == "email"
    assert "format" not in props["customer"]["properties"]["ip"]  # ipv4 and ipv6 mixed
    assert props["note"]["type"] == ["string", "null"] and "note" not in schema["required"]
    lines = props["lines"]["items"]
    assert lines["required"] == ["sku", "qty", "price"] and lines["properties"]["qty"]["type"] == "integer"
    assert_all_valid(REALISTIC, schema)


def run(*args: str, stdin: str | None = None) -> Any:
    return CliRunner().invoke(main, list(args), input=stdin)


def test_cli_files_and_stdin(tmp_path: Any) -> None:
    first = tmp_path / "a.json"
    first.write_text('{"id": 1, "at": "2024-01-01"}', encoding="utf-8")
    result = run("json", "infer", str(first), "-", stdin='{"id": 2.5}')
    assert result.exit_code == 0
    schema = json.loads(result.stdout)
    assert schema["properties"]["id"] == {"type": "number"} and schema["required"] == ["id"]
    assert "note: Inferred from 2 samples" in result.stderr
    as_json = json.loads(run("json", "infer", str(first), "--json").stdout)
    assert set(as_json) == {"schema", "notes"} and as_json["schema"]["properties"]["at"]["format"] == "date"


def test_cli_errors_name_the_file(tmp_path: Any) -> None:
    good = tmp_path / "good.json"
    good.write_text("{}", encoding="utf-8")
    bad = tmp_path / "bad.json"
    bad.write_text('{\n  "a": [1,]\n}', encoding="utf-8")
    result = run("json", "infer", str(good), str(bad))
    assert result.exit_code == 1 and f"{bad}:2:" in result.stderr and "^" in result.stderr
    assert run("json", "infer").exit_code == 2  # no file
    assert run("json", "infer", str(tmp_path / "missing.json")).exit_code == 2
    binary = tmp_path / "bin.json"
    binary.write_bytes(b'"\xff"')
    assert run("json", "infer", str(binary)).exit_code == 2
    deep = tmp_path / "deep.json"
    deep.write_text("[" * 1001 + "]" * 1001, encoding="utf-8")
    too_deep = run("json", "infer", str(good), str(deep))
    assert too_deep.exit_code == 2 and str(deep) in too_deep.stderr
