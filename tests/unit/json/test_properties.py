"""Property tests: for any JSON value, formatting then parsing gives back the same data, exactly.

Values carry number literals as text (big integers, long fractions, exponents) and objects as
pair lists (so duplicate keys exist); the reference is Python's own parser with Decimal numbers.
The fast C path is also checked against the slow reference path, token for token.
"""

from __future__ import annotations

import json
import os
import re
import tempfile
from typing import Any

import msgspec
import pyjson5
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.configuration import set_hypothesis_home_dir

from tests.unit.json.reference import exact
from toolbox.core.json import parse, scan, stats
from toolbox.core.json.format import format_json
from toolbox.core.json.model import FormatOptions, JsonSyntaxError, JsonTooDeep

# No .hypothesis/ folder in the work tree (its caches go to the temp dir); failures print their example.
set_hypothesis_home_dir(os.path.join(tempfile.gettempdir(), "toolbox-hypothesis"))
SETTINGS = settings(max_examples=100, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow])


class Num(str):
    """A number literal, written exactly as given."""


class Obj(list):  # type: ignore[type-arg]
    """An object as (key, value) pairs: keys may repeat."""


NUMBERS = st.from_regex(r"-?(0|[1-9][0-9]{0,30})(\.[0-9]{1,25})?([eE][+-]?[0-9]{1,3})?", fullmatch=True)
TEXT = st.text(st.characters(codec="utf-8"), max_size=12)  # any Unicode scalar value (no surrogates)
SCALARS = st.one_of(st.none(), st.booleans(), NUMBERS.map(Num), TEXT)
VALUES = st.recursive(
    SCALARS,
    lambda kids: st.one_of(st.lists(kids, max_size=4),
                           st.lists(st.tuples(st.sampled_from(["a", "b", "é", "a/b", "~"]) | TEXT, kids),
                                    max_size=4).map(Obj)),
    max_leaves=25)
SPACE = st.sampled_from(["", " ", "\n", "\t", " \r\n  "])


def dump(value: Any, ws: str, ascii_: bool) -> str:
    """JSON text of a generated value with `ws` around every token."""
    if isinstance(value, Num):
        return value
    if value is None or isinstance(value, bool):
        return json.dumps(value)
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=ascii_)
    if isinstance(value, Obj):
        items = [f"{ws}{json.dumps(k, ensure_ascii=ascii_)}{ws}:{ws}{dump(v, ws, ascii_)}{ws}" for k, v in value]
        return "{" + ",".join(items) + ws + "}"
    return "[" + ",".join(f"{ws}{dump(v, ws, ascii_)}{ws}" for v in value) + ws + "]"


def duplicates(value: Any) -> int:
    if isinstance(value, Obj):
        keys = [k for k, _ in value]
        return len(keys) - len(set(keys)) + sum(duplicates(v) for _, v in value)
    if isinstance(value, list):
        return sum(duplicates(v) for v in value)
    return 0


OPTIONS = [FormatOptions(), FormatOptions(indent=4), FormatOptions(indent="tab"), FormatOptions(mode="minify"),
           FormatOptions(ascii=True)]


@SETTINGS
@given(VALUES, SPACE, st.booleans())
def test_format_then_parse_gives_the_same_data_and_is_idempotent(value: Any, ws: str, ascii_: bool) -> None:
    text = dump(value, ws, ascii_)
    for options in OPTIONS:
        out = format_json(text, options).output
        assert exact(out) == exact(text)
        assert format_json(out, options).output == out


@SETTINGS
@given(VALUES, SPACE)
def test_duplicates_are_found_exactly_and_stats_match_the_reference_scanner(value: Any, ws: str) -> None:
    text = dump(value, ws, False)
    result = format_json(text, FormatOptions())
    assert len(result.warnings) == duplicates(value)
    reference = stats.token_stats(text, 1000, len(text.encode()), result.stats.bytes_out)
    assert result.stats == reference


@SETTINGS
@given(VALUES, SPACE)
def test_sort_keys_sorts_recursively_and_keeps_every_member(value: Any, ws: str) -> None:
    text = dump(value, ws, False)
    out = format_json(text, FormatOptions(sort_keys=True)).output
    parsed = json.loads(out, parse_float=lambda s: s, parse_int=lambda s: s, object_pairs_hook=_Pairs)
    original = json.loads(text, parse_float=lambda s: s, parse_int=lambda s: s, object_pairs_hook=_Pairs)
    assert parsed == _sorted(original)


class _Pairs(list):  # type: ignore[type-arg]
    pass


def _sorted(v: Any) -> Any:
    if isinstance(v, _Pairs):
        return _Pairs(sorted(((k, _sorted(x)) for k, x in v), key=lambda p: p[0]))
    if isinstance(v, list):
        return [_sorted(x) for x in v]
    return v


@SETTINGS
@given(VALUES, SPACE, st.sampled_from(OPTIONS + [FormatOptions(sort_keys=True)]))
def test_fast_path_and_reference_path_agree(value: Any, ws: str, options: FormatOptions) -> None:
    text = dump(value, ws, False)
    fast = format_json(text, options)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(parse, "SAFE_RECURSION_LIMIT", 0)  # forces the pure-Python path
        slow = format_json(text, options)
    if options.sort_keys:  # the C encoder normalises string escapes when it re-encodes
        assert exact(fast.output) == exact(slow.output)
    else:
        assert fast.output == slow.output
    assert fast.stats == slow.stats and fast.warnings == slow.warnings


MUTATIONS = st.sampled_from(list('{}[],:"\\ 0123456789.eE+-tfnulx\'/*\x00\t\n\x7f') + ["\\u", "\\ud800", "é"])


@settings(max_examples=300, deadline=None, database=None)
@given(VALUES, st.integers(0, 10_000), MUTATIONS, st.sampled_from(["insert", "replace", "delete"]))
def test_the_c_validator_accepts_exactly_what_the_reference_scanner_accepts(
        value: Any, where: int, char: str, how: str) -> None:
    text = dump(value, "", False)
    i = where % (len(text) + 1)
    text = {"insert": text[:i] + char + text[i:], "replace": text[:i] + char + text[i + 1:],
            "delete": text[:i] + text[i + 1:]}[how]
    try:
        scan.check(text, 1000)
        scanner_ok = True
    except JsonSyntaxError:
        scanner_ok = False
    try:
        msgspec.json.format(text.encode(), indent=2)
        c_ok = True
    except msgspec.DecodeError:
        c_ok = False
    assert c_ok == scanner_ok
    try:
        format_json(text, FormatOptions())
    except (JsonSyntaxError, JsonTooDeep):
        assert not scanner_ok


IDENT = re.compile(r"[A-Za-z_$][A-Za-z0-9_$]*\Z")
LENIENT_NUMBERS = st.from_regex(r"-?(0|[1-9][0-9]{0,20})(\.[0-9]{1,10})?([eE][+-]?[0-9])?", fullmatch=True)
LENIENT_VALUES = st.recursive(
    st.one_of(st.none(), st.booleans(), LENIENT_NUMBERS.map(Num), TEXT),
    lambda kids: st.one_of(st.lists(kids, max_size=4), st.dictionaries(TEXT, kids, max_size=4)), max_leaves=20)


def dump5(value: Any, style: int) -> str:
    """JSON5 text: unquoted keys, single quotes, trailing commas, comments (by style bits)."""
    def s5(text: str) -> str:
        if style & 1:
            return "'" + json.dumps(text, ensure_ascii=False)[1:-1].replace('\\"', '"').replace("'", "\\'") + "'"
        return json.dumps(text, ensure_ascii=False)
    comma = "," if style & 2 else ""
    note = "/* c */" if style & 4 else ""
    if isinstance(value, Num):
        return value
    if value is None or isinstance(value, bool):
        return json.dumps(value)
    if isinstance(value, str):
        return s5(value)
    if isinstance(value, dict):
        items = [f"{k if IDENT.match(k) else s5(k)}:{note}{dump5(v, style)}" for k, v in value.items()]
        return "{" + ",".join(items) + (comma if items else "") + "}"
    items = [dump5(v, style) for v in value]
    return "[" + note + ",".join(items) + (comma if items else "") + "] // end\n"


@SETTINGS
@given(LENIENT_VALUES, st.integers(0, 7))
def test_lenient_output_is_strict_json_with_the_json5_parsers_data(value: Any, style: int) -> None:
    text = dump5(value, style)
    result = format_json(text, FormatOptions(lenient=True))
    assert json.loads(result.output) == pyjson5.decode(text)
    assert exact(result.output) == exact(format_json(result.output, FormatOptions()).output)
