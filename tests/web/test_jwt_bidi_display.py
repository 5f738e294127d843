"""The JWT page never shows a bidi or invisible character raw: "\\u202enimda" must not read as "admin"."""

from __future__ import annotations

import json

import pytest

from tests.unit.jwt.test_hostile_types import part
from tests.unit.jwt.test_invisible import BIDI, OTHERS

HTMX = {"HX-Request": "true"}
SECRET = "a-test-secret-that-is-long-enough-for-hs256-hs384-and-even-hs512-ok"


def shown(client, **data: str) -> str:  # type: ignore[no-untyped-def]
    return client.post("/jwt/", data=data, headers=HTMX).get_data(as_text=True)


@pytest.mark.parametrize("char", BIDI + OTHERS[:6], ids=lambda c: f"U+{ord(c):04X}")
def test_claims_header_values_and_text_payloads_are_revealed(client, char: str) -> None:  # type: ignore[no-untyped-def]
    header = json.dumps({"alg": "HS256", "kid": f"k{char}1", "typ": f"J{char}WT"}).encode()
    payload = json.dumps({"role": f"{char}nimda", f"n{char}ame": ["x", {"deep": f"{char}y"}]}).encode()
    token = f"{part(header)}.{part(payload)}.{part(b'sig')}"
    for html in (shown(client, token=token),
                 shown(client, token=token, key=SECRET, key_type="secret"),
                 shown(client, token=token, key=json.dumps({"keys": [{"kty": "oct", "k": "AAAA", "kid": "z"}]}),
                       key_type="jwks"),
                 shown(client, token=f"{part(header)}.{part(('plain ' + char + ' text').encode())}.{part(b's')}"),
                 shown(client, token=f"{part(json.dumps({'alg': 'HS256', 'cty': 'JWT'}).encode())}."
                                     f"{part(token.encode())}.{part(b's')}")):
        assert char not in html, f"raw U+{ord(char):04X} in the page"
    assert "cc" in shown(client, token=token)


def test_the_audit_finding_is_listed(client) -> None:  # type: ignore[no-untyped-def]
    payload = json.dumps({"role": "\u202enimda"}).encode()
    html = shown(client, token=f"{part(b'{}')}.{part(payload)}.{part(b'sig')}")
    assert "invisible-characters" in html and "U+202E RIGHT-TO-LEFT OVERRIDE" in html
