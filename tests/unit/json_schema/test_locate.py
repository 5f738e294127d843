"""Locating JSON Pointers in JSON text: exact offsets, any layout, duplicates, depth, big flat arrays."""

from __future__ import annotations

import json
import random
from collections.abc import Iterator
from typing import Any

import pytest

from toolbox.core.json.locate import line_col, line_cols, locate_paths, parse_pointer, pointer


def _paths(value: Any, path: tuple[str | int, ...] = ()) -> Iterator[tuple[str | int, ...]]:
    yield path
    if isinstance(value, dict):
        for key, item in value.items():
            yield from _paths(item, (*path, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _paths(item, (*path, index))


def _random_value(rng: random.Random, depth: int = 0) -> Any:
    roll = rng.random()
    if depth > 4 or roll < 0.3:
        return rng.choice([1, -2.5e3, 'q"x', True, None, "ü\n😀", 12345678901234567890, {}, []])
    if roll < 0.65:
        return [_random_value(rng, depth + 1) for _ in range(rng.randint(0, 12))]
    return {f"k{i}/~{rng.randint(0, 3)}": _random_value(rng, depth + 1) for i in range(rng.randint(0, 6))}


def _value_at(text: str, offset: int, path: tuple[str | int, ...]) -> Any:
    """Decode what starts at `offset`: for object members the offset is the key's quote."""
    decoder = json.JSONDecoder()
    if path and isinstance(path[-1], str):
        key, end = json.decoder.scanstring(text, offset + 1)  # type: ignore[attr-defined]
        assert key == path[-1]
        rest = text[end:].lstrip(" \t\n\r")
        assert rest[0] == ":"
        return decoder.raw_decode(rest[1:].lstrip(" \t\n\r"))[0]
    return decoder.raw_decode(text, offset)[0]


@pytest.mark.parametrize("seed", range(30))
def test_random_documents_every_layout(seed: int) -> None:
    rng = random.Random(seed)
    value = _random_value(rng)
    everything = list(_paths(value))
    for indent in (None, 2, "\t"):
        text = json.dumps(value, indent=indent, ensure_ascii=rng.random() < 0.5)
        wanted = rng.sample(everything, min(len(everything), rng.randint(1, 25)))
        found = locate_paths(text, wanted)
        for path in wanted:
            expected = value
            for part in path:
                expected = expected[part]
            assert _value_at(text, found[path], path) == expected


def test_member_offset_is_the_key_and_line_column_count_characters() -> None:
    text = '{\n  "名前": "李",\n  "年齢": "x"\n}'
    found = locate_paths(text, [("年齢",), ("名前",)])
    assert line_col(text, found[("年齢",)]) == (3, 3)
    assert line_cols(text, found.values()) == {found[("名前",)]: (2, 3), found[("年齢",)]: (3, 3)}


def test_duplicate_keys_resolve_to_the_last_like_the_parser() -> None:
    text = '{"a": 1, "b": {"c": 2}, "a": {"x": [10, 20]}}'
    found = locate_paths(text, [("a",), ("a", "x", 1)])
    assert found[("a",)] == text.rindex('"a"')
    assert text[found[("a", "x", 1)] :].startswith("20")


def test_missing_paths_and_type_mismatches_are_left_out() -> None:
    text = '{"a": [1, 2], "0": "zero"}'
    found = locate_paths(text, [("a", 5), ("b",), ("a", "0"), ("0",), ("a", 1, "deeper")])
    assert found == {("0",): text.index('"0"'), }


def test_root_and_whitespace() -> None:
    assert locate_paths("  \n [1]", [()]) == {(): 4}
    assert locate_paths(" 7 ", [(), (0,)]) == {(): 1}


def test_deep_path_is_iterative() -> None:
    depth = 5000
    text = "[" * depth + "1" + "]" * depth
    found = locate_paths(text, [(0,) * depth])
    assert found == {(0,) * depth: depth}


def test_big_flat_arrays_are_skipped_by_runs() -> None:
    numbers = "[" + ", ".join(str(i) for i in range(200_000)) + "]"
    found = locate_paths(numbers, [(199_999,), (3,), (100_000,)])
    assert numbers[found[(199_999,)] :].startswith("199999")
    assert numbers[found[(100_000,)] :].startswith("100000")
    small = "[" + ",".join(json.dumps({"i": i, "s": f"a,]}}{i}"}) for i in range(50_000)) + "]"
    found = locate_paths(small, [(49_999, "i"), (17, "s")])
    assert json.loads(small[found[(49_999, "i")] + 4 :].split(",")[0]) == 49_999


def test_escaped_keys_and_pointers_round_trip() -> None:
    assert pointer(["a/b", "c~d", 0, ""]) == "/a~1b/c~0d/0/"
    assert parse_pointer("/a~1b/c~0d/0/") == ("a/b", "c~d", "0", "")
    assert parse_pointer("") == ()
    text = json.dumps({"a/b": {"c~d": ["x"]}, 'q"\\': 1})
    found = locate_paths(text, [("a/b", "c~d", 0), ('q"\\',)])
    assert text[found[("a/b", "c~d", 0)] :].startswith('"x"')
    assert _value_at(text, found[('q"\\',)], ('q"\\',)) == 1
