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
  windows-1252 table. Names are looked up by walking entities' own packed trie, quirks included
  (see `_TRIE_DATA`): `&eta8<script src=x>` decodes "&eta8<" in text and hides that script.

Everything is a `str.find` or a single-character-class regex search from a position that only
moves forward, and a character reference walk is bounded (`_WALK_LIMIT`), so the run is linear
in the input size. The one known deviation: a walk through entities' trie that would run past
that bound (possible only on crafted input, where htmlparser2 itself goes quadratic) is taken
as "not a reference". Names are lowercased with Python's Unicode tables, JavaScript's come from
node's ICU: node 20's Unicode 16 lowercases 55 letters added since Unicode 14 (Python 3.11's)
that `str.lower` leaves alone; no tag or attribute name Observatory reads contains one.
"""

from __future__ import annotations

import array
import base64
import functools
import re
import sys
import zlib

__all__ = ["collect_elements"]

# --- tokenizer vocabulary ---------------------------------------------------------------------

_WHITESPACE = " \n\t\f\r"
_TAG_SECTION_END = re.compile(r"[ \n\t\f\r/>]")
_ATTRIBUTE_NAME_END = re.compile(r"[ \n\t\f\r/>=]")
_NOT_WHITESPACE = re.compile(r"[^ \n\t\f\r]")
_UNQUOTED_STOP = re.compile(r"[ \n\t\f\r>&]")
_QUOTED_STOP = {'"': re.compile(r'["&]'), "'": re.compile(r"['&]")}
# RCDATA (title, textarea) compares every character with `<` through `c | 0x20`.
_RCDATA_STOP = re.compile(r"[<\x1c&]")
_TEXT_STOP = re.compile(r"[<&]")
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

# --- character references (entities 8 decoder: attribute mode, and text mode for their length) ---

# entities 8 decodes names by walking its packed trie (src/generated/decode-data-html.ts, generated
# from the WHATWG table, BSD-2-Clause, (c) Felix Boehm), stored below zlib-compressed. The walk is
# reproduced rather than looked up in html.entities (whose table it matches; the tests check) for
# the trie's quirks: a semicolon-only name whose value fits in its node header (e.g. "&Gcedil",
# "&eta") reads that value as branches, so some characters after it lead into unrelated nodes
# (`&Gcedil"` decodes to "Â" and takes the quote); a mismatch inside a packed run of characters
# emits the last legacy match even in attribute mode ("&divideoX" is "÷oX").
_TRIE_DATA = (
    "eNp1vAd8U+X3P36yutK0abp37pPV3A5EwVXQFFqGgiJLAYXeJmkbmiZpRqG4gnsvRD/6cdwC4h7IcKCCIIiiojgAbbUVKiC7gDjxf869"
    "SSnfz+8Pr5ve3Pvs54z3GU9qikfAO6BU/Km4VzVc3a4+pL5Es0ujSKhI6E7MTBqfciTFpb1R+3LqMt2QtNL0O9KXpb+b3p8Og/7x+gkZ"
    "D2b+NzsnV8iryB9a0FPQXZhcVF00ozTPOMQ0znyXZaPlV9tb/JFyfaWy6uKq56r2VEFS3UShwdnY5G31+QPBUDgyFWbCbHCDB0IwD26C"
    "hXAb3AmPwJMgwiuwErz4pgmqo5ths2MS/rWC1eGECISxTnX0Q/jQEWTudjcoBVB4OlohiP+d+GYDbHDoXUGAnuE71d1BEKBdqrEe1juO"
    "cs3Cw85ezomPXQDiFB4UTYF74QHwgw/UQqNU68LuoxZvx5iIzxn2+H0gCkYPvqWxbIJNDlA4Q8vgBZB7eKprP9eEZaYyD47YJfW0ETY6"
    "WvFbdfQj+MiBzTrdjf5gKLIJdsL3cAiOwW/wB/wN2FLwE9gGLaaQVwg143hyWLvia/gW7/bybqARJpg6IMMVxZJh6IE+OAACi4Tc+GY4"
    "O2zyR7xeTwjECk6AR5zyiDTdAZDncVF3H9fu3tnghH74FVpZwN2G9a5gkDjuSsHpcjc2e7w0rlxFgaJUcbFismKaokHhUjQqblG8qNiv"
    "OKToVzihA2yuSTADZ/MivOjAkQQ6wKIoUwxXnOTC7gTBI25n4TLBW+tpbHQH3b6wB++xnzrOy9wdIbyr5HCT3B5/jaJWcZlioqKf8/tS"
    "cf090hp9DB87aOeSBB/z+MJY/hzmx11OwX11+WYorlN4mNcrwNv1YZM7WOsPw1v1/XCRwgPPO4PM6cW1UNZOnDQ1oAgrOhQ3KqguiE8w"
    "D/NFqPfH2EEOb8TF+KTVTU8ex/ZpF+9UPKpo4ed5Qu7Rfl/YHwmO94XdTUHBi2XOZW7T6EjQ24Ela696SrFM4bdEGrzuqyL+MK1+sTHC"
    "5Lt8Iyi9vkDkDcUaxeeKnQqiJLd4AQMxzEcVTZ4wvKf4ULFJ0c8iuDhITcwnjXAIO2IZ1KVYxUDRGPxK8bUCRCV3hLkiTiytZ76qsDs4"
    "2ut3tvy/R3oeO8KFcH5DeGeMJp/pCsBo8WsmQADfT2RRTe1lU2YSFXr8IdAqDcpsZZ6yUFmhHKa8SDlSGVLerPLjfp1gQaHZBWKGnXZd"
    "6aJPjfSZjhTYFAwBp7Qoy5R7OXcQRM6IvYmdXDPyF4h7kJOEjnOU5ylpd9OELJcXwmIijuHRGF0mdmOJxhplixLXvrVO2aTsN3nCHidO"
    "QllTO3bqJOVU5RylU+lkEVzXVfW4j4oZypnKXQ0NZq+7xklPuxuCTECer69HmnC5oavhCOfDEX/EGi2DaW8MF1DfqJSl1ULlA3hXoJJ5"
    "orq7tvMFuF15t1Kmky5jG4tI6ziJ/cwhMalG106YPG36E8oXlKuVR5T/KjNUtKNhlBARXN/x0r0bpQFJloPwEdGb8nWprzeUL9T7TDXB"
    "oH8etvc1Bwq3/x3ll8pGrBFV1EyeCh8qNys/VwaZXOJLbr+5qTksVxC/4dzI3+VKkjSgmDD5O+U+ZR/XGAas2aXsHaj1u21wrT/P+vaH"
    "zcPwG9avmfqb8q+BOtuxbaLVF1gAapQJKhqtVhV/+xXnN8/zxcf9Lee2BKV9GSXQDluQXkFVM2rC5KmCWXW+6mLVTFWbakG8ducibtS0"
    "CtU5KoGoT8y0BwZW4CQnS+gMJ81ju3I09ns5XpNVHguOcrrbGfZTnUl2t9k98G22vY/R7SjxfU5uc7pdntU3igas7VENLj1noPSHsdJX"
    "22muNeIyFp/f8xzpBj+cglVEe+FbVXeqZJp8tguptUUvQNIVU1EiknbyB9pQOc1fqnpO9aLqDdU61QbVZtXnqu2qftU/KoU6S12iNqot"
    "6rFwmTAOpdeX8OUgrfQJfIISUvB0wBrVO6oPVMQLBYKslz6FTx2VLqK6HEHuPWmQdtoCWxx9KJ9IQiShJBAC36l2qYijDUIYOXCKslfa"
    "tf2qVovg9U5piwhB2tG/LG5bsGNK6+BnL1tIq/2m+kOi3LyYVhvRfZyhvPctdkaQPgRPgjpN7YWpYoSXeQnEUeygydMQ9ERaQfwMqdfp"
    "yVMXqmlNz+Fa8TPEC/C4U9ZsW2ErakJPwK6uVB/nwih/VOyI2SezYB2IY7mo0inJm5HqS9Wj1depg+oOMMf0cnK3l3ndLpzVBDXNaqr6"
    "7Fn9/f+Y1UuWgMqNpT1SjVa1PKuR3R9yXpSewFCauIPhYCOIQznSeG1qSLhsKmIO3FbUcuG71PeqH1AvUj+uXqZ+Xv2y+lX1m+o+9a9q"
    "km8qV3X0ErjEcYhrFVziIlWXU6bcEiGqcONuPq0W1UvVeziPl0m7WSRkSjtpjO1kSjeIu1hc717S3ccEFNqgqhszdsKUqevUW9Tb1N+q"
    "d6l71LK0mSC6WZ8ktX9gEbPXW9cmy6AmFjS5paogLuHlEvPYQbPgC8tFxJsGdivE4vJ+SReILQzUNYK04pE/1P+oNZokjVaTqWGacs1k"
    "VuvsAN5FtK/QqDVuaIGPG2bX7+eCTrPE46mc19KAqzclgFoCv2u5o4o8DUChBmck6rj9lgWodwTvBI/PjWttoZasmjJNPxg0xEFWoRV1"
    "Ta1iqOYijR/RnA/GIU+0wlGktLh8vRJxR91lV0pshhgQmWyKZrpmhuZajVPTqgloQpoFmoc0azSbNJ9oPtfQrmS7DnKepnMFule4znDZ"
    "5/A50V5Hk8arkXnrC/jCkSftyDnSfDK4M5z1GXzmgM4MTgjcrLlXgyNvulVzO9bjBY/JJwQ7xmP5cRyhTTcchz+VJxSLcebPadxiBfJh"
    "U/BJzTM4R1r7cnbc5I5hwg3MYwp5Ggh9KEZPfUWzQuNnra0CtuU0xnFGgxG1ZgD1v2adZqOGeLEqxouObgGecEr7J+o5eUfLhAOK7djz"
    "t9LcE1zEZdtgm4P4CDcVejX7NYc0/Zp/NDT3Ps0+ae7DhPwYT+kGcF9N927FKWzpL4385jmUcs6OJNcB/FS7oqpxlwnUJKQmpCcYErIT"
    "ihO4BGsC9WqRtH2q6ygXEJ50ov7qyE8oSiC6P18oiPWTNtDPqO44BS7vimqQ1xBhoAANhWFkgiNhdMLshJYEV2JzYiAxnPh54veJ1HYy"
    "ctoIGEGzavUFgjAh4cqEyQnTEmYlEJq8SPiZcwn/daIGFH+1HTRhixJHGzhaqWc4lK3uDnAlNCXMTSDZOlKgsVULhUjbjSF/wrBE1H2a"
    "mtG1YyZPnTZdCEYTnklYlrA5YWtCV4IqkUv8UMkngsIXvC3hvoQmi9c9Kig4W9yEA/bZsL150PkQN2ryooTHE2RdsucsDb2Zc5s8Xo+P"
    "Rpdk8sNJxUsJAG8mNJzV0i82H2qqt/DNBwmDNZUwoKk2xjTVDLuX+aV3KaYBvT19e8KOhLjmepST6yBqt+NuBHsSjiYgxXUuZTXTf0k4"
    "MFBu2UC5mXaPSfA1IV2OWvIm+yuBZOW/sdlss8d5cRXKqqiidup0SEnMSMxLPIL6PzZQ8aqztHH9wKjXxUZ9zcCT92JPJtvJUmtG7hMg"
    "rmk/UyIHxOTfpYljE69InJp4TeKcxGMWHMHYoCzkxO/Pkn6Ng6Rfe0w+dvKDpd+NA9IPZy5RXnq3W9zJfjGFBXmPvkducqGNcClKbl9g"
    "HixIXJ34TiLumHLCZG/wlsRHE/+b+HJiHFfdlXh/YnwNT56FpE6d9e03m1xDCHYpOxP/d7Z7lf/77LBS5pLR3W5aJUR06xI3J7rNjeE4"
    "PnriLOr6D1K3E2ng68RvE3ck9sPMBBDf4Ei61gggzmWyHUnyfX/iwcTDif8mqpKSk9KSMpII5WvsHVCEXODy9if+kegxR1rjsnyO0WtC"
    "uypIkvw8Tl41ffdhUyQ0yUt2UeaA3qrtJr15OvEpZ1R9mWS0opAGLsmcVJY0PGlh0u1J1SmOlLEpxMcpLhmnjxZknqxKGpo0LIl4cqzE"
    "k3VCMdkMoXlQnSQk3ZjUy8KedndUMRFprjZpQtKMJLfF5TkzSq2xGSUwSmff5KQpSS0wBfWJgPKtDy5PovXrgKlAJQ7D1KQTHEIHxdgJ"
    "TUmRpCBKbUHSC0EYC2e+9cMBtRtC+H8C0N/j8EPiBEbqK6VeXoOMblCO8gXC9yU9nPRE0lNJqPGFFqJ44wYr0mcL8rk0OLGeVi6bG/3S"
    "QX5l0oakz5MA9iYVJsvWRSX+9eN1J15PJ69Pzk8BGJYCCn9kTdJ7SYdNTUHZ6mtgATZaoJ1qZf4ysiSnuwejbCuLKrxt82F70o6k3qQ4"
    "EkxmJ1HzTBXrWYzue0axC1UeFgqTflGf4Zelfibz2smkP5OUycnJuuTs5Di3tw3msp4mbGGgXk8LfpM5rWMwzui5iad+ZF6L4ChaA7UK"
    "Y7It+Yhpnm9cpDUAPVdgzVgPPVfiPWnCxtDQ5DHJJ8xTgx5JCI1a8isbKa3UqGRJVvRssw/UEg+yEESX+FgdDRyuSp6efG2ykOwZGHdg"
    "kDyYL8uDnrnY0+Bx3jhonGHWhysj00Yk+ebkfqtUOy5tepZg2T5TKDTBTS114rd+1OduFyrrziirm/Jg8uJ43z2v82f1I/YgFnB7xOQX"
    "k9ut7mDIXed1S1uE2InttTSHz8z4AFsjzXhtbMZfDprxIWylLbIxuSc5YkJUO4WQeENga/K3ycc5d7iu58Ezayr+jLPBjvDpQ4Oe7kY6"
    "aXAG4Jfko8m6FLnWLWz7gBV7F9vN3G5XKNq5EGc0Ff5MRhGfEp/VG/9nVr0DdHUz0UGsv1sHtXd3rES0swYpbCqwFFtKVbw9sfYs+T02"
    "3po4np1tQ5oHsOqLXWf8ZF/BV46nnYgKZUwouwXbZ6cIKc0pwZT2lAUpC1MeTnks5eWUV1PWpmxJ+TyF8OBk4QwS/Bq+lpCgN6UtRUaC"
    "38A3jhJXA/NiqUkxdG4YZGdth+1kobk9cGfKPSn3p9C4JghN+P5FpxM1gQ+edcbl4ZjuPpNPdgIpaq96JmV5ytk+oKIBH1CeEcSpPEov"
    "74qU1Slyry91CSh3mrHPnbDTgbNWrE/ZlCLP/Fv41kFSCcQLeNme+g6+c8h6YtSkr1N+SSFdsyPle2pLvMRIkhDpr6Un5ecUEH80uSXf"
    "xSqTYCGnR7M75KG2ukxR1BExrx78k6LSarTJWq02VZuhNWlnaoOmuH9EyTqgNIbnMrs9sNwpOk+aQhM9vkhoRT3Zddlao9aHvQqSTA3g"
    "GAXEr32QIlkE+Vy0cy3v9viB19Zpx2uR5pCLop0LJJobpr1I69DGaeT1szT4DQM0chNrlXwS5xlRawUmaq/SnuTI45XO/KagBLIF8QJG"
    "LRQzskVnaxu08ohf7nrBCcppqJ7mav3akHae9krUDtVRBswhl8iSMapYwMXp7pUuSBhVR0qt2UM+zwe1i7SPa1/UrtHu1P6g7dbenroo"
    "9cnUpam9XBBxid4+Ftt7DV4jf6cvCE9rRe1SLSHUqQKhvwO2IIRFkaPR5dhlDfi69k3tai1pwGskDThdMLraxSLOTVyFu1c3bZ12mxZQ"
    "ym/UbtHGJbyWnTQjpoxZ3Vu5gBUXauABiH47UUAR54dO514O4YGa0C2B24PalFR96rmpF6TOTr0h9Tcl4dqj2t+1Z+Pa/TFc+wg3asK/"
    "WlWqjNj6uME45KNBuDZZwrU5qQAlqWfj2r0SrjXhGz51MEK8bgAPbojhwWkDuFZrItRanXp5KqHWJYhaa1LHpMYR1/IB1DprEGpdyaan"
    "kvycGRvrlwOodfUAanWnelNDqYNR65VnodZrB8b0QWxMUweerI89mYKIOhC5O/W+VKKUYu6w2TW+NeD1oDYQA3YJmcUw5Q/kC2l+JrUz"
    "leoVciCu4A6a3bVur9CB2kY8YY8mkEcdSavVT94jWJe6JfWz1C9Tf079JTVFp9Nl6fJ1V+qm6q7RobXo3Ji6OXUL2mJ2VweUucawqWid"
    "V8Tw1EwBlrzHo3zq2Jn6Q+qPqb2pRFH1EkXNlnwP1wpcjHNzuo9wwTAoyWF5JPW31H9S1brBnrxFZ+3yQ2ehzUe4M366h7m9XKuw1NmL"
    "sny0J0gudTFvABVe1h1UlupoR5iO6KCAIY+4o52dlvFTpgGvO1d3me6wJUxKMWYbL2KyXrtA59BJGkp8kMX38OG4VhMfGnj2CPMxqoj2"
    "zoCeeK1L3qXNDJQNztbAHN1c3QO6h3Qh8UtG0q8O/8br30Hyodmnu1vnRjmEmKLzekkOzdfdqLtNFy/1xtmWxIAcupkRshTgBHysBTGD"
    "QedXzB1arHtWF2Q4UOzp1oGe7mSy5P2KRTXjJk+Rtpxk7WrdWt063RbdF7ofdD/pTuvy0orTTGlXwmS4AuXIj/Cj40Outg5EhpQ0zrlR"
    "t1lHGFqL+29FtNIQ+Uz3uS65fplTliTf6HbovtfRvrukfW8QWGzHc7sJhezWHdb1K/bhnhzS9bFGfxD3axgT4D9Ows/9uj90LaYYru6Z"
    "Y0wxfs2kL2Ky8SDnwp0bIWnyxLTUtMy0+MxGn6XJ6wZWZ9wAHVzevd8U8LopACP+YCQPkC2tPE0e1+uSH7VR6E2pS5ueVp82Nw3AlxZM"
    "OxMz7Ei7Ie2FtJX4JC09Iz0nvSCdol/j0q5Ii+vy7+F7lN5+8VluN+dBjh6Pkm+3YhbWuC6tA9JcpL+9UqzPmdacJmv7H+AHhymm7QMx"
    "bZ83SNvvgl0OivbNpViS5+a0Z9PiOvb2tMfTSMfenXYvtjWnPq5hH05blAbiTzENu/r/aNhuE3lxJokbYzGlB8hDFHg57bU0eh6MeXcm"
    "dKOUrq2bKrgCoXVp29N2pfWmaVS/ph1PS0yXZd+Gzoe5LTizz9JkKjfYB/PtprP88Yu5NstgjeCL+befG/BvP8fJPrcztqdeFbc5/0iD"
    "9MFS4LGzpMDjHOIScbvkJ37OuZ/zNfmEOAe+0SXTQLMgI5Qu6HJE1bUNFDj0h9qhMn1o+vD0C9JHpgfT29OvT4+m93KhZhBfZvKcDvAd"
    "YHDRM6/4IgPxF550QU366HQQPyQUG+6A8ekT01vS5fI5Rg9eu8nTphyFBsE16demz0lvjL01MRyd+4Z6txn3WZCl/DW2OJU62DfmZo9P"
    "JnoxxSjPIH/AUzVxwFO1osvF5FjrSyyqlGxceCD94fTF6U+kP5NOHtEw8lwTtrI+5mEoGGjlioFW3uwCJZniL6W/lv56+qp0+Wlh9zMD"
    "2PHKgbIru6LqmvHTBNmLtyV9a/oX6V+l70zvSd+Tvj/9cDpJgiGS3y1R+qwa5Onshm4J33al/5ROFN8ulMckQdHAqCYN9LSqi3ZqvgDq"
    "cYK8S6fTFXqNXqfX64v1Rr1ZT+3nxDRNh0ARu2R9qp4kzY1CruQ/vV7oV2TrAYr0frga7W0XPtuHNrcAj1EcTyzjZGRlHkBWq7t6taP0"
    "4/UTsVaTvlUf1A/wvP4e/eP6fv0/+KQwg8s4N+OiDIBLMs7Mrxd6Y1F8lRBdcgmrc3kiHTBdP0M/S1+vd+uh5xJ2ngrES5nM7z/Dzw65"
    "5ipY5TjHFc8R+AV+cQRFwUjjKRnE/z3Qg+vnDtygv0OP1mkgqr9Nf5zrQKQ1nNsHt+pJ7q9wUrTlfv0s8j54H9Yv0gfxAWGhS3mX8ilp"
    "Niv0sMTGBFeofan+ef2L+tf0Pik6P41HrMEj2gkQFV6D32bysNTI3N7WYGjBWv37+vX6bn2f/pAexGV2KmNEm9eFyJZjgvoL/Zf67fpv"
    "9N/pd+q/13dhmRfsIL6I10t4vYzXK3i9itdreL1uD0O7WMoawCV+gPz0NOGX8H79QT1RM2Ob6mXseoOJZNJJ/e964mpNTCZN7oal41gd"
    "heEDiRnJGbqM9AxDRlYGYh1elrd+HP1ljGZ1OY7RVo9UMd+N8v8YpGXE8x/6oI8QMXKuNYPPKM+QKWBNF19P/n+59O+KMxbebtgdy4TY"
    "A3soc8JTkzE2g8ZFLZ6AfQo5Fp7BQ9IVgiRaPC1eKUEk4spozng849mM5zNeztie8V1GueEcw/WGeww3ZlyROStzQaYcvz1EVlfQm3F3"
    "RgsA8nMgFM6Yn3Fjxi0ZR1CagTiBBUwhCnvBb84g87RKmRNGD6DtIY5klA/xOWtX3J/xcIYcIX2fUd5Fk6gx0TeNKQgtiPRXm37mgi0g"
    "rsG19XcszVie4YO9MC9jqOsYF/GDWGIkf3YAwdiqjHcyPsj4MGNTRi9qiD5xONsDARbuoBj5G/YQ7IcbsS5ibPgVsazQPA+2ZnyW8UXG"
    "m04Qz+cQlyN+8sYkT2l3E0RVTvLCtc+D3Rn9GRqDwcAZrAa7gaKMEdifcSDjSMZRWCrFAkA8YiEP00aUrq5AGH7P+DsDDPI6AS9rLAUf"
    "j04o+Tal1kDUnW7YzUUCICbwsqzVWPtNsjcDtWakwFBiOMLNw3G9L7W+0hJgXimzQs1TxHpUeh88ki7EdJGOrKEWP5xvaDbMMxAeudjg"
    "NrTgXL2hMNQYxhomGvymBW5fE63vAXsbygLqtQ+uVcd7jXausri8QbjGcK2hPtb3BxbJAytusMQ85eLbFvLWmcwrFK04i4jhTUUb/g0Z"
    "EE9aEGdahhECtjiBSt1loVj8zYY7DW09I6HPeJLztEOPwPqM1JLeBMpAeN78hw2LDf81PGuQOWZKdxh1rB9I5z7HTnAe1AlbGCTUjps2"
    "vcHV3BrAXXnT8KHhK0OP4ZThL0NKZkFmaaYpsyzzgkzZ2/yOYa3hfcM6HNHVOKKpeE3Ha4oFlkyy1E5zRT4xbDV8btiG7xvxuQcvF15N"
    "Frn2TsP3hi7Dj/j2Onw6E69r8ZphgaVXWcZNmNzsDR4wHDIcMRwzHDecxFJefOvEqx6vFrwa8Jpj8cN8HP8ndrlNZaY6MyEzKRMlF76d"
    "jJcer1QcEUgjMmRmZeZk5uF7Nz5vxqsCr2GWeC7NszHc88xALo3I5JaHZA7NPC9zONachTWuwSsPrywcrTI22lGZtZljMsdlXpY5AUvN"
    "xbcCXrPxGoGXGa8i2qX2yZnTMtuRHv6ABokyqqPLYbmDeNvjb8hszJyb6cuU+eMt1HceiiwaW6EPufmuDMSunddCQ3M4sx372GQ/zkUa"
    "cNdsXsVNmbdlepHnmbTjzIiU3HkFq3PfnXkvlnyNPyZeyUZoelNfzAT4KROyVFmlWQCmrGFZxCG3S5/3S587snZnncr6C+/vygZ4LJsy"
    "ooLwWuaKzG8zyUOQiJrMzkiYhWBt5rrMjzK/yNyeKeuLWj7InBHiovGULxPZkrk1k75dztPnWF7mVQcPPXYGp4lmd2V2ZdKzGuNhUGuk"
    "PKpIX+aRzJOZv2ceVfyKoz2USfswkSepqhvIqtoLe6WsqmQhQF5wcQJPdDxJ6kEroHxo9UFSli7LkCWXfxvedsTl1JuoaWDhEqh252Xl"
    "Zy3BdlwosU5Ag0Jed2M3ztntgbIsPuvcrA4Y6yIuaxUzbb2SlMy0fUxYYelWSx0CrNbQpVk1WWOz5mXdkBXNQulkh87NSrd3TNb4LJK/"
    "V6PEFZSTpLWtz4phWoU3OD1rZpbM8+9ycZ5fy0WVZHa5oDnLk9WS5c8KZb1WjztsDkkr919GCA7EJ5mMRZ9m8ZwyPe+RduBITNttsJ/k"
    "GkIR0Wn1SDWd1oPKRVlPZq3BcWzMknO4LoZj4lT2MrQqn5VGtzRLQF1QAY566FSwRu/zWS9mHYZMHXl3Wue/lvUmjpd8OgpGkeTtir2K"
    "d7He+iwX2lPyzrbypPU+U0QVjcEO2JK1NeuLLFrRqd1+2AM7FLDwRagOlSi+ziI5nIvWouD/PuvHrKAkl1dzIclnmGtDuRr5JevXLHk/"
    "3u4ia/twVn+WW9yGWvwr3i1+iX+383s4staOsKjK5fYGgqhFErL12YXZXHZttjv7tmwJMeBap2anZYN4IaKM4faAMiebZpufTX3+yEiv"
    "/EQ2fzAgruFAHGmPLuEZkjci5/Lsc7Ivzr4kuyYb6VqKboyT6HpY9gXZ9G2MRNeXxej6ftJrYh1SN0/UrRS8wfbLs6/K9mWHsmmGreJb"
    "2P4IewdqCzeO9Rocoye7DQLKOdKInNnki9wNudkR/MzPljX2F8zNXJI22Ybr7kNaXgbLHG6T7Lyh2V2ffXO2TElrBijpLc6NK96aTZjk"
    "3uyHs89gkkUxTDKUeRkhHRArTdHkmnEyPGn2zCXvajgybwG8nb02e132t9k92fuy/8hOycnOKc2ZmnN1jjtnU84POUdy/srR5KbkBqEf"
    "VillzepGOdzkDYY2Z3+a/UX2l9lyJp3R2MeFkVov5PrhZGozojy9EcSlrEWxK/vH7LhmTbcLOOs5SkLte7L3ZhNqTxeGuaBzDCf4D2Wf"
    "yKZsBU55TNq3T7kwC0n5nvMoC9HbCv9mK3M0OdXRN+ANB8UpVznj/L4CkaQnmJZjyDlOHkbxZjtRFdctjRnXrzCnOAf5FvdmA/Kf4G5C"
    "668s5zXl+TkX51ySg3Kl8yPmD1XlDMshKRcSP2KoX7GdRqsg5UR0O2llQexn0HkKPP7ROVflED6Ehaeg2n9ZzuU5pxw+U9gja5SPmQ9+"
    "h0k5ZKtMRsniV87Ood1vyAlKrZSgDU5UpTNFlV5Uwmj55rTlRHIeyXkm5yAnBM31sv6e1g1LdindrYHQjTm35dydc39OGyLnSTFOvGog"
    "P/TCmE7LYseYlGokdiLGRl0R0z/zQEKEqJF2YP+IblzN8FzOSzmrcuLW9snUs+3vecj9x7MFUzDgJ68WruB7Oetz3Gg3nYCiHDlSfAJK"
    "choUn+Rsy2mR6lE7j2j9ym+kue6MzbU0NtdUE0pcZOXenP05B3NAEezoy9mXQ7N8p2uaizw2v9nJA5NBfo7g8ZxTOfIsjzEP/CKus8xC"
    "JCY0/5ujlKhxuErAzx3aXiZhPHG5nbggLVef2wFzXHtZUCA74l8bJNdKdqScs91GVD9/aO6FuWNyZ+Weq56d68ntyL0/95XcVbnrcnfl"
    "ZudxeZV5w/MceaCo9Q/PXZhDOuN34rDQiNxRuXGbbz/sd5yQ6N7Howzw+Dsm5k7KnZ47M5coupB8nOJ0Vh39FX51HOTInziNTZRs01yc"
    "XW2wIbcxV57dZEYrwLqDnU/yvtxwbtzq2wf7HC7xsZjU+Q8f7XyC93hDEM29PffO3MOMfJUg7jWhpuJc4uJYuceRT4RACBblPpa7JJes"
    "20wp8y60RMOezaVd6cyVvUIaFoChosp4nuLF3JdzEQcjt2qMyH2hN3JX5F4uyUElfQ+8nbs2lyRLfswKm46aU8CRbMrdmrsN9yIkfitF"
    "OHbbI5Jkb0MtBZ2rVd72b3N3SjVXO086EfuEIu09ufty/8nV4+p6/HtwvWTEP515lIel0R3NPQQ6dS9pIOT3k7l/5IYlmfNYLI9sMS/H"
    "vVR5CXkpeV7sb2S9rDXnsHaoFQVGkaH5/FEmBENeEPuQKmqF/LziPHl9pjBZC7Uhwne6PGDL4/MO5dKTIRzt9H0kmZqH5p2b95azOnoU"
    "jqK91xq8KG9kHuGLA3DA4ceyrxixticAY/LG5V2ObzgcwwmoUBPWuTLv6jynlEMRRlnsh8NQoEY9LGXcevCpF3nwPHVvciQPRQdet+bd"
    "lSftS95z+PclvNbmfZD3Ff7dkWfL90onCMhuJfQSxvm64Ri4kcZrXa1M8Ep+I2tU4UFL4/68h/OezqPoIoiqvzzKx6V2n8wjLwD8RRyL"
    "u/wX7aCpWy6l+Ev629MIc0kmeMPwet6beWvyJC1vlWso//JJu7oCUXgjPCIcVWzAdjfnybRwNeVDt3yS9xmuwkFoUbeL36BVv4sXKPol"
    "YRYdL+n/PJZPPPRjXmn+CtXevH/yNPmG/Ox8gOL8N1VH8vrzTuSdyvsDW/4rrzr6PrzvwL3iqqPvwXt4Nw2l9gy8ZnErFQqso8pHSwS/"
    "T+dWKbX5afk0T31+dfQD+ABLX41vruWGky+DW6PIx7eFWH4mPr2Ou5Byc6WIV61xniSdmCnuA1rbFU2qkxVkEypIH2nIdhiTf1n+zPzZ"
    "+Y35nvxH8h/LfyL/6Xwx/9X8zflb87fl9+SbCrxiE875PqRMtJ5hUv6U/GvyCUOfFFpxv/eIK1UXo+a5g5d9RKWS97ch351PtF8snCdJ"
    "BU6IdrqZty0Em9WB/AX5x/DbF2qA9nw5ZnkCflJHO2/inSgnF+bfln9fPvHNixLX+8Uo7xVvQax0G+/u+QFRCe3Xo7w8K3P3XrGFvaI+"
    "xLmRHy7gSCNNcUU757E6YS48n/9i/su4Oo9g7efwWobSrE5wh1blr8l/P38DvvGgnAiI9/DkSQH82ybehXbGXfzqfI9kVe4d8K1f002y"
    "qw+clJ/s+Tr/u3wpK4yybjtDzO3tyv8R23sAe3mIh1svgWqcTFvwfvWB/BP5v+f/na8ooHpH8o9hqedp9OKCmFTbwb5EnYjcb48wd4ie"
    "3MCjDkc4GIKUghP5OQXfqo0FRxXpBQBZBQFJE/0OM6T+56N1TvHKj9SFBd5YFs14HPsh2EP86rMVVBUETWGfuw3L9Xhw9TZBRQFoapAS"
    "3I0t/lCHo2B0QWPB3ILWglsL7ix4rGBDwdcFpIE+U4LS420NXlZwRcGkgqn4LARHoS29Ed6vJ3vkBBg0pMmuKZhVQKt+GaKcRznnvPoC"
    "V4FHkkLjyDMWi+Slc4T6LZSJhLwcKri+4OaCfi6M6N4dQ/duK3JrAESrcbekUd6JeVgs3SHy+s+7r+DhgjjOstjjd1Y7rhSlJcCzBUsL"
    "ni94t+CDAlkG/sudkJBSNWuR9PsrBSsLyMsew5zii9zg+OFLnLzLM7p/lvYim2QgSowtBZ8VfFkgj+R9KVtgH3gKSI/bBEL0Owp+KDgp"
    "ZTePNu6TPEN6Y2/Kb7hT/+CVVJhZWFAIwBVWFxIXX1LYUPhE4eLCl/Hbm4WfF24vPONnPQSHHNDpNHo6FIUJhbIv9TAcdlxIOcHztYW6"
    "wg4YjliLJHUndDroJMpWZU4hjcw6yJ96EA46op3jOI/PD7bCcwvPL0SO9JUXDimUMXMqT5+V7BcsAWKXnWQ5iHaOZOV5tD/+AIwunFU4"
    "uxBXoCkM4wsvL5yB4ymnPGtvANo0VxVOK/RImQZbNLS7JyCoaYahpD/FtyTf3GoBliQxZ6M/7ClsLYwUdhRSPBI1MEf1wmIJ80h2Qbdd"
    "tlpnFcKScubE5hcW3l74YOGjhaRJ0KqUsnvvLry/kGIlx8Gk3w23FOLeN5PHKJe41oXWCHK1sykQfraws3BZ4Qu4Tle5SC8PiWn0mci5"
    "7zgjEneEcYXWwTrJz7m68J1CeWc/6EJZiSOuc4XaNxR+VLil8EsViH/EcOhJ1i6eQBl4nHnEBik+ZxcOKL7DPdxVSJQ/XcoDPgJHHKBy"
    "Nrb6Q5FfCg8X9heeLPyzUFNE8vDXwkPSjg4XLorFBmzdvWhPXNAQly6zuncr/sUWVUXy+3VSPvA1Uj7wVBflFTY2Nc/1h7KLCopYkbWI"
    "L6osOqdoeBFlAbeL76qOSpnAJUVcEUUjLxAujvVT1o1yGcnyQilDu06KXlzrivd67UBcYn1XVFszqi5mQWFXA2cA22F2UWtRW1GkqKPo"
    "p6LE4uLiEcVdxYeKjxUrStQlxSUVJXUl75VsLOktSS4dWXp5KVJQMAyuoqYiTxHJEX9iP2xS9uKoQCy0y/7vNHuT2Igrem/Mm9lgdybf"
    "XwTwEF6Li85EJJ8oegq/LS96oehV/Lu9iPTOxcIhFiCjSFxlJ6o/DDMTKCN5LWUkd+6zubydRUuLQHzY3gf3JoB4Ox9BGquOvgwvO4IQ"
    "XfoQ19DY7A2gnH23aF3RhqKPij4u+rToi6JGcQ9HmqXUTp/F9gPwZgGhxJclfXqRXdYHITt9W8JB58u84P6u6Psij0Sp+faQ+CpazXid"
    "xhVoCEJf0f6iQ0WyLEq1ByUfZ9BGeOJY0e9FciTzt6JTRdfXz6rH+9DfRadx1PdS+wpXRFWsKQbxQZSg99vJoxTpSCvOKC4oLiomBH6J"
    "FCvNLs4rpt5HCAdhacLPcKqo2oWcgEaAudhWXFF8UTFx9vl2mn+/WGR8KYNaPqd4WPE+ScY12UOsWcr9utxO8Yk3OVjiYo1NbaHa4rrE"
    "R4ufKQ4DStdmL+7nFcXTi93F3uL7i2XvT1h8CCX7fthWdMaGckVmFzcUx/zQHK3de1xfXOIiuv04ZtmTTz0EkeLri2+NtXZcfJR7WsqA"
    "DuBYiXePwxda8jsTSjsTM3UX7DMH3W7ZDBW3smOdLjYxEVFgcRxHzE6EJTcijmgKLS9+sXhF8VvFhCReiCGJm/mguBA19K2IJL6PIYlF"
    "sq5tCsH64s3FnxZ/V7yrGDFBTMsuL5JlwHcUh1A0tW0r3o6r0g9jEpuA/oaL6HNKImlcZ6KMVH8u/qX412LZTr/BTvPph08TiMvs3XVi"
    "O9L9w7ygOFl8ujgorVp98R/FXlwrEOfi7hOd3GYhPp3hgiVzmeBsDqeWpJdkl+SXED+1FPuBLE/Kn63PQX5CCdiC9EVe1j8tZHlwJeYS"
    "8io5hJNcKCyIb5h2c80ofd8wyejnvJLhJSNKakpAbJbQz90x9HM3op87Ef3cyQ8rkan9F8pobkBBEJ63YHLJtSVzSm4veaxkecnLJatK"
    "KJdpesmMEkLRB21ERf9wQTgAbyQ0USShNQiNJe0l15fEs7LvSvSW/G8G9qLEXoa86Afxb9v/vn0yMTDIR3R/ycMlsoW+uSjuI3qFzhs0"
    "euGpkmdLlpTQKG6XPCPXdcvWWuVALGUYrvnrJStLZHsql/XCPWnuzk8t75SMMRyWosmfWqhnr1gmlVhEyMLZ3BqGz0q2lXxb8kNJt7T+"
    "TyecWf/vcqiGS9yKe9eKvJpmlPdhHQMV1vW0hQ+UHCn5NvF4yT8lCaVyHOqiWOT7w65W6OsMsj9LAP7Gvbgf6fJBnjJNThUpSrEPKWOx"
    "wEhYY5QAt40gRNnsQUw5KiG3dHOxsdRcWlZaUTq0lHRZYWlxKYjLJVzZwZMPrg8WFSMqRj75hMlSt30AX16P/UzyDC+9qFSWv4/Z3Z0b"
    "LcrEOQaZIkeVji2Ny4bL7LK0aKTTDb4rS6eXnsGTzRKenFoKibXxw8pILKGIrzRYuqT05dLXS98qXVv6QekvpYdLj5cmJv1bqjV+JPk7"
    "L2YoqbyBYEfpjaV3lz5TSjGE1+F1igSHF5beinMZZXWLRltIwgn4V1zO0fnOaOdyzuWNwKOl/yl9qpT8OIehQyVTxa8JR2F/2gHJb/Ga"
    "haKAy0tfKqXzYohv+BEu2d+cZey1hCJBt0uOnolcDGfy3WT72ijD3+WDj0o/Kf2hNChpjtWw2iEsMbEvSwG+Lt1RStZweYaMcY9KkqU6"
    "+ha85SCK+7nTwEoyAXaXRsQLkdN53qn4tfRQKUnDH/h+uKmA8jQjKN+Skiin8lTpX6V9HAJ98Xkm6+TZ3ZS3ozImxuhkQ9dRzo/vL2He"
    "zvdUemO28QTztAqIlN9mAiLyTCOkjp0weXpcc6NtF0/TnTfCONbYaGw1dhhfMr5t/N74ozGDy+bO5UZzE7lJ3FPcs9x2DpiJ3ctWsHUs"
    "i6LSYYdxtBF6drELVb/1tLDtxsRkwn1hmGicY2ww0jlZ4uYpxmuM8dyWz89C0l9w0LNTqj0Xa89JHvxuGweKWlebMWKU9+L1WAzgNRZV"
    "Njh9gTDcYrzDeLfxfuMSo1fCpYmMdH4txfp7jNgeLBnP6jz+wGLjf4xPGZ/BkQb4C1UufHs59hmC8YIst89NoZPAguizelG7+Kz/TTqu"
    "eN0IsNIYwN0SQXRQNLxPypDnk8lj6o90wIfGT42fG78z7jIeVWzG0luQA0dLUZtxUpbXGEHyVYhjZWTY04p9086O4kfGqAt3Y2k9qxFc"
    "baH5+42HjH8YTxuVXCon44AddLZD0RzsN540kpw32/3i49wpSEiX25uEoyGd9xusTaIssgQuJWY/ldkPwU9J+1GeHxfVrC9Jpo3ybpTo"
    "yNL/JhVx5VwVd6yzjTEOIDOZ7iAZwMbFNWNmMumo/OSg6Ee69LOoogaJ6EKumruUI7k22yiP8bVYj/18aImWXcYRDvtY6xL/xlp/MtJL"
    "M11RVU0d6kyUJddyc7gGrpHzcIu4x6R2rsY9aaTzC1IrT0qnwizGaGeANaL9H+Bu4x7gZBqKcAsGTv26uf+V/pfgfAKsHkdwz8AsmpJD"
    "0nkCEH2M5tOK86G7PvFXVocz3AMXp1DOxVLu+ZhFN6c7uvAVqEZj5zXude5j7hWHD6VIMmL9dniLe5dbh/T6B45X3oGTeNer+C7pI24z"
    "yvRTOOffsPV2MZX1Kl5I3sZ9hU9P49N/GFlKQdiJdtMxnEW008oEXI8erg8tXa/kmz4IW5Moo/8fvg/XRIkte2ORrix+d2eUncKZ/clF"
    "UFL/N9kpnWZwi1F2DBYlg7JG8IQTWQrLZSWMVtUr707nf9HCzmBZDHrOs+Mq9DzNXahqMjcPWLX/5UgD9YkH2AfJURWqoNZAWwSGsBFs"
    "LHuKm8gmsZmMzh04UUiez/5JvohR/wkptFIbuyhXtVX5tLTntVKOWC/0cpSHUcOOibXMmkJe6a1JiN6k7NHp7BrWB98k98FPyfKZh3oW"
    "YvOxh9sY0iU0scPJc3Gsm2huZOfK5yDgmHgXa0ZacosLcb6nk6Odt0vlb2Y5Kbdg+c0D5W+Nlb+bRVFjNCG8eoQ9yp5kT7GDkJocz2E5"
    "Bscce2FWcjxDmdDCMvYSI+zhRso4BkgbEmJw48ocgw+SW8X3VdBpAnfobfYeI3oDMUfCrInGqLp2nOCivkLwBdvOvmPfsx/ZPnaIKU3p"
    "JpnPX43pVLUd6/RMxFHKz1+hMyhhOhcCPW6SVz2XwHajjzV6yBv3ox25zh2G4+wU+zPmq1UiXnFhyWDPCCwp2cU9q6imoiacYEoxyaVU"
    "9n7KbuhZzbZLmTHQMwLviId9UGAqMfGxct/FJIzJZDVJuRcoYR5DCfNvWp+kxW32KYa5WfD/+2+qCWC2yWO62XSL6X7TM6b1UtnlpvX4"
    "/HvTT/h5xFRiHmK+1FxrJo/n1SZvVtyDcRyOS5lwgqnJRBGCJ1l19ASccFziQvnaQOfM20xh0zxTm2KBifwo7VkHOcF5lUDxrQv5I5wX"
    "kex7dvJDTBEoY+h2090mWcuukzBdRbdf9aiJxvMYfj5l8sEPDXGvRz/0O0D8EDFKQ2un6b4UWYatJtvJ6Qm/Ynrd9K7pfRNx0owsiqSt"
    "NK0xUYkP7PIvc6y1kz9jVwqI6+2yD36TaYtpq+Q9nSidPfnEKSODr0zfmL4zkRW2zgniGjvp8vmKuEVdT9EDtxf2mPaaDkg9vGUPSvGh"
    "d6SSNyhgaRkTXLga7X+Y/jalmzPNOeZCsySBs6Kd1/HuxlZQmZPNqWbKtB1GUgw/q6MvwUuO6ui78K5jL+dvxJ6lSO30gcy2qxE/ziIv"
    "rdcPJrPFXG7uhyRz/HzL7/C7g+zU/9Bv4CjOM19oljnnJJyUTrkI4uOMUPL5sbMuv8FvDtkTNtLUmzLbDLAArxvMj+Lnf8wvmmkXVpsz"
    "tABHpXu1ZYEF4FYLSUKLJAndZr9ZoYWFa6DaO9fcYl7jkGVinsqjjEh15pvJxjiO4/6H74BLXVhX6USBFYbbzXeZ7zU/YXjQTD4rS70f"
    "+byqXra0zzH2cb4WEIfG8FElrrin1Q9Pm0XzMnO7uFn1rbNVyhU/neiT0GOa9UTnetVr2Ocqs9PU3OgPEmd8w76jrMLI2+aPzGS9Olve"
    "N28wt0CzmI4yPo37DTwFuCLLykFCVq2h8NdmLnOH+Qdzr3m3ea/5gFnOUjDxMo0ynk4U3pvzkxn1Hc4pyFOcewWscMi2lJWfJ0kZG+6R"
    "JxCBk+Y/zafNh5kUSBCzeZl+hG6Kz1ZHl8JSR3TZAkbHYTw+ykrNtGRb8iyFlgmWqywzLOMtEQuIK6XY/Vs8yfBLtU7xdT66ZAFajG5f"
    "CGyWSsswy/lY8ow1m2shVORFHU5xlku1x+BCLdFrCEZYaix1lqMsECRL8B2+DSguvZqXx75P0rW1WjoNdFw818iwVp0QgtGWq6kWOCxR"
    "hasxAFdq51jaLHL8zG3xWFotByUaqjJRZjCIBtNJjs6KZ5rCYjE7AjO0/ZLf/g3p9NCNloUWeU83dW1x+pgzRLNLMoKq0UNWxcOW8sLF"
    "lictz1qWxcpVDWTYNnTHMwevNsZ9Wpu7aG5+eMnyrmW9hTCH2/O6ZY0lKOURyF6GfI3sFc3hyS50i5fiuiTnnYBWbTSlZtRAQsGAN2w+"
    "7Lb0W36z/GnxWB+yLre+b/3W+ov1d+tMW7OtzRaxPWN71bbCtsX2s22vTfaE7bcctBy2EH8/kdoPf8Y8YUV2klD90JUtSyqXHbW1y+1r"
    "wxoJVr0105pntVrLrTOtOOpIilVnhZ6RbKiKJO00wQO7waiL+8FW2tHi7txvc+FSGq3MaraC+Ahao8/Z++CUVvZ+rYW1dO7quUc4+oUv"
    "yf81b6TVYa2zjrVeZp1gvcJ6lXWa9RorrXjE3ij2Sb4wI7ZynuQPK7EfgHcKjsLiEunsQcwbFpa8YUuRX56mPBjPbGuDVebSAjuur3g+"
    "Iz/ucWjXyj4xvzVobbfSvIcYZI9YSPKILbAutMoesZutUeuN9ddJHrHbrXfiTO6LecTusz6A3x7AET0U84g9bn3SutT6nJVk8QzJI/aM"
    "tVPq/2rhIKSn/gxRq4M8Yt620KvWN6yrre9ayaa4wO6K2baemG+s2LhUQR6wleRNcDbBRut266NaL65qEecJhGCr9QvrPamkIcRU2eP9"
    "vZao5lWL7PH5wfqTdbdV9vjcGPP4nJ9KNDiEIoj+X60nrbJlfcR6DGfxIecV1+Oqee3t4oeqY6hZmpBjT1uvsE2yEQYGFXndQuEUm8HG"
    "2YbbRtrG2uJ+t0ckv9t062C/W4GtxCbbwkelHVzPxbwuzTZbpe1MxkNy6tk+tky19Cs/MQcdiJ9w/+tzm2Ed7HP7jDXB9w3/G7MtyiOv"
    "XivU25y2RhvtMPXVjz2AmG70swhqBEFcEfNErTAd4jyo7Q9TdkFDIHyD7Q7b3bYnbORTitputZFP6ZDkUzot+ZSKUmUvz4O2R2yLped3"
    "SIjAGfPyVA14eYZTPDawxPYClmoS7RJvP2o/wrySlDXwMteNsBEuaG572/aerTN1vU32zFwc0ygfU65WJGr9yEa0kW98QRFVNKOo/8K2"
    "3fadTfatTLTJvpVPUTJGO9+xuHF016Y6DT/aTnBBD1rB9oMsQkQmNiPFlnCCTlOWXKYru7xsWtkdZQD3lr1RRjpwd9le/Ku3m+1D7a32"
    "Nvud9uV21LC8lNHOy6cAZgm0K0dAUxpddn1MIwRCHVBUVlJmK+PLhpSdW1ZTNqZsfBmIq/ijChO2aMH7tyXLVRBIO9yqc4lv8MQbc6QT"
    "atcJsgS/sOzispFYdo2kSd6Nyfv9LL5imTxJ/rt0NVIct2HJJvawlP0yBes08mgHCk7UjPOhvsxV5i8LlUXKOspuKZOx6M4YFvWUtZQd"
    "gIcK/OJ/EIl+lkj+kufhedSL1fWnJP1gt2OvCo/vprLPccSEk76Qdu58XO0juCPndJvyacf8HQ+XLS57uuyVMhlT+VE6Nnc8UfZUGdml"
    "413jEEOEoVX5nLS2L5SRPThLOp1CvwPmNVdHX4VXEaM2ta4sW1tGKAE6N6oa298te7dsgzO6dARzuZu89JsnW8o+K9tW9nXZjrLvy34s"
    "k33Ac/lj4mimTasTn0H9LvJ14tP491metM6YWIaSmZftgmBMvv+dKuWDhg+V/V2msCchPvWGjpX9XuaV+AbHirx8c1mzNJvzBvI69tjp"
    "VyJmpmuk8wgmk1t8iQ+Jr/DQ84oUX2j0BiDbnmcvtZ/gnB0TXA3iEOSuj6RzqJeaZI3o6hZINgTL7LkqQngRsT4Waa23IkpERHG+fYxd"
    "sBMGutjuQDsmJC5CqwWv03T/KN7jdVq29C63T7dD54PMHbpEN8ku2Wbig2hJXaqDzofw6TjdrNjTh/DpeHzaaREaG+2z1Mgvihb7tSgH"
    "Oi3ymqh0lCncGp5nv95+s/0Wu8x1W7poNQ7jzntwrxKk9fsFrtaRp+Ae+wNY6hcxwZpBWVK+R+xL7fFfY3EHnrCLNHopq5YyUnblNuOq"
    "iuYQvF5PfqVWXwBes/9tf0Bn4ct4WHYL2v5u+mWb0Hv2D+wb7Fvsn9m/se+0dyGnborF5N/nXeIdsfjfRv4k50Ve+BBlS537S/t2LLcV"
    "d/6e2J6vi+15h51+iSoCP9uP2U9Qfm7nLczt22c/aCcL9g72Pq4Q3d3DviJ6Fz8mb2/gd/uf2N632N7XvBOiS66P4bdEXsdn8Tn8mLIz"
    "+M1UNhi/3ao7BjfoZPxWxDN+5KCSI8qwJ7iojCTpXCssv5UNPfc8nHYzIplAaAR/KT+Kr+PH8pP5a3gn38S38CF+Hl8dfQfeQSvjTXgT"
    "P1fCSrSpNhOuDV3OXyHFjT9ArNlAvI3rc2dsfT7iKULvj1zH1/Ok+z+xUYkdsVW53i6v3gZp9fx8G870M7zuja3eel5etRv5+/gHqY/O"
    "W3HVbuXv5Gmt7mRjeHnV7mUBKT96i7Rqi/jF2MY3eH3Hy1bw03wn/wovS55dMcmznH+BPwCLUfI8gZJnU6IsbXh7/EzST/CTo1e7jd/F"
    "d/H7+YP8MZS7J/lh5Wfs4QnlXvzWVv5+7NlX5UHlN5J03snv5dCUF3NMHzlJR/WlyCdDe/k9/F6KqPjcks/QKYxyUYybpXlZ0E3RqGyT"
    "TPFDu0Hp9rT4/+IN5WXlVeX9CsBeksvJfzGs8Vedutwvnbo4oEMrbsnbKr00BkN5B/LJV9I50pxySzllNwihwnKufBDOT5Pl+AhGORv/"
    "EA+FKrDEUXwTlPJvT8Npx0HFheXV5ecUurCPJiXJiOjCHVDd4ILR5bXl48t3OARRlKzMobjO59A+IRa6qnxKuae8F5K5n5csY7PK50ij"
    "cpbLtHB+zGI/xvtxhu5uGeV9z/fC/LI4Qh9mpJMxAWgv7yh/q5x6/0AXVQkuygNF2698afmT5c+Xv1L+RvnKch+T/DlLVlsom+ah8kfx"
    "3VPlcoxxnUX272y0HANlIojXsriP5x18cl2qPKKDAycjLo6dr7mIJ/r83L6fw+GI1XwfWyCd7P/ZJP+6z4byT8s/L6cMzs3ln5TTTn3S"
    "NUaKnM9yUTSmiXKc/N+U7yifj/v6VUYzc9Mv1Sq8wR/L95ZTLGKwF/O6hMEecJGDWJ5yY1Nz3FE/L6VCV5FRUVxhqxha4ai4vGJyRUPF"
    "gorbKh6s2Fqxr+JQxb8VKZUSpor9gqOTskGD2RWFFXHfy5/wpwPf6+g8rqkC9X9FB8yWzuO2ShlZ5RXnVMg5JX/BX47RLsLjzXBBxcUV"
    "Iyuo5a/SyBfTJhBm60kjD0ltxbgKGdHeJGGtcwflmPwBfzgExfSKORVy9vHMimsrcD8Q0X7AyRHMqPT7c40V7RV+pbeCKCRUIUXNxCLJ"
    "K1IUy5pNN8kRs9+xvOC9qWJhBVlvLUJ19AV4gTR14K6KeysIx4Ri2RyN3YiOXc3eUOSJimcqnq94u2JtxaaK+Gon6/7vOdudaYOzfF+v"
    "WFkhR4tmVcSzfK+rIMSxPI3yOjepmr0fVmyo2O6kPjc5j5ri0estFBnyhOGrit6KPTirHdKsfozNqliaVXFsVmkmwsd+QZ7bH5a4Rfop"
    "WqQuRJLHK05V/Fkh0+dRRhklHrTpGsXVaNOvopVoVVUmSDv+aQV5Y/6Gvx3xTODn7dHEmlFyvE0+hrcAbJV85TmVwyr/W/l0ZWflusqN"
    "lR9Xfl25s7Krsqfyb6kdvUQ57eI+5OT9vJzHdFr6PYoLK0dU7qXfKBCfQhvU3UJ6MQxP2MdVTqycWjm7sqHylkr6ldoA9EKBFA1vlnI2"
    "90JnroyLO+0rzTMraeYnIGxpFhdzR+B3RGaeSGPl3MomlES9sLaMpLavcn5lyOSm8CG09dxDJwx6UJOePvPsXukZ6ofTJL/vqLynklBF"
    "L0q9wb7dRyofq5RPC7zJ4pHglawDzo1FYZYwilkF4fnKVZVvVzYsKWOvVdJuvVkp889a6VThTCZnnB1mOLbwe5Wz04n658ROCp/XTbm5"
    "+2FxZdzb/Xnll5UgebBB8kvHfQ9N3URpR2GGVq7xZCWd/dhTua9SbmmrdPbjYOWJSqLBOnek8hi2Q7OXv99c+Qd+p5nvZ00LhCYQnyRv"
    "gLuRNhd0VfoqS5W9ylRVVTWsirLoIpKtm1XFVWG7TXlVRVXyrOaQphRtDMQZrI8L4szyYr8lNmzAT9Lc7RYdTJBODM9Nj9PlZ127U/Zk"
    "TKoCmIrXNVUNVZJMr2qtClSFpfu7qh7Bv09W2Qy8QZ5lsUGuOxwt3BphVtXsKqKzvUr6XJT4gZOeNlZ5pKc90tP7EileuaDEI9lsfw2c"
    "gOyouhVn0ui9sSpaRS16uokf/80gHdYHagO1dG/VA1JLh6WWnkzEFW5bXJUSG8PnXRTzebqqs0qOrVoMNEKj4czvsa2oeq/qo6otVZ9V"
    "bav6pmpXFXkbIh1rqtZWyfLzH/jHcaWLJOX6qo1VJCnnCZe7SFM+B8/FfrHm/G7SAVcPZE/NHcie+qKLfi+5u+qnqg64QsoG+xf+dYAm"
    "FhT3h+YdrzpV9W+VckjqEP2QzCF5Q4qHsCGydbdAOuP9V9XpKsIMNwkXSJbWDQLFERKGpAwJSzi4VC/AmtivNF8gjeP8gVMA3Vx8RC0D"
    "I9qGI5rrsw4pGwKizjiXcpCM/x92Hb6Z"
)

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


_VALUE_LENGTH = 0xC000
_FLAG13 = 0x2000  # with a value: the name needs ";"; without one: a run of characters follows
_BRANCH_LENGTH = 0x1F80
_JUMP = 0x7F
_SEMICOLON = 0x3B
_EQUALS = 0x3D
# Past the trie, JavaScript reads `undefined` (0 in bit operations): any index beyond it.
_NOWHERE = 1 << 30
# A walk that left the real trie can cycle (e.g. "&Acy\x16" then "6" after "6"); one this long
# (never seen outside crafted input) is given up as "not a reference": this bounds the work per "&"
# and so keeps hostile input linear.
_WALK_LIMIT = 1024


@functools.cache
def _trie() -> array.array[int]:
    words = array.array("H")
    words.frombytes(zlib.decompress(base64.b64decode(_TRIE_DATA)))
    if sys.byteorder == "big":
        words.byteswap()
    return words


def _word(trie: array.array[int], index: int) -> int:
    return trie[index] if 0 <= index < len(trie) else 0


def _branch(trie: array.array[int], header: int, start: int, code: int) -> int:
    """The node reached from the node `header` (its branches at `start`) by `code`, or -1."""
    count = (header & _BRANCH_LENGTH) >> 7
    jump = header & _JUMP
    if count == 0:
        return start if jump and code == jump else -1
    if jump:
        slot = code - jump
        if slot < 0 or slot >= count:
            return -1
        return trie[start + slot] - 1 if start + slot < len(trie) else _NOWHERE
    # Sorted one-byte keys, two per word, then the targets.
    low, high = 0, count - 1
    while low <= high:
        middle = (low + high) >> 1
        key = (_word(trie, start + (middle >> 1)) >> ((middle & 1) * 8)) & 0xFF
        if key < code:
            low = middle + 1
        elif key > code:
            high = middle - 1
        else:
            target = start + ((count + 1) >> 1) + middle
            return trie[target] if target < len(trie) else _NOWHERE
    return -1


def _value(trie: array.array[int], index: int) -> str:
    """The text the value stored at node `index` decodes to (UTF-16 units joined)."""
    header = _word(trie, index)
    length = (header & _VALUE_LENGTH) >> 14
    if length == 1:
        return chr(header & 0x1FFF)
    first = _word(trie, index + 1)
    if length != 3:
        return chr(first)
    second = _word(trie, index + 2)
    if 0xD800 <= first <= 0xDBFF and 0xDC00 <= second <= 0xDFFF:
        return chr(0x10000 + ((first - 0xD800) << 10) + (second - 0xDC00))
    return chr(first) + chr(second)


def _named_reference(text: str, start: int, attribute: bool) -> tuple[int, str]:
    """Walk the trie from `text[start]` (just after "&"): `(consumed incl. "&", text)`.

    consumed is `_LITERAL` when the "&" stays literal and `_INCOMPLETE` at the end of input.
    Attribute mode does not decode a semicolon-less legacy name before "=" or an ASCII letter
    or digit; text mode (`attribute=False`) only needs the length, for where parsing resumes.
    """
    trie = _trie()
    end = len(text)
    index = 0
    header = trie[0]
    length = header >> 14
    consumed = excess = 1
    legacy = 0  # node of the last semicolon-less match
    offset = start
    while offset < end:
        if offset - start > _WALK_LIMIT:
            return _LITERAL, ""
        if length == 0 and header & _FLAG13:
            run = (header & _BRANCH_LENGTH) >> 7
            for done in range(run):
                if offset >= end:
                    return _INCOMPLETE, ""
                if done == 0:
                    expected = header & _JUMP
                else:
                    expected = (_word(trie, index + 1 + ((done - 1) >> 1)) >> (((done - 1) & 1) * 8)) & 0xFF
                if ord(text[offset]) != expected:
                    return (consumed, _value(trie, legacy)) if legacy else (_LITERAL, "")
                offset += 1
                excess += 1
            index += 1 + (run >> 1)
            header = _word(trie, index)
            length = header >> 14
            if offset >= end:
                break
        code = ord(text[offset])
        if code == _SEMICOLON and length and header & _FLAG13:
            return consumed + excess, _value(trie, index)
        index = _branch(trie, header, index + max(1, length), code)
        if index < 0:
            if not legacy or (
                attribute and (length == 0 or code == _EQUALS or (code < 0x80 and chr(code) in _ASCII_ALNUM))
            ):
                return _LITERAL, ""
            return consumed, _value(trie, legacy)
        header = _word(trie, index)
        length = header >> 14
        if length:
            if code == _SEMICOLON:
                return consumed + excess, _value(trie, index)
            if not header & _FLAG13:
                legacy = index
                consumed += excess
                excess = 0
        offset += 1
        excess += 1
    return _INCOMPLETE, ""


def _decode_reference(text: str, amp: int, attribute: bool = True) -> tuple[int, str]:
    """Decode the reference at `text[amp] == "&"`.

    Returns `(consumed, replacement)` with consumed > 0 when it decodes, `(_LITERAL, "")` when
    the `&` stays as it is, `(_INCOMPLETE, "")` when the input ends inside it.
    """
    end = len(text)
    pos = amp + 1
    if pos >= end:
        return _INCOMPLETE, ""
    if text[pos] != "#":
        return _named_reference(text, pos, attribute)
    pos += 1
    if pos >= end:
        return _INCOMPLETE, ""
    base = 10
    if text[pos] in "xX":
        base = 16
        pos += 1
    match = (_HEX if base == 16 else _DECIMAL).match(text, pos)
    digits = match.group() if match else ""  # a `*` pattern always matches
    stop = pos + len(digits)
    if stop >= end:
        return _INCOMPLETE, ""
    if stop == pos:
        return _LITERAL, ""
    return stop - amp + (text[stop] == ";"), chr(_numeric_value(digits, base))


def _after_reference(text: str, amp: int) -> int:
    """Where text (or RCDATA) parsing resumes after the "&" at `amp`; -1 at the end of input."""
    consumed, _ = _decode_reference(text, amp, attribute=False)
    if consumed == _INCOMPLETE:
        return -1
    return amp + (consumed or 1)


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
                match = _TEXT_STOP.search(text, pos)
                if match is None:
                    break
                pos = match.start()
                if text[pos] == "&":
                    # Skipped as a whole: a reference can run past a "<" (see _TRIE_DATA).
                    pos = _after_reference(text, pos)
                    if pos < 0:
                        break
                    continue
                self.state = _BEFORE_TAG_NAME
                pos += 1
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
                # Character by character, decoding references.
                if char == "&":
                    pos = _after_reference(text, pos)
                    if pos < 0:
                        return end
                    continue
                found = _RCDATA_STOP.search(text, pos + 1)
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


_ARRAY_INDEX = re.compile(r"0|[1-9][0-9]{0,9}")


def _is_array_index(name: str) -> bool:
    # A canonical ASCII decimal (no leading zero) below 2**32 - 1, as JavaScript's array indexes.
    return _ARRAY_INDEX.fullmatch(name) is not None and int(name) < 2**32 - 1


def collect_elements(html: str, tag_name: str) -> list[dict[str, str]]:
    """The attributes of every `tag_name` element htmlparser2 opens in `html`, in order.

    The same list (same elements, names, values) as Observatory 1.5.3+'s
    `collectElements(html, tagName)` from `src/utils/html-parser.js`: tag and attribute names
    lowercased, values with character references decoded and otherwise raw.
    """
    return _Collector(html, tag_name.lower()).run()
