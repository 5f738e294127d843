"""Meta-test: every route, every error and every static file sends the full security header set."""

from __future__ import annotations

import re

import pytest
from flask import Flask
from flask.testing import FlaskClient
from werkzeug.test import TestResponse

from tests.web.testapi import add_test_api
from toolbox.web.security import CONTENT_SECURITY_POLICY, SECURITY_HEADERS

EXPECTED_CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'"
)


def assert_hardened(response: TestResponse) -> None:
    for name, value in SECURITY_HEADERS.items():
        assert response.headers.get(name) == value, name
    assert response.headers["Content-Security-Policy"] == EXPECTED_CSP
    assert response.headers["Strict-Transport-Security"] == "max-age=63072000; includeSubDomains"
    assert "Set-Cookie" not in response.headers
    assert "HX-Request" in response.headers.get("Vary", "")
    assert "Server" not in response.headers or not re.search(r"\d", response.headers["Server"])


def test_csp_is_exactly_the_designed_policy() -> None:
    assert CONTENT_SECURITY_POLICY == EXPECTED_CSP
    assert "unsafe" not in CONTENT_SECURITY_POLICY


def test_permissions_policy_denies_powerful_features() -> None:
    policy = SECURITY_HEADERS["Permissions-Policy"]
    for feature in ("camera", "microphone", "geolocation", "payment", "usb"):
        assert f"{feature}=()" in policy
    assert all(item.strip().endswith("=()") for item in policy.split(","))


def _every_rule_response(app: Flask, client: FlaskClient) -> list[tuple[str, TestResponse]]:
    results = []
    for rule in app.url_map.iter_rules():
        if rule.endpoint == "static":
            continue
        for method in sorted((rule.methods or set()) - {"HEAD", "OPTIONS"}):
            if rule.arguments:
                pytest.fail(f"add a sample for {rule.rule}")
            if method == "GET":
                response = client.get(rule.rule)
            else:
                response = client.open(rule.rule, method=method, json={})
            results.append((f"{method} {rule.rule}", response))
    return results


def test_every_route_sends_the_headers(make_app) -> None:  # type: ignore[no-untyped-def]
    app = add_test_api(make_app())
    client = app.test_client()
    results = _every_rule_response(app, client)
    assert len(results) >= 6
    for label, response in results:
        assert response.status_code < 500, label
        assert_hardened(response)
        assert response.headers["Cache-Control"] == "no-store", label


def test_static_files_send_the_headers_and_cache_long_when_versioned(client: FlaskClient) -> None:
    page = client.get("/").get_data(as_text=True)
    urls = re.findall(r'(?:href|src)="(/static/[^"]+)"', page)
    assert any("htmx.min.js" in u for u in urls) and any("app.css" in u for u in urls)
    for url in urls:
        response = client.get(url.replace("&amp;", "&"))
        assert response.status_code == 200, url
        assert_hardened(response)
        assert response.headers["Cache-Control"] == "public, max-age=31536000, immutable"
    unversioned = client.get("/static/css/app.css")
    assert_hardened(unversioned)
    assert unversioned.headers["Cache-Control"] == "no-cache"
    missing = client.get("/static/nope.js")
    assert missing.status_code == 404
    assert_hardened(missing)


@pytest.mark.parametrize(
    ("method", "path", "kwargs", "status"),
    [
        ("GET", "/no-such-page", {}, 404),
        ("GET", "/api/v1/no-such-thing", {}, 404),
        ("DELETE", "/", {}, 405),
        ("POST", "/api/v1/test/echo", {"headers": {"Sec-Fetch-Site": "cross-site"}}, 403),
        ("POST", "/api/v1/test/echo", {"data": "x" * 3000, "content_type": "application/json"}, 413),
        ("POST", "/api/v1/test/echo", {"data": "{", "content_type": "application/json"}, 400),
        ("POST", "/api/v1/test/echo", {"json": {"text": 1}}, 422),
        ("POST", "/api/v1/test/echo", {"json": {"text": "boom"}}, 500),
    ],
)
def test_error_responses_send_the_headers(make_app, method, path, kwargs, status) -> None:  # type: ignore[no-untyped-def]
    app = add_test_api(make_app(TOOLBOX_MAX_BODY_BYTES="2k"))
    response = app.test_client().open(path, method=method, **kwargs)
    assert response.status_code == status
    assert_hardened(response)
    assert response.headers["Cache-Control"] == "no-store"


def test_rate_limited_response_sends_the_headers(make_app) -> None:  # type: ignore[no-untyped-def]
    client = make_app(TOOLBOX_RATELIMIT_DEFAULT="1/minute").test_client()
    assert client.get("/").status_code == 200
    response = client.get("/")
    assert response.status_code == 429
    assert_hardened(response)


def test_no_cookie_even_if_code_tries_to_set_one(make_app) -> None:  # type: ignore[no-untyped-def]
    app = make_app()

    @app.get("/sets-cookie")
    def sets_cookie() -> object:
        from flask import make_response

        response = make_response("x")
        response.set_cookie("tracker", "1")
        return response

    response = app.test_client().get("/sets-cookie")
    assert "Set-Cookie" not in response.headers
    assert_hardened(response)
