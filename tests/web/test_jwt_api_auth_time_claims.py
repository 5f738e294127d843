"""API authentication: a token whose time claims are not finite, sane numbers is a 401, never a pass or a 500.

Issue 8, finding 4: an API token with "exp": NaN never expired (every comparison with NaN is false).
"""

from __future__ import annotations

import pytest

from tests.unit.test_apitoken import _hand_token

SECRET = "k" * 40


@pytest.mark.parametrize("claims", [
    '{"sub":"a","exp":NaN}',
    '{"sub":"a","exp":Infinity}',
    '{"sub":"a","exp":1' + "0" * 400 + "}",
    '{"sub":"a","exp":true}',
    '{"sub":"a","exp":4102444800,"iat":NaN}',
    '{"sub":"a","exp":4102444800,"nbf":-Infinity}',
])
def test_api_tokens_with_unusable_time_claims_are_401(make_app, claims: str) -> None:  # type: ignore[no-untyped-def]
    client = make_app(TOOLBOX_API_JWT_KEY=SECRET).test_client()
    response = client.post("/api/v1/jwt/decode", json={"token": "a.b.c"},
                           headers={"Authorization": "Bearer " + _hand_token(claims, SECRET)})
    assert response.status_code == 401
    assert response.mimetype == "application/problem+json"
