"""Invisible and bidi control characters are shown as escapes and reported (issue 8, finding 5)."""

from __future__ import annotations

import base64
import json
import sys
import unicodedata

import pytest

from toolbox.core.jwt import invisible
from toolbox.core.jwt.decode import decode
from toolbox.web.filters import highlight, highlight_lines, reveal

BIDI = ["\u202a", "\u202b", "\u202c", "\u202d", "\u202e", "\u2066", "\u2067", "\u2068", "\u2069", "\u200e",
        "\u200f", "\u061c"]
OTHERS = ["\u200b", "\u200c", "\u200d", "\u2060", "\ufeff", "\u00ad", "\u2028", "\u2029", "\x00", "\x1b", "\x85",
          "\U000e0041", "\u3164", "\u115f"]


def test_every_format_character_is_invisible_to_the_eye_and_caught() -> None:
    missing = [hex(c) for c in range(sys.maxunicode + 1)
               if unicodedata.category(chr(c)) == "Cf" and not invisible.INVISIBLE.fullmatch(chr(c))]
    assert missing == []
    for char in BIDI + OTHERS:
        assert invisible.INVISIBLE.fullmatch(char), hex(ord(char))
    for char in "aé日\t\n\r 😀\ufe0f":
        assert not invisible.INVISIBLE.fullmatch(char)


def test_reveal_writes_json_escapes() -> None:
    assert invisible.reveal("\u202enimda") == "\\u202enimda"
    assert invisible.reveal("a\U000e0041b") == "a\\udb40\\udc41b"
    assert json.loads('"' + invisible.reveal("x\u2066y\u2069") + '"') == "x\u2066y\u2069"


@pytest.mark.parametrize("char", BIDI + OTHERS, ids=lambda c: f"U+{ord(c):04X}")
def test_displays_never_contain_the_raw_character(char: str) -> None:
    text = json.dumps({"role": f"{char}nimda", f"k{char}": 1}, ensure_ascii=False, indent=2)
    span = f'<span class="cc">{invisible.escape(char)}</span>'
    for shown in (str(highlight(text)), str(highlight_lines(text))):
        assert char not in shown
        assert span in shown or ord(char) < 0x20  # json.dumps itself escapes C0 controls
    assert char not in str(reveal(f"a{char}b<")) and span in str(reveal(f"a{char}b<"))
    assert "&lt;" in str(reveal("<"))


def part(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def test_the_audit_reports_claims_and_header_values_holding_them() -> None:
    header = json.dumps({"alg": "HS256", "kid": "key\u200f1"}).encode()
    payload = json.dumps({"sub": "1", "role": "\u202enimda", "groups": ["ok", "a\u2066b"], "\u200bname": "x"}).encode()
    decoded = decode(f"{part(header)}.{part(payload)}.{part(b'sig')}", now=1_800_000_000)
    found = [f for f in decoded.findings if f.id == "invisible-characters"]
    assert len(found) == 1 and found[0].severity == "medium"
    detail = found[0].detail
    for where in ("header /kid", "payload /role", "payload /groups/1", "payload (a member name in /)"):
        assert where in detail, detail
    assert "U+202E RIGHT-TO-LEFT OVERRIDE" in detail
    assert "\u202e" not in detail and "\u200b" not in detail  # the finding itself never carries them raw


def test_ordinary_text_is_not_reported() -> None:
    payload = json.dumps({"name": "Zoë 日本 😀", "emoji": "👍🏽"}, ensure_ascii=False).encode()
    decoded = decode(part(b'{"alg":"HS256"}') + f".{part(payload)}.{part(b'sig')}", now=1_800_000_000)
    assert not [f for f in decoded.findings if f.id == "invisible-characters"]
