"""JSON displays under an output budget: indented when small, one line when indenting would explode, cut last."""

from __future__ import annotations

import json
from typing import Any

import pytest

from toolbox.core.jwt.display import DISPLAY_BASE, DISPLAY_FACTOR, render, show_cell, show_json

SAMPLES: list[Any] = [{}, [], None, 1, 1.5e300, "x\u202e", [[[]]], {"a": {}},
                      {"sub": "1", "roles": ["a", "b"], "cnf": {"jkt": "x", "n": [1, {"b": None}]}, "é": True}]


@pytest.mark.parametrize("value", SAMPLES, ids=repr)
def test_render_writes_what_json_dumps_writes(value: Any) -> None:
    assert render(value, 2, 10**9) == (json.dumps(value, indent=2, ensure_ascii=False), True)
    assert render(value, None, 10**9) == (json.dumps(value, ensure_ascii=False), True)


def test_ordinary_payloads_are_indented() -> None:
    payload = {f"claim{i}": {"nested": [i, str(i), {"deeper": [True, None]}]} for i in range(300)}
    assert show_json(payload).text == json.dumps(payload, indent=2, ensure_ascii=False)
    assert show_json(payload).note is None


@pytest.mark.parametrize("depth", [50, 500, 5000, 100_000])
def test_deep_values_are_shown_compact_within_budget_and_without_recursion(depth: int) -> None:
    value: Any = []
    for _ in range(depth):
        value = [value, 1]
    shown = show_json(value)
    compact = json.dumps(value, separators=(", ", ": ")) if depth < 500 else None
    assert len(shown.text) <= DISPLAY_FACTOR * 4 * depth + DISPLAY_BASE
    if compact is not None and len(json.dumps(value, indent=2)) > DISPLAY_FACTOR * len(compact) + DISPLAY_BASE:
        assert shown.text == compact and "one line" in str(shown.note)


def test_the_budget_is_linear_in_the_input_for_the_attack_shape() -> None:
    chunk: Any = []
    for _ in range(60):
        chunk = [chunk]
    value = {"a": [chunk] * 1500}  # ~180 KB of JSON; indented it would be ~11 MB
    compact = json.dumps(value, separators=(", ", ": "))
    shown = show_json(value)
    assert len(shown.text) <= DISPLAY_FACTOR * len(compact) + DISPLAY_BASE
    assert shown.note and "one line" in shown.note


def test_a_huge_value_is_cut_with_a_note() -> None:
    shown = show_json(["x" * 1000] * 2000, limit=100_000)
    assert len(shown.text) == 100_000 and "Cut short" in str(shown.note)
    assert show_cell("y" * 5000).endswith(" …") and len(show_cell("y" * 5000)) < 2100
