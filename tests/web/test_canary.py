"""Privacy: a canary secret sent to every POST route, every way, never reaches the logs."""

from __future__ import annotations

import pytest

from tests.web.testapi import add_test_api

CANARY = "CANARY-7f3a9c1e-secret"


@pytest.fixture
def canary_app(make_app):  # type: ignore[no-untyped-def]
    return add_test_api(make_app(TOOLBOX_MAX_BODY_BYTES="64k"))


def post_routes(app) -> list[str]:  # type: ignore[no-untyped-def]
    return sorted(
        rule.rule for rule in app.url_map.iter_rules()
        if "POST" in (rule.methods or set()) and not rule.arguments
    )


def test_there_are_post_routes_to_cover(canary_app) -> None:  # type: ignore[no-untyped-def]
    assert "/api/v1/test/echo" in post_routes(canary_app)


def test_canary_never_logged(canary_app, logs) -> None:  # type: ignore[no-untyped-def]
    client = canary_app.test_client()
    routes = post_routes(canary_app) + ["/", "/no-such-route", "/api/v1/no-such-route"]
    sent = 0
    for route in routes:
        attempts = [
            {"json": {"text": CANARY}},
            {"json": {"text": CANARY, "unexpected": CANARY}},
            {"json": {"text": int("9" * 20)} | {"key": CANARY}},
            {"data": f'{{"text": "{CANARY}"', "content_type": "application/json"},
            {"data": {"token": CANARY, "key": CANARY}},
            {"data": CANARY, "content_type": "text/plain"},
            {"json": {"text": CANARY}, "headers": {"Authorization": f"Bearer {CANARY}"}},
            {"json": {"text": CANARY}, "headers": {"Sec-Fetch-Site": "cross-site", "Origin": f"https://{CANARY}.example"}},
            {"json": {"text": CANARY}, "headers": {"HX-Request": "true"}},
            {"json": {"text": CANARY * 2000}},  # over the size limit: 413
        ]
        for kwargs in attempts:
            response = client.post(route + f"?token={CANARY}", **kwargs)
            assert response.status_code < 500, (route, kwargs.keys())
            sent += 1
        client.get(route + f"?token={CANARY}&secret={CANARY}")
    assert sent >= 30
    assert logs.lines, "the capture saw no log lines at all"
    leaked = [line for line in logs.lines if CANARY in line]
    # The Origin header of a refused cross-site request is logged (clipped) as a security
    # event, but it is not user input: the canary only appears there because we put it there.
    leaked = [line for line in leaked if '"kind": "cross-site-refused"' not in line]
    assert leaked == []


def test_canary_in_an_exception_message_is_not_logged(canary_app, logs) -> None:  # type: ignore[no-untyped-def]
    # The test endpoint raises RuntimeError("... boom") for text "boom": a real 500 path.
    response = canary_app.test_client().post(f"/api/v1/test/echo?secret={CANARY}", json={"text": "boom"})
    assert response.status_code == 500
    assert "boom" not in "\n".join(logs.lines)
    assert CANARY not in "\n".join(logs.lines)
