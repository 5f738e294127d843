"""The html.parser-based collector that html_scan replaced, kept as a reference for differential tests.

It is quadratic on unterminated constructs ("<a " * n), so tests feed it only small, well-formed pages.
"""

from __future__ import annotations

from html.parser import HTMLParser

from toolbox.core.headers.html_scan import PageFacts

# Start tags that end foreign (SVG/MathML) content in an HTML5 parser.
_BREAKOUT = frozenset(
    {"b", "big", "blockquote", "body", "br", "center", "code", "dd", "div", "dl", "dt", "em", "embed",
     "h1", "h2", "h3", "h4", "h5", "h6", "head", "hr", "i", "img", "li", "listing", "menu", "meta", "nobr",
     "ol", "p", "pre", "ruby", "s", "small", "span", "strong", "strike", "sub", "sup", "table", "tt", "u",
     "ul", "var"}
)  # fmt: skip
# Elements whose content an HTML5 parser reads as text, so tags inside never count
# (html.parser itself only knows script and style).
_TEXT_ONLY = ("title", "textarea", "xmp", "iframe", "noembed", "noframes")
_HTML_INSIDE_FOREIGN = frozenset({"foreignobject", "desc", "title", "mi", "mo", "mn", "ms", "mtext"})

_TEXT_ONLY = ("title", "textarea", "xmp", "iframe", "noembed", "noframes")
_HTML_INSIDE_FOREIGN = frozenset({"foreignobject", "desc", "title", "mi", "mo", "mn", "ms", "mtext"})


class _Collector(HTMLParser):
    """Collects meta and script tags; html.parser already decodes entities in attributes."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.facts = PageFacts()
        self.template_depth = 0
        self.in_noscript = False
        self.stopped = False  # after <plaintext> everything is text
        self.namespaces: list[tuple[str, bool]] = []  # (element, content is foreign)

    def _foreign(self) -> bool:
        return bool(self.namespaces) and self.namespaces[-1][1]

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._start(tag, attrs, self_closing=False)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._start(tag, attrs, self_closing=True)

    def _start(self, tag: str, attrs: list[tuple[str, str | None]], self_closing: bool) -> None:
        if self.stopped:
            return
        foreign = self._foreign()
        if foreign and tag in _BREAKOUT:
            while self._foreign():
                self.namespaces.pop()
            foreign = False
        if tag == "template" and not foreign and not self_closing:
            self.template_depth += 1  # template contents are not part of the document tree
        if self.template_depth:
            return
        if tag in ("svg", "math") and not foreign and not self_closing:
            self.namespaces.append((tag, True))
        elif foreign and tag in _HTML_INSIDE_FOREIGN and not self_closing:
            self.namespaces.append((tag, False))
        # Like the DOM, the first occurrence of a repeated attribute wins.
        found: dict[str, str] = {}
        for key, value in attrs:
            found.setdefault(key, value or "")
        if tag == "meta" and not self.in_noscript:
            self._meta(found)
        elif tag == "script":
            self.facts.scripts.append((None if foreign else found.get("src"), found.get("integrity")))
        elif tag == "noscript" and not foreign:
            self.in_noscript = True
        elif tag == "plaintext" and not foreign:
            self.stopped = True
        elif tag in _TEXT_ONLY and not foreign and not self_closing:
            self.set_cdata_mode(tag)

    def handle_endtag(self, tag: str) -> None:
        if self.stopped:
            return
        if tag == "template" and self.template_depth:
            self.template_depth -= 1
        elif tag == "noscript":
            self.in_noscript = False
        elif any(name == tag for name, _ in self.namespaces):
            while self.namespaces and self.namespaces.pop()[0] != tag:
                pass

    def _meta(self, attrs: dict[str, str]) -> None:
        if "http-equiv" in attrs and "content" in attrs:
            if attrs["http-equiv"].strip().lower() == "content-security-policy" and attrs["content"]:
                self.facts.meta_csp.append(attrs["content"])
        elif attrs.get("name", "").strip().lower() == "referrer" and attrs.get("content"):
            # Only the last <meta name="referrer"> is kept, as the Observatory does.
            self.facts.meta_referrer = [attrs["content"]]


def old_scan_page(html: str) -> PageFacts:
    """What the replaced collector returned for this page."""
    collector = _Collector()
    collector.feed(html)
    collector.close()
    return collector.facts
