"""Rate limits shared through Redis by two `toolbox serve` instances, and Redis going away."""

from __future__ import annotations

import http.client
import json
import shutil
from collections.abc import Iterator
from contextlib import ExitStack
from dataclasses import dataclass

import pytest

from tests.servers import Server, start_redis, start_toolbox
from toolbox.web.security import CONTENT_SECURITY_POLICY

pytestmark = pytest.mark.server

LIMIT = 6  # TOOLBOX_RATELIMIT_DEFAULT=6/minute


@dataclass
class Stack:
    """One redis-server and two app instances that share it."""

    redis: Server
    apps: tuple[Server, Server]


@pytest.fixture
def stack() -> Iterator[Stack]:
    with ExitStack() as cleanup:
        redis = start_redis()
        cleanup.callback(shutil.rmtree, redis.log_path.parent, ignore_errors=True)
        cleanup.callback(redis.stop)
        env = {
            "TOOLBOX_RATELIMIT_STORAGE": f"redis://127.0.0.1:{redis.port}/0",
            "TOOLBOX_RATELIMIT_DEFAULT": f"{LIMIT}/minute",
        }
        first = start_toolbox(env)
        cleanup.callback(first.log_path.unlink, missing_ok=True)
        cleanup.callback(first.stop)
        second = start_toolbox(env)
        cleanup.callback(second.log_path.unlink, missing_ok=True)
        cleanup.callback(second.stop)
        yield Stack(redis, (first, second))


def fetch(server: Server, path: str) -> tuple[http.client.HTTPResponse, bytes]:
    """GET `path` on a fresh connection; the response (headers kept) and its body."""
    connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=10)
    try:
        connection.request("GET", path)
        response = connection.getresponse()
        return response, response.read()
    finally:
        connection.close()


def assert_retry_after(response: http.client.HTTPResponse) -> None:
    retry_after = response.getheader("Retry-After", "")
    assert retry_after.isdigit(), retry_after
    assert 0 < int(retry_after) <= 60


def app_errors(server: Server) -> list[str]:
    """Log lines recording an unhandled exception in the app (a 500)."""
    return [line for line in server.log().splitlines() if '"event": "error"' in line]


def test_two_instances_share_one_limit(stack: Stack) -> None:
    apps = stack.apps
    statuses = [fetch(apps[i % 2], "/")[0].status for i in range(LIMIT)]
    assert statuses == [200] * LIMIT

    # The 7th request overall is only the 4th this instance has seen: the count is shared.
    response, body = fetch(apps[LIMIT % 2], "/")
    assert response.status == 429
    assert_retry_after(response)
    assert response.getheader("Content-Type", "").startswith("text/html")
    assert b"Too many requests" in body and b"Try again in" in body
    assert response.getheader("Content-Security-Policy") == CONTENT_SECURITY_POLICY
    response, _ = fetch(apps[(LIMIT + 1) % 2], "/")
    assert response.status == 429

    # One budget per client across all routes (issue 8: it used to be 6 per route): the API
    # document is refused too, on both instances, in problem+json.
    assert fetch(apps[1], "/api/openapi.json")[0].status == 429
    response, body = fetch(apps[0], "/api/openapi.json")
    assert response.status == 429
    assert_retry_after(response)
    assert response.getheader("Content-Type") == "application/problem+json"
    problem = json.loads(body)
    assert problem["status"] == 429
    assert problem["title"] == "Too Many Requests"

    for app in apps:
        response, body = fetch(app, "/readyz")
        assert response.status == 200
        assert json.loads(body) == {"status": "ok", "checks": {"ratelimit_storage": "ok"}}
        # Health checks are never limited.
        assert fetch(app, "/healthz")[0].status == 200
        assert app_errors(app) == []


def test_redis_outage_falls_back_to_memory_limits(stack: Stack) -> None:
    apps = stack.apps
    for app in apps:
        assert fetch(app, "/readyz")[0].status == 200
        assert fetch(app, "/")[0].status == 200

    stack.redis.process.kill()
    stack.redis.process.wait(timeout=10)

    per_app: dict[int, list[int]] = {0: [], 1: []}
    for i in range(2 * (LIMIT + 3)):
        response, _ = fetch(apps[i % 2], "/")
        per_app[i % 2].append(response.status)
        if response.status == 429:
            assert_retry_after(response)
    for statuses in per_app.values():
        assert set(statuses) <= {200, 429}, statuses
        assert statuses[0] == 200
        # Each instance now counts on its own, in memory: the limit still applies.
        assert statuses[-1] == 429, statuses
        assert statuses.count(200) <= LIMIT + 1, statuses

    for app in apps:
        response, body = fetch(app, "/readyz")
        assert response.status == 200  # degraded, still in the load balancer
        assert response.getheader("Content-Type") == "application/json"
        assert json.loads(body) == {
            "status": "degraded",
            "checks": {"ratelimit_storage": "unreachable"},
        }
        response, body = fetch(app, "/healthz")
        assert response.status == 200
        assert json.loads(body) == {"status": "ok"}
        assert app_errors(app) == []
