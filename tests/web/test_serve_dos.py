"""Slow, silent and malformed clients against `toolbox serve` (issue 8): no thread or poller stall.

One worker with 4 threads, so that a handful of connections would exhaust it. Bounds are
generous (a loaded 2-core machine): they tell "answers" from "blocked for good".
"""

from __future__ import annotations

import json
import math
import socket
import threading
import time
from collections.abc import Iterator

import pytest

from tests.servers import Server, start_toolbox
from toolbox.worker import BODY_MIN_RATE, READ_AHEAD_MAX, REQUEST_READ_DEADLINE

pytestmark = pytest.mark.server

THREADS = 4
KEEPALIVE = 5  # gunicorn_options: how long a connection may stay silent
SLACK = 8.0  # on top of the deadlines, for a loaded machine
CANARY = "CANARYdos7"


@pytest.fixture(scope="module")
def served() -> Iterator[Server]:
    server = start_toolbox({"TOOLBOX_THREADS": str(THREADS),
                            "TOOLBOX_RATELIMIT_DEFAULT": "100000/minute"}, workers=1)
    try:
        yield server
    finally:
        server.stop()
        server.log_path.unlink(missing_ok=True)


def connect(server: Server) -> socket.socket:
    return socket.create_connection(("127.0.0.1", server.port), timeout=10)


def healthz_latency(server: Server, timeout: float = 5.0) -> float:
    """Seconds until /healthz answers 200 on a new connection; infinity if it does not."""
    started = time.monotonic()
    try:
        with socket.create_connection(("127.0.0.1", server.port), timeout=timeout) as sock:
            sock.sendall(b"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
            if not sock.recv(64).startswith(b"HTTP/1.1 200"):
                return math.inf
    except OSError:
        return math.inf
    return time.monotonic() - started


def half_sent(server: Server, declared: int, sent: int) -> socket.socket:
    """A JSON API request whose body stops after `sent` of `declared` bytes."""
    sock = connect(server)
    sock.sendall((f"POST /api/v1/json/format HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                  f"Content-Type: application/json\r\nContent-Length: {declared}\r\n\r\n").encode()
                 + b" " * sent)
    return sock


def read_until_closed(sock: socket.socket, by: float) -> tuple[bytes, float | None]:
    """What the server sends until it closes, and when (monotonic); None if open at `by`."""
    data = b""
    while True:
        remaining = by - time.monotonic()
        if remaining <= 0:
            return data, None
        sock.settimeout(remaining)
        try:
            chunk = sock.recv(65536)
        except TimeoutError:
            return data, None
        except ConnectionResetError:
            return data, time.monotonic()
        if not chunk:
            return data, time.monotonic()
        data += chunk


def drip(sock: socket.socket, stop: threading.Event) -> None:
    """One body byte every 2 s: each recv() gets data well within any per-read timeout."""
    while not stop.wait(2.0):
        try:
            sock.sendall(b" ")
        except OSError:
            return


def test_half_sent_requests_hold_no_thread_and_end_at_the_read_deadline(served: Server) -> None:
    started = time.monotonic()
    small = [half_sent(served, declared=1000, sent=10) for _ in range(2 * THREADS)]
    dripping = half_sent(served, declared=1000, sent=1)
    stop = threading.Event()
    threading.Thread(target=drip, args=(dripping, stop), daemon=True).start()
    large: list[socket.socket] = []
    try:
        time.sleep(0.5)
        # Stock gthread: each of these blocks a thread in recv() forever, so /healthz never runs.
        latency = healthz_latency(served)
        assert latency < 3, f"/healthz took {latency} s behind {len(small) + 1} half-sent bodies"

        # A body larger than what is read ahead goes to a thread, under the same deadline.
        large = [half_sent(served, declared=4 * READ_AHEAD_MAX, sent=1000) for _ in range(THREADS)]
        by = started + REQUEST_READ_DEADLINE + SLACK
        for sock in [*small, dripping, *large]:
            data, closed = read_until_closed(sock, by)
            # The drip kept arriving, yet its request ended too: the deadline is a total.
            assert closed is not None, "the server still holds a half-sent request"
            assert data.startswith(b"HTTP/1.1 408"), data[:80]
            if sock in large:  # answered by the app (problem+json), never a 500
                assert json.loads(data.partition(b"\r\n\r\n")[2])["status"] == 408
        assert healthz_latency(served) < 3
    finally:
        stop.set()
        for sock in [*small, dripping, *large]:
            sock.close()
    text = served.log()
    assert '"level": "error"' not in text and "Traceback" not in text
    assert '"status": 500' not in text


def paced_upload(server: Server, lines: int, rate: float, results: dict[str, tuple[bytes, float]],
                 name: str) -> None:
    """POST `lines` NDJSON lines to the JSON Lines stream route at `rate` bytes a second; record the
    answer and how long after the first byte the server closed."""
    body = b"".join(b'{"i":%d}\n' % i for i in range(lines))
    sock = connect(server)
    started = time.monotonic()
    try:
        sock.sendall((f"POST /api/v1/json/lines/stream HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                      f"Content-Type: application/x-ndjson\r\nContent-Length: {len(body)}\r\n"
                      "Connection: close\r\n\r\n").encode())
        step = 16 * 1024
        for offset in range(0, len(body), step):
            delay = started + offset / rate - time.monotonic()
            if delay > 0:
                time.sleep(delay)
            sock.sendall(body[offset:offset + step])
    except OSError:
        pass  # the server gave up on the body: what it answered is read below
    data, closed = read_until_closed(sock, started + 60)
    sock.close()
    results[name] = (data, (closed or math.inf) - started)


def test_a_body_arriving_at_the_minimum_rate_may_outlast_the_read_deadline(served: Server) -> None:
    """A large upload keeps its thread past REQUEST_READ_DEADLINE while it arrives at least at
    BODY_MIN_RATE on average; a slower one still ends at the deadline with a 408."""
    seconds = REQUEST_READ_DEADLINE + 2  # the fast one must outlast the deadline to prove anything
    fast_rate = 3 * BODY_MIN_RATE
    fast_lines = int(seconds * fast_rate / len(b'{"i":1000000}\n'))
    slow_rate = BODY_MIN_RATE / 8
    results: dict[str, tuple[bytes, float]] = {}
    threads = [
        threading.Thread(target=paced_upload, args=(served, fast_lines, fast_rate, results, "fast")),
        threading.Thread(target=paced_upload, args=(served, fast_lines, slow_rate, results, "slow")),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(90)
    fast, fast_took = results["fast"]
    assert fast.startswith(b"HTTP/1.1 200"), fast[:200]
    answer = json.loads(fast.partition(b"\r\n\r\n")[2])
    assert answer["valid"] is True and answer["lines"] == fast_lines
    assert fast_took > REQUEST_READ_DEADLINE  # it did outlast the deadline
    slow, slow_took = results["slow"]
    assert slow.startswith(b"HTTP/1.1 408"), slow[:200]
    assert REQUEST_READ_DEADLINE - 1 < slow_took < REQUEST_READ_DEADLINE + SLACK
    assert healthz_latency(served) < 3
    text = served.log()
    assert '"status": 500' not in text and "Traceback" not in text


def test_unread_close_responses_do_not_block_the_poller(served: Server) -> None:
    """Clients that never read a `Connection: close` response, 3 a second (stock: 2 s stall each)."""
    stop = threading.Event()
    held: list[socket.socket] = []

    def attack() -> None:
        while not stop.is_set():
            sock = connect(served)
            sock.sendall(b"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
            held.append(sock)
            stop.wait(1 / 3)

    attacker = threading.Thread(target=attack, daemon=True)
    attacker.start()
    latencies = []
    try:
        time.sleep(0.5)
        end = time.monotonic() + 6
        while time.monotonic() < end:
            latencies.append(healthz_latency(served))
            time.sleep(0.1)
    finally:
        stop.set()
        attacker.join()
    try:
        # The unread response is whole and followed by the server's FIN (a graceful close).
        data, closed = read_until_closed(held[0], time.monotonic() + 5)
        assert closed is not None and data.startswith(b"HTTP/1.1 200")
        assert data.endswith(b'{"status":"ok"}\n'), data[-80:]
    finally:
        for sock in held:
            sock.close()
    latencies.sort()
    assert len(latencies) >= 20, latencies
    assert latencies[int(len(latencies) * 0.9)] < 1.0, latencies[-5:]


def test_silent_connections_wait_on_the_poller(served: Server) -> None:
    silent = [connect(served) for _ in range(3 * THREADS)]
    try:
        time.sleep(0.3)
        # Stock gthread: each silent connection holds a thread for 5 s, in batches of THREADS.
        latency = healthz_latency(served)
        assert latency < 3, f"/healthz took {latency} s behind {len(silent)} silent connections"
        by = time.monotonic() + KEEPALIVE + SLACK
        for sock in silent:
            data, closed = read_until_closed(sock, by)
            assert closed is not None and data == b""
    finally:
        for sock in silent:
            sock.close()


@pytest.mark.parametrize(
    ("raw", "error"),
    [
        (f"GET/?token={CANARY}1\r\nHost: 127.0.0.1\r\n\r\n", "InvalidRequestLine"),
        (f"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization Bearer {CANARY}2\r\n\r\n",
         "InvalidHeader"),
        (f"GET /?a=b HTTP/1.1 {CANARY}3\r\n\r\n", "InvalidHTTPVersion"),
    ],
    ids=["request-line", "header-line", "version"],
)
def test_invalid_requests_log_the_error_type_never_the_bytes(
    served: Server, raw: str, error: str
) -> None:
    with connect(served) as sock:
        sock.sendall(raw.encode())
        data, _ = read_until_closed(sock, time.monotonic() + 5)
    assert data.startswith(b"HTTP/1.1 400"), data[:80]
    deadline = time.monotonic() + 3
    while f'"error": "{error}"' not in served.log() and time.monotonic() < deadline:
        time.sleep(0.05)
    text = served.log()
    assert CANARY not in text
    entries = [json.loads(line) for line in text.splitlines() if line.strip()]
    assert any(entry.get("event") == "invalid-request" and entry.get("error") == error
               for entry in entries), text[-2000:]
