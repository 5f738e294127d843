"""The semantic JSON diff: its RFC 6902 patch, applied by an independent implementation (jsonpatch),
turns `a` into exactly `b`; differences by JSON Pointer; numbers by value; hostile shapes bounded."""

from __future__ import annotations

import json
import os
import random
import tempfile
from decimal import Decimal
from typing import Any

import jsonpatch
import msgspec
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.configuration import set_hypothesis_home_dir

from toolbox.core.json.diff import MAX_MOVES, MOVE_BUDGET, DiffResult, diff, marked_lines
from toolbox.core.json.diff import read as parse_strict
from toolbox.core.json.model import JsonSyntaxError

set_hypothesis_home_dir(os.path.join(tempfile.gettempdir(), "toolbox-hypothesis"))
SETTINGS = settings(max_examples=300, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow])
EXACT = msgspec.json.Encoder(decimal_format="number")


def strict_equal(x: Any, y: Any) -> bool:
    """JSON equality: numbers by value, but true is not 1; key order ignored (iterative)."""
    stack = [(x, y)]
    while stack:
        p, q = stack.pop()
        if isinstance(p, bool) or isinstance(q, bool) or p is None or q is None:
            if p is not q:
                return False
        elif isinstance(p, dict):
            if not isinstance(q, dict) or p.keys() != q.keys():
                return False
            stack.extend((p[k], q[k]) for k in p)
        elif isinstance(p, list):
            if not isinstance(q, list) or len(p) != len(q):
                return False
            stack.extend(zip(p, q, strict=True))
        elif isinstance(p, str) or isinstance(q, str):
            if type(p) is not type(q) or p != q:
                return False
        elif p != q:  # int / Decimal
            return False
    return True


def load(text: str) -> Any:
    return json.loads(text, parse_float=Decimal)


def applied(a_text: str, result: DiffResult) -> Any:
    """`a` with the patch applied by jsonpatch; the patch travels as JSON text (numbers exact)."""
    patch = load(EXACT.encode(list(result.patch)).decode())
    return jsonpatch.apply_patch(load(a_text), patch, in_place=False)


def check(a_text: str, b_text: str, **options: Any) -> DiffResult:
    result = diff(parse_strict(a_text), parse_strict(b_text), **options)
    assert strict_equal(applied(a_text, result), load(b_text)), (a_text, b_text, result.patch)
    assert result.equal == (not result.patch)
    return result


def ops(result: DiffResult) -> list[tuple[str, str, str | None]]:
    return [(d.op, d.path, d.from_) for d in result.differences]


# --- examples -----------------------------------------------------------------------------------

def test_numbers_compare_by_value_exactly() -> None:
    assert check('{"a": 1, "b": 100, "c": [0.5]}', '{"b": 1E+2, "a": 1.0, "c": [5e-1]}').equal
    result = check('{"x": 0.30000000000000004}', '{"x": 0.3}')
    assert [(d.op, d.before, d.after) for d in result.differences] == [
        ("changed", Decimal("0.30000000000000004"), Decimal("0.3"))]
    big = check('[123456789012345678901234567890]', '[123456789012345678901234567891]')
    assert big.patch == ({"op": "replace", "path": "/0", "value": 123456789012345678901234567891},)


def test_extreme_exponents_compare_exactly() -> None:
    result = check('[1E+999999999999999999, 1e-999999999999999999]', '[1e999999999999999999, 0]')
    assert ops(result) == [("changed", "/1", None)]
    with pytest.raises(JsonSyntaxError, match="exponent too large"):
        parse_strict('[1e9999999999999999999]')


def test_true_is_not_one_and_null_is_not_zero() -> None:
    assert ops(check('[true, false, null]', '[1, 0, 0]')) == [
        ("changed", "/0", None), ("changed", "/1", None), ("changed", "/2", None)]


def test_key_order_ignored_and_pointers_escaped() -> None:
    assert check('{"a": 1, "b": 2}', '{"b": 2, "a": 1}').equal
    result = check('{"a/b": 1, "m~n": {"~1": 1}}', '{"m~n": {"~1": 2}, "é": true}')
    assert ops(result) == [("removed", "/a~1b", None), ("added", "/é", None), ("changed", "/m~0n/~01", None)]


def test_an_array_element_moved() -> None:
    result = check('{"l": [1, 2, 3, 4]}', '{"l": [4, 1, 2, 3]}')
    assert ops(result) == [("moved", "/l/0", "/l/3")]
    assert result.patch == ({"op": "move", "from": "/l/3", "path": "/l/0"},)


def test_removed_added_and_changed_in_an_array() -> None:
    result = check('[{"a": 1}, "x", "y"]', '[{"a": 2}, "y", "z"]')
    assert ("removed", "/1", None) in ops(result) and ("added", "/2", None) in ops(result)
    assert ("changed", "/0/a", None) in ops(result)


def test_array_key_matches_objects_by_id() -> None:
    a = '[{"id": 1, "v": 1}, {"id": 2, "v": 2}, {"id": 3}]'
    b = '[{"id": 3}, {"id": 1, "v": 5}, {"id": 4}]'
    result = check(a, b, array_key="id")
    assert ops(result) == [("removed", "/1", None), ("moved", "/0", "/2"), ("added", "/2", None),
                           ("changed", "/1/v", None)]
    # Without the key, elements align by value (the id 1 object is changed where it is).
    assert check(a, b).differences != result.differences


def test_array_key_falls_back_when_not_unique_or_missing() -> None:
    check('[{"id": 1}, {"id": 1, "x": 2}]', '[{"id": 1, "x": 2}]', array_key="id")
    check('[{"id": 1}, 3]', '[3, {"id": 1}]', array_key="id")
    check('[{"id": [1]}, {"id": {"a": 1}}]', '[{"id": {"a": 1}}]', array_key="id")


def test_array_key_true_is_not_1() -> None:
    result = check('[{"id": true, "v": 1}]', '[{"id": 1, "v": 1}]', array_key="id")
    assert ops(result) == [("removed", "/0", None), ("added", "/0", None)]  # another element, not a change
    assert ops(check('[{"id": 1, "v": 1}]', '[{"id": 1.0, "v": 2}]', array_key="id")) == [("changed", "/0/v", None)]


def test_ignored_paths_and_wildcards() -> None:
    a = '{"meta": {"updated": "mon", "v": 1}, "items": [{"t": 1, "n": "a"}, {"t": 2, "n": "b"}]}'
    b = '{"meta": {"updated": "tue", "v": 1}, "items": [{"t": 8, "n": "a"}, {"t": 9, "n": "c"}]}'
    result = diff(parse_strict(a), parse_strict(b), ignore=("/meta/updated", "/items/*/t"))
    assert ops(result) == [("changed", "/items/1/n", None)]
    assert result.patch == ({"op": "replace", "path": "/items/1/n", "value": "c"},)
    assert diff(parse_strict(a), parse_strict(b), ignore=("",)).equal  # the root: everything


def test_root_scalars_and_type_changes() -> None:
    assert check('1', '"1"').patch == ({"op": "replace", "path": "", "value": "1"},)
    assert ops(check('{"a": []}', '{"a": {}}')) == [("changed", "/a", None)]
    assert check('[]', '[]').equal


# --- properties -----------------------------------------------------------------------------------

KEYS = st.text(alphabet="ab~/0é𝄞", max_size=3)
SCALARS = (st.none() | st.booleans() | st.integers(-3, 3) | st.integers()
           | st.decimals(allow_nan=False, allow_infinity=False, places=2).map(lambda d: Decimal(str(d)))
           | st.text(alphabet="xy~/\"\\é", max_size=3))
VALUES = st.recursive(SCALARS, lambda inner: st.lists(inner, max_size=6) | st.dictionaries(KEYS, inner, max_size=5),
                      max_leaves=30)


def mutate(value: Any, rnd: random.Random) -> Any:
    """A related value: arrays shuffled, cut and extended, members dropped and changed."""
    if isinstance(value, list):
        items = [mutate(v, rnd) if rnd.random() < 0.3 else v for v in value]
        if items and rnd.random() < 0.5:
            items.insert(rnd.randrange(len(items) + 1), items.pop(rnd.randrange(len(items))))
        if items and rnd.random() < 0.3:
            items.pop(rnd.randrange(len(items)))
        if rnd.random() < 0.3:
            items.insert(rnd.randrange(len(items) + 1), rnd.choice([0, "n", None, [1], {"id": 1}]))
        return items
    if isinstance(value, dict):
        out = {k: mutate(v, rnd) if rnd.random() < 0.3 else v for k, v in value.items() if rnd.random() < 0.9}
        if rnd.random() < 0.3:
            out[rnd.choice(["~", "/", "a", "z"])] = rnd.choice([True, 1, "1", []])
        return out
    return rnd.choice([value, value, 1, True, "s"])


def text(value: Any) -> str:
    return EXACT.encode(value).decode()


@SETTINGS
@given(VALUES, VALUES)
def test_patch_turns_any_a_into_b(a: Any, b: Any) -> None:
    check(text(a), text(b))


@SETTINGS
@given(VALUES, st.randoms(use_true_random=False))
def test_patch_turns_a_into_a_related_b(a: Any, rnd: random.Random) -> None:
    b = mutate(a, rnd)
    result = check(text(a), text(b))
    assert check(text(b), text(b)).equal
    assert result.equal == strict_equal(a, b)


@SETTINGS
@given(st.lists(st.integers(0, 30), max_size=25, unique=True), st.randoms(use_true_random=False))
def test_array_key_patches(ids: list[int], rnd: random.Random) -> None:
    a = [{"id": i, "v": rnd.randrange(3)} for i in ids]
    b = [dict(o, v=rnd.randrange(3)) for o in a if rnd.random() < 0.8] + [{"id": 100 + i} for i in range(2)]
    rnd.shuffle(b)
    result = check(text(a), text(b), array_key="id")
    moved = [d for d in result.differences if d.op == "moved"]
    assert all(d.from_ is not None and d.path.count("/") == 1 for d in moved)


# --- hostile shapes -------------------------------------------------------------------------------

def test_deep_nesting_at_the_parser_limit_needs_no_recursion() -> None:
    deep_a = "[" * 999 + "1" + "]" * 999
    deep_b = "[" * 999 + "2" + "]" * 999
    result = diff(parse_strict(deep_a), parse_strict(deep_b))  # (the stdlib oracle cannot read it)
    assert result.patch == ({"op": "replace", "path": "/0" * 999, "value": 2},)
    assert diff(parse_strict(deep_a), parse_strict(deep_a)).equal


@pytest.mark.parametrize("shape", ["reversed", "shuffled", "constant", "alternating"])
def test_huge_arrays_are_bounded(shape: str) -> None:
    n = 50_000
    a = list(range(n)) if shape in ("reversed", "shuffled") else [0] * n if shape == "constant" else [0, 1] * (n // 2)
    b = a[::-1] if shape != "shuffled" else random.Random(1).sample(a, n)
    if shape == "constant":
        b = [1] * n
    result = diff(a, b)
    assert strict_equal(jsonpatch.apply_patch(a, list(result.patch), in_place=False), b)
    # The bound that keeps it fast (no timed tests): moves per array, each O(length), are capped.
    moves = sum(d.op == "moved" for d in result.differences)
    assert moves <= min(MAX_MOVES, MOVE_BUDGET // (2 * n))


def test_marked_lines_for_the_side_by_side_view() -> None:
    a = '{\n  "l": [\n    1,\n    2,\n    3\n  ],\n  "k": {"x": 1},\n  "gone": true\n}'
    b = '{\n  "l": [\n    3,\n    1,\n    2\n  ],\n  "k": {"x": 2},\n  "a/~": []\n}'
    a_marks, b_marks = marked_lines(a, b)
    assert a_marks == {8: ["removed /gone"], 5: ["moved to /l/0"], 7: ["changed /k/x"]}
    assert b_marks == {8: ["added /a~1~0"], 3: ["moved from /l/2"], 7: ["changed /k/x"]}
    # A changed element of a shifted array is marked where it is in each text.
    a_marks, b_marks = marked_lines('[\n{"id": 1},\n{"id": 2, "v": 1}\n]', '[\n{"id": 2, "v": 2}\n]', array_key="id")
    assert a_marks == {2: ["removed /0"], 3: ["changed /1/v"]} and b_marks == {2: ["changed /0/v"]}
    assert marked_lines('1', '2') == ({1: ["changed /"]}, {1: ["changed /"]})


def test_a_number_decimal_cannot_hold_is_a_located_error_for_every_exact_reader(client) -> None:  # type: ignore[no-untyped-def]
    from toolbox.core.json.parse import parse_strict

    with pytest.raises(JsonSyntaxError) as caught:
        parse_strict('[1, 1e9999999999999999999]')
    assert caught.value.column == 5 and "exponent too large" in str(caught.value)
    for path, body in (("/api/v1/json/infer", {"samples": ["[1e9999999999999999999]"]}),
                       ("/api/v1/json/diff", {"a": "[1e9999999999999999999]", "b": "[]"})):
        response = client.post(path, json=body)
        assert response.status_code == 422 and "exponent too large" in response.json["detail"], path
