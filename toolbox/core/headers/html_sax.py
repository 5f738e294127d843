"""What htmlparser2's SAX parser sees in a page: Observatory 1.5.3+'s `collectElements`.

MDN HTTP Observatory 1.5.3 and later stopped building a jsdom tree; `src/utils/html-parser.js`
runs htmlparser2 12 (with `entities` 8) over the body with `lowerCaseTags`,
`lowerCaseAttributeNames` and `decodeEntities` and keeps the attributes of every `onopentag`
whose name is the wanted one. `collect_elements(html, tag_name)` returns exactly that list.

htmlparser2 is not an HTML5 tree builder, so the answer differs from `html_scan` (which mimics
jsdom) in ways a grader has to copy:

* every opened tag counts wherever it is: inside `<template>`, `<noscript>`, after `</html>`,
  `<svg><script>`; tags after `<plaintext>` are text, as are tags inside the raw-text elements
  (script, style, xmp, iframe, noembed, noframes) and RCDATA ones (title, textarea), whose end
  is `</name` followed by whitespace, `/` or `>` (ASCII case-insensitive; U+001C counts as `<`
  and U+000F as `/` there, an artefact of its `c | 0x20` comparison). Inside `<svg>`/`<math>`
  (outside their HTML integration points) no element is raw text;
* attribute values are raw: not trimmed, no URL resolution; the first of duplicate attributes
  wins; `__proto__` is never kept (JavaScript's object setter swallows it); a name may start
  with `=` and contain quotes or `<`; `/` inside an unquoted value is part of it;
* an opening tag counts when its `>` is reached: one cut off by the end of input does not;
  `</br>` opens a `br`, `</p>` without an open `p` opens one, a second `<form>` while one is
  open does not open, `<image>` outside SVG/MathML opens `img`; SVG element names get their
  SVG spelling (`clipPath`) inside `<svg>`;
* `<!...>`, `<?...>`, `</ ...>` and `</1...>` end at the next `>`; comments end at `-->` or
  `--!>` (`<!-->` and `<!--->` are empty comments); `<![CDATA[` ends at `]]>`;
* character references in attribute values follow `entities`' decoder in attribute mode: a
  named reference needs its `;` unless it is one of the 106 legacy names, which are not
  decoded before `=` or an ASCII letter or digit; numeric references need no `;`, even before
  a letter, and map 0, surrogates and out-of-range values to U+FFFD and 0x80-0x9F through the
  windows-1252 table.

Everything is a `str.find` or a single-character-class regex search from a position that only
moves forward, so the run is linear in the input size.
"""

from __future__ import annotations

import re
from html.entities import html5

__all__ = ["collect_elements"]

# --- tokenizer vocabulary ---------------------------------------------------------------------

_WHITESPACE = " \n\t\f\r"
_TAG_SECTION_END = re.compile(r"[ \n\t\f\r/>]")
_ATTRIBUTE_NAME_END = re.compile(r"[ \n\t\f\r/>=]")
_NOT_WHITESPACE = re.compile(r"[^ \n\t\f\r]")
_UNQUOTED_STOP = re.compile(r"[ \n\t\f\r>&]")
_QUOTED_STOP = {'"': re.compile(r'["&]'), "'": re.compile(r"['&]")}
# RCDATA (title, textarea) compares every character with `<` through `c | 0x20`.
_RCDATA_LT = re.compile(r"[<\x1c]")
_ASCII_ALPHA = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ")
_ASCII_ALNUM = _ASCII_ALPHA | frozenset("0123456789")
_RAW_TEXT = frozenset({"script", "style", "iframe", "noembed", "noframes", "xmp"})
_RCDATA = frozenset({"title", "textarea"})
_COMMENT_END = "--!>"

# States the main loop dispatches on.
_TEXT = 0
_BEFORE_TAG_NAME = 1
_BEFORE_ATTRIBUTE_NAME = 2
_AFTER_ATTRIBUTE_NAME = 3
_BEFORE_ATTRIBUTE_VALUE = 4
_SELF_CLOSING = 5
_BEFORE_CLOSING_TAG_NAME = 6
_AFTER_CLOSING_TAG_NAME = 7
_UNTIL_GT = 8  # bogus comments, doctype, `<?`: up to the next `>`
_BEFORE_DECLARATION = 9
_SPECIAL_BODY = 10
_DONE = 11

# --- parser (tree-ish) vocabulary: htmlparser2's Parser.ts tables -------------------------------

_FORM_TAGS = frozenset({"input", "option", "optgroup", "select", "button", "datalist", "textarea"})
_P = frozenset({"p"})
_HEADINGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6", "p"})
_TABLE_SECTIONS = frozenset({"thead", "tbody"})
_DD_DT = frozenset({"dd", "dt"})
_RT_RP = frozenset({"rt", "rp"})
_OPEN_IMPLIES_CLOSE: dict[str, frozenset[str]] = {
    "tr": frozenset({"tr", "th", "td"}),
    "th": frozenset({"th"}),
    "td": frozenset({"thead", "th", "td"}),
    "body": frozenset({"head", "link", "script"}),
    "a": frozenset({"a"}),
    "li": frozenset({"li"}),
    **dict.fromkeys(("h1", "h2", "h3", "h4", "h5", "h6"), _HEADINGS),
    **dict.fromkeys(("select", "input", "output", "button", "datalist", "textarea"), _FORM_TAGS),
    "option": frozenset({"option"}),
    "optgroup": frozenset({"optgroup", "option"}),
    "dd": _DD_DT,
    "dt": _DD_DT,
    **dict.fromkeys(
        [
            "p",
            "address",
            "article",
            "aside",
            "blockquote",
            "details",
            "div",
            "dl",
            "fieldset",
            "figcaption",
            "figure",
            "footer",
            "form",
            "header",
            "hr",
            "main",
            "nav",
            "ol",
            "pre",
            "section",
            "table",
            "ul",
        ],
        _P,
    ),
    "rt": _RT_RP,
    "rp": _RT_RP,
    "tbody": _TABLE_SECTIONS,
    "tfoot": _TABLE_SECTIONS,
}
_VOID = frozenset(
    [
        "area",
        "base",
        "basefont",
        "br",
        "col",
        "command",
        "embed",
        "frame",
        "hr",
        "img",
        "input",
        "isindex",
        "keygen",
        "link",
        "meta",
        "param",
        "source",
        "track",
        "wbr",
    ]
)
_FOREIGN_ROOTS = {"svg": 1, "math": 2}
_NONE = 0
# Compared with adjusted names, so "foreignObject" in SVG spelling.
_INTEGRATION_POINTS = frozenset(
    {"mi", "mo", "mn", "ms", "mtext", "annotation-xml", "foreignObject", "desc", "title"}
)
_SVG_NAMES = {
    name.lower(): name
    for name in [
        "altGlyph",
        "altGlyphDef",
        "altGlyphItem",
        "animateColor",
        "animateMotion",
        "animateTransform",
        "clipPath",
        "feBlend",
        "feColorMatrix",
        "feComponentTransfer",
        "feComposite",
        "feConvolveMatrix",
        "feDiffuseLighting",
        "feDisplacementMap",
        "feDistantLight",
        "feDropShadow",
        "feFlood",
        "feFuncA",
        "feFuncB",
        "feFuncG",
        "feFuncR",
        "feGaussianBlur",
        "feImage",
        "feMerge",
        "feMergeNode",
        "feMorphology",
        "feOffset",
        "fePointLight",
        "feSpecularLighting",
        "feSpotLight",
        "feTile",
        "feTurbulence",
        "foreignObject",
        "glyphRef",
        "linearGradient",
        "radialGradient",
        "textPath",
    ]
}

# --- character references (entities 8 decoder, attribute mode) ----------------------------------

_NAME_PREFIXES = frozenset(name[:end] for name in html5 for end in range(1, len(name.rstrip(";")) + 1))
_LEGACY = frozenset(name for name in html5 if not name.endswith(";"))
# entities packs single-child chains of its trie into "runs"; a mismatch inside a run emits the
# last legacy match without the attribute-mode check on the next character. Only runs below a
# legacy name can be told apart from plain nodes: these (header prefix -> run characters).
_LEGACY_RUNS = {
    "divideo": "ntimes",
    "gtl": "Par",
    "gtq": "uest",
    "gtreql": "ess",
    "gtrl": "ess",
    "lti": "mes",
    "ltl": "arr",
    "ltq": "uest",
}
_RUN_NEXT = {
    header + run[:done]: run[done] for header, run in _LEGACY_RUNS.items() for done in range(len(run))
}
_WINDOWS_1252 = {
    0x80: 0x20AC, 0x82: 0x201A, 0x83: 0x0192, 0x84: 0x201E, 0x85: 0x2026, 0x86: 0x2020,
    0x87: 0x2021, 0x88: 0x02C6, 0x89: 0x2030, 0x8A: 0x0160, 0x8B: 0x2039, 0x8C: 0x0152,
    0x8E: 0x017D, 0x91: 0x2018, 0x92: 0x2019, 0x93: 0x201C, 0x94: 0x201D, 0x95: 0x2022,
    0x96: 0x2013, 0x97: 0x2014, 0x98: 0x02DC, 0x99: 0x2122, 0x9A: 0x0161, 0x9B: 0x203A,
    0x9C: 0x0153, 0x9E: 0x017E, 0x9F: 0x0178,
}  # fmt: skip
_DECIMAL = re.compile(r"[0-9]*")
_HEX = re.compile(r"[0-9A-Fa-f]*")
_INCOMPLETE = -1
_LITERAL = 0


def _numeric_value(digits: str, base: int) -> int:
    """The code point entities emits for these digits."""
    significant = digits.lstrip("0")
    if len(significant) > (7 if base == 10 else 6):
        return 0xFFFD
    code = int(significant or "0", base)
    if code == 0 or 0xD800 <= code <= 0xDFFF or code > 0x10FFFF:
        return 0xFFFD
    return _WINDOWS_1252.get(code, code)


def _decode_reference(text: str, amp: int) -> tuple[int, str]:
    """Decode the reference at `text[amp] == "&"` in an attribute value.

    Returns `(consumed, replacement)` with consumed > 0 when it decodes, `(_LITERAL, "")` when
    the `&` stays as it is, `(_INCOMPLETE, "")` when the input ends inside it.
    """
    end = len(text)
    pos = amp + 1
    if pos >= end:
        return _INCOMPLETE, ""
    if text[pos] == "#":
        pos += 1
        if pos >= end:
            return _INCOMPLETE, ""
        base = 10
        if text[pos] in "xX":
            base = 16
            pos += 1
        match = (_HEX if base == 16 else _DECIMAL).match(text, pos)
        assert match is not None  # noqa: S101 - a `*` pattern always matches
        stop = match.end()
        if stop >= end:
            return _INCOMPLETE, ""
        if stop == pos:
            return _LITERAL, ""
        code = _numeric_value(match.group(), base)
        return stop - amp + (text[stop] == ";"), chr(code)
    prefix = ""
    legacy: tuple[int, str] | None = None
    while pos < end:
        char = text[pos]
        run_char = _RUN_NEXT.get(prefix) if legacy is not None else None
        if run_char is not None:
            if char != run_char:
                return legacy if legacy is not None else (_LITERAL, "")
        elif char == ";":
            value = html5.get(prefix + ";") if prefix else None
            if value is not None:
                return pos + 1 - amp, value
            return _no_branch(prefix, char, legacy)
        elif prefix + char not in _NAME_PREFIXES:
            return _no_branch(prefix, char, legacy)
        prefix += char
        pos += 1
        if prefix in _LEGACY:
            legacy = (pos - amp, html5[prefix])
    return _INCOMPLETE, ""


def _no_branch(prefix: str, char: str, legacy: tuple[int, str] | None) -> tuple[int, str]:
    """The trie has no way on from `prefix` with `char`: the legacy match, if one may be used."""
    if legacy is None:
        return _LITERAL, ""
    has_value = prefix in _LEGACY or prefix + ";" in html5
    if not has_value or char == "=" or char in _ASCII_ALNUM:
        return _LITERAL, ""
    return legacy


# --- the parser --------------------------------------------------------------------------------


class _Collector:
    """htmlparser2's Tokenizer and Parser fused, keeping only what decides `onopentag`."""

    def __init__(self, text: str, target: str) -> None:
        self.text = text
        self.target = target
        self.found: list[dict[str, str]] = []
        self.state = _TEXT
        # Tokenizer: the end sequence of the raw-text/RCDATA element being opened or read.
        self.special = ""
        # Parser: open elements (top last) and foreign contexts (top last).
        self.stack: list[str] = []
        # How many of each name are open: keeps "is it open?" O(1), so deep nesting stays linear.
        self.open_count: dict[str, int] = {}
        self.foreign: list[int] = [_NONE]
        self.tag_name = ""
        self.attributes: dict[str, str] | None = None
        self.attribute_name = ""

    # Parser callbacks ---------------------------------------------------------------------------

    def _read_tag_name(self, raw: str) -> str:
        name = raw.lower()
        if self.foreign[-1] == 1:
            return _SVG_NAMES.get(name, name)
        if len(self.foreign) > 1:
            adjusted = _SVG_NAMES.get(name)
            if adjusted is not None and self.open_count.get(adjusted):
                return adjusted
        if self.foreign[-1] == _NONE:
            return "img" if name == "image" else name
        return name

    def _open(self, name: str) -> None:
        self.tag_name = name
        if name == "form" and self.open_count.get("form"):
            self.tag_name = ""
            return
        closes = _OPEN_IMPLIES_CLOSE.get(name)
        if closes is not None:
            while self.stack and self.stack[-1] in closes:
                self._pop()
        if name not in _VOID:
            self.stack.append(name)
            self.open_count[name] = self.open_count.get(name, 0) + 1
            root = _FOREIGN_ROOTS.get(name)
            if root is not None:
                self.foreign.append(root)
            elif name in _INTEGRATION_POINTS:
                self.foreign.append(_NONE)
        self.attributes = {}

    def _pop(self) -> None:
        element = self.stack.pop()
        self.open_count[element] -= 1
        if element in _FOREIGN_ROOTS or element in _INTEGRATION_POINTS:
            self.foreign.pop()

    def _end_open_tag(self) -> None:
        if self.attributes is not None:
            if self.tag_name == self.target:
                self.found.append(_js_key_order(self.attributes))
            self.attributes = None
        self.tag_name = ""

    def _self_closing(self) -> None:
        if self.foreign[-1] != _NONE:
            name = self.tag_name
            self._end_open_tag()
            if self.stack and self.stack[-1] == name:
                self._pop()
        else:
            self._end_open_tag()

    def _close(self, raw: str) -> None:
        name = self._read_tag_name(raw)
        if name not in _VOID:
            if not self.open_count.get(name):
                if name == "p":
                    self._open("p")
                    self._self_closing_implied()
                return
            for depth in range(len(self.stack) - 1, -1, -1):
                if self.stack[depth] == name:
                    while len(self.stack) > depth:
                        self._pop()
                    return
        elif name == "br" and self.target == "br":
            self.found.append({})

    def _self_closing_implied(self) -> None:
        name = self.tag_name
        self._end_open_tag()
        if self.stack and self.stack[-1] == name:
            self._pop()

    def _attribute(self, value: str) -> None:
        attributes = self.attributes
        name = self.attribute_name
        if attributes is not None and name not in attributes and name != "__proto__":
            attributes[name] = value

    # Tokenizer ----------------------------------------------------------------------------------

    def run(self) -> list[dict[str, str]]:
        """Tokenize the whole input; return the attributes of every matching opened tag."""
        text = self.text
        end = len(text)
        pos = 0
        handlers = {
            _BEFORE_TAG_NAME: self._before_tag_name,
            _BEFORE_ATTRIBUTE_NAME: self._before_attribute_name,
            _AFTER_ATTRIBUTE_NAME: self._after_attribute_name,
            _BEFORE_ATTRIBUTE_VALUE: self._before_attribute_value,
            _SELF_CLOSING: self._self_closing_state,
            _BEFORE_CLOSING_TAG_NAME: self._before_closing_tag_name,
            _AFTER_CLOSING_TAG_NAME: self._after_closing_tag_name,
            _UNTIL_GT: self._until_gt,
            _BEFORE_DECLARATION: self._before_declaration,
            _SPECIAL_BODY: self._special_body,
        }
        while pos < end and self.state != _DONE:
            if self.state == _TEXT:
                found = text.find("<", pos)
                if found < 0:
                    break
                self.state = _BEFORE_TAG_NAME
                pos = found + 1
            else:
                pos = handlers[self.state](pos)
        return self.found

    def _before_tag_name(self, pos: int) -> int:
        text = self.text
        char = text[pos]
        if char == "!":
            self.state = _BEFORE_DECLARATION
            return pos + 1
        if char == "?":
            self.state = _UNTIL_GT
            return pos + 1
        if char == "/":
            self.state = _BEFORE_CLOSING_TAG_NAME
            return pos + 1
        if char not in _ASCII_ALPHA:
            self.state = _TEXT  # reconsumed as text: it may be another "<"
            return pos
        match = _TAG_SECTION_END.search(text, pos + 1)
        if match is None:
            return len(text)
        stop = match.start()
        raw = text[pos:stop]
        self.special = ""
        if self.foreign[-1] == _NONE and raw.isascii():
            lowered = raw.lower()
            if lowered in _RAW_TEXT or lowered in _RCDATA or lowered == "plaintext":
                self.special = lowered
        self._open(self._read_tag_name(raw))
        self.state = _BEFORE_ATTRIBUTE_NAME
        return stop

    def _enter_tag_body(self) -> None:
        if self.special == "plaintext":
            self.state = _DONE
        elif self.special:
            self.state = _SPECIAL_BODY
        else:
            self.state = _TEXT

    def _before_attribute_name(self, pos: int) -> int:
        text = self.text
        match = _NOT_WHITESPACE.search(text, pos)
        if match is None:
            return len(text)
        pos = match.start()
        char = text[pos]
        if char == ">":
            self._end_open_tag()
            self._enter_tag_body()
            return pos + 1
        if char == "/":
            self.state = _SELF_CLOSING
            return pos + 1
        # The first character is part of the name even when it is "=".
        match = _ATTRIBUTE_NAME_END.search(text, pos + 1)
        if match is None:
            return len(text)
        stop = match.start()
        self.attribute_name = text[pos:stop].lower()
        self.state = _AFTER_ATTRIBUTE_NAME
        return stop

    def _after_attribute_name(self, pos: int) -> int:
        text = self.text
        match = _NOT_WHITESPACE.search(text, pos)
        if match is None:
            return len(text)
        pos = match.start()
        if text[pos] == "=":
            self.state = _BEFORE_ATTRIBUTE_VALUE
            return pos + 1
        self._attribute("")
        self.state = _BEFORE_ATTRIBUTE_NAME
        return pos

    def _before_attribute_value(self, pos: int) -> int:
        text = self.text
        match = _NOT_WHITESPACE.search(text, pos)
        if match is None:
            return len(text)
        pos = match.start()
        quote = text[pos]
        if quote in _QUOTED_STOP:
            return self._attribute_value(pos + 1, _QUOTED_STOP[quote], quote)
        return self._attribute_value(pos, _UNQUOTED_STOP, "")

    def _attribute_value(self, pos: int, stops: re.Pattern[str], quote: str) -> int:
        """Read a value up to its closing quote (or whitespace/`>` when unquoted)."""
        text = self.text
        parts: list[str] = []
        start = pos
        while True:
            match = stops.search(text, pos)
            if match is None:
                return len(text)
            pos = match.start()
            if text[pos] != "&":
                parts.append(text[start:pos])
                self._attribute("".join(parts))
                self.state = _BEFORE_ATTRIBUTE_NAME
                return pos + 1 if quote else pos
            consumed, replacement = _decode_reference(text, pos)
            if consumed == _INCOMPLETE:
                return len(text)
            if consumed == _LITERAL:
                pos += 1
                continue
            parts.append(text[start:pos])
            parts.append(replacement)
            pos += consumed
            start = pos

    def _self_closing_state(self, pos: int) -> int:
        text = self.text
        match = _NOT_WHITESPACE.search(text, pos)
        if match is None:
            return len(text)
        pos = match.start()
        if text[pos] == ">":
            self._self_closing()
            self._enter_tag_body()
            return pos + 1
        self.state = _BEFORE_ATTRIBUTE_NAME
        return pos

    def _before_closing_tag_name(self, pos: int) -> int:
        text = self.text
        char = text[pos]
        if char == ">":
            self.state = _TEXT
            return pos + 1
        if char not in _ASCII_ALPHA:
            self.state = _UNTIL_GT
            return pos + 1
        match = _TAG_SECTION_END.search(text, pos + 1)
        if match is None:
            return len(text)
        stop = match.start()
        self._close(text[pos:stop])
        self.state = _AFTER_CLOSING_TAG_NAME
        return stop

    def _after_closing_tag_name(self, pos: int) -> int:
        return self._until_gt(pos)

    def _until_gt(self, pos: int) -> int:
        found = self.text.find(">", pos)
        if found < 0:
            return len(self.text)
        self.state = _TEXT
        return found + 1

    def _before_declaration(self, pos: int) -> int:
        text = self.text
        if text.startswith("--", pos):
            return self._comment(pos + 2)
        if text.startswith("[CDATA[", pos):
            found = text.find("]]>", pos + 7)
            if found < 0:
                return len(text)
            self.state = _TEXT
            return found + 3
        if text.startswith("->", pos):
            self.state = _TEXT
            return pos + 2
        self.state = _UNTIL_GT
        return pos

    def _comment(self, start: int) -> int:
        """Skip a comment whose text starts at `start`, up to `-->` or `--!>`."""
        text = self.text
        end = len(text)
        matched = 0
        pos = start
        while pos < end:
            char = text[pos]
            if char == ">" and (matched == 2 or (matched <= 1 and pos == start + matched)):
                self.state = _TEXT
                return pos + 1
            if matched == 3 and char != ">":
                matched = 1 if char == "-" else 0
            elif char == _COMMENT_END[matched]:
                matched += 1
                if matched == 4:
                    self.state = _TEXT
                    return pos + 1
            elif matched == 0:
                pos = text.find("-", pos + 1)
                if pos < 0:
                    return end
                matched = 1
            elif char != _COMMENT_END[matched - 1]:
                matched = 0
            pos += 1
        return end

    def _special_body(self, pos: int) -> int:
        """Skip raw text or RCDATA up to its end tag `</name` + whitespace, `/` or `>`."""
        text = self.text
        end = len(text)
        sequence = "</" + self.special
        length = len(sequence)
        rcdata = self.special in _RCDATA
        matched = 0
        while pos < end:
            char = text[pos]
            if matched == length:
                if char in _WHITESPACE or char == "/" or char == ">":
                    self.special = ""
                    self._close(text[pos - length + 2 : pos])
                    self.state = _AFTER_CLOSING_TAG_NAME
                    return pos
                matched = 0
            if ord(char) | 0x20 == ord(sequence[matched]):
                matched += 1
                pos += 1
            elif matched == 0 and rcdata:
                # Character by character (references decode in between, consuming no "<").
                found = _RCDATA_LT.search(text, pos + 1)
                if found is None:
                    return end
                pos = found.start()
            elif matched == 0 or (ord(char) > 0xFFFF and not rcdata):
                # Fast-forward to the next "<". An astral character is two UTF-16 units to
                # htmlparser2: after a mismatch on the first, the second fast-forwards.
                found_lt = text.find("<", pos + 1)
                if found_lt < 0:
                    return end
                matched = 1
                pos = found_lt + 1
            else:
                matched = 1 if char == "<" else 0
                pos += 1
        return end


def _js_key_order(attributes: dict[str, str]) -> dict[str, str]:
    """The attributes in JavaScript object key order: array-index names first, ascending."""
    indices = [name for name in attributes if _is_array_index(name)]
    if not indices:
        return attributes
    ordered = {name: attributes[name] for name in sorted(indices, key=int)}
    ordered.update((name, value) for name, value in attributes.items() if name not in ordered)
    return ordered


def _is_array_index(name: str) -> bool:
    return (
        name.isascii()
        and name.isdigit()
        and (name == "0" or not name.startswith("0"))
        and int(name) < 2**32 - 1
    )


def collect_elements(html: str, tag_name: str) -> list[dict[str, str]]:
    """The attributes of every `tag_name` element htmlparser2 opens in `html`, in order.

    The same list (same elements, names, values) as Observatory 1.5.3+'s
    `collectElements(html, tagName)` from `src/utils/html-parser.js`: tag and attribute names
    lowercased, values with character references decoded and otherwise raw.
    """
    return _Collector(html, tag_name.lower()).run()
