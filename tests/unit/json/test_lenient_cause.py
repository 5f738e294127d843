"""Issue 10: a strict syntax error caused by something lenient input accepts is recognised as such."""

from __future__ import annotations

import pytest

from toolbox.core.json.errors import lenient_cause
from toolbox.core.json.format import format_json
from toolbox.core.json.model import FormatOptions, JsonSyntaxError


def _message(text: str) -> str:
    with pytest.raises(JsonSyntaxError) as caught:
        format_json(text, FormatOptions())
    return caught.value.message


@pytest.mark.parametrize(("text", "cause"), [
    ('{"a": 1 // note\n}', "comments"),
    ("/* header */ [1]", "comments"),
    ("[1, 2,]", "trailing commas"),
    ('{"a": 1,}', "trailing commas"),
    ("{'a': 1}", "single quotes"),
    ('["x", \'y\']', "single quotes"),
    ("{a: 1}", "unquoted keys"),
])
def test_causes_lenient_input_accepts(text: str, cause: str) -> None:
    assert lenient_cause(_message(text)) == cause
    format_json(text, FormatOptions(lenient=True))  # and lenient input does read it


@pytest.mark.parametrize("text", ['{"a" 1}', "[1 2]", '"unterminated', "[01]", "{}}", "[NaN]"])
def test_other_errors_have_no_lenient_cause(text: str) -> None:
    assert lenient_cause(_message(text)) is None
