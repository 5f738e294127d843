"""Pull what the Observatory reads from a page: meta CSP/referrer and script tags.

It finds scripts with jsdom (scripting disabled, so <noscript> holds markup) and metas
with a jsdom fragment (scripting enabled, so <noscript> holds text); SVG/MathML
<script> elements count as scripts but have no `src`. We run a linear-time WHATWG
tokenizer twice, once per scripting flag, under a sketch of tree construction that
tracks only what changes those answers: templates, foreign content and its
integration points, and the elements whose content is tokenized as text.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from toolbox.core.headers.html_sax import collect_elements
from toolbox.core.headers.html_tokens import TextMode, ascii_lower, tokenize
from toolbox.core.headers.structured import js_trim

# Start tags that end foreign (SVG/MathML) content in an HTML5 parser.
_BREAKOUT = frozenset(
    {"b", "big", "blockquote", "body", "br", "center", "code", "dd", "div", "dl", "dt", "em", "embed",
     "h1", "h2", "h3", "h4", "h5", "h6", "head", "hr", "i", "img", "li", "listing", "menu", "meta", "nobr",
     "ol", "p", "pre", "ruby", "s", "small", "span", "strong", "strike", "sub", "sup", "table", "tt", "u",
     "ul", "var"}
)  # fmt: skip
_FONT_BREAKOUT = frozenset({"color", "face", "size"})
# In a <select> an HTML5 parser ignores start tags other than these (so no <meta>,
# <title> or <svg> there); those in _SELECT_ENDERS first close the select. (A select
# in a table is also closed by table tags; we do not track tables.)
_IN_SELECT = frozenset({"option", "optgroup", "hr", "script", "template", "html"})
_SELECT_ENDERS = frozenset({"input", "keygen", "textarea", "select"})
# HTML elements whose content the tokenizer reads as text (RCDATA or RAWTEXT), so tags
# inside never count; <noscript> joins them only with scripting enabled.
_TEXT_ONLY = frozenset({"title", "textarea", "style", "xmp", "iframe", "noembed", "noframes"})
# Foreign elements whose content is parsed as HTML again (integration points).
_HTML_INSIDE = {
    "svg": frozenset({"foreignobject", "desc", "title"}),
    "math": frozenset({"mi", "mo", "mn", "ms", "mtext"}),
}
_HTML_ENCODINGS = ("text/html", "application/xhtml+xml")  # of a MathML <annotation-xml>


@dataclass
class PageFacts:
    """Meta-equivalent headers and the scripts' src/integrity attributes, in document order."""

    meta_csp: list[str] = field(default_factory=list)
    meta_referrer: list[str] = field(default_factory=list)
    scripts: list[tuple[str | None, str | None]] = field(default_factory=list)


class _TreeSketch:
    """Tracks the open elements that matter and records metas and scripts in the document tree.

    Tracked: HTML <template> (key "template") and every SVG/MathML element (key "f:" + name).
    Other HTML elements are not tracked, as if their end tags always matched.
    """

    def __init__(self, scripting: bool) -> None:
        self.scripting = scripting
        self.open: list[tuple[str, str]] = []  # (key, namespace its content is parsed in)
        self.where: dict[str, list[int]] = {}  # key -> its indexes in self.open, for O(1) lookups
        self.roots: list[int] = []  # indexes of <svg>/<math> opened from HTML content
        self.metas: list[dict[str, str]] = []
        self.scripts: list[tuple[str | None, str | None]] = []

    def _namespace(self) -> str:
        return self.open[-1][1] if self.open else "html"

    def foreign(self) -> bool:
        """Whether new content is SVG/MathML rather than HTML."""
        return self._namespace() != "html"

    def _push(self, key: str, namespace: str) -> None:
        self.where.setdefault(key, []).append(len(self.open))
        self.open.append((key, namespace))

    def _pop_to(self, index: int) -> None:
        while len(self.open) > index:
            key = self.open.pop()[0]
            self.where[key].pop()
            if self.roots and self.roots[-1] == len(self.open):
                self.roots.pop()

    def _pop_foreign(self) -> None:
        while self.foreign():
            self._pop_to(len(self.open) - 1)

    def _last(self, key: str) -> int:
        return self.where[key][-1]

    def _in_select(self) -> bool:
        """Whether a <select> is open in the current template contents (or the document)."""
        selects, templates = self.where.get("select"), self.where.get("template")
        if not selects:
            return False
        return not templates or selects[-1] > templates[-1]

    def start(self, name: str, attrs: dict[str, str], self_closing: bool) -> TextMode | None:
        """Record a meta or script; return the text state for elements read as text."""
        namespace = self._namespace()
        if namespace != "html" and (name in _BREAKOUT or (name == "font" and _FONT_BREAKOUT & attrs.keys())):
            self._pop_foreign()
            namespace = "html"
        # Template contents are a separate fragment, which querySelectorAll never enters.
        in_document = not self.where.get("template")
        if namespace != "html":
            if name == "script" and in_document:
                self.scripts.append((None, attrs.get("integrity")))
            if not self_closing:  # a foreign element's self-closing flag closes it
                html_inside = name in _HTML_INSIDE[namespace] or (
                    name == "annotation-xml" and ascii_lower(attrs.get("encoding", "")) in _HTML_ENCODINGS
                )
                self._push("f:" + name, "html" if html_inside else namespace)
            return None  # foreign elements are never read as text, <script> included
        if self._in_select():
            if name in _SELECT_ENDERS:
                self._pop_to(self._last("select"))
                if name == "select":
                    return None
            elif name not in _IN_SELECT:
                return None
        if name in ("svg", "math"):
            if not self_closing:
                self.roots.append(len(self.open))
                self._push("f:" + name, name)
            return None
        # An HTML element's self-closing flag is ignored: <script/> and <title/> still
        # switch the tokenizer and <template/> still opens a template.
        if name in ("template", "select"):
            self._push(name, "html")
        elif in_document and name == "meta":
            self.metas.append(attrs)
        elif in_document and name == "script":
            self.scripts.append((attrs.get("src"), attrs.get("integrity")))
        if name == "script":
            return "script"
        if name in _TEXT_ONLY or (name == "noscript" and self.scripting):
            return "rawtext"
        return "plaintext" if name == "plaintext" else None

    def end(self, name: str) -> None:
        """Close the open element the end tag names, as an HTML5 parser would for tracked ones."""
        if self.open and self.open[-1][0] not in ("template", "select"):
            # Foreign content: </p> and </br> leave it; other end tags close the nearest
            # foreign element of that name up to the HTML content around this <svg>/<math>.
            if name in ("p", "br") and self.foreign():
                self._pop_foreign()
                return
            found = self.where.get("f:" + name)
            if found and self.roots and found[-1] >= self.roots[-1]:
                self._pop_to(found[-1])
                return
        # In HTML content only </template> and </select> close anything we track.
        if name == "template" and self.where.get("template"):
            self._pop_to(self._last("template"))
        elif name == "select" and self._in_select():
            self._pop_to(self._last("select"))


@dataclass(frozen=True)
class Tag:
    """A start tag as a browser running scripts builds it: an HTML <script> comes with its text."""

    name: str
    attrs: dict[str, str]
    foreign: bool  # an SVG/MathML element (its <script> is not read as script data)
    in_template: bool  # inside <template> contents (inert until a script clones it)
    text: str = ""  # an HTML <script>'s content, newlines normalised, NUL as U+FFFD
    closed: bool = True  # an HTML <script>'s end tag came before the end of input


class _Visitor(_TreeSketch):
    """Hands every start tag to `visit`; an HTML <script> once its text has been read."""

    def __init__(self, visit: Callable[[Tag], None]) -> None:
        super().__init__(scripting=True)
        self.visit = visit
        self.script: Tag | None = None

    def start(self, name: str, attrs: dict[str, str], self_closing: bool) -> TextMode | None:
        """Record the tag (see _TreeSketch.start)."""
        foreign = self.foreign() and name not in _BREAKOUT
        mode = super().start(name, attrs, self_closing)
        tag = Tag(name, attrs, foreign, bool(self.where.get("template")))
        if mode == "script":
            self.script = tag
        else:
            self.visit(tag)
        return mode

    def text(self, name: str, content: str, closed: bool) -> None:
        """The content of the element just opened, if it is read as text."""
        if name == "script" and self.script is not None:
            tag, self.script = self.script, None
            self.visit(Tag(tag.name, tag.attrs, False, tag.in_template, content, closed))


def visit_tags(html: str, visit: Callable[[Tag], None]) -> None:
    """Call `visit` with every start tag of the page, in order, in linear time (scripting on)."""
    visitor = _Visitor(visit)
    tokenize(html, visitor, visitor.text)


def _meta_headers(facts: PageFacts, attrs: dict[str, str]) -> None:
    if "http-equiv" in attrs and "content" in attrs:
        if attrs["http-equiv"].strip().lower() == "content-security-policy" and attrs["content"]:
            facts.meta_csp.append(attrs["content"])
    elif attrs.get("name", "").strip().lower() == "referrer" and attrs.get("content"):
        # Only the last <meta name="referrer"> is kept, as the Observatory does.
        facts.meta_referrer = [attrs["content"]]


def scan_page(html: str) -> PageFacts:
    """Parse the HTML leniently, in linear time, and return its meta CSP/referrer values and scripts."""
    facts = PageFacts()
    document = _TreeSketch(scripting=False)
    tokenize(html, document)
    facts.scripts = document.scripts
    fragment = _TreeSketch(scripting=True)
    tokenize(html, fragment)
    for attrs in fragment.metas:
        _meta_headers(facts, attrs)
    return facts


def _js_lower_trim(value: str | None) -> str:
    return js_trim(value.lower()) if value is not None else ""


def scan_tags(html: str, read_metas: bool) -> PageFacts:
    """What Observatory 1.5.3 and later read from a page: every <script> and <meta> tag a streaming
    scanner (htmlparser2) opens, wherever it stands; attribute values as written.

    Metas are read only for HTML responses (`read_metas`), scripts for any response that is
    not declared as something other than HTML.
    """
    facts = PageFacts()
    facts.scripts = [(attrs.get("src"), attrs.get("integrity")) for attrs in collect_elements(html, "script")]
    if read_metas:
        for attrs in collect_elements(html, "meta"):
            if "http-equiv" in attrs and "content" in attrs:
                if _js_lower_trim(attrs["http-equiv"]) == "content-security-policy" and attrs["content"]:
                    facts.meta_csp.append(attrs["content"])
            elif _js_lower_trim(attrs.get("name")) == "referrer" and attrs.get("content"):
                facts.meta_referrer = [attrs["content"]]  # the last one wins
    return facts
