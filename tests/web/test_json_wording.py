"""The formatter's words: counts with the right plural and thousands separators, a syntax error
said once, lenient repairs listed once, and duplicate keys that make the verdict warn."""

from __future__ import annotations

import html as htmllib
import re

HX = {"HX-Request": "true", "Sec-Fetch-Site": "same-origin"}


def _markup(client, text: str, **fields: str) -> str:  # type: ignore[no-untyped-def]
    return str(client.post("/json/", data={"text": text, **fields}, headers=HX).get_data(as_text=True))


def _text(markup: str) -> str:
    return re.sub(r"\s+", " ", htmllib.unescape(re.sub(r"<[^>]+>", " ", markup))).strip()


def _stats(markup: str) -> str:
    found = re.search(r'<p class="stats muted small">(.*?)</p>', markup, re.S)
    assert found, markup[:400]
    return _text(found.group(1))


def test_one_of_each_is_singular(client) -> None:  # type: ignore[no-untyped-def]
    stats = _stats(_markup(client, '{"a": [1, "s"]}'))
    assert stats.endswith("1 object · 1 array · 1 string · 1 number")
    assert "1 objects" not in stats and "1 numbers" not in stats
    assert _stats(_markup(client, "[]")).endswith("0 objects · 1 array · 0 strings · 0 numbers")


def test_large_counts_have_thousands_separators(client) -> None:  # type: ignore[no-untyped-def]
    markup = _markup(client, "[" + ",".join(['{"k": 1}'] * 8000) + "]")
    stats = _stats(markup)
    assert "8,000 objects" in stats and "8,000 numbers" in stats and "24,002 lines" in stats
    assert "· 8,000 keys · depth 2" in _text(markup)
    assert re.search(r"\b\d{4,}\b", stats.replace("KB", "")) is None  # no bare 8000 anywhere in the stats


def test_a_comment_is_named_once(client) -> None:  # type: ignore[no-untyped-def]
    shown = _text(_markup(client, '{\n  "a": 1 // the answer\n}'))
    assert shown.count("Comments are not allowed") == 1  # in the verdict only
    assert "Turn on Lenient input to read comments and repair the text to strict JSON." in shown


def test_lenient_repairs_are_listed_once(client) -> None:  # type: ignore[no-untyped-def]
    markup = _markup(client, '{"a": 1, // c\n "b": [1, 2,],}', lenient="on")
    assert "Lenient input: repaired to strict JSON" in markup
    assert "lenient-repair" not in markup and "The input was not strict JSON" not in markup
    assert "Warnings" not in markup  # the repairs were the only note


def test_repairs_and_other_warnings_say_which_text_the_positions_refer_to(client) -> None:  # type: ignore[no-untyped-def]
    markup = _markup(client, '{"a": 1, // c\n "a": 2,}', lenient="on")
    assert "Lines and columns in the warnings below refer to the repaired text." in markup
    assert "<h2>Warnings (1)</h2>" in markup and "lenient-repair" not in markup


def test_duplicate_keys_make_the_verdict_warn_and_read_human_first(client) -> None:  # type: ignore[no-untyped-def]
    markup = _markup(client, '{\n  "id": 1,\n  "id": 2\n}')
    verdict = re.search(r'<p class="verdict (verdict-\w+)">(.*?)</p>', markup, re.S)
    assert verdict is not None and verdict.group(1) == "verdict-warn"
    assert _text(verdict.group(2)).startswith('Valid JSON, but 1 duplicate key: "id" at line 3 · ')
    item = re.search(r"<h2>Warnings \(1\)</h2>\s*<ul>\s*<li>(.*?)</li>", markup, re.S)
    assert item is not None
    assert item.group(1).startswith("Duplicate key")  # the words first ...
    assert item.group(1).endswith('<code class="finding-id muted small">duplicate-key</code>')  # ... the id last, small
    assert re.search(r'data-status="Formatted: 4 lines; 1 duplicate key"', markup)


def test_several_duplicate_keys_are_counted(client) -> None:  # type: ignore[no-untyped-def]
    markup = _markup(client, '{"a": 1, "a": 2, "b": {"c": 1, "c": 2}}')
    assert 'Valid JSON, but 2 duplicate keys:</span> <span class="detail">&#34;a&#34; at line 1, …' in markup \
        or 'Valid JSON, but 2 duplicate keys:</span> <span class="detail">&quot;a&quot; at line 1, …' in markup


def test_no_duplicates_keeps_the_green_verdict(client) -> None:  # type: ignore[no-untyped-def]
    assert '<p class="verdict verdict-ok"><span class="word">Valid JSON</span>' in _markup(client, '{"a": 1}')
