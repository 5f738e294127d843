"""YAML 1.2 and TOML input (toolbox/core/json/formats.py): the core schema, exact numbers, located errors,
bounded alias expansion, and hostile input answered quickly with a clear error."""

from __future__ import annotations

import resource
from decimal import Decimal
from typing import Any

import pytest

from toolbox.core.json.formats import (
    MAX_FLOW_DEPTH,
    FormatSyntaxError,
    UnlocatedError,
    YamlTooLarge,
    load,
    to_json,
)
from toolbox.core.json.model import JsonSyntaxError, JsonTooDeep


def yaml(text: str, **kwargs: Any) -> Any:
    return load(text, "yaml", **kwargs).value


def yaml_error(text: str, **kwargs: Any) -> FormatSyntaxError:
    with pytest.raises(FormatSyntaxError) as caught:
        load(text, "yaml", **kwargs)
    return caught.value


def same(a: Any, b: Any) -> bool:
    """Equal with types: int is not Decimal is not bool, a Decimal keeps its exponent (1.10 ≠ 1.1), keys their
    order. Without recursion (documents 1,000 deep)."""
    stack = [(a, b)]
    while stack:
        x, y = stack.pop()
        if type(x) is not type(y):
            return False
        if isinstance(x, dict):
            if list(x) != list(y):
                return False
            stack.extend((x[k], y[k]) for k in x)
        elif isinstance(x, list):
            if len(x) != len(y):
                return False
            stack.extend(zip(x, y, strict=True))
        elif (str(x) != str(y)) if isinstance(x, Decimal) else x != y:
            return False
    return True


# ------------------------------------------------------------------------------------------ core schema

@pytest.mark.parametrize(("plain", "value"), [
    ("null", None), ("Null", None), ("NULL", None), ("~", None), ("", None),
    ("true", True), ("True", True), ("FALSE", False),
    ("42", 42), ("-17", -17), ("+5", 5), ("010", 10), ("0o17", 15), ("0x1F", 31),
    ("123456789012345678901234567890", 123456789012345678901234567890),
    ("1.10", Decimal("1.10")), ("1e400", Decimal("1e400")), ("-0.0", Decimal("-0.0")), (".5", Decimal(".5")),
    ("1e3", Decimal("1e3")), ("+1.5E-7", Decimal("1.5E-7")),
    # Not in YAML 1.2's core schema: strings (YAML 1.1 read several of these otherwise).
    ("yes", "yes"), ("No", "No"), ("on", "on"), ("y", "y"), ("2001-12-14", "2001-12-14"),
    ("2001-12-14T21:59:43.10-05:00", "2001-12-14T21:59:43.10-05:00"), ("1:20", "1:20"), ("0b101", "0b101"),
    ("1_000", "1_000"), ("0x_1", "0x_1"), ("NaN", "NaN"), ("inf", "inf"), ("0o8", "0o8"), ("1.2.3", "1.2.3"),
])
def test_plain_scalars_resolve_by_the_core_schema(plain: str, value: Any) -> None:
    assert same(yaml(f"v: {plain}")["v"], value)


def test_numbers_reach_json_exactly_as_written_in_value() -> None:
    doc = yaml("a: 1.10\nb: 1e400\nc: 123456789012345678901234567890\nd: 0.1000000000000000055511151231257827\n"
               "e: " + "9" * 5000 + "\n")
    assert to_json(doc).startswith(b'{"a":1.10,"b":1E+400,"c":123456789012345678901234567890,'
                                   b'"d":0.1000000000000000055511151231257827,"e":9999')
    assert doc["e"] == Decimal("9" * 5000)  # past int()'s digit limit: exact all the same


def test_quoted_and_tagged_scalars() -> None:
    doc = yaml('a: "1"\nb: \'true\'\nc: !!str 12\nd: !!int "12"\ne: !!float "1.5"\nf: !!bool "false"\n'
               'g: !!null ""\nh: ! 12\ni: |\n  x\n  y\nj: >-\n  folded\n  text\n')
    assert same(doc, {"a": "1", "b": "true", "c": "12", "d": 12, "e": Decimal("1.5"), "f": False, "g": None,
                      "h": "12", "i": "x\ny\n", "j": "folded text"})


@pytest.mark.parametrize(("text", "words", "line"), [
    ("a: !!int x", "is not a !!int", 1),
    ("a:\n  - !!binary aGk=", "!!binary is not one of the YAML 1.2 core schema's", 2),
    ("a: !!python/object:os.system ls", "!!python/object:os.system", 1),
    ("a: !!python/object/apply:os.system [ls]", "!!python/object/apply:os.system", 1),
    ("a: !custom 1", "!custom", 1),
    ("s: !!set {a, b}", "!!set", 1),
    ("o: !!omap [a: 1]", "!!omap", 1),
    ("t: !!timestamp 2001-12-14", "!!timestamp", 1),
    ("m: !!seq {a: 1}", "does not fit this mapping", 1),
    ("m: !!map [1]", "does not fit this sequence", 1),
])
def test_tags_outside_the_core_schema_are_located_errors(text: str, words: str, line: int) -> None:
    err = yaml_error(text)
    assert words in err.message and err.line == line and err.fmt == "YAML"


def test_inf_and_nan_have_no_json_form() -> None:
    for text in ("a: .inf", "a: -.Inf", "a: .NaN", "a: !!float .nan"):
        err = yaml_error(text)
        assert "has no JSON form" in err.message and (err.line, err.column) == (1, 4)


# ------------------------------------------------------------------------------------------ keys

def test_scalar_keys_become_strings_with_a_note() -> None:
    loaded = load("1: a\nnull: b\ntrue: c\n1.50: d\n0x10: e\n", "yaml")
    assert list(loaded.value.items()) == [("1", "a"), ("null", "b"), ("true", "c"), ("1.50", "d"), ("16", "e")]
    assert loaded.notes[0].startswith("Keys that are not strings became strings: 1 (line 1), null (line 2)")
    assert yaml("? \n: f\n") == {"null": "f"}  # an empty key is null


def test_keys_that_collide_as_json_are_repeats() -> None:
    err = yaml_error("null: b\n~: e\n")
    assert "repeated" in err.message and "first at line 1" in err.message and err.line == 2
    err = yaml_error("1: a\n'1': b\n")
    assert err.line == 2 and "first at line 1" in err.message


def test_duplicate_keys_are_errors_with_both_lines() -> None:
    err = yaml_error("a: 1\nb:\n  c: 1\n  d: 2\n  c: 3\n")
    assert err.message.startswith('The key "c" is repeated in this mapping (first at line 3)')
    assert (err.line, err.column) == (5, 3) and "YAML 1.2 forbids" in err.message
    assert yaml("a: {c: 1}\nb: {c: 1}\n") == {"a": {"c": 1}, "b": {"c": 1}}  # same key, other mappings


@pytest.mark.parametrize("text", ["? [a]\n: 1", "? {a: 1}\n: 1", "{[a]: 1}", "x: &k [1]\n*k : 2"])
def test_collections_as_keys_are_located_errors(text: str) -> None:
    err = yaml_error(text)
    assert "JSON keys are strings" in err.message


def test_non_string_key_note_lists_places() -> None:
    notes = load("1: a\n2: b\n", "yaml").notes
    assert notes == ("Keys that are not strings became strings: 1 (line 1), 2 (line 2). JSON keys are strings.",)


def test_merge_key_is_an_ordinary_key_with_a_note() -> None:
    loaded = load("base: &b {x: 1}\nuse:\n  <<: *b\n  y: 2\n", "yaml")
    assert loaded.value["use"] == {"<<": {"x": 1}, "y": 2}
    assert any(n.startswith("Merge keys '<<' kept as ordinary keys") and "line 3" in n for n in loaded.notes)


# ------------------------------------------------------------------------------------------ aliases

def test_aliases_share_their_anchor_and_are_noted() -> None:
    loaded = load("a: &x {n: 1.0}\nb: *x\nc: [*x, *x]\n", "yaml")
    assert loaded.value["b"] is loaded.value["a"] and loaded.value["c"] == [{"n": Decimal("1.0")}] * 2
    assert to_json(loaded.value) == b'{"a":{"n":1.0},"b":{"n":1.0},"c":[{"n":1.0},{"n":1.0}]}'
    assert loaded.notes[0].startswith("Aliases expanded") and "*x (line 2)" in loaded.notes[0]


def _lol(levels: int, width: int) -> str:
    names = [f"l{i}" for i in range(levels)]
    lines = [f"{names[0]}: &{names[0]} [" + ", ".join(['"lol"'] * width) + "]"]
    for prev, name in zip(names, names[1:], strict=False):
        lines.append(f"{name}: &{name} [" + ", ".join([f"*{prev}"] * width) + "]")
    return "\n".join(lines) + "\n"


@pytest.mark.parametrize(("levels", "width"), [(9, 9), (10, 10), (30, 10), (4, 1000), (60, 2)])
def test_billion_laughs_stops_quickly_with_small_memory(levels: int, width: int) -> None:
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    err = yaml_error(_lol(levels, width))
    assert err.message.startswith("Alias expansion would exceed the output limit of 16.0 MB")
    assert err.line <= levels  # stopped while reading, at the alias that went over: nothing was expanded
    assert resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before < 50_000  # KB: nothing expanded


def test_expansion_just_under_the_budget_is_read() -> None:
    text = "a: &a [" + ", ".join(['"' + "x" * 1000 + '"'] * 100) + "]\nb: [" + ", ".join(["*a"] * 100) + "]\n"
    doc = yaml(text)  # ~10 MB of JSON, under the 16 MB budget
    assert len(to_json(doc)) > 10_000_000


def test_aliases_as_keys_and_merges_of_scalars() -> None:
    assert yaml("k: &k name\n*k : 1\n") == {"k": "name", "name": 1}


@pytest.mark.parametrize(("text", "words"), [
    ("&a [*a]", "inside its own anchor"),
    ("a: &a\n  b: *a\n", "inside its own anchor"),
    ("a: &a {b: [1, {c: *a}]}", "inside its own anchor"),
    ("a: *nope", "names no anchor defined before it"),
    ("a: *b\nb: &b 1", "names no anchor defined before it"),
])
def test_recursive_and_undefined_aliases(text: str, words: str) -> None:
    assert words in yaml_error(text).message


def test_anchors_do_not_cross_documents() -> None:
    assert "names no anchor" in yaml_error("a: &x 1\n---\nb: *x\n", documents="all").message


def test_alias_depth_counts_against_the_limit() -> None:
    deep = "a: &a " + "[" * 40 + "]" * 40 + "\n"
    with pytest.raises(JsonTooDeep, match="nests its value deeper than 45 levels"):
        load(deep + "b: [[[[[[*a]]]]]]\n", "yaml", max_depth=45)
    assert load(deep + "b: [[*a]]\n", "yaml", max_depth=45).value["b"][0][0] is not None


# ------------------------------------------------------------------------------------------ streams

def test_other_yaml_versions_are_read_as_1_2_with_a_note() -> None:
    loaded = load("%YAML 1.1\n---\na: yes\nb: 010\n", "yaml")
    assert loaded.value == {"a": "yes", "b": 10}
    assert loaded.notes[0].startswith("Documents declaring another YAML version read as YAML 1.2: %YAML 1.1")


def test_document_streams() -> None:
    assert yaml("a: 1\n---\nb: 2\n", documents="all") == [{"a": 1}, {"b": 2}]
    assert yaml("--- 1\n--- 2\n...\n", documents="all") == [1, 2]
    assert yaml("---\na: 1\n...\n") == {"a": 1}  # one document with its markers
    err = yaml_error("a: 1\n---\nb: 2\n")
    assert err.line == 2 and "second YAML document" in err.message
    assert "2 documents" in load("1\n---\n2\n", "yaml", documents="all").notes[0]


@pytest.mark.parametrize("text", ["", "   \n", "# only a comment\n", "\ufeff"])
def test_no_document_is_an_error(text: str) -> None:
    assert "No YAML document" in yaml_error(text).message


# ------------------------------------------------------------------------------------------ malformed

@pytest.mark.parametrize(("text", "line", "column", "words"), [
    ("a:\n\tb: 1\n", 2, 1, "'\\t' that cannot start any token"),
    ("a: [1, 2\n", 2, 1, "expected ',' or ']'"),
    ("a: 'unterminated\n", 2, 1, "found unexpected end of stream"),
    ("a: b: c\n", 1, 5, "mapping values are not allowed here"),
    ("- a\nb: 1\n", 2, 1, "expected <block end>"),
    ("a: \x01\n", 1, 4, "U+0001 is not allowed"),
    ("a: 1\n  b: 2\n", 2, 4, "mapping values are not allowed here"),
    ("a: \"\\q\"\n", 1, 6, "unknown escape character"),
])
def test_malformed_yaml_is_located(text: str, line: int, column: int, words: str) -> None:
    err = yaml_error(text)
    assert (err.line, err.column) == (line, column) and words.lower() in err.message.lower()
    assert err.caret.strip() == "^"


def test_byte_order_mark_and_lone_surrogates() -> None:
    assert yaml("\ufeffa: 1\n") == {"a": 1}
    with pytest.raises(JsonSyntaxError, match="Unpaired surrogate"):
        load("a: \ud800", "yaml")


def test_deep_flow_nesting_is_a_quick_located_error() -> None:
    err = yaml_error("[" * 100_000)
    assert "nested deeper than 64 levels" in err.message and err.column == MAX_FLOW_DEPTH + 1
    # Many deep flow collections side by side (the scanner's slow case) stop at the first.
    unit = "[" * 999 + "]" * 999
    assert yaml_error("[" + ",".join([unit] * 200) + "]").column == MAX_FLOW_DEPTH + 1


def test_deep_block_nesting_is_json_too_deep() -> None:
    text = "".join(" " * i + "- \n" for i in range(0, 2400, 2))
    with pytest.raises(JsonTooDeep, match="deeper than 1000 levels at line 1001"):
        load(text, "yaml")
    assert yaml("".join(" " * i + "- \n" for i in range(0, 200, 2)), max_depth=1000) is not None


def test_flow_nesting_within_the_bound_is_read() -> None:
    value = yaml("a: " + "[" * MAX_FLOW_DEPTH + "1" + "]" * MAX_FLOW_DEPTH)
    for _ in range(MAX_FLOW_DEPTH + 1):
        value = value["a"] if isinstance(value, dict) else value[0]
    assert value == 1


def test_huge_scalar_is_read() -> None:
    assert len(yaml("a: " + "x" * 3_000_000)["a"]) == 3_000_000


def test_node_bound(monkeypatch: pytest.MonkeyPatch) -> None:
    import toolbox.core.json.formats as formats

    monkeypatch.setattr(formats, "MAX_YAML_NODES", 1000)
    with pytest.raises(YamlTooLarge, match="More than 1,000 YAML nodes"):
        load("- 1\n" * 2000, "yaml")


def test_marks_locate_members_and_elements() -> None:
    text = "a:\n  - x\n  - {b: 1, c: [2, 3]}\nd: &d\n  e: 1\nf: *d\n"
    loaded = load(text, "yaml", locate=True)
    marks = loaded.marks
    assert marks is not None
    where = {p: marks.line_col(loaded.value, p) for p in ("", "/a", "/a/1", "/a/1/c", "/a/1/c/1", "/f/e", "/zz")}
    assert where == {"": (1, 1), "/a": (1, 1), "/a/1": (3, 5), "/a/1/c": (3, 12), "/a/1/c/1": (3, 19),
                     "/f/e": (5, 3), "/zz": None}


# ------------------------------------------------------------------------------------------ TOML

def test_toml_numbers_dates_and_notes() -> None:
    loaded = load('# settings\ntitle = "x"\nratio = 1.10\nbig = 1e400\nn = 1_000\nhex = 0xff\n'
                  "when = 1979-05-27T07:32:00-08:00\nlocal = 1979-05-27T07:32:00\nday = 1979-05-27\n"
                  "at = 07:32:00\n[server]\nports = [80, 443]\n", "toml")
    assert same(loaded.value, {"title": "x", "ratio": Decimal("1.10"), "big": Decimal("1e400"), "n": 1000,
                               "hex": 255, "when": "1979-05-27T07:32:00-08:00", "local": "1979-05-27T07:32:00",
                               "day": "1979-05-27", "at": "07:32:00", "server": {"ports": [80, 443]}})
    assert loaded.notes[0].startswith("4 dates and times became RFC 3339 strings") and "/when" in loaded.notes[0]
    assert loaded.notes[1] == "Comments are not carried over (they are not data)."


@pytest.mark.parametrize(("text", "line", "column", "words"), [
    ("a = 1\na = 2\n", 2, 6, "Cannot overwrite a value"),  # tomllib says where the line ends
    ("a = 1\n\n[b\n", 3, 3, "Expected ']'"),
    ("a = [1,\n", 2, 1, "Invalid value"),
    ('a = "\x01"\n', 1, 6, "Illegal character"),
    ("a = 1 2\n", 1, 7, "Expected newline"),
])
def test_malformed_toml_is_located(text: str, line: int, column: int, words: str) -> None:
    with pytest.raises(FormatSyntaxError) as caught:
        load(text, "toml")
    err = caught.value
    assert err.fmt == "TOML" and words in err.message and (err.line, err.column) == (line, column)


@pytest.mark.parametrize("text", ["x = inf", "x = -inf", "y = [1, nan]", "[t]\nz = +nan"])
def test_toml_inf_and_nan_name_their_pointer(text: str) -> None:
    with pytest.raises(UnlocatedError, match="has no JSON form") as caught:
        load(text, "toml")
    assert caught.value.pointer in ("/x", "/y/1", "/t/z")


def test_toml_deep_nesting_is_too_deep_not_a_recursion_error() -> None:
    with pytest.raises(JsonTooDeep):
        load("a = " + "[" * 100_000, "toml")
    with pytest.raises(JsonTooDeep, match="deeper than 5 levels"):
        load("a = [[[[[[1]]]]]]", "toml", max_depth=5)
    with pytest.raises(JsonTooDeep, match="deeper than 1000 levels at " + "/k" * 40 + "…$"):
        load(".".join(["k"] * 5000) + " = 1", "toml")  # dotted keys: tomllib builds them without recursion


# ------------------------------------------------------------------------------------------ JSON

def test_json_input_notes_repeated_keys() -> None:
    loaded = load('{"a": 1, "a": 2.50}', "json")
    assert same(loaded.value, {"a": Decimal("2.50")})
    assert loaded.notes == ("Repeated keys kept their last value only: /a (line 1)",)
    assert load('{"a": 1, "b": [{"a": 1}, {"a": 2}], "c": "\\"a\\": 1"}', "json").notes == ()
    deep = "[" * 900 + '{"k": 1, "k": 2}' + "]" * 900
    assert load(deep, "json").notes == ("Repeated keys kept their last value only: " + "/0" * 40 + "… (line 1)",)
