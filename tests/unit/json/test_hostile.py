"""Hostile input: deep nesting, huge strings and numbers, many duplicates; never a crash or a 500."""

from __future__ import annotations

import contextlib
import sys

import pytest

from tests.unit.json.reference import exact
from toolbox.core.json import parse
from toolbox.core.json.format import format_json
from toolbox.core.json.model import FormatOptions, JsonSyntaxError, JsonTooDeep
from toolbox.core.json.parse import parse_strict
from toolbox.core.json.tree import tree_nodes


@pytest.mark.parametrize("text", ["[" * 100_000, "[" * 100_000 + "]" * 100_000, '{"a":' * 50_000,
                                  "[" * 5000 + "x"])
def test_deep_nesting_is_too_deep_not_a_recursion_error(text: str) -> None:
    for call in (lambda: format_json(text, FormatOptions()), lambda: parse_strict(text),
                 lambda: tree_nodes(text), lambda: format_json(text, FormatOptions(lenient=True))):
        with pytest.raises(JsonTooDeep) as caught:
            call()
        assert caught.value.max_depth == 1000


@pytest.mark.parametrize("depth", [990, 1000])
def test_nesting_up_to_the_limit_is_formatted_even_past_the_c_engines_guard(depth: int) -> None:
    text = "[" * depth + "]" * depth
    for options in (FormatOptions(), FormatOptions(sort_keys=True), FormatOptions(mode="minify")):
        result = format_json(text, options)
        assert result.stats.depth == depth
        assert "".join(result.output.split()) == text
    value = parse_strict(text)
    for _ in range(depth - 1):
        (value,) = value
    assert value == []


def test_configured_depth_above_the_default_works_without_recursion() -> None:
    text = "[" * 3000 + "1" + "]" * 3000
    result = format_json(text, FormatOptions(max_depth=5000, indent="tab"))
    assert result.stats.depth == 3000 and result.output.split("\n")[3000] == "\t" * 3000 + "1"


def test_slow_path_when_the_interpreter_limit_is_unsafe(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(parse, "SAFE_RECURSION_LIMIT", sys.getrecursionlimit() - 1)
    text = '{"b": [1.50, {"x": "y"}], "a": 1, "b": 2}'
    result = format_json(text, FormatOptions(sort_keys=True))
    assert exact(result.output) == [("a", 1), ("b", [1.50, [("x", "y")]]), ("b", 2)]
    assert [w.id for w in result.warnings] == ["duplicate-key", "sort-changes-duplicates"]
    assert parse_strict('[1.5, 2]') == [parse.Decimal("1.5"), 2]


def test_one_megabyte_strings() -> None:
    big = "é" * 1_000_000
    result = format_json(f'{{"s": "{big}", "t": "{big}\\n"}}', FormatOptions(mode="minify"))
    assert result.output == f'{{"s":"{big}","t":"{big}\\n"}}'
    with pytest.raises(JsonSyntaxError) as caught:
        format_json(f'["{big}', FormatOptions())
    assert "Unterminated" in caught.value.message and len(caught.value.snippet) <= 122


def test_huge_integers_beyond_pythons_conversion_limit_stay_exact() -> None:
    digits = "9" * 6000
    for options in (FormatOptions(), FormatOptions(sort_keys=True)):
        assert digits in format_json(f'{{"b": {digits}, "a": -{digits}}}', options).output
    assert str(parse_strict(digits)) == digits


def test_a_thousand_duplicates_are_listed_up_to_a_cap() -> None:
    text = "{" + ",".join(['"k": 1'] * 1000) + "}"
    warnings = format_json(text, FormatOptions()).warnings
    assert len(warnings) == 201 and "799 more" in warnings[-1].message


def test_long_runs_of_backslashes_are_counted_exactly() -> None:
    text = '["' + "\\\\" * 50 + '", "\\"' + "\\\\" * 20 + '\\""]'
    result = format_json(text, FormatOptions())
    assert result.stats.strings == 2 and result.stats.keys == 0
    many = "[" + ",".join(['"\\\\\\""'] * 5000) + "]"
    assert format_json(many, FormatOptions()).stats.strings == 5000


def test_garbage_never_raises_anything_but_syntax_errors() -> None:
    for text in ["\x00", "[\x00]", "\ud800", '"\\', "{" + '"a":' * 3, "[1e999999999999]", "-", "[-]", "\\u0041",
                 '{"a":1}}', "[]]", "}", "]", ":", ",", '"\\u"', '"\\uD834\\uDD1E\\uD834"']:
        for options in (FormatOptions(), FormatOptions(lenient=True)):
            with contextlib.suppress(JsonSyntaxError, JsonTooDeep):
                format_json(text, options)
