"""Output budget of the JWT page and API: bytes out stay a small multiple of the token plus a constant.

Issue 8, finding 2: a 240 KB token whose payload was nested deep became a 163 MB page (indentation grows
with the square of depth). Assertions are on bytes, not time.
"""

from __future__ import annotations

import json
from typing import Any

import pytest

from tests.unit.jwt.test_hostile_types import part

HTMX = {"HX-Request": "true"}


def page_bound(token: str) -> int:
    return 12 * len(token) + 64 * 1024


def api_bound(token: str) -> int:
    return 8 * len(token) + 16 * 1024


def make(payload: Any, header: Any = None) -> str:
    head = json.dumps(header or {"alg": "HS256", "typ": "JWT"}, separators=(",", ":"))
    body = payload if isinstance(payload, str) else json.dumps(payload, separators=(",", ":"))
    return f"{part(head.encode())}.{part(body.encode())}.{part(b'sig')}"


def nest(depth: int) -> str:
    return "[" * depth + "]" * depth


TOKENS = {
    "wide and deep (the attack)": make('{"a":[' + ",".join([nest(60)] * 1400) + "]}"),
    "deep header": make({"sub": "s"}, json.loads('{"alg":"HS256","x":[' + ",".join([nest(60)] * 1400) + "]}")),
    "depth 50": make('{"a":' + nest(50) + "}"),
    "depth 500": make('{"a":' + nest(500) + "}"),
    "depth 5000": make('{"a":' + nest(5000) + "}"),
    "many claims": make({f"c{i}": i for i in range(12_000)}),
    "many numbers": make({"a": [1] * 80_000}),
    "nested token": make(make('{"a":[' + ",".join([nest(60)] * 600) + "]}"), {"alg": "HS256", "cty": "JWT"}),
}


@pytest.mark.parametrize("name", list(TOKENS))
def test_page_size_is_bounded(client, name: str) -> None:  # type: ignore[no-untyped-def]
    token = TOKENS[name]
    for headers in (HTMX, {}):
        response = client.post("/jwt/", data={"token": token}, headers=headers)
        assert response.status_code < 500
        assert len(response.data) <= page_bound(token), (name, len(token), len(response.data))


@pytest.mark.parametrize("name", list(TOKENS))
def test_api_decode_size_is_bounded(client, name: str) -> None:  # type: ignore[no-untyped-def]
    token = TOKENS[name]
    response = client.post("/api/v1/jwt/decode", json={"token": token})
    assert response.status_code < 500
    assert len(response.data) <= api_bound(token), (name, len(token), len(response.data))


def test_the_page_says_when_a_display_is_compacted_or_cut(client) -> None:  # type: ignore[no-untyped-def]
    html = client.post("/jwt/", data={"token": TOKENS["wide and deep (the attack)"]},
                       headers=HTMX).get_data(as_text=True)
    assert "Shown on one line" in html
    html = client.post("/jwt/", data={"token": TOKENS["many claims"]}, headers=HTMX).get_data(as_text=True)
    assert "more claims are not listed here" in html
