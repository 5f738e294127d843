"""collect_elements returns what htmlparser2 (Observatory 1.5.3+) collects.

`html_sax_cases.json` holds hand-picked tricky pages with the results htmlparser2 12.0.0 /
entities 8.0.0 gave for them, recorded by tools/observatory/html_sax_oracle.mjs (see
tools/observatory/README.md); no node is needed here. The hostile-input tests check the scan
stays linear on bodies of a few MB.
"""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any

import pytest

from toolbox.core.headers.html_sax import collect_elements

CASES = json.loads(Path(__file__).with_name("html_sax_cases.json").read_text(encoding="utf-8"))


def _case_id(case: dict[str, Any]) -> str:
    return f"{case['tag']}:{case['html'][:60]!r}"


@pytest.mark.parametrize("case", CASES, ids=[_case_id(case) for case in CASES])
def test_recorded_htmlparser2_results(case: dict[str, Any]) -> None:
    assert collect_elements(case["html"], case["tag"]) == case["expected"]


def test_corpus_size() -> None:
    assert 150 <= len(CASES) <= 300


@pytest.mark.parametrize(
    ("html", "tag", "expected"),
    [
        # Unlike a tree builder: template, noscript and SVG content count.
        ("<template><script src=a></script></template>", "script", [{"src": "a"}]),
        (
            "<noscript><meta name=referrer content=x></noscript>",
            "meta",
            [{"name": "referrer", "content": "x"}],
        ),
        ("<svg><script src=b><meta a=1></script></svg>", "meta", [{"a": "1"}]),
        # Raw values, first duplicate wins, names lowercased, __proto__ dropped.
        ('<SCRIPT SRC=" x.js " src=y __proto__=z>', "script", [{"src": " x.js "}]),
        ("<script src=x/>", "script", [{"src": "x/"}]),
        # Raw text: a <script> inside script data is text; the end tag needs a boundary.
        ("<script><script src=no></scripty></script ><script src=yes>", "script", [{}, {"src": "yes"}]),
        ("<meta a=1", "meta", []),
        ('<meta a="&amp;&ampx&amp=&#65x&notin">', "meta", [{"a": "&&ampx&amp=Ax¬in"}]),
    ],
)
def test_differences_from_a_tree_builder(html: str, tag: str, expected: list[dict[str, str]]) -> None:
    assert collect_elements(html, tag) == expected


@pytest.mark.parametrize(
    "unit",
    [
        "<a ",
        "<a b=",
        '<a b="&amp',
        "&#9999",
        "<!--",
        "<!-- -",
        "<![CDATA[",
        "<script>",
        "</",
        "<?",
        "&notin",
        "&Acy\x16" + "6" * 40,
    ],
)
def test_linear_on_hostile_input(unit: str) -> None:
    def seconds(size: int) -> float:
        body = unit * (size // len(unit))
        start = time.process_time()
        collect_elements(body, "script")
        return time.process_time() - start

    small, large = seconds(128 * 1024), seconds(1024 * 1024)
    assert large < 30
    assert large < 8 * small * 4 + 0.5  # 8x the input: far from the 64x of quadratic growth


def test_large_page() -> None:
    page = ('<p class="x">text &amp; more</p><script src="/a.js?x=1&amp;y=2"></script>' * 20000)[
        : 3 * 1024 * 1024
    ]
    start = time.process_time()
    found = collect_elements(page, "script")
    assert time.process_time() - start < 20
    assert len(found) >= 20000 - 1 and found[0] == {"src": "/a.js?x=1&y=2"}


def test_linear_on_deep_nesting() -> None:
    page = "<x>" + "<div>" * 100_000 + "</x>" * 100_000 + "</div>" * 100_000 + "<script src=a>"
    start = time.process_time()
    assert collect_elements(page, "script") == [{"src": "a"}]
    assert time.process_time() - start < 20


def test_trie_decodes_the_html5_table() -> None:
    """entities' trie holds exactly what html.entities lists (values and legacy names)."""
    from html.entities import html5

    from toolbox.core.headers.html_sax import _decode_reference

    for name, value in html5.items():
        if name.endswith(";"):
            assert _decode_reference(f"&{name}x", 0) == (len(name) + 1, value), name
        else:
            assert _decode_reference(f"&{name} ", 0) == (len(name) + 1, value), name
            assert _decode_reference(f"&{name}=", 0)[0] == 0, name


@pytest.mark.parametrize(
    ("html", "tag", "expected"),
    [
        # entities 8 reads the value of "&Gcedil" (no ";") as trie branches: '"' leads on.
        ('<a t="&Gcedil" b=1>x" c=2>', "a", [{"t": "Â b=1>x", "c": "2"}]),
        ('<a t="&BreveX">', "a", [{"t": "Á"}]),
        ("&eta8<script src=hidden><script src=shown>", "script", [{"src": "shown"}]),
        ('<a t="&divideoX&notin">', "a", [{"t": "÷oX¬in"}]),
    ],
)
def test_entities_trie_quirks(html: str, tag: str, expected: list[dict[str, str]]) -> None:
    assert collect_elements(html, tag) == expected
