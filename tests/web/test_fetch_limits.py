"""Every request that makes the server fetch a URL counts against TOOLBOX_RATELIMIT_FETCH.

The fetcher itself is instrumented (`check_target` runs for every hop of every fetch), so these
tests see what is really fetched, not what a predicate guesses from the request.
"""

from __future__ import annotations

import time
from typing import Any

import jwt
import pytest

from toolbox.core.net import FetchFailed, FetchReason

URL = "https://fetch-target.test/"
TOKEN = jwt.encode({"sub": "a", "iat": int(time.time()), "exp": int(time.time()) + 600},
                   "a-test-secret-of-at-least-32-bytes!", algorithm="HS256")
FORM = "application/x-www-form-urlencoded"
HTMX = {"HX-Request": "true"}


@pytest.fixture
def fetches(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Record every outbound fetch attempt (then fail it, so nothing leaves the machine)."""
    seen: list[str] = []

    def check_target(target: Any, *args: Any, **kwargs: Any) -> list[Any]:
        seen.append(target.url)
        raise FetchFailed(FetchReason.CONNECT_FAILED)  # the test fetcher does not connect

    monkeypatch.setattr("toolbox.core.net.fetcher.check_target", check_target)
    return seen


# (method, path, request keyword arguments): every shape of a request that does fetch.
FETCHING: dict[str, tuple[str, dict[str, Any]]] = {
    "api-headers-url": ("/api/v1/headers/check", {"json": {"url": URL}}),
    "api-headers-url-blank-raw": ("/api/v1/headers/check", {"json": {"url": URL, "raw": " "}}),
    "api-headers-url-whitespace-raw": ("/api/v1/headers/check", {"json": {"url": URL, "raw": "\r\n\t "}}),
    "api-headers-head": ("/api/v1/headers/check", {"json": {"url": URL, "method": "HEAD",
                                                            "follow_redirects": False}}),
    "api-headers-padded-url": ("/api/v1/headers/check", {"json": {"url": f"  {URL}\n", "raw": "\n"}}),
    "page-headers-url": ("/headers/", {"data": {"url": URL}}),
    "page-headers-url-blank-raw": ("/headers/", {"data": {"url": URL, "raw": "   "}}),
    "page-headers-htmx": ("/headers/", {"data": {"url": URL, "raw": "\n"}, "headers": HTMX}),
    "page-headers-multipart": ("/headers/", {"data": {"url": URL, "raw": " "},
                                             "content_type": "multipart/form-data"}),
    "api-jwt-jwks-url": ("/api/v1/jwt/verify", {"json": {"token": TOKEN, "key": URL, "key_type": "jwks-url"}}),
    "api-jwt-issuer": ("/api/v1/jwt/verify", {"json": {"token": TOKEN, "key": URL, "key_type": "issuer",
                                                       "leeway": 5}}),
    "page-jwt-jwks-url": ("/jwt/", {"data": {"token": TOKEN, "key": URL, "key_type": "jwks-url"}}),
    # With htmx, only the button fetches (it sends action=verify); typing never does.
    "page-jwt-issuer-htmx": ("/jwt/", {"data": {"token": TOKEN, "key": URL, "key_type": "issuer",
                                                "action": "verify"}, "headers": HTMX}),
    "page-jwt-multipart": ("/jwt/", {"data": {"token": TOKEN, "key": URL, "key_type": "jwks-url"},
                                     "content_type": "multipart/form-data"}),
}


@pytest.mark.parametrize("name", list(FETCHING))
def test_every_fetching_request_counts_against_the_fetch_limit(make_app, fetches, name) -> None:  # type: ignore[no-untyped-def]
    path, kwargs = FETCHING[name]
    client = make_app(TOOLBOX_RATELIMIT_FETCH="2/minute", TOOLBOX_RATELIMIT_DEFAULT="1000/minute").test_client()
    fetched_by: list[bool] = []
    statuses: list[int] = []
    for _ in range(4):
        before = len(fetches)
        statuses.append(client.post(path, **kwargs).status_code)
        fetched_by.append(len(fetches) > before)
    # The first two fetch (and fail: 422); then the fetch budget is spent and nothing is fetched.
    assert fetched_by == [True, True, False, False], (statuses, fetches)
    assert statuses[2:] == [429, 429]


@pytest.mark.parametrize("name", list(FETCHING))
def test_fetching_requests_share_one_budget_across_routes(make_app, fetches, name) -> None:  # type: ignore[no-untyped-def]
    path, kwargs = FETCHING[name]
    client = make_app(TOOLBOX_RATELIMIT_FETCH="1/minute", TOOLBOX_RATELIMIT_DEFAULT="1000/minute").test_client()
    other_path, other_kwargs = FETCHING["page-jwt-jwks-url" if name.startswith(("api-headers", "page-headers"))
                                        else "api-headers-url"]
    assert client.post(other_path, **other_kwargs).status_code == 422
    count = len(fetches)
    assert client.post(path, **kwargs).status_code == 429
    assert len(fetches) == count


NOT_FETCHING: dict[str, tuple[str, dict[str, Any]]] = {
    "api-headers-raw": ("/api/v1/headers/check", {"json": {"raw": "HTTP/1.1 200 OK\nX-Frame-Options: DENY"}}),
    "api-headers-raw-and-url": ("/api/v1/headers/check", {"json": {"url": URL, "raw": "HTTP/1.1 200 OK\n"
                                                                   "X-Frame-Options: DENY"}}),
    "page-headers-raw": ("/headers/", {"data": {"url": URL, "raw": "HTTP/1.1 200 OK\nServer: x"}}),
    "page-headers-empty": ("/headers/", {"data": {"url": "  ", "raw": ""}}),
    "api-jwt-pasted-key": ("/api/v1/jwt/verify", {"json": {"token": TOKEN, "key": "k" * 32, "key_type": "secret"}}),
    "page-jwt-pasted-key": ("/jwt/", {"data": {"token": TOKEN, "key": "k" * 32, "key_type": "secret"}}),
    "page-jwt-decode-only": ("/jwt/", {"data": {"token": TOKEN, "key": "", "key_type": "jwks-url"}}),
}


@pytest.mark.parametrize("name", list(NOT_FETCHING))
def test_requests_that_do_not_fetch_do_not_spend_the_fetch_budget(make_app, fetches, name) -> None:  # type: ignore[no-untyped-def]
    path, kwargs = NOT_FETCHING[name]
    client = make_app(TOOLBOX_RATELIMIT_FETCH="1/minute", TOOLBOX_RATELIMIT_DEFAULT="1000/minute").test_client()
    statuses = [client.post(path, **kwargs).status_code for _ in range(3)]
    assert 429 not in statuses
    assert fetches == []
    # The budget is still whole: a fetching request goes through.
    before = len(fetches)
    assert client.post("/api/v1/headers/check", json={"url": URL}).status_code == 422
    assert len(fetches) > before


def test_fetch_limit_429_says_when_to_retry_and_is_logged(make_app, fetches, logs) -> None:  # type: ignore[no-untyped-def]
    client = make_app(TOOLBOX_RATELIMIT_FETCH="1/minute", TOOLBOX_RATELIMIT_DEFAULT="1000/minute").test_client()
    client.post("/api/v1/headers/check", json={"url": URL, "raw": " "})
    response = client.post("/api/v1/headers/check", json={"url": URL, "raw": " "})
    assert response.status_code == 429
    assert response.mimetype == "application/problem+json"
    assert 0 < int(response.headers["Retry-After"]) <= 60
    assert logs.events("rate-limited")
    page = client.post("/headers/", data={"url": URL}, headers=HTMX)
    assert page.status_code == 429
    assert "<html" not in page.get_data(as_text=True)
