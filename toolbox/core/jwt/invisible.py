"""Invisible and bidirectional control characters, found and made visible as \\uXXXX escapes.

A claim "\\u202enimda" displays as "admin": a right-to-left override reorders what follows it. Every
display of text from a token (and the JSON tool's output) shows these characters as escapes instead,
so nothing a token says can reorder or hide part of the page.
"""

from __future__ import annotations

import re
import unicodedata

# Unicode category Cf (format: bidi embeddings, overrides and isolates U+202A-202E, U+2066-2069, marks
# U+200E/U+200F/U+061C, zero-width characters, word joiner, BOM, tags, ...), line and paragraph
# separators, C0/C1 controls other than tab and line breaks, the combining grapheme joiner and the
# Hangul fillers (invisible letters often used to fake an empty or identical-looking name).
INVISIBLE = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u00ad\u034f\u0600-\u0605\u061c\u06dd\u070f\u0890\u0891\u08e2"
    "\u115f\u1160\u180e\u200b-\u200f\u2028-\u202e\u2060-\u2064\u2066-\u206f\u3164\ufeff\uffa0\ufff9-\ufffb"
    "\U000110bd\U000110cd\U00013430-\U0001343f\U0001bca0-\U0001bca3\U0001d173-\U0001d17a\U000e0001"
    "\U000e0020-\U000e007f]"
)
BIDI = re.compile("[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def escape(char: str) -> str:
    """The JSON escape of one character: \\u202e, or a surrogate pair for characters beyond U+FFFF."""
    code = ord(char)
    if code > 0xFFFF:
        code -= 0x10000
        return f"\\u{0xD800 + (code >> 10):04x}\\u{0xDC00 + (code & 0x3FF):04x}"
    return f"\\u{code:04x}"


def reveal(text: str) -> str:
    """`text` with every invisible or bidi control character replaced by its \\uXXXX escape."""
    return INVISIBLE.sub(lambda match: escape(match.group()), text)


def name(char: str) -> str:
    """'U+202E RIGHT-TO-LEFT OVERRIDE'."""
    return f"U+{ord(char):04X} {unicodedata.name(char, 'control character')}"
