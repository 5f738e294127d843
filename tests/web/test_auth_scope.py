"""With API authentication on, pages accept unsafe requests only from same-origin browsers."""

from __future__ import annotations

from typing import Any

import pytest

from tests.web.test_api_auth import SECRET, bearer
from toolbox.core.apitoken import issue_token

PAGE_POSTS: dict[str, dict[str, str]] = {
    "/jwt/": {"token": "eyJhbGciOiJIUzI1NiJ9.e30.x", "key": "https://keys.test/jwks.json", "key_type": "jwks-url"},
    "/jwt/encode": {"payload": "{}", "alg": "HS256", "key": "k" * 32},
    "/jwt/keys": {"kind": "ES256"},
    "/json/": {"text": "[1]"},
    "/json/download": {"text": "[1]"},
    "/json/validate": {"instance": "1", "schema": "{}"},
    "/headers/": {"url": "https://fetch-target.test/"},
}


@pytest.fixture
def auth_client(make_app):  # type: ignore[no-untyped-def]
    return make_app(TOOLBOX_API_JWT_KEY=SECRET).test_client()


@pytest.fixture
def fetches(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    seen: list[str] = []

    def check_target(target: Any, *args: Any, **kwargs: Any) -> None:
        seen.append(target.url)
        raise AssertionError("a refused request must not fetch")

    monkeypatch.setattr("toolbox.core.net.fetcher.check_target", check_target)
    return seen


@pytest.mark.parametrize(
    "headers",
    [{}, {"Sec-Fetch-Site": "none"}, {"User-Agent": "curl/8.5.0"}, {"Authorization": "Bearer whatever"},
     {"Origin": "null", "Sec-Fetch-Site": "none"}],
    ids=["no-headers", "sec-fetch-none", "curl", "bearer-on-a-page", "null-origin-none"],
)
@pytest.mark.parametrize("path", list(PAGE_POSTS))
def test_page_posts_without_same_origin_proof_are_refused(auth_client, logs, fetches, path, headers) -> None:  # type: ignore[no-untyped-def]
    response = auth_client.post(path, data=PAGE_POSTS[path], headers=headers)
    assert response.status_code == 403, path
    assert response.mimetype == "text/html"
    assert fetches == []
    (event,) = logs.events("page-post-refused")
    assert event["route"] == path


def test_refusal_is_an_htmx_partial_for_htmx(auth_client) -> None:  # type: ignore[no-untyped-def]
    response = auth_client.post("/json/", data={"text": "1"}, headers={"HX-Request": "true"})
    assert response.status_code == 403
    assert "<html" not in response.get_data(as_text=True)


@pytest.mark.parametrize(
    "headers",
    [{"Sec-Fetch-Site": "same-origin"}, {"Origin": "http://localhost"},
     {"Origin": "null", "Sec-Fetch-Site": "same-origin"},
     {"Origin": "http://localhost", "Sec-Fetch-Site": "same-origin", "HX-Request": "true"}],
    ids=["fetch-metadata", "origin", "no-js-form-under-no-referrer", "htmx"],
)
@pytest.mark.parametrize("path", ["/json/", "/json/validate", "/jwt/encode"])
def test_same_origin_browsers_still_use_the_pages(auth_client, path, headers) -> None:  # type: ignore[no-untyped-def]
    response = auth_client.post(path, data=PAGE_POSTS[path], headers=headers)
    assert response.status_code == 200, path


def test_same_origin_behind_a_trusted_proxy(make_app) -> None:  # type: ignore[no-untyped-def]
    client = make_app(TOOLBOX_API_JWT_KEY=SECRET, TOOLBOX_TRUSTED_PROXIES="1",
                      TOOLBOX_ALLOWED_HOSTS="tools.example.com").test_client()
    proxied = {"X-Forwarded-Host": "tools.example.com", "X-Forwarded-Proto": "https"}
    ok = client.post("/json/", data={"text": "1"}, headers={**proxied, "Origin": "https://tools.example.com"})
    assert ok.status_code == 200
    assert client.post("/json/", data={"text": "1"}, headers=proxied).status_code == 403


def test_api_keeps_bearer_auth_and_needs_no_browser_headers(auth_client) -> None:  # type: ignore[no-untyped-def]
    token = issue_token(SECRET, "ci", 60)
    response = auth_client.post("/api/v1/json/format", json={"text": "[1]"}, headers=bearer(token))
    assert response.status_code == 200
    assert auth_client.post("/api/v1/json/format", json={"text": "[1]"}).status_code == 401


def test_safe_methods_are_not_affected(auth_client) -> None:  # type: ignore[no-untyped-def]
    for path in ("/", "/jwt/", "/json/", "/headers/", "/healthz"):
        assert auth_client.get(path).status_code == 200, path


def test_without_api_auth_scripts_may_post_to_pages(client) -> None:  # type: ignore[no-untyped-def]
    assert client.post("/json/", data={"text": "[1]"}).status_code == 200
