"""Rate limits: per client IP by default, a stricter shared limit for fetch routes, 429 in 3 forms."""

from __future__ import annotations

import logging
import os
from concurrent.futures import ThreadPoolExecutor

from flask import Flask

from tests.conftest import LogCapture
from tests.web.testapi import add_test_api

BODY = {"text": "x"}


def test_default_limit_gives_429_page_with_retry_after(make_app, logs) -> None:  # type: ignore[no-untyped-def]
    client = make_app(TOOLBOX_RATELIMIT_DEFAULT="3/minute").test_client()
    assert [client.get("/").status_code for _ in range(3)] == [200, 200, 200]
    response = client.get("/")
    assert response.status_code == 429
    assert 0 < int(response.headers["Retry-After"]) <= 60
    assert response.mimetype == "text/html"
    assert "Too many requests" in response.get_data(as_text=True)
    assert logs.events("rate-limited")


def test_429_as_htmx_partial_and_problem_json(make_app) -> None:  # type: ignore[no-untyped-def]
    client = add_test_api(make_app(TOOLBOX_RATELIMIT_DEFAULT="1/minute")).test_client()
    client.get("/")
    partial = client.get("/", headers={"HX-Request": "true"})
    assert partial.status_code == 429
    assert "<html" not in partial.get_data(as_text=True)
    assert int(partial.headers["Retry-After"]) > 0
    client.post("/api/v1/test/echo", json=BODY)
    problem = client.post("/api/v1/test/echo", json=BODY)
    assert problem.status_code == 429
    assert problem.mimetype == "application/problem+json"
    assert problem.json["status"] == 429
    assert int(problem.headers["Retry-After"]) > 0


def test_retry_after_only_on_429(make_app) -> None:  # type: ignore[no-untyped-def]
    response = make_app().test_client().get("/")
    assert "Retry-After" not in response.headers


def test_limits_are_per_client_ip(make_app) -> None:  # type: ignore[no-untyped-def]
    client = make_app(TOOLBOX_RATELIMIT_DEFAULT="2/minute").test_client()
    one = {"REMOTE_ADDR": "192.0.2.1"}
    two = {"REMOTE_ADDR": "192.0.2.2"}
    assert [client.get("/", environ_base=one).status_code for _ in range(3)] == [200, 200, 429]
    assert client.get("/", environ_base=two).status_code == 200


def test_fetch_routes_have_the_stricter_shared_limit(make_app) -> None:  # type: ignore[no-untyped-def]
    app = add_test_api(make_app(TOOLBOX_RATELIMIT_DEFAULT="100/minute", TOOLBOX_RATELIMIT_FETCH="2/minute"))
    client = app.test_client()
    codes = [client.post("/api/v1/test/fetch", json=BODY).status_code for _ in range(3)]
    assert codes == [200, 200, 429]
    # Other routes still answer: the fetch limit is its own bucket.
    assert client.post("/api/v1/test/echo", json=BODY).status_code == 200


def test_health_checks_and_static_files_are_not_limited(make_app) -> None:  # type: ignore[no-untyped-def]
    client = make_app(TOOLBOX_RATELIMIT_DEFAULT="1/minute").test_client()
    for _ in range(5):
        assert client.get("/healthz").status_code == 200
        assert client.get("/readyz").status_code == 200
        assert client.get("/static/css/app.css").status_code == 200


def test_unreachable_redis_falls_back_to_memory_and_never_500s(make_app) -> None:  # type: ignore[no-untyped-def]
    # Port 1 on loopback refuses connections at once: Redis is "down" from the first request.
    client = make_app(
        TOOLBOX_RATELIMIT_STORAGE="redis://127.0.0.1:1/0", TOOLBOX_RATELIMIT_DEFAULT="3/minute"
    ).test_client()
    codes = [client.get("/").status_code for _ in range(5)]
    assert all(code < 500 for code in codes)
    assert codes.count(200) >= 3
    assert 429 in codes  # the in-memory fallback still enforces the limit
    ready = client.get("/readyz")
    assert ready.status_code == 200  # still serving: degraded, not out of the load balancer
    assert ready.json["status"] == "degraded"
    assert ready.json["checks"]["ratelimit_storage"] == "unreachable"
    assert client.get("/healthz").status_code == 200


def test_fallback_and_recovery_are_logged_once_per_app(make_app) -> None:  # type: ignore[no-untyped-def]
    """flask-limiter's storage lines pass once per transition and per app, whatever the threads do."""
    apps = [make_app(), make_app()]
    limiter_log = logging.getLogger("flask-limiter")
    capture = LogCapture()
    limiter_log.addHandler(capture)
    try:
        def say(app: Flask, message: str) -> None:
            with app.app_context():
                limiter_log.warning(message)

        down = "Rate limit storage unreachable - falling back to in-memory storage"
        up = "Rate limit storage recovered"
        with ThreadPoolExecutor(8) as pool:  # the race flask-limiter leaves open: many at once
            list(pool.map(lambda _: say(apps[0], down), range(32)))
        say(apps[1], down)  # another app (another worker's state) logs its own
        say(apps[0], "Failed to rate limit. Swallowing error")  # other lines always pass
        say(apps[0], "Failed to rate limit. Swallowing error")
        say(apps[0], up)
        say(apps[0], up)
        say(apps[0], down)  # a second outage is news again
        limiter_log.warning(down)  # outside any app: passed through
        assert [e["message"] for e in capture.entries] == [
            down, down, "Failed to rate limit. Swallowing error", "Failed to rate limit. Swallowing error",
            up, down, down]
        assert {e["pid"] for e in capture.entries} == {os.getpid()}
    finally:
        limiter_log.removeHandler(capture)


def test_a_real_outage_is_logged_once_under_concurrent_requests(make_app) -> None:  # type: ignore[no-untyped-def]
    app = make_app(TOOLBOX_RATELIMIT_STORAGE="redis://127.0.0.1:1/0")
    capture = LogCapture()
    logging.getLogger("flask-limiter").addHandler(capture)
    try:
        def visit(_: int) -> int:
            return int(app.test_client().get("/").status_code)

        with ThreadPoolExecutor(8) as pool:
            assert set(pool.map(visit, range(64))) == {200}
        falling_back = [e for e in capture.entries if str(e.get("message", "")).startswith(
            "Rate limit storage unreachable")]
        assert len(falling_back) == 1, capture.entries
        assert falling_back[0]["level"] == "warning"
        # flask-limiter's own logger ("flask-limiter") is the one the app sends to its JSON log.
        assert not logging.getLogger("flask-limiter").propagate
    finally:
        logging.getLogger("flask-limiter").removeHandler(capture)


def test_default_limit_is_one_budget_per_client_across_all_routes(make_app) -> None:  # type: ignore[no-untyped-def]
    app = add_test_api(make_app(TOOLBOX_RATELIMIT_DEFAULT="4/minute"))
    client = app.test_client()
    one = {"REMOTE_ADDR": "192.0.2.1"}
    # Four requests to four different routes (pages, a form post, the API) spend the budget ...
    assert client.get("/", environ_base=one).status_code == 200
    assert client.get("/jwt/", environ_base=one).status_code == 200
    assert client.post("/json/", data={"text": "[1]"}, environ_base=one).status_code == 200
    assert client.post("/api/v1/test/echo", json=BODY, environ_base=one).status_code == 200
    # ... so every other route is refused too, not just the ones already used.
    for path in ("/headers/", "/json/validate", "/jwt/encode", "/headers/algorithm", "/api/openapi.json"):
        assert client.get(path, environ_base=one).status_code == 429, path
    assert client.post("/api/v1/json/format", json={"text": "1"}, environ_base=one).status_code == 429
    # Another client has its own budget; health checks and static files stay exempt.
    assert client.get("/headers/", environ_base={"REMOTE_ADDR": "192.0.2.2"}).status_code == 200
    for path in ("/healthz", "/readyz", "/static/css/app.css"):
        assert client.get(path, environ_base=one).status_code == 200, path


def test_fetching_requests_spend_both_budgets(make_app, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from toolbox.core.net import FetchFailed, FetchReason

    def refuse(*args: object, **kwargs: object) -> None:
        raise FetchFailed(FetchReason.CONNECT_FAILED)  # no network in tests

    monkeypatch.setattr("toolbox.core.net.fetcher.check_target", refuse)
    client = make_app(TOOLBOX_RATELIMIT_DEFAULT="3/minute", TOOLBOX_RATELIMIT_FETCH="10/minute").test_client()
    url = {"url": "https://fetch-target.test/"}
    assert [client.post("/api/v1/headers/check", json=url).status_code for _ in range(3)] == [422] * 3
    assert client.get("/").status_code == 429
