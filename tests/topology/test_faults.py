"""Faults under load: wrk through nginx while Redis dies and comes back, an instance crashes, another stops.

The topology of stack.py (nginx with deploy/nginx/toolbox.conf, two `toolbox serve` of two
workers each, one redis-server) carries wrk's mixed load (mixed.lua: a page with a result, the
JSON and JWT APIs, a tool page) from the first fault to the last. One test walks the timeline,
because each step starts from the state the one before left:

1. Redis is killed (SIGKILL): every request still answers 200 from in-memory limits, /readyz
   says "degraded", and each worker logs the fallback once;
2. Redis comes back (a new, empty redis-server on the same port): every worker logs its return
   once, and the counts are shared again, measured in Redis itself;
3. one instance crashes (SIGKILL to its master and workers): nginx sends its requests to the
   other (deploy/nginx/toolbox.conf retries POSTs too), Caddy as well; the instance restarts;
4. the other instance gets SIGTERM while a slow header check runs on it: that request finishes,
   gunicorn exits cleanly, nginx routes around it; it restarts.

Then wrk stops and every response it counted must be a 200: no 5xx, and no request lost beyond
those in flight when the instance was killed (nginx retries the others).
"""

from __future__ import annotations

import json
import re
import signal
import subprocess
import time
from collections.abc import Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import ExitStack
from http.server import BaseHTTPRequestHandler
from pathlib import Path

import jwt
import pytest

from tests.servers import Server, program_path, redis_cli, serve_loopback, start_redis, start_toolbox
from tests.topology.stack import Reply, Topology, start_topology

pytestmark = [pytest.mark.server, pytest.mark.xdist_group("faults")]

WRK_SCRIPT = Path(__file__).with_name("mixed.lua")
CONNECTIONS = 16
ENV = {
    # The limiter is asked on every request but never refuses wrk's one client address.
    "TOOLBOX_RATELIMIT_DEFAULT": "10000000/minute",
    "TOOLBOX_RATELIMIT_FETCH": "1000/minute",
    # Step 4's slow server is on loopback.
    "TOOLBOX_FETCH_ALLOW": "127.0.0.0/8",
    "TOOLBOX_FETCH_PORTS": "any",
}
FALLBACK = "Rate limit storage unreachable - falling back to in-memory storage"
RECOVERED = "Rate limit storage recovered"
SLOW_SECONDS = 3.0
JSON = {"Content-Type": "application/json"}


@pytest.fixture(scope="module")
def faults() -> Iterator[Topology]:
    with ExitStack() as cleanup:
        topology = start_topology(cleanup, env=ENV, workers=2)

        def stop_replacements() -> None:  # the test restarts Redis and instances: stop those too
            for server in (topology.redis, *topology.apps):
                server.stop()
                if server.log_path.name.startswith("toolbox-serve-"):
                    server.log_path.unlink(missing_ok=True)

        cleanup.callback(stop_replacements)
        yield topology


class Timeline:
    """What happened when, in seconds since the load started (printed with -s, asserted below)."""

    def __init__(self) -> None:
        self.start = time.monotonic()
        self.events: list[tuple[float, str]] = []

    def mark(self, event: str) -> float:
        at = round(time.monotonic() - self.start, 2)
        self.events.append((at, event))
        print(f"{at:7.2f} s  {event}")
        return at


def start_wrk(url: str, token: str) -> subprocess.Popen[str]:
    """wrk with mixed.lua on `url` until SIGINT (then it prints its FAULTS_JSON line)."""
    return subprocess.Popen(  # noqa: S603
        [program_path("wrk", "wrk"), "-t2", f"-c{CONNECTIONS}", "-d600s", "--timeout", "15s",
         "-s", str(WRK_SCRIPT), url, "--", token],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def stop_wrk(wrk: subprocess.Popen[str]) -> dict[str, object]:
    wrk.send_signal(signal.SIGINT)
    stdout, stderr = wrk.communicate(timeout=30)
    line = next((x for x in stdout.splitlines() if x.startswith("FAULTS_JSON ")), None)
    assert line is not None, (wrk.returncode, stdout, stderr)
    result: dict[str, object] = json.loads(line.removeprefix("FAULTS_JSON "))
    return result


def log_lines(app: Server, message: str) -> list[dict[str, object]]:
    """The instance's JSON log entries whose message starts with `message`."""
    # Lines are matched as text first: parsing every request line while the load runs would
    # take the CPU the instances need.
    entries = [json.loads(line) for line in app.log().splitlines() if message in line]
    return [e for e in entries if str(e.get("message", "")).startswith(message)]


def wait_for(condition: str, check: object, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while not check():  # type: ignore[operator]
        assert time.monotonic() < deadline, f"not within {timeout} s: {condition}"
        time.sleep(0.1)


def limit_count(redis_port: int, client: str) -> int:
    """The shared counter of `client` in Redis (flask-limiter's key names the client's address)."""
    keys = [k for k in redis_cli(redis_port, "--scan", "--pattern", f"*ip:{client}*").split() if k]
    assert len(keys) == 1, keys
    return int(redis_cli(redis_port, "get", keys[0]))


class SlowHandler(BaseHTTPRequestHandler):
    """A site that takes SLOW_SECONDS to send its headers: a header check of it stays in flight."""

    def do_GET(self) -> None:  # noqa: N802 - http.server's naming
        time.sleep(SLOW_SECONDS)
        self.send_response(200)
        self.send_header("Content-Type", "text/html")
        self.send_header("Content-Length", "2")
        self.end_headers()
        self.wfile.write(b"ok")

    def log_message(self, *args: object) -> None:
        pass


def rejoin(stack: Topology, app: Server, timeout: float = 15) -> None:
    """Wait until nginx routes requests to `app` again."""
    upstream = f"127.0.0.1:{app.port}"
    wait_for(f"nginx routes to {upstream}", lambda: any(
        stack.https("GET", "/healthz", source="127.0.3.4").header("X-Test-Upstream") == upstream
        for _ in range(2)), timeout)


def direct_check(app: Server, url: str) -> Reply:
    """A header check of `url` sent straight to one instance (so it is that instance's in-flight work)."""
    import http.client

    connection = http.client.HTTPConnection("127.0.0.1", app.port, timeout=30)
    try:
        connection.request("POST", "/api/v1/headers/check", body=json.dumps({"url": url}),
                           headers={**JSON, "Host": "localhost"})
        response = connection.getresponse()
        return Reply(response.status, response.getheaders(), response.read())
    finally:
        connection.close()


def test_faults_under_load(faults: Topology) -> None:
    stack = faults
    token = jwt.encode({"sub": "load", "iat": 1700000000}, "a-secret-of-at-least-32-bytes-length!", "HS256")
    workers = {index: set(app.children()) for index, app in enumerate(stack.apps)}
    assert all(len(pids) == 2 for pids in workers.values()), workers
    timeline = Timeline()
    wrk = start_wrk(f"https://localhost:{stack.https_port}", token)
    try:
        time.sleep(2)
        timeline.mark("load running")

        # 1. Redis dies.
        old_redis = stack.redis
        old_redis.crash()
        timeline.mark("redis-server killed (SIGKILL)")
        wait_for("every worker logs the fallback",
                 lambda: all(len(log_lines(app, FALLBACK)) >= 2 for app in stack.apps), 10)
        timeline.mark("all 4 workers fell back to in-memory limits")
        ready = stack.https("GET", "/readyz", source="127.0.3.1")
        assert ready.status == 200
        assert ready.json() == {"status": "degraded", "checks": {"ratelimit_storage": "unreachable"}}
        time.sleep(2)

        # 2. Redis comes back, empty, on the same port.
        stack.redis = start_redis(port=old_redis.port)
        back = timeline.mark("redis-server back (empty)")
        wait_for("every worker returns to Redis",
                 lambda: all(len(log_lines(app, RECOVERED)) >= 2 for app in stack.apps), 45)
        recovered = timeline.mark("all 4 workers back on Redis")
        print(f"          recovery took {recovered - back:.2f} s (flask-limiter checks after 1, 2, 4 … s)")
        # Shared again, measured where the count lives: requests through nginx reach both
        # instances, and Redis holds one counter with all of them.
        client, sent = "127.0.3.2", 12
        replies = [stack.https("GET", "/headers/", source=client) for _ in range(sent)]
        assert {r.status for r in replies} == {200}
        assert {r.header("X-Test-Upstream") for r in replies} == {f"127.0.0.1:{app.port}" for app in stack.apps}
        assert limit_count(stack.redis.port, client) == sent
        ready = stack.https("GET", "/readyz", source=client)
        assert ready.json() == {"status": "ok", "checks": {"ratelimit_storage": "ok"}}
        timeline.mark(f"{sent} requests over both instances counted once each in Redis: {sent}")
        for app, pids in zip(stack.apps, workers.values(), strict=True):
            # One line per worker and per transition, whatever the threads raced to log.
            assert sorted(int(str(e["pid"])) for e in log_lines(app, FALLBACK)) == sorted(pids)
            assert sorted(int(str(e["pid"])) for e in log_lines(app, RECOVERED)) == sorted(pids)

        # 3. One instance crashes; nginx (and Caddy) send everything to the other.
        crashed = stack.apps[1]
        crashed.crash()
        timeline.mark("instance 2 killed (SIGKILL to master and workers)")
        caddy_replies = [stack.https("POST", "/api/v1/json/format", source="127.0.3.3", proxy="caddy",
                                     headers=JSON, body=b'{"text": "[1]"}') for _ in range(8)]
        assert [r.status for r in caddy_replies] == [200] * 8, stack.caddy.log()[-2000:]
        time.sleep(2)
        stack.apps[1] = start_toolbox(crashed.env, port=crashed.port)
        timeline.mark("instance 2 restarted")
        # nginx tries a failed instance again after fail_timeout (10 s by default): only then
        # may the other one go (docs/deployment.md, rolling restarts).
        rejoin(stack, stack.apps[1])
        timeline.mark("nginx sends requests to instance 2 again")
        # nginx saw the instance go (the requests it had in flight, then refused connections)
        # and sent those requests to the other one: wrk's count below has them all as 200.
        assert re.search(rf"\[error\].*(upstream prematurely closed|Connection refused).*"
                         rf'upstream: "http://127.0.0.1:{crashed.port}/', stack.nginx.log())

        # 4. SIGTERM to the other instance while it works on a slow header check.
        with serve_loopback(SlowHandler) as slow, ThreadPoolExecutor(1) as pool:
            stopping = stack.apps[0]
            url = f"http://127.0.0.1:{slow.server_address[1]}/"
            in_flight: Future[Reply] = pool.submit(direct_check, stopping, url)
            time.sleep(1)
            stopping.process.send_signal(signal.SIGTERM)
            timeline.mark("instance 1 sent SIGTERM with a 3 s header check in flight")
            finished = in_flight.result(timeout=30)
            timeline.mark(f"the in-flight header check answered {finished.status}")
            assert finished.status == 200, finished.body[:300]
            assert finished.json()["final_url"] == url  # type: ignore[index]
            assert stopping.process.wait(timeout=20) == 0
            timeline.mark("instance 1 exited (status 0)")
        stack.apps[0] = start_toolbox(stopping.env, port=stopping.port)
        timeline.mark("instance 1 restarted")
        rejoin(stack, stack.apps[0])
        timeline.mark("nginx sends requests to instance 1 again")
    finally:
        result = stop_wrk(wrk)
    timeline.mark("load stopped")

    by_second = result["by_second"]
    assert isinstance(by_second, dict)
    statuses: dict[str, int] = {}
    for key, count in by_second.items():
        statuses[key.partition(":")[2]] = statuses.get(key.partition(":")[2], 0) + int(count)
    first = min(int(key.partition(":")[0]) for key in by_second)
    per_second = {}
    for key, count in sorted(by_second.items()):
        second, _, status = key.partition(":")
        per_second.setdefault(int(second) - first, {})[status] = count
    print("wrk:", json.dumps({k: v for k, v in result.items() if k != "by_second"}))
    print("per second:", " ".join(f"{s}:{sum(c.values())}" for s, c in sorted(per_second.items())))
    # Every answer was a 200. No request was lost beyond those in flight when an instance was
    # killed: nginx retries what it had not started to answer (read/write errors are responses cut
    # off mid-way by the SIGKILL, at most one per connection); no connection refused, none timed out.
    assert statuses == {"200": result["requests"]}, statuses
    errors = result["errors"]
    assert isinstance(errors, dict)
    assert (errors["connect"], errors["status"], errors["timeout"]) == (0, 0, 0), errors
    assert errors["read"] + errors["write"] <= CONNECTIONS, errors
    assert int(str(result["requests"])) > 500
    assert_no_app_errors(stack)


def assert_no_app_errors(stack: Topology) -> None:
    """No request ended in an unexpected exception on any instance (flask-limiter lines aside)."""
    for app in stack.apps:
        for line in app.log().splitlines():
            if line.startswith("{"):
                entry = json.loads(line)
                assert not (entry.get("event") == "request" and int(entry.get("status", 0)) >= 500), entry
    # nginx's errors are the two instances going away, nothing else.
    for line in stack.nginx.log().splitlines():
        if "[error]" in line:
            assert re.search(r"upstream prematurely closed|Connection refused|Connection reset", line), line
