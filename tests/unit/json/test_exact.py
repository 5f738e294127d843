"""Formatting never changes the data: numbers, strings, duplicate keys, key order; and the options."""

from __future__ import annotations

import json

import pytest

from tests.unit.json.reference import exact
from toolbox.core.json.format import format_json
from toolbox.core.json.model import FormatOptions

NUMBERS = ["12345678901234567890123456789", "0.1000000000000000055511151231257827", "1E+2", "-0.0", "1e400",
           "-0", "0.10", "1e-400", "-1.5E-7", "123456789012345678901234567890.5e-3"]


@pytest.mark.parametrize("literal", NUMBERS)
@pytest.mark.parametrize("options", [FormatOptions(), FormatOptions(mode="minify"), FormatOptions(indent=4),
                                     FormatOptions(indent="tab"), FormatOptions(sort_keys=True),
                                     FormatOptions(sort_keys=True, mode="minify")])
def test_number_literals_are_kept_exactly(literal: str, options: FormatOptions) -> None:
    out = format_json(f'{{"n": [{literal}], "m": {literal}}}', options).output
    assert out.count(literal) == 2


def test_top_level_number_is_kept() -> None:
    assert format_json("1E+2", FormatOptions()).output == "1E+2"


def test_strings_keep_their_exact_content() -> None:
    text = '["\\u00e9", "é", "\\ud83d\\ude00", "\\"", "\\\\", "\\/", "\\b\\f\\n\\r\\t", "\u2028", "a\\u0000b"]'
    out = format_json(text, FormatOptions()).output
    assert exact(out) == exact(text)
    assert json.loads(out) == ["é", "é", "😀", '"', "\\", "/", "\b\f\n\r\t", "\u2028", "a\x00b"]


def test_pretty_layout_and_indent_variants() -> None:
    text = '{"a":[1,{"b":null}],"c":{},"d":[]}'
    assert format_json(text, FormatOptions()).output == (
        '{\n  "a": [\n    1,\n    {\n      "b": null\n    }\n  ],\n  "c": {},\n  "d": []\n}')
    assert format_json(text, FormatOptions(indent=4)).output.startswith('{\n    "a": [\n        1,')
    assert format_json(text, FormatOptions(indent="tab")).output == (
        '{\n\t"a": [\n\t\t1,\n\t\t{\n\t\t\t"b": null\n\t\t}\n\t],\n\t"c": {},\n\t"d": []\n}')
    assert format_json(' { "a" : [ 1 , { "b" : null } ] , "c" : { } , "d" : [ ] } ',
                       FormatOptions(mode="minify")).output == text


def test_tab_indentation_of_deep_documents() -> None:
    text = "[" * 37 + "1" + "]" * 37
    lines = format_json(text, FormatOptions(indent="tab")).output.split("\n")
    assert lines[37] == "\t" * 37 + "1"
    assert all(line.lstrip("\t") == line.strip() for line in lines)


def test_spaces_inside_strings_are_not_indentation() -> None:
    text = '{"a": ["  x  ", "\\n  y"]}'
    out = format_json(text, FormatOptions(indent="tab")).output
    assert exact(out) == exact(text)


def test_duplicate_keys_are_kept_in_order_and_reported() -> None:
    text = '{\n  "a": 1,\n  "b": {"x": 1, "x": 2, "\\u0078": 3},\n  "a": [4]\n}'
    result = format_json(text, FormatOptions())
    assert exact(result.output) == exact(text)
    found = [(w.id, w.line, w.column, w.pointer) for w in result.warnings]
    assert found == [("duplicate-key", 3, 17, "/b/x"), ("duplicate-key", 3, 25, "/b/x"),
                     ("duplicate-key", 4, 3, "/a")]
    assert "first at line 1" not in result.warnings[2].message and "first at line 2" in result.warnings[2].message


def test_duplicate_key_pointers_escape_and_index() -> None:
    text = '[{"a/b": [0, {"~k": 1, "~k": 2}]}]'
    (warning,) = format_json(text, FormatOptions()).warnings
    assert warning.pointer == "/0/a~1b/1/~0k"


def test_sort_keys_sorts_recursively() -> None:
    text = '{"b": {"z": 1, "y": [{"d": 1, "c": 2}]}, "a": 0, "é": 1, "Z": 2}'
    out = format_json(text, FormatOptions(sort_keys=True, mode="minify")).output
    assert out == '{"Z":2,"a":0,"b":{"y":[{"c":2,"d":1}],"z":1},"é":1}'
    assert not format_json(text, FormatOptions(sort_keys=True)).warnings


def test_sort_keys_with_duplicates_keeps_them_and_warns() -> None:
    text = '{"b": 1, "a": 2, "b": 3}'
    result = format_json(text, FormatOptions(sort_keys=True, mode="minify"))
    assert result.output == '{"a":2,"b":1,"b":3}'
    assert [w.id for w in result.warnings] == ["duplicate-key", "sort-changes-duplicates"]


def test_sort_keys_keeps_negative_zero_and_big_integers() -> None:
    text = '{"b": -0, "a": 123456789012345678901234567890, "c": [-0.0, 1E+2]}'
    out = format_json(text, FormatOptions(sort_keys=True, mode="minify")).output
    assert out == '{"a":123456789012345678901234567890,"b":-0,"c":[-0.0,1E+2]}'


def test_ascii_escapes_non_ascii_and_warns_that_only_the_text_changed() -> None:
    result = format_json('{"é": "😀 ok"}', FormatOptions(ascii=True, mode="minify"))
    assert result.output == '{"\\u00e9":"\\ud83d\\ude00 ok"}'
    assert [w.id for w in result.warnings] == ["ascii-escaped"]
    assert json.loads(result.output) == {"é": "😀 ok"}
    assert not format_json('{"a": 1}', FormatOptions(ascii=True)).warnings


def test_stats() -> None:
    text = '{"a": [1, 2.5, "s", true, null, {}], "b": {"c": false}, "d": "x\\"y"}'
    stats = format_json(text, FormatOptions()).stats
    assert (stats.objects, stats.arrays, stats.strings, stats.numbers, stats.literals, stats.keys,
            stats.depth) == (3, 1, 2, 2, 3, 4, 3)
    assert stats.bytes_in == len(text)
    result = format_json(text, FormatOptions())
    assert stats.bytes_out == len(result.output.encode())


def test_stats_count_bytes_not_characters() -> None:
    result = format_json('["é😀"]', FormatOptions(mode="minify"))
    assert (result.stats.bytes_in, result.stats.bytes_out) == (10, 10)


@pytest.mark.parametrize("text", ["0", '""', "true", "null", "[]", "{}", "[[]]", '{"": ""}'])
def test_small_documents_round_trip(text: str) -> None:
    for options in (FormatOptions(), FormatOptions(mode="minify"), FormatOptions(sort_keys=True)):
        assert exact(format_json(text, options).output) == exact(text)


def test_sort_keys_when_a_string_holds_minus_zero() -> None:
    text = '{"b": "x -0", "a": [-0, "-0"]}'
    assert format_json(text, FormatOptions(sort_keys=True, mode="minify")).output == '{"a":[-0,"-0"],"b":"x -0"}'
