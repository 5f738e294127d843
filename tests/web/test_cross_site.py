"""Cross-site unsafe requests are refused (403); programmatic clients without the headers pass."""

from __future__ import annotations

import pytest

from tests.web.testapi import add_test_api

BODY = {"text": "hello"}


@pytest.fixture
def api_client(make_app):  # type: ignore[no-untyped-def]
    return add_test_api(make_app()).test_client()


@pytest.mark.parametrize(
    "headers",
    [
        {"Sec-Fetch-Site": "cross-site"},
        {"Sec-Fetch-Site": "same-site"},
        {"Origin": "https://evil.example"},
        {"Origin": "null"},
        {"Origin": "http://localhost.evil.example"},
        {"Origin": "https://localhost"},  # same host, other scheme
        {"Sec-Fetch-Site": "same-origin", "Origin": "https://evil.example"},
    ],
)
def test_cross_site_posts_are_refused(api_client, logs, headers) -> None:  # type: ignore[no-untyped-def]
    response = api_client.post("/api/v1/test/echo", json=BODY, headers=headers)
    assert response.status_code == 403
    assert response.mimetype == "application/problem+json"
    assert response.json["detail"] == "Cross-site requests are refused."
    assert logs.events("cross-site-refused")


def test_cross_site_form_post_gets_an_html_page(client) -> None:  # type: ignore[no-untyped-def]
    response = client.post("/", data={"token": "x"}, headers={"Sec-Fetch-Site": "cross-site"})
    assert response.status_code == 403
    assert response.mimetype == "text/html"
    assert "refused" in response.get_data(as_text=True)


@pytest.mark.parametrize(
    "headers",
    [
        {},  # curl, scripts
        {"Sec-Fetch-Site": "same-origin"},
        {"Sec-Fetch-Site": "none"},  # typed by the user
        {"Origin": "http://localhost"},
        {"Sec-Fetch-Site": "same-origin", "Origin": "http://localhost"},
        # A browser's own form post under Referrer-Policy: no-referrer.
        {"Sec-Fetch-Site": "same-origin", "Origin": "null"},
    ],
)
def test_same_origin_and_programmatic_posts_pass(api_client, headers) -> None:  # type: ignore[no-untyped-def]
    response = api_client.post("/api/v1/test/echo", json=BODY, headers=headers)
    assert response.status_code == 200
    assert response.json["length"] == 5


def test_safe_methods_are_not_screened(client) -> None:  # type: ignore[no-untyped-def]
    response = client.get("/", headers={"Sec-Fetch-Site": "cross-site", "Origin": "https://evil.example"})
    assert response.status_code == 200
