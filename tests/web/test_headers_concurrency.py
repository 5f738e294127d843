"""A slow site does not hold up the server: 20 concurrent checks while /healthz stays fast."""

from __future__ import annotations

import json
import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from tests.servers import serve_loopback, start_toolbox

pytestmark = pytest.mark.server


class Slow(BaseHTTPRequestHandler):
    """Answers every request after two seconds."""

    def do_GET(self) -> None:  # noqa: N802
        time.sleep(2)
        body = b"<!doctype html><title>slow</title>"
        self.send_response(200)
        self.send_header("Content-Type", "text/html")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


def test_twenty_slow_checks_do_not_stall_healthz() -> None:
    with serve_loopback(Slow) as slow:
        _check_concurrently(slow)


def _check_concurrently(slow: ThreadingHTTPServer) -> None:
    server = start_toolbox({"TOOLBOX_FETCH_ALLOW": "127.0.0.0/8", "TOOLBOX_FETCH_PORTS": "any",
                            "TOOLBOX_RATELIMIT_FETCH": "1000/minute", "TOOLBOX_RATELIMIT_DEFAULT": "10000/minute",
                            "TOOLBOX_THREADS": "32"}, workers=2)
    target = f"http://127.0.0.1:{slow.server_address[1]}/"
    body = json.dumps({"url": target}).encode()

    def check(_: int) -> int:
        request = urllib.request.Request(f"{server.url}/api/v1/headers/check", data=body,
                                         headers={"Content-Type": "application/json"})
        with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310 - loopback
            return response.status

    try:
        started = time.monotonic()
        with ThreadPoolExecutor(max_workers=20) as pool:
            futures = [pool.submit(check, i) for i in range(20)]
            latencies = []
            time.sleep(0.3)  # let the checks start
            while not all(f.done() for f in futures) and len(latencies) < 200:
                t = time.monotonic()
                with urllib.request.urlopen(f"{server.url}/healthz", timeout=5) as response:  # noqa: S310
                    assert response.status == 200
                latencies.append(time.monotonic() - t)
                time.sleep(0.05)
            statuses = [f.result() for f in futures]
        elapsed = time.monotonic() - started
        assert statuses == [200] * 20
        assert elapsed < 5.0, elapsed
        latencies.sort()
        assert len(latencies) >= 10
        p99 = latencies[min(len(latencies) - 1, int(len(latencies) * 0.99))]
        # A stalled worker answers after the slow site (2 s); 0.5 s leaves room for a loaded CI machine
        # running other test workers beside this one (xdist), where 0.1 s failed now and then.
        assert p99 < 0.5, latencies[-5:]
    finally:
        server.stop()
