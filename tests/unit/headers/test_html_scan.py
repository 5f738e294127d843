"""The page scanner returns what jsdom gives the Observatory, and agrees with the html.parser
collector it replaced on well-formed pages.

The expected values in JSDOM_ANSWERS were produced by jsdom 26.1 (parse5 7.3) run as the
Observatory runs it: scripts from `new JSDOM(html)` (scripting disabled, SVG/MathML scripts
have no src), metas from `JSDOM.fragment(html)` (scripting enabled). Cases marked "old" are
ones the html.parser collector got wrong.
"""

from __future__ import annotations

import os
import tempfile

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.configuration import set_hypothesis_home_dir

from tests.unit.headers.html_reference import old_scan_page
from toolbox.core.headers.html_scan import PageFacts, scan_page

set_hypothesis_home_dir(os.path.join(tempfile.gettempdir(), "toolbox-hypothesis"))
SETTINGS = settings(
    max_examples=300, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow]
)

Script = tuple[str | None, str | None]
# (page, meta CSPs, meta referrer, scripts) as jsdom finds them.
JSDOM_ANSWERS: list[tuple[str, list[str], list[str], list[Script]]] = [
    # old: an HTML element's self-closing flag is ignored, so these still read their content as text
    ("<script src=a.js /><script src=b.js></script>", [], [], [("a.js", None)]),
    ("<title/><script src=a.js></script></title><script src=b.js></script>", [], [], [("b.js", None)]),
    # old: script data escapes ("<!--<script>" hides the next "</script>")
    ("<script><!--<script></script><script src=x.js></script>", [], [], [(None, None)]),
    ("<script><!--</script><script src=x.js></script>", [], [], [(None, None), ("x.js", None)]),
    ("<script><!--<script>--></script><script src=x.js></script>", [], [], [(None, None), ("x.js", None)]),
    # old: <script> and <style> inside SVG are foreign elements whose content is markup
    ("<svg><script src=a.js><script src=b.js></script></script></svg>", [], [], [(None, None), (None, None)]),
    ("<svg><style><script src=a.js></script></style></svg>", [], [], [(None, None)]),
    # old: inside a template, text-only elements, <noscript> and <plaintext> still switch the tokenizer
    ("<template><title></template><script src=x.js></script>", [], [], []),
    (
        "<template><noscript></template><meta http-equiv=content-security-policy content=x></noscript>",
        [],
        [],
        [],
    ),
    ("<template><plaintext></template><script src=x.js></script>", [], [], []),
    ("<template><svg><title></template><script src=x.js></script>", [], [], [("x.js", None)]),
    # old: a semicolon-less reference followed by "=" or a letter stays as written in attributes
    (
        "<script src='/s.js?a=1&copy=2&amp;c=3&notit;'></script>",
        [],
        [],
        [("/s.js?a=1&copy=2&c=3&notit;", None)],
    ),
    (
        "<script src='&#x2F;&#47;cdn.example/x.js' integrity='&#0000065;&#1114112;&#x0;'></script>",
        [],
        [],
        [("//cdn.example/x.js", "A\ufffd\ufffd")],
    ),  # fmt: skip
    ("<!--><script src=a.js></script>", [], [], [("a.js", None)]),
    ("<!---><script src=a.js></script>", [], [], [("a.js", None)]),
    ("<!-- --!><script src=a.js></script>", [], [], [("a.js", None)]),
    ("<a b='<script src=x.js>'><script src=y.js></script>", [], [], [("y.js", None)]),
    ('<a b="<script src=x.js>">', [], [], []),
    # old: a <select> ignores <meta> and <svg> start tags
    (
        "<select><meta name=referrer content=unsafe-url><script src=a.js></script><svg><script src=b.js></script>",
        [],
        [],
        [("a.js", None), ("b.js", None)],
    ),  # fmt: skip
    # old: integration points depend on the namespace; <font color> and </p> leave foreign content
    (
        "<math><annotation-xml encoding='Text/HTML'><script src=x.js></script></annotation-xml>",
        [],
        [],
        [("x.js", None)],
    ),
    ("<math><annotation-xml><script src=x.js></script></annotation-xml></math>", [], [], [(None, None)]),
    ("<svg></p><script src=x.js></script>", [], [], [("x.js", None)]),
    (
        "<svg><svg></svg><script src=x.js></script></svg><script src=y.js></script>",
        [],
        [],
        [(None, None), ("y.js", None)],
    ),
    ("<svg><font color=red><script src=x.js></script>", [], [], [("x.js", None)]),
    ("<svg><font><script src=x.js></script>", [], [], [(None, None)]),
    ("<math><title><script src=x.js></script></title></math>", [], [], [(None, None)]),
    ("<svg><mi><script src=x.js></script></mi></svg>", [], [], [(None, None)]),
    # A tag cut off by the end of the input is dropped.
    ('<script src=a.js></script><a b="', [], [], [("a.js", None)]),
    ("<script src=a.js></script><meta name=referrer content=a", [], [], [("a.js", None)]),
    ("<meta name=referrer content=a><!-- ", [], ["a"], []),
    ("<script src=a.js></script></ x><script src=b.js></script>", [], [], [("a.js", None), ("b.js", None)]),
    ("<?php echo '<script src=x.js>'; ?><script src=y.js></script>", [], [], [("y.js", None)]),
    ("<![CDATA[<script src=x.js>]]><script src=y.js></script>", [], [], [("y.js", None)]),
    ("<svg><![CDATA[<script src=x.js>]]></svg><script src=y.js></script>", [], [], [("y.js", None)]),
    ("<meta\rname=referrer\rcontent=origin>", [], ["origin"], []),
    # old: NUL reads as U+FFFD
    ("<script\x00 src=a.js></script><script src='b\x00.js'></script>", [], [], [("b\ufffd.js", None)]),
    ("<textarea><script src=a.js></script></textarea ><script src=b.js></script>", [], [], [("b.js", None)]),
    # old: end tags of text-only elements may carry attributes
    ("<xmp></XMP foo=bar><script src=b.js></script>", [], [], [("b.js", None)]),
    ("<iframe><meta name=referrer content=a></iframe/><meta name=referrer content=b>", [], ["b"], []),
    # old: with scripting enabled (metas), <noscript> content is text up to </noscript>
    (
        "<noscript><title></noscript><meta http-equiv=content-security-policy content=x></title></noscript>",
        ["x"],
        [],
        [],
    ),  # fmt: skip
    ("<a =x><a/b=c><script/src=d.js></script>", [], [], [("d.js", None)]),
    ("<script src=a.js src=b.js integrity=x INTEGRITY=y></script>", [], [], [("a.js", "x")]),
    ("<plaintext></plaintext><script src=a.js></script>", [], [], []),
]


@pytest.mark.parametrize(
    ("page", "csp", "referrer", "scripts"), JSDOM_ANSWERS, ids=[a[0][:60] for a in JSDOM_ANSWERS]
)
def test_pages_scan_as_jsdom_reads_them(
    page: str, csp: list[str], referrer: list[str], scripts: list[Script]
) -> None:
    assert scan_page(page) == PageFacts(meta_csp=csp, meta_referrer=referrer, scripts=scripts)


# Well-formed pages where html.parser and an HTML5 parser agree: every element closed, no
# tables or selects (their tree rules are not modelled), no self-closing HTML elements,
# no "<" inside scripts, no text-only elements inside templates, no SVG <p> or nested <svg>.
WORDS = st.sampled_from(
    ["x", "a b", "&amp;", "&lt;b&gt;", "&#x2F;", "&#47;", "&quot;", "&copy;", "caf\u00e9", ""]
)
VALUES = st.lists(WORDS, max_size=3).map("".join)
NAMES = st.sampled_from(
    ["src", "SRC", "integrity", "Integrity", "http-equiv", "HTTP-EQUIV", "name", "content", "id"]
)
TEXT = st.sampled_from(
    ["", "text", "a &amp; b", "1 < 2", "<script src=t.js></script>", "<meta name=referrer content=t>"]
)


@st.composite
def attribute(draw: st.DrawFn) -> str:
    name, value = draw(NAMES), draw(VALUES)
    quote = draw(
        st.sampled_from(['"', "'"] + ([""] if value and " " not in value and "&" not in value else []))
    )
    return f" {name}={quote}{value}{quote}" if draw(st.booleans()) or not value else f" {name}"


@st.composite
def tag(draw: st.DrawFn, name: str, fixed: str = "") -> str:
    return f"<{name}{fixed}{''.join(draw(st.lists(attribute(), max_size=3)))}>"


@st.composite
def leaf(draw: st.DrawFn, foreign: bool) -> str:
    kinds = ["text", "comment", "script"] + (
        [] if foreign else ["meta", "csp", "referrer", "textonly", "img"]
    )
    kind = draw(st.sampled_from(kinds))
    if kind == "text":
        return draw(st.sampled_from(["hello", "a &amp; b", "&lt;script&gt;", "x > y"]))
    if kind == "comment":
        return f"<!--{draw(TEXT)}-->"
    if kind == "script":
        return draw(tag("script")) + draw(st.sampled_from(["", "var a = 1;", "a && b"])) + "</script>"
    if kind == "csp":
        return draw(tag("meta", f' http-equiv="{draw(st.sampled_from(["Content-Security-Policy", "x"]))}"'))
    if kind == "referrer":
        return draw(tag("meta", f" name={draw(st.sampled_from(['referrer', 'Referrer ', 'x']))}"))
    if kind == "textonly":
        name = draw(st.sampled_from(["title", "textarea", "style", "xmp", "iframe", "noembed", "noframes"]))
        return f"{draw(tag(name))}{draw(TEXT)}</{name}>"
    return draw(tag(kind))


def content(depth: int, foreign: str = "", in_template: bool = False) -> st.SearchStrategy[str]:
    """A strategy for well-formed content; `foreign` is "svg"/"math" inside those elements."""
    parts: list[st.SearchStrategy[str]] = [leaf(bool(foreign))]
    if depth > 0:
        inner = content(depth - 1, foreign, in_template)
        html_inside = content(depth - 1, "", in_template)
        if foreign == "svg":
            parts += [
                wrap("g", inner),
                wrap(st.sampled_from(["foreignObject", "desc", "title"]), html_inside),
            ]
        elif foreign == "math":
            parts += [
                wrap("mrow", inner),
                wrap(st.sampled_from(["mi", "mo", "mn", "ms", "mtext"]), html_inside),
            ]
        else:
            parts += [
                wrap(st.sampled_from(["div", "span", "b"]), inner),
                wrap("svg", content(depth - 1, "svg")),
            ]
            parts += [
                wrap("math", content(depth - 1, "math")),
                wrap("template", content(depth - 1, "", True)),
            ]
            if not in_template:
                parts.append(wrap("noscript", content(depth - 1, "", True)))
    return st.lists(st.one_of(parts), max_size=4).map("".join)


def wrap(name: str | st.SearchStrategy[str], inner: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    names = st.just(name) if isinstance(name, str) else name
    return st.tuples(names, inner).flatmap(
        lambda p: tag(p[0]).map(lambda open_tag: f"{open_tag}{p[1]}</{p[0]}>")
    )


@SETTINGS
@given(content(3))
def test_well_formed_pages_scan_as_with_the_old_collector(page: str) -> None:
    assert scan_page(page) == old_scan_page(page)
