"""Strict RFC 8259: every rejection class, with a message in words and an exact location."""

from __future__ import annotations

import pytest

from toolbox.core.json.format import format_json
from toolbox.core.json.model import FormatOptions, JsonSyntaxError, JsonTooDeep
from toolbox.core.json.parse import parse_strict

CASES = [
    # text, words expected in the message, line, column, byte offset
    ("NaN", "NaN", 1, 1, 0),
    ("[1, NaN]", "NaN", 1, 5, 4),
    ("[Infinity]", "Infinity", 1, 2, 1),
    ("[-Infinity]", "Infinity", 1, 2, 1),
    ("[1] // note", "Comments", 1, 5, 4),
    ("/* c */ [1]", "Comments", 1, 1, 0),
    ("{\"a\": 1 /* c */}", "Comments", 1, 9, 8),
    ("[1, 2,]", "Trailing comma before ']'", 1, 6, 5),
    ('{"a": 1,}', "Trailing comma before '}'", 1, 8, 7),
    ("['a']", "Single quotes", 1, 2, 1),
    ("{'a': 1}", "Single quotes", 1, 2, 1),
    ("[01]", "leading zeros", 1, 2, 1),
    ("[-01]", "leading zeros", 1, 2, 1),
    ('["a\tb"]', "control character U+0009", 1, 4, 3),
    ('["a\nb"]', "line break", 1, 4, 3),
    ('["\x00"]', "control character U+0000", 1, 3, 2),
    ('["\\x41"]', "Invalid escape '\\x'", 1, 3, 2),
    ('["\\u12G4"]', "four hex digits", 1, 3, 2),
    ('["\\ud800"]', "Lone surrogate escape '\\ud800'", 1, 3, 2),
    ('["\\udc00"]', "Lone surrogate escape '\\udc00'", 1, 3, 2),
    ('["\\ud800\\u0041"]', "Lone surrogate escape '\\ud800'", 1, 3, 2),
    ('"x\\ud83dy"', "Lone surrogate", 1, 3, 2),
    ("1 2", "exactly one top-level value", 1, 3, 2),
    ("{} []", "exactly one top-level value", 1, 4, 3),
    ("", "Empty input", 1, 1, 0),
    ("  \n ", "Empty input", 2, 2, 4),
    ("{a: 1}", "Object keys must be strings", 1, 2, 1),
    ("[1 2]", "',' or ']'", 1, 4, 3),
    ('{"a" 1}', "Expected ':'", 1, 6, 5),
    ("[1,,2]", "Expected a value before ','", 1, 4, 3),
    ("[.5]", "digit before the decimal point", 1, 2, 1),
    ("[+1]", "cannot start with '+'", 1, 2, 1),
    ("[1.]", "digit after the decimal point", 1, 4, 3),
    ("[1e]", "exponent", 1, 4, 3),
    ("[0x1F]", "Hexadecimal", 1, 2, 1),
    ("[True]", "Unknown literal 'True'", 1, 2, 1),
    ("[tru]", "Invalid literal", 1, 2, 1),
    ('["abc', "Unterminated string", 1, 2, 1),
    ('{"a": [1, 2', "not closed", 1, 12, 11),
    ("[1}", "Mismatched '}'", 1, 3, 2),
    ("\ufeff[1]", "byte order mark", 1, 1, 0),
    ("[\u00a01]", "U+00A0", 1, 2, 1),
]


@pytest.mark.parametrize(("text", "words", "line", "column", "offset"), CASES)
def test_rejections_say_why_and_where(text: str, words: str, line: int, column: int, offset: int) -> None:
    with pytest.raises(JsonSyntaxError) as caught:
        format_json(text, FormatOptions())
    err = caught.value
    assert words in err.message
    assert (err.line, err.column, err.offset) == (line, column, offset)
    assert err.caret.endswith("^")
    assert str(err).startswith(err.message)


@pytest.mark.parametrize(("text", "words", "line", "column", "offset"), CASES[:12])
def test_parse_strict_rejects_the_same(text: str, words: str, line: int, column: int, offset: int) -> None:
    with pytest.raises(JsonSyntaxError) as caught:
        parse_strict(text)
    assert words in caught.value.message and caught.value.line == line


def test_positions_on_multi_line_non_ascii_input() -> None:
    text = '{\n  "名前": "Zoë 😀",\n  "b": [1, 2,]\n}'
    with pytest.raises(JsonSyntaxError) as caught:
        format_json(text, FormatOptions())
    err = caught.value
    assert (err.line, err.column) == (3, 13)  # columns count characters
    assert err.offset == len(text[: text.index(",]")].encode())  # offsets count UTF-8 bytes
    assert err.snippet == '  "b": [1, 2,]' and err.caret == "            ^"


def test_column_and_offset_after_astral_characters() -> None:
    text = '["😀😀", x]'
    with pytest.raises(JsonSyntaxError) as caught:
        format_json(text, FormatOptions())
    assert (caught.value.column, caught.value.offset) == (8, 13)


def test_snippet_is_clipped_around_the_error_on_long_lines() -> None:
    text = "[" + "1, " * 5000 + "x]"
    with pytest.raises(JsonSyntaxError) as caught:
        format_json(text, FormatOptions())
    err = caught.value
    assert len(err.snippet) <= 122 and err.snippet.startswith("…")
    assert err.snippet[len(err.caret) - 1] == "x"


def test_snippet_shows_control_characters_visibly_and_never_a_surrogate() -> None:
    with pytest.raises(JsonSyntaxError) as caught:
        format_json('["a\x01b"]', FormatOptions())
    assert "\u2401" in caught.value.snippet
    with pytest.raises(JsonSyntaxError) as caught:
        format_json('["a", "\ud800"]', FormatOptions())
    assert "\ud800" not in caught.value.snippet
    caught.value.snippet.encode("utf-8")


def test_lone_surrogate_in_a_python_str_is_a_located_error() -> None:
    with pytest.raises(JsonSyntaxError) as caught:
        format_json('{"a": "x\ud800"}', FormatOptions())
    assert "surrogate" in caught.value.message and caught.value.column == 9


def test_raw_del_and_escaped_controls_are_valid() -> None:
    assert format_json('["\x7f", "\\u0000\\/"]', FormatOptions(mode="minify")).output == '["\x7f","\\u0000\\/"]'


def test_too_deep_is_its_own_error_with_a_place() -> None:
    with pytest.raises(JsonTooDeep) as caught:
        format_json("[" * 11 + "]" * 11, FormatOptions(max_depth=10))
    assert (caught.value.line, caught.value.column, caught.value.max_depth) == (1, 11, 10)
    assert format_json("[" * 10 + "]" * 10, FormatOptions(max_depth=10)).stats.depth == 10


def test_depth_counts_empty_containers_at_the_bottom() -> None:
    with pytest.raises(JsonTooDeep):
        format_json('{"a": [[{}]]}', FormatOptions(max_depth=3))
    assert format_json('{"a": [[{}]]}', FormatOptions(max_depth=4)).stats.depth == 4
