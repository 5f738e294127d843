"""YAML output (toolbox/core/json/yaml_out.py): JSON → YAML → the same exact model, by our reader and by
an independent one (PyYAML, a YAML 1.1 reader in C, told only that 1.2 floats like `1E+400` are floats:
our output quotes every string a 1.1 reader would take for something else).

Documents: every JSON file of the vendored JSON-Schema-Test-Suite, and hypothesis-made values with
non-ASCII and control characters, huge integers, long fractions and strings that look like YAML
(`yes`, `on`, `1e3`, `0x10`, `null`, `~`, `- a`, `a: b`, `#`, empty keys, line breaks of every kind).
"""

from __future__ import annotations

import os
import re
import tempfile
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
import yaml as pyyaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.configuration import set_hypothesis_home_dir

from tests.unit.json.test_formats import same
from toolbox.core.json.formats import load, to_json
from toolbox.core.json.model import OutputTooLarge
from toolbox.core.json.parse import parse_strict
from toolbox.core.json.yaml_out import MAX_IMPLICIT_KEY, dump_yaml, plain_ok, quoted

set_hypothesis_home_dir(os.path.join(tempfile.gettempdir(), "toolbox-hypothesis"))
SETTINGS = settings(max_examples=300, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow])
SUITE = Path(__file__).resolve().parents[2] / "conformance" / "JSON-Schema-Test-Suite" / "tests"
BUDGET = 1 << 26
NOT_YAML_PRINTABLE = re.compile("[^\t\n\r\x20-\x7e\x85\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


class _Reader(pyyaml.CSafeLoader):
    """PyYAML's safe loader (libyaml), floats exact, and 1.2 floats without a dot (1E+400) resolved."""


_Reader.add_constructor("tag:yaml.org,2002:float", lambda loader, node: Decimal(node.value))
_Reader.add_implicit_resolver("tag:yaml.org,2002:float",
                              re.compile(r"^[-+]?(?:[0-9]+)(?:[eE][-+]?[0-9]+)$"), list("-+0123456789"))


def independent(text: str) -> Any:
    return pyyaml.load(text, Loader=_Reader)  # noqa: S506 - a SafeLoader subclass with two harmless additions


def round_trip(value: Any, *, pyyaml_too: bool = True) -> str:
    text = dump_yaml(value, BUDGET)
    ours = load(text, "yaml").value
    assert same(ours, value), text
    if pyyaml_too:
        theirs = independent(text)
        assert same(theirs, value), text
    return text


LOOKALIKES = ["yes", "no", "on", "off", "y", "n", "Y", "NO", "True", "FALSE", "null", "Null", "~", "", "1e3",
              "0x10", "0o17", "010", "1_000", "1:20", ".inf", "-.inf", ".nan", "NaN", "2001-12-14",
              "2001-12-14 21:59:43.10 -5", "+1", "-1", ".5", "1.", "- a", "-", "a: b", "a:b", "#x", "a #b", "? x",
              ":", "[a]", "{a}", "&a", "*a", "!x", "!!str", "|", ">", "%YAML", "@x", "`x", "'q'", '"q"', "<<", "=",
              " lead", "trail ", "a\nb", "a\nb\n", "a\n\n", "\n", "\nx", "x\r\ny", "x\ry", "\t", "a\tb", "\x85",
              "\u2028", "\u2029", "\ufeff", "\x00", "\x7f", "\x9f", "\ue000", "\ufffd", "😀", "日本語", "Zürich", "²", "ǅ", "e\u0301", "a\u00a0b", "---", "...",
              "--- x", "a\n---\nb\n", "a\n...\n", "  indented\nlines\n", "x\n  y\n", "x \ny", "x\n \ny", "a" * 1100,
              "line\n" * 50]


def test_lookalike_strings_round_trip_as_values_and_keys() -> None:
    round_trip({"values": LOOKALIKES, "keys": {k: k for k in LOOKALIKES}})
    for text in LOOKALIKES:
        round_trip(text)
        round_trip([text])
        round_trip({text: [text, {text: text}]})


def test_numbers_are_written_exactly() -> None:
    value = {"a": Decimal("1.10"), "b": Decimal("1E+400"), "c": 123456789012345678901234567890, "d": Decimal("1"),
             "e": Decimal("-0.0"), "f": Decimal("-0"), "g": -0, "h": Decimal("0E-7"), "i": Decimal("9" * 5000),
             "j": True, "k": None, "l": Decimal("1.5E-7")}
    text = round_trip(value)
    assert text.startswith("a: 1.10\nb: 1E+400\nc: 123456789012345678901234567890\nd: 1e0\ne: -0.0\nf: -0e0\n")


def test_layout() -> None:
    value = parse_strict('{"a": [1, [2, 3], {"b": [], "c": {}}, []], "s": "x\\ny\\n", "t": "x\\ny", "u": "x\\n\\n",'
                         ' "": {"k": "v"}, "q": "yes"}')
    assert round_trip(value) == (
        'a:\n  - 1\n  - - 2\n    - 3\n  - b: []\n    c: {}\n  - []\n'
        "s: |\n  x\n  y\nt: |-\n  x\n  y\nu: |+\n  x\n\n"
        '"":\n  k: v\nq: "yes"\n')
    for scalar in ({}, [], "x", 1, None):
        round_trip(scalar)


def test_long_keys_are_explicit() -> None:
    key = "k" * (MAX_IMPLICIT_KEY + 1)
    text = round_trip({key: {"a": 1}, "b": [{key: [1]}]})
    assert text.startswith(f"? {key}\n:\n  a: 1\n") and f"  - ? {key}\n    :\n      - 1\n" in text


def test_plain_and_quoted() -> None:
    assert plain_ok("hello world") and plain_ok("a-b_c.d/e") and not plain_ok("yes") and not plain_ok("1a")
    assert quoted('a"\\\n\t\x00\x85\u2028\ufeff\x7f😀') == '"a\\"\\\\\\n\\t\\0\\N\\L\\uFEFF\\x7F😀"'


def test_deep_documents_and_the_budget() -> None:
    deep: Any = 1
    for _ in range(999):
        deep = [deep]
    text = round_trip({"d": deep}, pyyaml_too=False)  # 1,000 levels, our limit (and libyaml's)
    assert text == "d:\n  " + "- " * 999 + "1\n"  # compact nested sequences
    wide: Any = "x"
    for _ in range(900):
        wide = {"k": wide, "s": "v"}
    with pytest.raises(OutputTooLarge, match="YAML would exceed the output limit"):
        dump_yaml(wide, 100_000)


def test_every_json_schema_test_suite_document_round_trips() -> None:
    files = sorted(SUITE.rglob("*.json"))
    assert len(files) > 300
    for path in files:
        value = parse_strict(path.read_text(encoding="utf-8"))
        round_trip(value)
        text = to_json(value).decode()
        if not NOT_YAML_PRINTABLE.search(text):  # JSON is YAML 1.2, but for characters YAML forbids raw
            assert same(load(text, "yaml").value, value)


KEYS = st.one_of(st.sampled_from(LOOKALIKES), st.text(st.characters(blacklist_categories=("Cs",)), max_size=12))
NUMBERS = st.one_of(
    st.integers(min_value=-(10**40), max_value=10**40),
    st.from_regex(r"\A-?(0|[1-9][0-9]{0,30})(\.[0-9]{1,30})?([eE][-+]?[0-9]{1,4})?\Z").map(
        lambda s: parse_strict(s)))
SCALARS = st.one_of(st.none(), st.booleans(), NUMBERS, KEYS,
                    st.text(st.characters(blacklist_categories=("Cs",)), max_size=40),
                    st.lists(st.sampled_from(["a", " ", "\n", "\t", "b ", "#", ":", "-", "\r"]), max_size=12).map("".join))
VALUES = st.recursive(SCALARS, lambda inner: st.one_of(
    st.lists(inner, max_size=5), st.dictionaries(KEYS, inner, max_size=5)), max_leaves=30)


@SETTINGS
@given(VALUES)
def test_any_value_round_trips(value: Any) -> None:
    round_trip(value)
    # And through JSON text: what json/convert does (JSON → model → YAML → model → JSON).
    assert to_json(load(dump_yaml(value, BUDGET), "yaml").value) == to_json(value)
