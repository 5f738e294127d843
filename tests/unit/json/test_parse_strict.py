"""parse_strict: Python values for the validator, numbers exact (int / Decimal)."""

from __future__ import annotations

from decimal import Decimal

from toolbox.core.json.parse import parse_strict


def test_numbers_are_int_or_decimal_exactly() -> None:
    value = parse_strict('[12345678901234567890123456789, 0.1000000000000000055511151231257827, 1E+2, -0.0, 1e400, 3]')
    assert value == [12345678901234567890123456789, Decimal("0.1000000000000000055511151231257827"),
                     Decimal("1E+2"), Decimal("-0.0"), Decimal("1e400"), 3]
    assert [type(v) for v in value] == [int, Decimal, Decimal, Decimal, Decimal, int]


def test_objects_strings_literals() -> None:
    assert parse_strict('{"a": "\\u00e9", "b": [true, false, null], "a": 2}') == {"a": 2, "b": [True, False, None]}


def test_small_max_depth_is_enforced() -> None:
    import pytest

    from toolbox.core.json.model import JsonTooDeep

    assert parse_strict("[[[]]]", max_depth=3) == [[[]]]
    with pytest.raises(JsonTooDeep):
        parse_strict("[[[[]]]]", max_depth=3)
