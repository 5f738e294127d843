"""TOOLBOX_TRUSTED_PROXIES: X-Forwarded-* headers count only when the operator says so."""

from __future__ import annotations

from tests.web.testapi import add_test_api

FORWARDED = {"X-Forwarded-For": "203.0.113.9", "X-Forwarded-Proto": "https", "X-Forwarded-Host": "tools.example.com"}


def test_forwarded_headers_ignored_by_default(make_app, logs) -> None:  # type: ignore[no-untyped-def]
    client = make_app(TOOLBOX_RATELIMIT_DEFAULT="2/minute").test_client()
    # A client cannot dodge its limit by inventing X-Forwarded-For values.
    codes = [client.get("/", headers={"X-Forwarded-For": f"198.51.100.{i}"}).status_code for i in range(3)]
    assert codes == [200, 200, 429]
    assert {e["client"] for e in logs.entries if e.get("event") == "request"} == {"127.0.0.1"}


def test_one_trusted_proxy(make_app, logs) -> None:  # type: ignore[no-untyped-def]
    app = add_test_api(make_app(TOOLBOX_TRUSTED_PROXIES="1", TOOLBOX_ALLOWED_HOSTS="tools.example.com"))
    client = app.test_client()
    client.get("/", headers=FORWARDED)
    assert [e["client"] for e in logs.entries if e.get("event") == "request"] == ["203.0.113.9"]
    # Behind the TLS proxy the browser's Origin is https://tools.example.com: same origin.
    same = client.post("/api/v1/test/echo", json={"text": "a"},
                       headers={**FORWARDED, "Origin": "https://tools.example.com"})
    assert same.status_code == 200
    cross = client.post("/api/v1/test/echo", json={"text": "a"},
                        headers={**FORWARDED, "Origin": "https://evil.example"})
    assert cross.status_code == 403


def test_only_the_last_hop_is_trusted(make_app, logs) -> None:  # type: ignore[no-untyped-def]
    client = make_app(TOOLBOX_TRUSTED_PROXIES="1").test_client()
    client.get("/", headers={"X-Forwarded-For": "6.6.6.6, 203.0.113.9"})
    assert [e["client"] for e in logs.entries if e.get("event") == "request"] == ["203.0.113.9"]
