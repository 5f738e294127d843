"""Issue 10: the validator's verdict comes first and is said once: "Valid" (with a plain sentence),
"Invalid: N errors", or "Schema cannot be used" (never "Invalid: 0 errors"), without repeating the
same message."""

from __future__ import annotations

import re

import pytest

HEADERS = {"Sec-Fetch-Site": "same-origin", "HX-Request": "true"}


def _shown(client, instance: str, schema: str) -> tuple[str, str]:  # type: ignore[no-untyped-def]
    html = client.post("/json/validate", data={"instance": instance, "schema": schema, "submitted": "1"},
                       headers=HEADERS).get_data(as_text=True)
    # The verdict line's word (issue 10: <p class="verdict ..."><span class="word">...</span>), no colon.
    heading = re.search(r'<p class="verdict [^"]*"><span class="word">([^<]*)</span>', html)
    return (heading.group(1).rstrip(":") if heading else ""), re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


@pytest.mark.parametrize("schema", ['{"type": 5}', '{"$ref": "https://example.com/x.json"}',
                                    '{"properties": {"a": {"$ref": "#/$defs/missing"}}}'])
def test_an_unusable_schema_says_so_once(client, schema) -> None:  # type: ignore[no-untyped-def]
    heading, text = _shown(client, '{"a": 1}', schema)
    assert heading == "Schema cannot be used"
    assert "0 errors" not in text and "Invalid" not in text
    assert "Your Instance, with the errors" not in text
    assert text.count("example.com/x.json") <= 3  # the refused list and the located error, not every note


@pytest.mark.parametrize(("instance", "schema", "verdict"), [
    ("1", '{"type": "integer"}', "Valid"),
    ('"x"', '{"type": "integer"}', "Invalid: 1 error"),
    ('["x", "y"]', '{"items": {"type": "integer"}}', "Invalid: 2 errors"),
])
def test_the_verdict_counts_errors(client, instance, schema, verdict) -> None:  # type: ignore[no-untyped-def]
    assert _shown(client, instance, schema)[0] == verdict


def test_invalid_says_invalid_and_valid_says_it_plainly(client) -> None:  # type: ignore[no-untyped-def]
    heading, text = _shown(client, '["x", "y", "z"]', '{"items": {"type": "integer"}}')
    assert heading == "Invalid: 3 errors"
    assert "The Instance matches the schema." not in text
    heading, text = _shown(client, "1", '{"type": "integer"}')
    assert heading == "Valid" and "The Instance matches the schema." in text
    heading, text = _shown(client, "1", '{"type": 5}')
    assert heading == "Schema cannot be used" and "matches the schema" not in text


def test_many_errors_are_counted_with_separators(client) -> None:  # type: ignore[no-untyped-def]
    instance = "[" + ",".join(['"x"'] * 1500) + "]"
    heading, _text = _shown(client, instance, '{"items": {"type": "integer"}}')
    assert re.fullmatch(r"Invalid: 1,\d{3}\+? errors", heading), heading
