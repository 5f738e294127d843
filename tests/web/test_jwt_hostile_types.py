"""Header fields and claims of every JSON type, and deep nesting, through the page and the API: no 5xx."""

from __future__ import annotations

from typing import Any

import pytest

from tests.unit.jwt.test_hostile_types import CLAIMS, HEADER_FIELDS, SECRET, part, token

VALUES: list[Any] = [None, True, 1.5, 10**300, "x", [], ["A128GCM"], [[1]], {}, {"a": 1}]
HTMX = {"HX-Request": "true"}


def post_everywhere(client, text: str) -> list[int]:  # type: ignore[no-untyped-def]
    statuses = [
        client.post("/jwt/", data={"token": text, "key": SECRET, "key_type": "secret"}, headers=HTMX).status_code,
        client.post("/jwt/", data={"token": text}).status_code,
        client.post("/api/v1/jwt/decode", json={"token": text}).status_code,
        client.post("/api/v1/jwt/verify", json={"token": text, "key": SECRET, "key_type": "secret",
                                                "audience": "a", "require": ["exp"]}).status_code,
    ]
    return statuses


@pytest.mark.parametrize("field", HEADER_FIELDS)
@pytest.mark.parametrize("parts", [3, 5])
def test_header_fields_of_every_type_never_5xx(client, field: str, parts: int) -> None:  # type: ignore[no-untyped-def]
    base: dict[str, Any] = {"alg": "dir", "enc": "A128GCM"} if parts == 5 else {"alg": "HS256"}
    for value in VALUES:
        statuses = post_everywhere(client, token({**base, field: value}, {"sub": "s"}, parts))
        assert all(status < 500 for status in statuses), (field, value, statuses)


@pytest.mark.parametrize("claim", CLAIMS)
def test_claims_of_every_type_never_5xx(client, claim: str) -> None:  # type: ignore[no-untyped-def]
    for value in VALUES:
        statuses = post_everywhere(client, token({"alg": "HS256"}, {claim: value}))
        assert all(status < 500 for status in statuses), (claim, value, statuses)


@pytest.mark.parametrize("depth", [50, 64, 65, 500, 900, 5000])
@pytest.mark.parametrize("where", ["header", "payload"])
def test_deep_nesting_never_5xx_and_says_why(client, depth: int, where: str) -> None:  # type: ignore[no-untyped-def]
    deep = "[" * depth + "]" * depth
    header = '{"alg":"HS256","x":' + deep + "}" if where == "header" else '{"alg":"HS256"}'
    payload = '{"x":' + deep + "}" if where == "payload" else '{"sub":"s"}'
    text = f"{part(header.encode())}.{part(payload.encode())}.{part(b'sig')}"
    statuses = post_everywhere(client, text)
    assert all(status < 500 for status in statuses), statuses
    if depth > 64:
        page = client.post("/jwt/", data={"token": text}, headers=HTMX).get_data(as_text=True)
        assert "nested deeper than 64 levels" in page
        api = client.post("/api/v1/jwt/decode", json={"token": text})
        assert "nested deeper than 64 levels" in api.get_data(as_text=True)
