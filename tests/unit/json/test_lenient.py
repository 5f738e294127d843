"""Lenient mode: JSON5/JSONC in, strict JSON out, every repair said; numbers kept exactly."""

from __future__ import annotations

import pytest

from tests.unit.json.reference import exact
from toolbox.core.json.format import format_json
from toolbox.core.json.model import FormatOptions, JsonSyntaxError

LENIENT = FormatOptions(lenient=True, mode="minify")


def test_jsonc_and_json5_are_repaired_and_each_repair_is_listed() -> None:
    text = "// settings\n{\n  name: 'Zoë', /* who */\n  list: [1, 2,],\n  'quote': \"it's\",\n}\n"
    result = format_json(text, LENIENT)
    assert result.output == '{"name":"Zoë","list":[1,2],"quote":"it\'s"}'
    assert result.repairs == (
        "removed a comment at line 1, column 1", "quoted the key name at line 3, column 3",
        "converted a single-quoted string at line 3, column 9", "removed a comment at line 3, column 16",
        "quoted the key list at line 4, column 3", "removed a trailing comma at line 4, column 14",
        "converted a single-quoted string at line 5, column 3", "removed a trailing comma at line 5, column 18")
    assert result.warnings[0].id == "lenient-repair"


def test_numbers_are_exact_or_converted_exactly() -> None:
    text = "[0x1F, -0xff, +1, .5, 5., -.5e3, 12345678901234567890123456789, 1e400, 0.10, 1E+2]"
    out = format_json(text, LENIENT).output
    assert out == "[31,-255,1,0.5,5.0,-0.5e3,12345678901234567890123456789,1e400,0.10,1E+2]"


@pytest.mark.parametrize("literal", ["Infinity", "-Infinity", "NaN"])
def test_nan_and_infinity_have_no_strict_form(literal: str) -> None:
    with pytest.raises(JsonSyntaxError) as caught:
        format_json(f"[1, {literal}]", LENIENT)
    assert "no strict JSON form" in caught.value.message and caught.value.column == 5


def test_string_escapes_and_line_continuations() -> None:
    text = "['\\x41\\v\\0', 'a\\\nb', '\\uD83D\\uDE00', '\"', 'tab\there']"
    out = format_json(text, LENIENT).output
    assert exact(out) == ["A\x0b\x00", "ab", "😀", '"', "tab\there"]


def test_strict_json_passes_through_unchanged_without_repairs() -> None:
    result = format_json('{"a": [1.50, "x"]}', LENIENT)
    assert result.output == '{"a":[1.50,"x"]}' and result.repairs == () and result.warnings == ()


def test_invalid_json5_is_located() -> None:
    with pytest.raises(JsonSyntaxError) as caught:
        format_json("{a: 1\n b: 2}", LENIENT)
    assert (caught.value.line, caught.value.column) == (2, 2)
    with pytest.raises(JsonSyntaxError) as caught:
        format_json("[1e400, 1e400 2]", LENIENT)
    assert caught.value.column == 15


def test_duplicate_keys_are_still_reported() -> None:
    assert [w.id for w in format_json("{a: 1, a: 2}", LENIENT).warnings] == ["lenient-repair", "duplicate-key"]


def test_infinity_and_nan_are_plain_names_in_key_position() -> None:
    assert format_json("{Infinity: 1, NaN: 2}", LENIENT).output == '{"Infinity":1,"NaN":2}'
