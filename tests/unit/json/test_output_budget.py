"""Issue 8: the formatter's output budget, the exact size predictor behind it, and linear repairs.

Before: 500 KB of nested arrays pretty-printed to ~1 GB (4.1 GB worker RSS); a 6.4 MB one-line
JSON5 document took 124 s because each repair's column was found by searching from the start.
Bounds are on bytes, or generous times that catch quadratic growth on a loaded CI machine.
"""

from __future__ import annotations

import json
import time

import msgspec
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from toolbox.core.json.format import format_json
from toolbox.core.json.lenient import _placed
from toolbox.core.json.model import OUTPUT_FACTOR, OUTPUT_FLOOR, FormatOptions, JsonTooDeep, OutputTooLarge
from toolbox.core.json.stats import pretty_size, structure_stats, text_counts

JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False, allow_infinity=False) | st.text(),
    lambda inner: st.lists(inner) | st.dictionaries(st.text(), inner),
    max_leaves=40,
)


def nests(depth: int, total: int) -> str:
    """An array of `[[[…]]]` blocks `depth` deep, about `total` characters in all."""
    block = "[" * depth + "]" * depth
    return "[" + ",".join([block] * max(1, total // (len(block) + 1))) + "]"


@settings(max_examples=400, deadline=None)
@given(JSON, st.sampled_from([1, 2, 4]), st.sampled_from([None, 1, 3]))
def test_pretty_size_is_the_size_of_the_pretty_form(doc: object, width: int, indent: int | None) -> None:
    data = json.dumps(doc, indent=indent).encode()
    compact = len(msgspec.json.format(data, indent=-1))
    assert pretty_size(data, width, compact) == len(msgspec.json.format(data, indent=width))


@settings(max_examples=400, deadline=None)
@given(JSON, st.sampled_from([None, 2]))
def test_structure_stats_agree_with_the_pretty_form_counts(doc: object, indent: int | None) -> None:
    data = json.dumps(doc, indent=indent, ensure_ascii=False).encode()
    assert structure_stats(data) == text_counts(data, msgspec.json.format(data, indent=1))


@pytest.mark.parametrize("depth", [100, 200, 500, 999])
@pytest.mark.parametrize("indent", [2, 4, "tab"])
def test_deep_nesting_is_refused_before_the_output_is_built(depth: int, indent: object) -> None:
    text = nests(depth, 500_000)
    with pytest.raises(OutputTooLarge) as caught:
        format_json(text, FormatOptions(indent=indent))  # type: ignore[arg-type]
    assert caught.value.size > caught.value.budget == max(OUTPUT_FLOOR, OUTPUT_FACTOR * len(text))
    assert isinstance(caught.value, JsonTooDeep)  # adapters answer it like other depth problems: 422
    assert "Minifying" in caught.value.message


@pytest.mark.parametrize("depth", [50, 500, 999])
def test_minifying_deep_nesting_still_works_with_exact_stats(depth: int) -> None:
    text = nests(depth, 300_000)
    result = format_json(text, FormatOptions(mode="minify"))
    assert result.output == text
    small = format_json(nests(depth, 3 * depth), FormatOptions(mode="minify"))
    blocks = text.count("[" * depth)
    assert result.stats.arrays == blocks * depth + 1
    assert result.stats.depth == small.stats.depth == depth + 1


def test_deep_duplicates_are_still_found_when_minifying_under_the_budget() -> None:
    text = '{"a": 1, "a": 2, "b": ' + nests(500, 200_000) + "}"
    result = format_json(text, FormatOptions(mode="minify"))
    assert [w.id for w in result.warnings] == ["duplicate-key"]
    assert result.warnings[0].line == 1


def test_documents_within_the_budget_format_as_before() -> None:
    text = nests(30, 200_000)
    result = format_json(text, FormatOptions(indent=2))
    assert len(result.output) == result.stats.bytes_out <= max(OUTPUT_FLOOR, OUTPUT_FACTOR * len(text))
    assert result.output == msgspec.json.format(text.encode(), indent=2).decode()


def test_the_budget_applies_past_the_fast_engine_recursion_limit() -> None:
    # Deeper than msgspec recurses: the reference (Python) emitter must be bounded too.
    text = nests(5000, 600_000)
    options = FormatOptions(indent=2, max_depth=10_000)
    start = time.perf_counter()
    with pytest.raises(OutputTooLarge):
        format_json(text, options)
    assert time.perf_counter() - start < 30


def test_a_smaller_budget_is_honoured() -> None:
    text = nests(20, 20_000)
    with pytest.raises(OutputTooLarge):
        format_json(text, FormatOptions(indent=4, max_output=100_000))
    assert format_json(text, FormatOptions(indent=4)).output


def test_repair_columns_are_found_in_linear_time() -> None:
    # One line, 2 MB, 200,000 repairs: searching back to the start for each took minutes.
    text = "x" * 2_000_000
    notes = [(i * 10, "removed a comment") for i in range(200_000)]
    start = time.perf_counter()
    placed = _placed(text, notes)
    assert time.perf_counter() - start < 2.0
    assert placed[-1] == ("removed a comment", 1, 1_999_991)


def test_repair_columns_restart_on_each_line() -> None:
    text = "ab\ncd\n\nefgh"
    assert _placed(text, [(1, "a"), (4, "b"), (6, "c"), (10, "d")]) == [
        ("a", 1, 2), ("b", 2, 2), ("c", 3, 1), ("d", 4, 4)]


def test_lenient_formatting_grows_linearly() -> None:
    def run(n: int) -> float:
        text = "[" + ",".join(["'a'"] * n) + ",]"
        start = time.perf_counter()
        result = format_json(text, FormatOptions(lenient=True, mode="minify"))
        assert result.output.startswith('["a","a"')
        return time.perf_counter() - start

    small, large = run(25_000), run(200_000)
    assert large < 30 * max(small, 0.01)  # 8× the input: quadratic would be ~64×


@pytest.mark.parametrize("digits", [3501, 5000, 100_000])
def test_long_hex_numbers_are_refused_not_a_500(digits: int) -> None:
    from toolbox.core.json.model import JsonSyntaxError

    with pytest.raises(JsonSyntaxError) as caught:
        format_json("[0x" + "f" * digits + "]", FormatOptions(lenient=True))
    assert "too long" in caught.value.message
    assert format_json("[0x" + "f" * 3500 + "]", FormatOptions(lenient=True, mode="minify")).output
