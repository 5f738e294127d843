"""validate(): dialects, located instance and schema errors, refused refs, regexes, formats, hostile input."""

from __future__ import annotations

import json
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from toolbox.core.json import schema_compile, schema_engine
from toolbox.core.json import validate as validate_module
from toolbox.core.json.model import JsonSyntaxError, JsonTooDeep, ValidationResult
from toolbox.core.json.validate import (
    InputTooDeepError,
    InstanceSyntaxError,
    SchemaSyntaxError,
    UnknownDialectError,
    UnusableInputError,
    compile_schema,
    validate,
)

USER_SCHEMA = """{
  "$schema": "https://json-schema.org/draft/2020-12/schema",
  "type": "object",
  "required": ["name", "email"],
  "properties": {
    "name": {"type": "string", "minLength": 1},
    "email": {"type": "string", "format": "email"},
    "tags": {"type": "array", "items": {"$ref": "#/$defs/tag"}}
  },
  "$defs": {"tag": {"type": "string", "pattern": "^[a-z]+$"}}
}"""


def _only(result: ValidationResult) -> dict[str, object]:
    assert len(result.errors) == 1, result.errors
    error = result.errors[0]
    return {"at": error.instance_path, "keyword": error.keyword, "line": error.line, "column": error.column}


# --- results and locations ---------------------------------------------------------------


def test_valid_instance() -> None:
    result = validate('{"name": "Zoë", "email": "zoe@example.com", "tags": ["a"]}', USER_SCHEMA)
    assert result.valid and result.errors == () and result.best_match is None
    assert result.dialect == "draft2020-12" and result.formats_asserted and result.engine == "jsonschema-rs"


def test_every_error_located_on_multiline_non_ascii_text() -> None:
    instance = '{\n  "name": "",\n  "émoji😀": 1, "tags": ["ok", "Nope"],\n  "email": "x"\n}'
    result = validate(instance, USER_SCHEMA)
    assert not result.valid
    got = [(e.instance_path, e.schema_path, e.keyword, e.line, e.column) for e in result.errors]
    assert got == [
        ("/name", "/properties/name/minLength", "minLength", 2, 3),
        ("/tags/1", "/properties/tags/items/$ref/pattern", "pattern", 3, 31),  # columns count characters
        ("/email", "/properties/email/format", "format", 4, 3),
    ]
    pattern = result.errors[1]
    assert pattern.message == '"Nope" does not match "^[a-z]+$"'
    assert (pattern.schema_pointer, pattern.schema_line, pattern.schema_column) == ("/$defs/tag/pattern", 10, 39)
    assert result.errors[2].message == '"x" is not a "email"'
    assert [e.schema_pointer for e in result.errors] == ["/properties/name/minLength", "/$defs/tag/pattern",
                                                         "/properties/email/format"]


def test_messages_are_jsonschema_rs_words() -> None:
    schema = {"properties": {"a": {"anyOf": [{"type": "string"}, {"type": "array", "minItems": 2}]},
                             "n": {"type": "integer"}, "e": {"enum": ["x", 1]}},
              "required": ["b"], "additionalProperties": False}
    result = validate('{"a": [1], "n": "abc", "e": null, "z": 0}', json.dumps(schema))
    assert {(e.instance_path, e.keyword, e.message) for e in result.errors} == {
        ("/a", "anyOf", "[1] is not valid under any of the schemas listed in the 'anyOf' keyword"),
        ("/n", "type", '"abc" is not of type "integer"'),
        ("/e", "enum", 'null is not one of "x" or 1'),
        ("/z", "additionalProperties", "Additional properties are not allowed ('z' was unexpected)"),
        ("", "required", '"b" is a required property'),
    }


def test_best_match_is_the_highest_error_then_the_branch_that_got_furthest() -> None:
    schema = {"properties": {"a": {"anyOf": [{"type": "string"}, {"type": "array", "minItems": 2}]}},
              "required": ["b"]}
    top = validate('{"a": [1]}', json.dumps(schema))
    assert top.best_match is not None
    assert (top.best_match.instance_path, top.best_match.keyword) == ("", "required")  # highest up
    branch = validate('{"a": [1], "b": 0}', json.dumps(schema)).best_match
    assert branch is not None  # the array branch fits the type: its error says what to fix
    assert (branch.instance_path, branch.keyword, branch.message) == ("/a", "minItems", "[1] has less than 2 items")
    assert (branch.line, branch.column, branch.schema_pointer) == (1, 2, "/properties/a/anyOf/1/minItems")
    deeper = validate('{"a": {"k": "x"}}', json.dumps(
        {"properties": {"a": {"oneOf": [{"type": "object", "properties": {"k": {"type": "integer"}}},
                                        {"type": "string"}]}}})).best_match
    assert deeper is not None and (deeper.instance_path, deeper.keyword) == ("/a/k", "type")
    tie = validate('{"a": 1}', '{"properties": {"a": {"anyOf": [{"type": "string"}, {"type": "null"}]}}}')
    assert tie.best_match is not None and tie.best_match.keyword == "anyOf"  # no branch is more likely


def test_best_match_prefers_a_wrong_type_at_the_same_place() -> None:
    result = validate("1.5", '{"minimum": 2, "type": "integer"}')
    assert result.best_match is not None and result.best_match.keyword == "type"


def test_long_floats_are_written_as_numbers_not_binary_digits() -> None:
    result = validate('[1e25, "10000000000000000905969664.0"]', '{"items": {"type": "boolean"}}')
    assert [e.message for e in result.errors] == [
        '1e+25 is not of type "boolean"', '"10000000000000000905969664.0" is not of type "boolean"']


def test_keyword_places_in_embedded_resources_and_false_schemas() -> None:
    relative = validate("1", '{"$ref": "other.json", "type": "integer",\n'
                             ' "$defs": {"o": {"$id": "other.json", "type": "string"}}}')
    assert [(e.schema_path, e.schema_pointer, e.schema_line) for e in relative.errors] == [
        ("/$ref/type", "/$defs/o/type", 2)]
    urn = validate("1", json.dumps({"$id": "urn:example:root", "$ref": "#/$defs/o/properties/a",
                                    "$defs": {"o": {"$id": "urn:example:o", "properties": {"a": {"type": "string"}}}}}))
    assert urn.errors[0].schema_pointer == "/$defs/o/properties/a/type"
    false = validate('{"x": 1}', '{"properties": {"x": false}}')
    assert false.errors[0].schema_pointer == "/properties/x" and false.errors[0].keyword == "false"
    draft4 = validate("3", '{"$schema": "http://json-schema.org/draft-04/schema#", "maximum": 3, '
                           '"exclusiveMaximum": true}')
    assert draft4.errors[0].schema_pointer == "/exclusiveMaximum"
    names = validate('{"abcd": 1}', '{"propertyNames": {"maxLength": 3}}')
    assert names.errors[0].schema_pointer == "/propertyNames/maxLength"
    required = validate('{"bar": 1}', '{"dependentRequired": {"bar": ["foo"]}}')
    assert required.errors[0].schema_pointer == "/dependentRequired"
    metaschema = validate('{"type": 5}', '{"$ref": "https://json-schema.org/draft/2020-12/schema"}')
    assert metaschema.errors[0].schema_pointer is None  # the keyword is in the bundled metaschema


def test_wording_never_depends_on_time_or_load(monkeypatch: pytest.MonkeyPatch) -> None:
    """One engine decides and words every error: no time budget can change a message."""
    for module in (schema_engine, schema_compile, validate_module):
        source = Path(module.__file__ or "").read_text(encoding="utf-8")
        assert "import time" not in source and "monotonic" not in source and "perf_counter" not in source
    instance = json.dumps([{"id": "x", "tags": [1, "a"]}] * 300)
    schema = '{"items": {"properties": {"id": {"type": "integer"}, "tags": {"items": {"type": "string"}}}}}'
    quiet = validate(instance, schema)
    clock = iter(range(0, 10**9, 10**6))  # every reading of any clock jumps by 11 days
    monkeypatch.setattr(time, "monotonic", lambda: float(next(clock)))
    monkeypatch.setattr(time, "perf_counter", lambda: float(next(clock)))
    loaded = validate(instance, schema)
    assert loaded == quiet and len(quiet.errors) == 600


def test_validate_never_imports_jsonschema() -> None:
    code = ("import sys; from toolbox.core.json.validate import validate; "
            "validate('1', '{}'); validate('[1]', '{\"items\": {\"type\": \"string\", \"pattern\": \"a\"}}'); "
            "print('jsonschema' in sys.modules)")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60)
    assert done.stdout.strip() == "False"


def test_false_schemas_and_whole_keyword_errors() -> None:
    result = validate('{"x": 1, "y": 2}', '{"properties": {"x": false}, "additionalProperties": false}')
    assert {(e.instance_path, e.keyword) for e in result.errors} == {("/x", "false"), ("/y", "additionalProperties")}
    assert validate("1", "false").errors[0].keyword == "false"
    assert validate("1", "true").valid


def test_format_assertion_switch() -> None:
    schema = '{"format": "date-time"}'
    assert not validate('"2024-13-01T00:00:00Z"', schema).valid
    off = validate('"2024-13-01T00:00:00Z"', schema, formats=False)
    assert off.valid and not off.formats_asserted
    for fmt, bad in [("email", "no-at-sign"), ("uri", "not a uri"), ("uuid", "1234"), ("ipv4", "999.1.1.1"),
                     ("ipv6", "::g"), ("date", "2024-02-30"), ("hostname", "-bad-")]:
        assert not validate(json.dumps(bad), json.dumps({"format": fmt})).valid, fmt


def test_big_numbers_are_compared_exactly() -> None:
    schema = '{"maximum": 12345678901234567890123456788}'
    assert not validate("12345678901234567890123456789", schema).valid
    assert validate("12345678901234567890123456788", schema).valid


def test_numbers_beyond_a_double_are_not_infinity_or_zero() -> None:
    result = validate("[1e400, 1e-400, -1e400]", '{"items": {"maximum": 10, "exclusiveMinimum": 0}}')
    assert [(e.instance_path, e.keyword) for e in result.errors] == [
        ("/0", "maximum"), ("/2", "exclusiveMinimum")]
    assert result.errors[0].message == "1e+400 is greater than the maximum of 10"
    assert validate("5", '{"maximum": 1e400}').valid  # the schema may hold them too


def test_duplicate_keys_last_wins_and_is_located() -> None:
    result = validate('{"a": "x",\n "a": 1}', '{"properties": {"a": {"type": "string"}}}')
    assert _only(result) == {"at": "/a", "keyword": "type", "line": 2, "column": 2}


def test_many_errors_are_capped() -> None:
    instance = json.dumps(["x"] * 5000)
    result = validate(instance, '{"items": {"type": "integer"}}', max_errors=100)
    assert len(result.errors) == 100 and result.errors_truncated and not result.valid
    assert any("More than 100 errors" in note for note in result.notes)


# --- dialects ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("uri", "dialect"),
    [("http://json-schema.org/draft-04/schema#", "draft4"), ("http://json-schema.org/draft-06/schema", "draft6"),
     ("https://json-schema.org/draft-07/schema#", "draft7"),
     ("https://json-schema.org/draft/2019-09/schema", "draft2019-09"),
     ("https://json-schema.org/draft/2020-12/schema#", "draft2020-12")],
)
def test_dialect_from_schema(uri: str, dialect: str) -> None:
    assert validate("1", json.dumps({"$schema": uri})).dialect == dialect


def test_dialect_default_and_choice() -> None:
    assert validate("[1]", '{"prefixItems": [{"type": "string"}]}').valid is False
    chosen = validate("[1]", '{"$schema": "https://json-schema.org/draft/2020-12/schema", '
                             '"prefixItems": [{"type": "string"}]}', dialect="draft7")
    assert chosen.dialect == "draft7" and chosen.valid  # prefixItems means nothing in draft 7
    assert any("as chosen" in note for note in chosen.notes)


def test_unknown_dialect() -> None:
    with pytest.raises(UnknownDialectError) as caught:
        validate("1", '{"$schema": "http://example.com/my-meta"}')
    assert caught.value.which == "schema" and isinstance(caught.value, ValueError)
    assert "my-meta" in str(caught.value)
    with pytest.raises(UnknownDialectError):
        validate("1", "{}", dialect="draft3")  # type: ignore[arg-type]


# --- the schema itself ---------------------------------------------------------------------------


def test_schema_errors_are_located_in_the_schema() -> None:
    schema = '{\n  "type": "strin",\n  "properties": {\n    "n": {"minLength": -1}\n  }\n}'
    result = validate("{}", schema)
    assert not result.valid and result.errors == () and result.engine == ""
    got = [(e.instance_path, e.keyword, e.line, e.column) for e in result.schema_errors]
    assert got == [("/type", "anyOf", 2, 3), ("/properties/n/minLength", "minimum", 4, 11)]
    assert result.best_match is not None
    assert any("not validated" in note for note in result.notes)


def test_bad_regex_is_a_schema_error_not_a_crash() -> None:
    result = validate('"a"', '{\n  "properties": {"p": {"pattern": "[a-"}},\n  "patternProperties": {"(": {}}\n}')
    assert not result.valid
    assert {(e.instance_path, e.keyword, e.line) for e in result.schema_errors} == {
        ("/properties/p/pattern", "format", 2), ("/patternProperties/(", "format", 3)}  # at the key itself


def test_catastrophic_regex_never_runs_in_python() -> None:
    start = time.monotonic()
    result = validate(json.dumps("a" * 64 + "!"), '{"pattern": "^(a+)+$"}')
    assert not result.valid and result.errors[0].keyword == "pattern"
    properties = validate(json.dumps({"a" * 64 + "!": 1}),
                          '{"patternProperties": {"^(a+)+$": {}}, "additionalProperties": false}')
    assert not properties.valid
    assert time.monotonic() - start < 2


def test_unresolvable_local_ref() -> None:
    result = validate("1", '{\n  "$ref": "#/$defs/missing"\n}')
    assert [(e.instance_path, e.keyword, e.line) for e in result.schema_errors] == [("/$ref", "$ref", 2)]


# --- remote references ---------------------------------------------------------------------------


@pytest.fixture
def listener() -> Iterator[tuple[int, list[bytes]]]:
    """A loopback TCP listener that records any connection (there must be none)."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen()
    server.settimeout(0.1)
    seen: list[bytes] = []
    stop = threading.Event()

    def accept() -> None:
        while not stop.is_set():
            try:
                conn, _ = server.accept()
            except OSError:
                continue
            seen.append(conn.recv(100))
            conn.close()

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    yield server.getsockname()[1], seen
    stop.set()
    thread.join(2)
    server.close()


def test_remote_refs_are_refused_never_fetched(listener: tuple[int, list[bytes]]) -> None:
    port, seen = listener
    schema = json.dumps({
        "properties": {"a": {"$ref": f"http://127.0.0.1:{port}/a.json"}},
        "$defs": {"b": {"$ref": f"http://127.0.0.1:{port}/b.json#/x"}, "c": {"$dynamicRef": f"http://127.0.0.1:{port}/c#m"}},
        "items": {"$ref": "relative.json"},
    }, indent=2)
    result = validate('{"a": 1}', schema)
    assert not result.valid and result.errors == ()
    assert set(result.refused_refs) == {f"http://127.0.0.1:{port}/a.json", f"http://127.0.0.1:{port}/b.json",
                                        f"http://127.0.0.1:{port}/c", "relative.json"}
    assert {e.instance_path for e in result.schema_errors} == {
        "/properties/a/$ref", "/$defs/b/$ref", "/$defs/c/$dynamicRef", "/items/$ref"}
    assert all(e.line is not None and "never fetched" in e.message for e in result.schema_errors)
    time.sleep(0.3)
    assert seen == []


def test_ref_with_base_uri_and_embedded_resources() -> None:
    refused = validate("1", '{"$id": "https://example.com/root.json", "$ref": "other.json"}')
    assert refused.refused_refs == ("https://example.com/other.json",)
    embedded = validate("1", '{"$id": "https://example.com/root.json", "$ref": "other.json",'
                             ' "$defs": {"o": {"$id": "other.json", "type": "string"}}}')
    assert not embedded.valid and embedded.refused_refs == ()
    assert embedded.errors[0].schema_pointer == "/$defs/o/type"


def test_standard_metaschemas_are_bundled_not_fetched() -> None:
    result = validate('{"type": 5}', '{"$ref": "https://json-schema.org/draft/2020-12/schema"}')
    assert result.refused_refs == () and not result.valid
    assert validate('{"type": "string"}', '{"$ref": "http://json-schema.org/draft-07/schema#"}').valid


# --- input problems -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "line", "column", "fragment"),
    [("", 1, 1, "Empty"), ("[1,\n 2,]", 2, 3, "Trailing comma before ']'"), ("[NaN]", 1, 2, "NaN"),
     ('{"a": -Infinity}', 1, 7, "Infinity"), ('{"a": 1} {}', 1, 10, "exactly one top-level value"),
     ('"\\ud800"', 1, 2, "surrogate"), ('{"é": "\t"}', 1, 8, "control character"), ("{'a': 1}", 1, 2, "double quotes")],
)
def test_syntax_errors_say_which_text_and_where(text: str, line: int, column: int, fragment: str) -> None:
    with pytest.raises(InstanceSyntaxError) as caught:
        validate(text, "{}")
    error = caught.value
    assert isinstance(error, JsonSyntaxError) and error.which == "instance"
    assert (error.line, error.column) == (line, column) and fragment in error.message
    assert error.caret.endswith("^")
    with pytest.raises(SchemaSyntaxError) as in_schema:
        validate("{}", text)
    assert in_schema.value.which == "schema"


def test_byte_offset_counts_utf8() -> None:
    with pytest.raises(InstanceSyntaxError) as caught:
        validate('["é", x]', "{}")
    assert (caught.value.column, caught.value.offset) == (7, 7)


def test_too_deep() -> None:
    deep = "[" * 50 + "]" * 50
    with pytest.raises(InputTooDeepError) as caught:
        validate(deep, "{}", max_depth=20)
    assert caught.value.which == "instance" and isinstance(caught.value, JsonTooDeep)
    with pytest.raises(InputTooDeepError) as schema_side:
        validate("1", '{"not":' * 30 + "{}" + "}" * 30, max_depth=20)
    assert schema_side.value.which == "schema"
    with pytest.raises(UnusableInputError):
        validate("[" * 100_000 + "]" * 100_000, "{}")


def test_deep_but_allowed_instance_with_recursive_schema() -> None:
    depth = 900
    result = validate("[" * depth + '"x"' + "]" * depth, '{"type": "array", "items": {"$ref": "#"}}')
    assert not result.valid and result.errors[0].instance_path == "/0" * (depth - 0)
    assert result.errors[0].column == depth + 1


# --- hostile schemas and sizes -------------------------------------------------------------


def test_deep_schemas() -> None:
    """jsonschema-rs compiles up to ~250 levels of subschemas; deeper is a clear error about the schema."""
    assert not validate("1", '{"not": ' * 201 + "{}" + "}" * 201).valid
    for depth in (300, 900):
        with pytest.raises(InputTooDeepError) as caught:
            validate("1", '{"not": ' * depth + "{}" + "}" * depth)
        assert caught.value.which == "schema" and "nests too deeply" in caught.value.message


@pytest.mark.parametrize(
    "schema",
    ['{"$ref": "#"}', '{"$defs": {"a": {"$ref": "#/$defs/b"}, "b": {"$ref": "#/$defs/a"}}, "$ref": "#/$defs/a"}',
     '{"$defs": {"a": {"allOf": [{"$ref": "#/$defs/a"}]}}, "properties": {"x": {"$ref": "#/$defs/a"}}}',
     '{"$dynamicAnchor": "m", "anyOf": [{"$dynamicRef": "#m"}]}'],
)
def test_reference_loops_terminate(schema: str) -> None:
    result = validate('{"x": [1, {"y": 2}]}', schema)
    assert isinstance(result, ValidationResult)


def test_ten_thousand_properties() -> None:
    schema = json.dumps({"type": "object", "properties": {f"p{i}": {"type": "integer"} for i in range(10_000)}})
    assert validate(json.dumps({f"p{i}": i for i in range(10_000)}), schema).valid
    result = validate(json.dumps({f"p{i}": "x" for i in range(10_000)}, indent=1), schema)
    assert len(result.errors) == 1000 and result.errors_truncated
    assert result.errors[-1].line == 1001


def test_huge_values_keep_messages_short() -> None:
    result = validate(json.dumps("x" * 2_000_000), '{"maxLength": 3, "enum": ["a"]}')
    assert {e.keyword for e in result.errors} == {"maxLength", "enum"}
    assert all(len(e.message) <= validate_module.MAX_MESSAGE for e in result.errors)


def test_compiled_schemas_are_cached_by_text_dialect_and_formats() -> None:
    validate_module._CACHE.clear()
    first = compile_schema(USER_SCHEMA)
    assert compile_schema(USER_SCHEMA) is first
    assert compile_schema(USER_SCHEMA, formats=False) is not first
    assert compile_schema(USER_SCHEMA, dialect="draft7") is not first
    for i in range(validate_module.CACHE_SIZE + 5):
        compile_schema(json.dumps({"minimum": i}))
    assert len(validate_module._CACHE) == validate_module.CACHE_SIZE


def test_concurrent_use_of_one_compiled_schema() -> None:
    compiled = compile_schema(USER_SCHEMA)
    results: list[bool] = []

    def work() -> None:
        for i in range(30):
            results.append(compiled.validate(json.dumps({"name": "n", "email": "a@b.co", "tags": ["x" * (i % 3)]})).valid)

    threads = [threading.Thread(target=work) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(results) == 120 and results.count(False) == 40
