"""Rate limits: per client IP by default, a stricter shared limit for fetch routes, 429 in 3 forms."""

from __future__ import annotations

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
    assert ready.status_code == 503
    assert ready.json["checks"]["ratelimit_storage"] == "unreachable"
    assert client.get("/healthz").status_code == 200


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
