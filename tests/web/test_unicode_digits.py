"""Digits that str.isdigit() accepts but int() refuses ('¹', '²') once gave 500s (issue 9's list)."""

from __future__ import annotations

import base64
import json

import pytest

SAME_ORIGIN = {"Sec-Fetch-Site": "same-origin"}


def _b64(data: dict) -> str:
    return base64.urlsafe_b64encode(json.dumps(data, ensure_ascii=False).encode()).rstrip(b"=").decode()


TOKEN = f"{_b64({'alg': 'HS256', 'typ': 'JWT'})}.{_b64({'sub': '1', 'card': '4111111111111¹11'})}.c2ln"


@pytest.mark.parametrize("leeway", ["¹", "--5", "٣", "1²", "-", "+5", "5 5", "9" * 13])
def test_jwt_page_leeway_must_be_an_ascii_whole_number(client, leeway) -> None:  # type: ignore[no-untyped-def]
    response = client.post("/jwt/", data={"token": TOKEN, "leeway": leeway}, headers=SAME_ORIGIN)
    assert response.status_code == 400
    assert "whole number" in response.get_data(as_text=True)


def test_payload_with_superscript_digits_decodes(client) -> None:  # type: ignore[no-untyped-def]
    assert client.post("/api/v1/jwt/decode", json={"token": TOKEN}).status_code == 200
    assert client.post("/jwt/", data={"token": TOKEN}, headers=SAME_ORIGIN).status_code == 200


@pytest.mark.parametrize("status", ["²00", "2²0", "٢٠٠"])
def test_pasted_status_line_with_unicode_digits(client, status) -> None:  # type: ignore[no-untyped-def]
    raw = f":status: {status}\nstrict-transport-security: max-age=³\ncontent-type: text/html\n"
    assert client.post("/headers/", data={"raw": raw}, headers=SAME_ORIGIN).status_code in (200, 422)
    assert client.post("/api/v1/headers/check", json={"raw": raw}).status_code in (200, 422)
