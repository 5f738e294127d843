"""Issue 9, item 4: one strict JSON reader and one wording.

The formatter, the validator (instance and schema), the tree view and the JWT parts read JSON
through one path: one error gets one message at one line and column, whoever reads it, and
nesting is checked once, ignoring brackets inside strings, with the same limit for everyone.
"""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Callable
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.configuration import set_hypothesis_home_dir

from toolbox.core.json import dups, validate_input
from toolbox.core.json.format import format_json
from toolbox.core.json.model import FormatOptions, JsonSyntaxError, JsonTooDeep
from toolbox.core.json.parse import parse_strict
from toolbox.core.json.tree import tree_nodes
from toolbox.core.json.validate import validate
from toolbox.core.jwt import jsontext

set_hypothesis_home_dir(os.path.join(tempfile.gettempdir(), "toolbox-hypothesis"))

JWT_DEPTH = jsontext.MAX_DEPTH


def _outcome(call: Callable[[], Any]) -> str | None:
    """None if the reader accepted the text, else its error as one string: message, line, column."""
    try:
        call()
    except (JsonSyntaxError, JsonTooDeep) as err:
        return str(err)
    return None


def readers(text: str, max_depth: int = JWT_DEPTH) -> dict[str, str | None]:
    """What every strict reader says about `text` (None: accepted).

    The schema is read by the validator's reader directly: compiling a deep schema has limits of
    its own (jsonschema-rs), which are not the reader's.
    """
    said = {
        "format": _outcome(lambda: format_json(text, FormatOptions(max_depth=max_depth))),
        "minify": _outcome(lambda: format_json(text, FormatOptions(mode="minify", max_depth=max_depth))),
        "instance": _outcome(lambda: validate(text, "{}", max_depth=max_depth)),
        "schema": _outcome(lambda: validate_input.parse_strict(text, "schema", max_depth)),
        "tree": _outcome(lambda: tree_nodes(text, max_depth=max_depth)),
        "parse_strict": _outcome(lambda: parse_strict(text, max_depth)),
    }
    if max_depth == JWT_DEPTH:  # the JWT parts' limit is fixed
        said["jwt"] = jsontext.parse(text).error
    return said


def assert_one_answer(text: str, max_depth: int = JWT_DEPTH) -> str | None:
    said = readers(text, max_depth)
    jwt = said.get("jwt")
    if jwt and "too large for a 64-bit float" in jwt and not any(v for k, v in said.items() if k != "jwt"):
        # The one deliberate difference: a JWT part is read as PyJWT reads it (numbers are doubles),
        # so only the JWT reader refuses a number that overflows one (Hypothesis found -18e375).
        return None
    assert len(set(said.values())) == 1, said
    if said["format"] is not None:  # and so the whole validator, whichever text is broken
        for instance, schema, which in ((text, "{}", "instance"), ("{}", text, "schema")):
            with pytest.raises((JsonSyntaxError, JsonTooDeep)) as caught:
                validate(instance, schema, max_depth=max_depth)
            assert str(caught.value) == said["format"] and getattr(caught.value, "which", None) == which
    return said["format"]


def test_only_the_jwt_reader_refuses_numbers_beyond_a_double() -> None:
    assert assert_one_answer("[-18e375]") is None
    assert "too large for a 64-bit float" in (readers("[-18e375]", JWT_DEPTH)["jwt"] or "")


def test_trailing_comma_has_one_message_and_one_place() -> None:
    """Before: 'Trailing comma' at 1:8 in the formatter, 'Expected a property name' at 1:9 in the validator."""
    assert assert_one_answer('{"a": 1,}') == "Trailing comma before '}' at line 1, column 8"
    assert assert_one_answer("[1,\n 2,]") == "Trailing comma before ']' at line 2, column 3"


@pytest.mark.parametrize("text", [
    "", "   ", "{", "[1 2]", '{"a" 1}', "{'a': 1}", "[01]", "[1.]", "[.5]", "[+1]", "[NaN]", "[-Infinity]",
    '{"a": tru}', '"\\x"', '"\\u12"', '"a\nb"', '"\t"', "[1,,2]", '{"a": 1} {}', "[1] // c", "\ufeff[]",
    '["\\ud800"]', '["\\udc00"]', '{"a": 1, "b": }', "[[[", "]", "[}", '{"a": [1, 2}', "nul", "[1e]", "[-]",
    "[1]\u00a0", "{\"é\": x}", "[" + "7" * 4300 + ', "abc 1e400',
])
def test_malformed_documents_get_the_same_answer_everywhere(text: str) -> None:
    assert assert_one_answer(text) is not None


# Numbers stay short: one inserted 'e' cannot make a literal that some reader may not hold (beyond
# a double's range, 1e400), so every difference would be a difference in wording.
SCALARS = st.one_of(st.none(), st.booleans(), st.integers(-999, 999), st.integers(-9999, 9999).map(lambda n: n / 8),
                    st.text(st.characters(codec="utf-8"), max_size=8))
VALUES = st.recursive(SCALARS, lambda kids: st.one_of(
    st.lists(kids, max_size=4), st.dictionaries(st.sampled_from(["a", "b", "é", "x/y"]) | st.text(max_size=4),
                                                kids, max_size=4)), max_leaves=20)
CHARS = st.sampled_from(list('{}[],:"\\ 0123456789.eE+-tfnul\'/*\x00\t\n\x7f\ufeff\u00a0é') + ["\\u", "\\ud800"])


@settings(max_examples=300, deadline=None, database=None, derandomize=True,
          suppress_health_check=[HealthCheck.too_slow])
@given(VALUES, st.sampled_from([None, 2]), st.integers(0, 10_000), CHARS,
       st.sampled_from(["insert", "delete", "replace"]))
def test_mutated_json_gets_the_same_answer_from_every_reader(
        value: Any, indent: int | None, where: int, char: str, how: str) -> None:
    text = json.dumps(value, indent=indent, ensure_ascii=False)
    i = where % (len(text) + 1)
    text = {"insert": text[:i] + char + text[i:], "replace": text[:i] + char + text[i + 1:],
            "delete": text[:i] + text[i + 1:]}[how]
    assert_one_answer(text)


def test_brackets_inside_strings_do_not_count_as_nesting() -> None:
    """Before: the validator counted the 150 '[' inside the string and refused a depth-1 document."""
    text = json.dumps(["[" * 150, {"k": "{" * 150}])
    assert readers(text, 100) == dict.fromkeys(readers(text, 100), None)
    assert validate(text, "{}", max_depth=100).valid


def nest(depth: int, innermost: str) -> str:
    """`depth` arrays and objects inside each other around `innermost` (a value, or '' for empty)."""
    text = innermost
    for level in range(depth):
        if level % 2:
            text = f'{{"k{level}": {text}}}' if text else "{}"
        else:
            text = f"[1, {text}]" if text else "[]"
    return text


@pytest.mark.parametrize("limit", [1, 2, 5, 64, 100, 500])
@pytest.mark.parametrize("innermost", ["", '"[[[{{"', "1"])
def test_depth_at_the_limit_passes_and_one_more_fails_for_every_reader(limit: int, innermost: str) -> None:
    at_limit = nest(limit, innermost)
    said = readers(at_limit, limit)
    assert said == dict.fromkeys(said, None)
    beyond = nest(limit + 1, innermost)
    said = readers(beyond, limit)
    assert len(set(said.values())) == 1, said
    assert said["format"] is not None and f"nested deeper than {limit} levels" in said["format"]


@pytest.mark.parametrize(("text", "too_deep"), [
    ("[[[1, []]]]", True), ('[[[1, "[]"]]]', False), ('{"a": {"b": {"c": 1, "d": {}}}}', True),
    ('{"a": {"b": {"c": 1, "d": "{}"}}}', False), ('[[[1]], [[[]]]]', True), ('[[[1]], [2, {}]]', False),
])
def test_an_empty_container_one_level_down_counts(text: str, too_deep: bool) -> None:
    said = readers(text, 3)
    assert len(set(said.values())) == 1, said
    assert (said["format"] is not None) is too_deep


def test_the_jwt_parts_use_the_same_depth_limit_and_words() -> None:
    deep = "[" * (JWT_DEPTH + 1) + "]" * (JWT_DEPTH + 1)
    assert assert_one_answer(deep) == (f"Arrays and objects nested deeper than {JWT_DEPTH} levels "
                                       f"at line 1, column {JWT_DEPTH + 1}")
    assert jsontext.parse("[" * JWT_DEPTH + "]" * JWT_DEPTH).ok


def test_lone_surrogates_are_errors_for_every_reader() -> None:
    assert "Lone surrogate escape" in (assert_one_answer('{"k": "\\udfff"}') or "")
    said = readers('["\ud800"]')  # a raw one cannot even be encoded as UTF-8
    assert len(set(said.values())) == 1 and "surrogate" in (said["format"] or "")


def test_number_errors_are_located_like_syntax_errors() -> None:
    with pytest.raises(JsonSyntaxError) as caught:
        validate('{"a": [1,\n  2e99999999999999999999]}', "{}")
    assert (caught.value.line, caught.value.column) == (2, 3) and "out of range" in caught.value.message
    assert jsontext.parse('{"a": [1,\n  2e999]}').error == (
        "The number 2e999 is too large for a 64-bit float at line 2, column 3")
    digits = "[1,\n " + "9" * 4301 + "]"
    with pytest.raises(JsonSyntaxError) as caught:
        validate(digits, "{}")
    assert str(caught.value) == jsontext.parse(digits).error == (
        "A number with more than 4300 digits (too long to read exactly) at line 2, column 2")
    assert parse_strict(digits) == [1, parse_strict("9" * 4301)]  # exact everywhere else
    assert format_json(digits, FormatOptions(mode="minify")).output == "[1," + "9" * 4301 + "]"


def test_a_4300_digit_integer_is_read_exactly_past_the_c_engines_limit() -> None:
    text = '{"n": [' + "7" * 4300 + ', 1.5]}'  # msgspec converts at most 4299 digits, int() 4300
    assert validate(text, "{}").valid
    assert jsontext.parse(text).value == {"n": [int("7" * 4300), 1.5]}


def test_one_duplicate_finder_serves_the_formatter_and_the_jwt_audit() -> None:
    text = '{"a": 1, "a": {"b": 2, "b": 3, "b": 4}, "c": [0, {"x": 1, "x": 2}], "r": {"z": 1, "z": 1}, "r": 0}'
    found, more, depth = dups.duplicates(text)
    assert (more, depth) == (0, 3)
    assert [(d.pointer, d.first_repeat, d.replaced) for d in found] == [
        ("/a", True, False), ("/a/b", True, False), ("/a/b", False, False), ("/c/1/x", True, False),
        ("/r/z", True, True), ("/r", True, False)]
    warnings, _ = dups.find_duplicates(text)
    assert [(w.pointer, w.line, w.column) for w in warnings] == [(d.pointer, 1, d.index + 1) for d in found]
    parsed = jsontext.parse(text)
    assert [(d.key, d.pointer) for d in parsed.duplicates] == [
        ("a", ""), ("b", "/a"), ("x", "/c/1"), ("z", None), ("r", "")]
