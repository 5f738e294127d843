"""JSON Lines, line by line (toolbox/core/json/lines.py): the format's edge cases, bounded memory, the
summary, and every line's verdict and error count against the reference `jsonschema`."""

from __future__ import annotations

import json
import random
import tracemalloc
from typing import Any

import jsonschema
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from toolbox.core.json.lines import EXPLAIN_MAX_BYTES, LinesResult, LinesValidator, validate_lines
from toolbox.core.json.validate import compile_schema

ORDER_SCHEMA = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "type": "object",
    "required": ["id", "sku", "qty", "status"],
    "properties": {
        "id": {"type": "integer", "minimum": 1},
        "sku": {"type": "string", "pattern": "^[A-Z]-[0-9]+$"},
        "qty": {"type": "integer", "minimum": 1, "maximum": 100},
        "price": {"type": "number", "exclusiveMinimum": 0},
        "status": {"enum": ["paid", "shipped", "cancelled"]},
        "tags": {"type": "array", "items": {"type": "string", "maxLength": 8}, "uniqueItems": True},
        "ship_to": {"type": "object", "required": ["country"],
                    "properties": {"country": {"type": "string", "pattern": "^[A-Z]{2}$"}}},
    },
}


def run(data: bytes, schema: dict[str, Any] | None = None, **options: Any) -> LinesResult:
    compiled = compile_schema(json.dumps(schema)) if schema is not None else None
    validator = LinesValidator(compiled, **options)
    validator.feed(data)
    return validator.finish()


def invalid_lines(result: LinesResult) -> list[int]:
    return sorted({e.line for e in result.errors})


def test_lines_end_with_lf_crlf_is_whitespace_and_the_last_lf_starts_no_line() -> None:
    for data in (b'1\n"a"\n[]\n', b'1\r\n"a"\r\n[]\r\n', b'1\n"a"\n[]'):
        result = run(data)
        assert result.valid and result.lines == 3 and result.values == 3 and result.blank == 0, data


def test_an_empty_input_is_valid_and_holds_no_values() -> None:
    result = run(b"")
    assert result.valid and result.lines == 0 and result.values == 0
    assert result.notes == ("No JSON values: the input is empty.",)


def test_blank_lines_are_errors_unless_ignored() -> None:
    data = b'{"a":1}\n\n  \t\r\n{"b":2}\n'
    strict = run(data)
    assert not strict.valid and strict.blank == 2 and invalid_lines(strict) == [2, 3]
    assert {e.keyword for e in strict.errors} == {"blank"} and strict.errors[0].pointer is None
    ignored = run(data, blank="ignore")
    assert ignored.valid and ignored.blank == 2 and ignored.values == 2 and ignored.lines == 4


def test_a_byte_order_mark_is_line_ones_syntax_error() -> None:
    result = run(b'\xef\xbb\xbf{"a":1}\n{"b":2}\n')
    assert [(e.line, e.keyword, e.column) for e in result.errors] == [(1, "syntax", 1)]
    assert "byte order mark" in result.errors[0].message
    assert result.valid_values == 1


def test_cr_only_line_endings_are_one_line_with_a_hint() -> None:
    result = run(b'{"a":1}\r{"b":2}\r{"c":3}\r')
    assert result.lines == 1 and not result.valid
    assert "carriage return" in result.errors[0].message and result.errors[0].keyword == "syntax"


def test_non_utf8_nul_and_syntax_errors_are_located_in_their_line() -> None:
    data = b'{"a": "\xc3\xa9"}\n{"a": "\xff"}\n{"a":\x00 1}\n{"a": 1,}\n[1, 2\n'
    result = run(data)
    by_line = {e.line: e for e in result.errors}
    assert sorted(by_line) == [2, 3, 4, 5]
    assert by_line[2].keyword == "encoding" and by_line[2].column == 8 and "0xff" in by_line[2].message
    assert by_line[3].keyword == "syntax" and by_line[3].column == 6
    assert by_line[4].keyword == "syntax" and "railing comma" in by_line[4].message
    assert by_line[5].keyword == "syntax" and by_line[5].column == 6


def test_columns_count_characters_not_bytes() -> None:
    result = run('{"é€😀": 1,}\n'.encode())
    assert result.errors[0].column == 10  # the comma, the 10th character (14 bytes in)


def test_deep_nesting_is_an_error_for_that_line_only() -> None:
    deep = b"[" * 2000 + b"]" * 2000
    result = run(b"1\n" + deep + b"\n2\n", {"type": ["integer", "array"]})
    assert [(e.line, e.keyword) for e in result.errors] == [(2, "too-deep")]
    assert result.valid_values == 2
    syntax_only = run(b"1\n" + deep + b"\n2\n")
    assert [(e.line, e.keyword) for e in syntax_only.errors] == [(2, "too-deep")]


def test_a_line_over_the_limit_is_skipped_without_being_held() -> None:
    validator = LinesValidator(None, max_line=1000)
    validator.feed(b'{"a": 1}\n')
    tracemalloc.start()
    try:
        for _ in range(200):  # a 20 MB line, in pieces
            validator.feed(b"[" + b"1," * 50_000)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    validator.feed(b'1]\n{"b": 2}')
    result = validator.finish()
    assert peak < 2_000_000  # a few chunks, never the line
    assert [(e.line, e.keyword) for e in result.errors] == [(2, "too-long")]
    assert "20,000,202 bytes" in result.errors[0].message
    assert result.lines == 3 and result.valid_values == 2


def test_the_limit_is_exact_and_a_long_last_line_counts_too() -> None:
    assert run(b"1" * 100, max_line=100).valid
    assert run(b"1" * 100 + b"\r\n", max_line=101).valid  # the CR is part of the line
    over = run(b"2\n" + b"1" * 101, max_line=100)
    assert [(e.line, e.keyword) for e in over.errors] == [(2, "too-long")]


@settings(max_examples=60, deadline=None, derandomize=True, database=None)
@given(st.lists(st.integers(1, 40), min_size=1, max_size=30))
def test_any_chunking_gives_the_same_result(cuts: list[int]) -> None:
    data = (b'{"id": 1, "sku": "A-1", "qty": 2, "status": "paid"}\n{"id": 0}\n\n[1,\n'
            b'{"id": 3, "sku": "b", "qty": 1, "status": "paid"}\r\n' + b"7" * 60 + b"\n\xff\n"
            b'{"id": 4, "sku": "Z-9", "qty": 1, "status": "lost"}')
    whole = run(data, ORDER_SCHEMA, max_line=50)
    compiled = compile_schema(json.dumps(ORDER_SCHEMA))
    pieces, start = [], 0
    for cut in cuts:
        pieces.append(data[start:start + cut])
        start += cut
    pieces.append(data[start:])
    assert validate_lines(pieces, compiled, max_line=50) == whole


def test_schema_errors_have_their_pointer_keyword_and_column() -> None:
    result = run(b'{"id": 1, "sku": "A-1", "qty": 0, "status": "paid"}\n{"id": 2, "qty": 1, "status": "x"}\n',
                 ORDER_SCHEMA)
    got = [(e.line, e.keyword, e.pointer, e.column) for e in result.errors]
    assert got == [(1, "minimum", "/qty", 25), (2, "required", "", 1), (2, "enum", "/status", 21)]  # at the key
    assert result.invalid_lines == 2 and result.errors_total == 3
    assert result.dialect == "draft2020-12" and result.formats_asserted is True


def test_the_summary_groups_by_keyword_place_and_rule_most_common_first() -> None:
    lines = []
    for i in range(1, 31):
        record: dict[str, Any] = {"id": i, "sku": "A-1", "qty": 1, "status": "paid", "tags": ["a"]}
        if i % 3 == 0:
            del record["sku"]
        if i % 5 == 0:
            record["tags"] = ["ok", i]  # a wrong type at /tags/1: indexes grouped as *
        if i % 7 == 0:
            record["qty"] = 1000 + i  # the message differs (it holds the value); the rule does not
        lines.append(json.dumps(record))
    result = run("\n".join(lines).encode(), ORDER_SCHEMA)
    summary = [(g.keyword, g.pointer, g.count, g.first_lines) for g in result.summary]
    assert summary == [("required", "", 10, (3, 6, 9, 12, 15)), ("type", "/tags/*", 6, (5, 10, 15, 20, 25)),
                       ("maximum", "/qty", 4, (7, 14, 21, 28))]
    assert result.summary[0].message == '"sku" is a required property'
    assert result.summary[2].message.startswith("1007 ")  # the first one's words


def test_error_and_group_caps_count_the_rest() -> None:
    data = b"".join(b'{"k%d": 1}\n' % i for i in range(50))
    schema = {"additionalProperties": False}
    result = run(data, schema, keep_errors=10, max_groups=5)
    assert result.errors_total == 50 and len(result.errors) == 10 and result.errors_truncated
    assert len(result.summary) == 5 and result.other_errors == 45
    assert [e.line for e in result.errors] == list(range(1, 11))


def test_a_long_invalid_line_gets_its_first_error_only_cheaply() -> None:
    # 500,000 wrong items: all their errors would take ~800 MB; the first one takes microseconds.
    line = b"[" + b",".join([b"0"] * 500_000) + b"]"
    tracemalloc.start()
    try:
        result = run(line + b"\n", {"items": {"type": "string"}})
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert [(e.line, e.keyword, e.pointer, e.column) for e in result.errors] == [(1, "type", "/0", 2)]
    assert "first error only" in result.errors[0].message
    assert peak < 100_000_000
    short = run(b"[" + b",".join([b"0"] * 100) + b"]\n", {"items": {"type": "string"}})
    assert short.errors_total == 100 and len(line) > EXPLAIN_MAX_BYTES


def test_a_schema_that_cannot_be_used_is_refused_up_front() -> None:
    compiled = compile_schema('{"type": 5}')
    with pytest.raises(ValueError, match="cannot be used"):
        LinesValidator(compiled)


def _ref_chain(levels: int) -> dict[str, Any]:
    """anyOf of 3 references to the next level, `levels` deep: 3^levels evaluations per value."""
    defs: dict[str, Any] = {f"a{i}": {"anyOf": [{"$ref": f"#/$defs/a{i + 1}"}] * 3} for i in range(levels)}
    defs[f"a{levels}"] = {"type": "string"}
    return {"$ref": "#/$defs/a0", "$defs": defs}


def test_exploding_anyof_branches_stay_guarded() -> None:
    explained_not = run(b'"a"\n1\n', _ref_chain(12))  # 3^12: decided, not explained
    assert explained_not.valid_values == 1 and [e.line for e in explained_not.errors] == [2]
    assert "not valid against the schema" in explained_not.errors[0].message
    undecided = run(b'"a"\n', _ref_chain(24))  # 3^24: not even decided (hours)
    assert not undecided.valid and "not validated" in undecided.errors[0].message


# The reference: jsonschema (the Python implementation), line by line ---------------------------------

def _sample_lines(seed: int, count: int) -> list[str]:
    rnd = random.Random(seed)
    lines = []
    for i in range(1, count + 1):
        record: dict[str, Any] = {"id": i, "sku": f"{rnd.choice('ABC')}-{rnd.randint(1, 99)}",
                                  "qty": rnd.randint(1, 100), "price": round(rnd.uniform(0.5, 99), 2),
                                  "status": rnd.choice(["paid", "shipped", "cancelled"]),
                                  "tags": rnd.sample(["gift", "express", "fragile", "bulk"], rnd.randint(0, 3)),
                                  "ship_to": {"country": rnd.choice(["DE", "FR", "US"])}}
        fault = rnd.random()
        if fault < 0.05:
            record["qty"] = rnd.choice([0, 101, "7", 2.5, None])
        elif fault < 0.10:
            del record[rnd.choice(["id", "sku", "status"])]
        elif fault < 0.13:
            record["ship_to"] = {"country": rnd.choice(["Germany", "de", 49])}
        elif fault < 0.16:
            record["tags"] = ["gift", "gift", "a-very-long-tag"]
        elif fault < 0.18:
            record["price"] = rnd.choice([0, -1, "9.99"])
        elif fault < 0.20:
            record = rnd.choice([[], "order", 42, None, {}])  # type: ignore[assignment]
        lines.append(json.dumps(record, ensure_ascii=rnd.random() < 0.5))
    return lines


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_every_line_agrees_with_the_reference_jsonschema(seed: int) -> None:
    lines = _sample_lines(seed, 400)
    reference = jsonschema.Draft202012Validator(ORDER_SCHEMA)
    expected = {n: len(list(reference.iter_errors(json.loads(text)))) for n, text in enumerate(lines, 1)}
    expected = {n: count for n, count in expected.items() if count}
    result = run("\n".join(lines).encode() + b"\n", ORDER_SCHEMA)
    got: dict[int, int] = {}
    for error in result.errors:
        got[error.line] = got.get(error.line, 0) + 1
    assert 40 <= len(expected) <= 120  # the sample holds invalid lines of every kind
    assert got == expected
    assert result.invalid_lines == len(expected) and result.valid_values == 400 - len(expected)
    assert result.errors_total == sum(expected.values())
