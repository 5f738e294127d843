"""Load, soak and hostile-target benchmark of the deployment an operator runs (`make bench-load`).

Starts the topology of tests/topology/stack.py (redis-server, two `toolbox serve` with 2 gunicorn
workers × 32 threads each, nginx terminating TLS with deploy/nginx/toolbox.conf, and Caddy) with
production settings except that the rate limits are raised so they are consulted but never trip,
then drives it through nginx over TLS with wrk (-t2 -c64 --latency, bench/load.lua):

1. per endpoint: every API operation (listed from /api/openapi.json; the header check with pasted
   headers, never a URL) with a realistic valid body, and every tool page, each checked once
   (status and content) and then loaded for --duration seconds;
2. soak: two consecutive --duration runs of all of them mixed; each worker's RSS after each run;
3. hostile targets: four loopback servers (never answers, drips a byte a second, endless headers,
   endless body) checked by URL, several at a time and repeatedly, while wrk loads the JWT
   decoder; its p99 compared with a baseline run of the same length just before.

gunicorn workers are watched all along (children of each instance's master, from /proc) and the
instances' logs read: planned recycles (max_requests) and crashes/timeouts are told apart.

Exit status: 0 every criterion holds, 1 one fails (named), 2 the run is not valid. Tables on stdout,
JSON in bench/out/load-<time>.json and load-latest.json. Every process is stopped on the way out.

    .venv/bin/python bench/load.py                 # or: make bench-load (~25 minutes)
    .venv/bin/python bench/load.py --quick         # 5 s runs, to try it (~4 minutes)
"""

# Runs fixed local programs (wrk) and talks only to loopback servers it started.
# ruff: noqa: S603

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import resource
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import asdict, dataclass, field
from http.server import BaseHTTPRequestHandler
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.http_decode import git_state, make_tokens  # noqa: E402
from tests.servers import Server, serve_loopback  # noqa: E402
from tests.topology.stack import SERVER_NAME, LoopbackHTTPS, Reply, Topology, exchange, start_topology  # noqa: E402

OUT = ROOT / "bench" / "out"
LUA = ROOT / "bench" / "load.lua"

# Production settings (docs/configuration.md) except the limits: consulted, never reached.
ENV = {
    "TOOLBOX_THREADS": "32",
    "TOOLBOX_LOG_LEVEL": "INFO",
    "TOOLBOX_RATELIMIT_DEFAULT": "100000000/minute",
    "TOOLBOX_RATELIMIT_FETCH": "100000000/minute",
    "TOOLBOX_MAX_BODY_BYTES": "1M",
    "TOOLBOX_FETCH_ALLOW": "127.0.0.0/8",  # the hostile servers of phase 3 are on loopback
    "TOOLBOX_FETCH_PORTS": "any",
}
WORKERS = 2

FETCH_TOTAL_S = 10.0  # FetchPolicy.total_timeout (toolbox/core/net/model.py)
CHECK_MARGIN_S = 2.0  # a check may take the fetch budget plus this (request, grading, proxies)
RSS_GROWTH = 0.10  # per worker, between the soak runs and across the hostile phase
P99_FACTOR, P99_SLACK_MS = 1.5, 5.0  # decode p99 with hostile checks ≤ 1.5 × baseline + 5 ms
OK_STATUSES = frozenset({429})  # besides 2xx
OTHER_NOTE = 0.2  # cores used by processes outside the benchmark worth a note


class InvalidRun(Exception):
    """The measurement cannot be trusted (exit status 2)."""


# --- what is loaded -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Target:
    """One request wrk replays, and what its answer must look like (checked once before loading)."""

    name: str
    method: str
    path: str
    body: bytes | None = None
    check: Callable[[Reply], str | None] = field(default=lambda reply: None, repr=False, compare=False)


def expect_json(predicate: Callable[[Any], bool], what: str) -> Callable[[Reply], str | None]:
    """A check: the answer is JSON for which `predicate` holds (else: `what` was expected)."""

    def check(reply: Reply) -> str | None:
        try:
            ok = predicate(reply.json())
        except (ValueError, KeyError, TypeError, IndexError):
            ok = False
        return None if ok else f"expected {what}, got {reply.body[:300]!r}"

    return check


def expect_html(*words: str) -> Callable[[Reply], str | None]:
    """A check: the answer is an HTML page containing every one of `words`."""

    def check(reply: Reply) -> str | None:
        text = reply.body.decode("utf-8", "replace")
        missing = [w for w in ("<!doctype html", *words) if w.lower() not in text.lower()]
        return f"page lacks {missing}" if missing else None

    return check


def api_targets() -> list[Target]:
    """A realistic valid body for every API operation (the header checks with pasted headers)."""
    import jwt
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import rsa

    from toolbox.core.json.samples import FORMAT_SAMPLES, VALIDATE_SAMPLES
    from toolbox.web.headers_tool import SAMPLES as HEADER_SAMPLES

    hs256 = make_tokens()["HS256"]  # random 32-byte secret: the audit tries every weak secret
    claims = jwt.decode(hs256, options={"verify_signature": False})
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    public_pem = key.public_key().public_bytes(serialization.Encoding.PEM,
                                               serialization.PublicFormat.SubjectPublicKeyInfo).decode()
    rs256 = jwt.encode(claims, key, algorithm="RS256", headers={"kid": "2024-10-rsa-1"})
    url, raw = HEADER_SAMPLES["shop"]
    order, signup = FORMAT_SAMPLES["order"], VALIDATE_SAMPLES["signup"]

    def body(value: dict[str, Any]) -> bytes:
        return json.dumps(value).encode()

    return [
        Target("jwt/decode", "POST", "/api/v1/jwt/decode", body({"token": hs256}),
               expect_json(lambda r: r["kind"] == "jws" and r["header"]["alg"] == "HS256" and not r["errors"],
                           "a decoded HS256 JWS")),
        Target("jwt/verify", "POST", "/api/v1/jwt/verify",
               body({"token": rs256, "key": public_pem, "audience": claims["aud"], "issuer": claims["iss"]}),
               expect_json(lambda r: r["verified"] is True and r["claims_valid"] is True,
                           "verified: true, claims_valid: true")),
        Target("jwt/encode", "POST", "/api/v1/jwt/encode",
               body({"payload": claims, "alg": "HS256", "key": "bench-secret-" + "x" * 32}),
               expect_json(lambda r: r["token"].count(".") == 2, "a signed token")),
        Target("jwt/keys", "POST", "/api/v1/jwt/keys", body({"kind": "P-256"}),
               expect_json(lambda r: "BEGIN PRIVATE KEY" in r["private_pem"], "a P-256 key pair")),
        Target("json/format", "POST", "/api/v1/json/format", body({"text": order.text, "mode": "pretty"}),
               expect_json(lambda r: r["output"].startswith("{\n"), "pretty-printed output")),
        Target("json/validate", "POST", "/api/v1/json/validate",
               body({"instance": signup.instance, "schema": signup.schema}),
               expect_json(lambda r: r["valid"] is False and len(r["errors"]) == 3,
                           "valid: false, 3 errors")),
        Target("headers/check", "POST", "/api/v1/headers/check", body({"raw": raw, "url": url}),
               expect_json(lambda r: r["grade"] and r["final_url"] == url, "a grade of the pasted headers")),
        Target("headers/compare", "POST", "/api/v1/headers/compare",
               body({"a": {"raw": raw, "url": url}, "b": {"raw": raw + HARDENED, "url": url}}),
               expect_json(lambda r: r["grade_a"] and r["grade_b"] and r["score_delta"] > 0,
                           "both grades and a positive score_delta")),
    ]


# Headers the shop sample lacks: the "after" side of the headers/compare body.
HARDENED = "x-frame-options: DENY\ncross-origin-opener-policy: same-origin\n"

PAGES = [
    Target("page /", "GET", "/", check=expect_html("Toolbox")),
    Target("page /jwt/", "GET", "/jwt/", check=expect_html("JWT decoder")),
    Target("page /jwt/?sample=hs256", "GET", "/jwt/?sample=hs256", check=expect_html("Verified")),
    Target("page /jwt/encode", "GET", "/jwt/encode", check=expect_html("Build and sign a JWT")),
    Target("page /json/", "GET", "/json/", check=expect_html("JSON formatter")),
    Target("page /json/?sample=order", "GET", "/json/?sample=order",
           check=expect_html("Formatted", "order_id")),
    Target("page /json/validate", "GET", "/json/validate", check=expect_html("JSON Schema validator")),
    Target("page /json/validate?sample=signup", "GET", "/json/validate?sample=signup",
           check=expect_html("3 errors")),
    Target("page /headers/", "GET", "/headers/", check=expect_html("Security-header checker")),
    Target("page /headers/?sample=shop", "GET", "/headers/?sample=shop",
           check=expect_html("shop.example.com")),
    Target("page /headers/algorithm", "GET", "/headers/algorithm", check=expect_html("How the header grade")),
]


def check_operations(topology: Topology, targets: list[Target]) -> list[str]:
    """The app's API operations (from /api/openapi.json) are exactly the ones `targets` load."""
    reply = topology.https("GET", "/api/openapi.json")
    if reply.status != 200:
        raise InvalidRun(f"/api/openapi.json answered {reply.status}")
    document: Any = reply.json()
    served = sorted(path for path in document["paths"] if path.startswith("/api/v1/"))
    loaded = sorted(t.path for t in targets if t.path.startswith("/api/v1/"))
    if served != loaded:
        raise InvalidRun(f"the app serves {served}, the benchmark loads {loaded}: add or remove bodies "
                         "in api_targets()")
    return served


def verify_targets(topology: Topology, targets: list[Target]) -> None:
    """Each request answers 200 with the expected content through nginx before it is loaded."""
    for target in targets:
        headers = {"Content-Type": "application/json"} if target.body is not None else None
        reply = topology.https(target.method, target.path, headers=headers, body=target.body)
        problem = (f"status {reply.status}: {reply.body[:300]!r}" if reply.status != 200
                   else target.check(reply))
        if problem:
            raise InvalidRun(f"{target.name}: {problem}")


# --- wrk ------------------------------------------------------------------------------------------


@dataclass
class WrkResult:
    """One wrk run: throughput, latency (ms), answers by status, socket errors."""

    name: str
    seconds: float
    requests: int
    rps: float
    p50_ms: float
    p99_ms: float
    max_ms: float
    statuses: dict[str, int]
    socket_errors: dict[str, int]
    cpu: dict[str, float] = field(default_factory=dict)

    @property
    def bad_statuses(self) -> dict[str, int]:
        """Answers other than 2xx and 429."""
        return {s: n for s, n in self.statuses.items() if not (s.startswith("2") or int(s) in OK_STATUSES)}

    @property
    def errors(self) -> int:
        return sum(self.socket_errors.values())

    @property
    def ok(self) -> bool:
        return not self.bad_statuses and not self.errors


class Wrk:
    """Runs wrk against nginx with bench/load.lua, from request manifests it writes in `workdir`."""

    def __init__(self, topology: Topology, workdir: Path, args: argparse.Namespace) -> None:
        self.url = f"https://{SERVER_NAME}:{topology.https_port}/"
        servers = [*topology.apps, topology.nginx, topology.redis, topology.caddy]
        self.roots = [server.process.pid for server in servers]
        self.workdir = workdir
        self.args = args
        self.written = 0

    def manifest(self, targets: list[Target]) -> Path:
        """A request file for load.lua: "METHOD PATH BODYFILE" per target."""
        lines = []
        for target in targets:
            body_file = "-"
            if target.body is not None:
                self.written += 1
                path = self.workdir / f"body-{self.written}.json"
                path.write_bytes(target.body)
                body_file = str(path)
            lines.append(f"{target.method} {target.path} {body_file}\n")
        self.written += 1
        path = self.workdir / f"requests-{self.written}.txt"
        path.write_text("".join(lines))
        return path

    def run(self, name: str, targets: list[Target], seconds: float) -> WrkResult:
        """wrk -t2 -c64 --latency for `seconds` on `targets` (rotated when several)."""
        command = [self.args.wrk, f"-t{self.args.wrk_threads}", f"-c{self.args.connections}",
                   f"-d{seconds:g}s", "--latency", "--timeout", "10s", "-s", str(LUA), self.url,
                   "--", str(self.manifest(targets))]
        before = CpuSample.take(self.roots)
        proc = subprocess.run(command, capture_output=True, text=True, timeout=seconds + 60, check=False)
        after = CpuSample.take(self.roots)
        line = next((ln for ln in proc.stdout.splitlines() if ln.startswith("LOAD_JSON ")), None)
        if proc.returncode != 0 or line is None:
            raise InvalidRun(f"wrk failed ({proc.returncode}) on {name}: {proc.stderr or proc.stdout}")
        data = json.loads(line.removeprefix("LOAD_JSON "))
        latency, errors = data["latency_us"], data["errors"]
        return WrkResult(
            name=name, seconds=seconds, requests=data["requests"],
            rps=data["requests"] / max(data["duration_us"] / 1e6, 1e-9),
            p50_ms=latency["p50"] / 1000, p99_ms=latency["p99"] / 1000, max_ms=latency["max"] / 1000,
            statuses=dict(sorted(data["statuses"].items())),
            socket_errors={k: v for k, v in errors.items() if k != "status" and v},
            cpu=after.cores_since(before, data["requests"]),
        )


# --- gunicorn workers: PIDs, RSS, and what the logs say -------------------------------------------


@dataclass(frozen=True)
class Proc:
    """A process's parent and CPU ticks: its own, and its reaped children's."""

    ppid: int
    ticks: int
    children_ticks: int


def processes() -> dict[int, Proc]:
    """Every process on the machine (from /proc/<pid>/stat)."""
    table = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        fields = stat[stat.rindex(")") + 2:].split()  # from the 3rd field (state) on
        table[int(entry.name)] = Proc(int(fields[1]), int(fields[11]) + int(fields[12]),
                                      int(fields[13]) + int(fields[14]))
    return table


def children(pid: int, table: dict[int, Proc] | None = None) -> list[int]:
    """PIDs whose parent is `pid`."""
    return sorted(child for child, proc in (table or processes()).items() if proc.ppid == pid)


def descendants(roots: list[int], table: dict[int, Proc]) -> set[int]:
    """`roots` and every process below them."""
    found, todo = set(), list(roots)
    while todo:
        pid = todo.pop()
        if pid in table and pid not in found:
            found.add(pid)
            todo += children(pid, table)
    return found


TICK = os.sysconf("SC_CLK_TCK")


@dataclass(frozen=True)
class CpuSample:
    """CPU seconds so far: the machine's busy time, the topology's processes, and wrk (reaped)."""

    at: float
    busy: float
    stack: float
    wrk: float

    @classmethod
    def take(cls, roots: list[int]) -> CpuSample:
        values = [int(x) for x in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
        table = processes()
        mine = descendants(roots, table)
        stack = sum(table[pid].ticks + table[pid].children_ticks for pid in mine)
        usage = resource.getrusage(resource.RUSAGE_CHILDREN)
        return cls(time.monotonic(), (sum(values) - values[3] - values[4]) / TICK, stack / TICK,
                   usage.ru_utime + usage.ru_stime)

    def cores_since(self, before: CpuSample, requests: int) -> dict[str, float]:
        """Average cores used since `before` by the stack, wrk and everything else; stack ms/request."""
        wall = self.at - before.at
        stack, wrk = self.stack - before.stack, self.wrk - before.wrk
        busy = self.busy - before.busy
        return {"stack_cores": stack / wall, "wrk_cores": wrk / wall, "busy_cores": busy / wall,
                "other_cores": max(0.0, busy - stack - wrk) / wall,
                "stack_ms_per_request": stack * 1000 / max(requests, 1)}


def rss_kb(pid: int) -> int | None:
    """VmRSS of `pid` in kB (None once it is gone)."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    except OSError:
        return None
    return None


# gunicorn's messages (gunicorn/arbiter.py, workers/gthread.py) and what they mean here.
RECYCLE = "Autorestarting worker"
CRASH_MESSAGES = ("WORKER TIMEOUT", "was sent SIG", "exited with code", "Exception in worker process")


class LogReader:
    """Reads an instance's stderr log (JSON lines + gunicorn's) from where it last stopped."""

    def __init__(self, server: Server) -> None:
        self.path = server.log_path
        self.offset = 0

    def new_entries(self) -> list[dict[str, Any]]:
        """Entries written since the last call; a line that is not JSON becomes {"message": line}."""
        with self.path.open("rb") as f:
            f.seek(self.offset)
            data = f.read()
        end = data.rfind(b"\n") + 1  # a line still being written is read next time
        self.offset += end
        entries = []
        for raw in data[:end].decode("utf-8", "replace").splitlines():
            try:
                entry = json.loads(raw)
            except ValueError:
                entry = None
            entries.append(entry if isinstance(entry, dict) else {"message": raw})
        return entries


@dataclass
class LogSummary:
    """What the instances logged during one stretch of the run."""

    requests: dict[str, int] = field(default_factory=dict)  # by status
    server_errors: list[str] = field(default_factory=list)  # "route status" of each 5xx
    recycles: int = 0
    crash_lines: list[str] = field(default_factory=list)
    error_lines: list[str] = field(default_factory=list)  # level error/critical, other than the above
    boots: int = 0
    exits: int = 0

    def add(self, entry: dict[str, Any]) -> None:
        message = str(entry.get("message", ""))
        if entry.get("event") == "request":
            status = int(entry.get("status", 0))
            self.requests[str(status)] = self.requests.get(str(status), 0) + 1
            if status >= 500:
                self.server_errors.append(f"{entry.get('method')} {entry.get('route')} {status}")
        elif RECYCLE in message:
            self.recycles += 1
        elif any(text in message for text in CRASH_MESSAGES):
            self.crash_lines.append(json.dumps(entry))
        elif entry.get("level") in ("error", "critical"):
            self.error_lines.append(json.dumps(entry))
        if "Booting worker" in message:
            self.boots += 1
        if "Worker exiting" in message:
            self.exits += 1


class Workers:
    """Watches every instance's gunicorn workers: PIDs every half second, RSS, and the logs."""

    def __init__(self, topology: Topology) -> None:
        self.apps = topology.apps
        self.readers = [LogReader(app) for app in self.apps]
        self.seen: dict[int, int] = {}  # worker PID -> instance index
        self.gone: set[int] = set()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._watch, daemon=True)

    def current(self) -> dict[int, int]:
        """Live worker PID -> instance index."""
        return {pid: index for index, app in enumerate(self.apps) for pid in children(app.process.pid)}

    def sample(self) -> None:
        live = self.current()
        self.gone |= set(self.seen) - set(live)
        self.seen.update(live)

    def _watch(self) -> None:
        while not self._stop.wait(0.5):
            self.sample()

    @contextmanager
    def watching(self) -> Iterator[Workers]:
        self.sample()
        self._thread.start()
        try:
            yield self
        finally:
            self._stop.set()
            self._thread.join()
            self.sample()

    def rss(self) -> dict[int, int]:
        """RSS in kB of every live worker."""
        return {pid: kb for pid in self.current() if (kb := rss_kb(pid)) is not None}

    def logs(self) -> LogSummary:
        """What both instances logged since the last call (instances' alive-ness checked too)."""
        summary, last = LogSummary(), list[str]()
        for reader in self.readers:
            for entry in reader.new_entries():
                summary.add(entry)
                if entry.get("event") != "request":
                    last = [*last[-14:], json.dumps(entry)]
        dead = [app.port for app in self.apps if app.process.poll() is not None]
        if dead:
            raise InvalidRun(f"toolbox serve on port(s) {dead} exited; last log lines:\n" + "\n".join(last))
        return summary


def merge(summaries: list[LogSummary]) -> LogSummary:
    """All stretches of the run together."""
    total = LogSummary()
    for s in summaries:
        for status, n in s.requests.items():
            total.requests[status] = total.requests.get(status, 0) + n
        total.server_errors += s.server_errors
        total.crash_lines += s.crash_lines
        total.error_lines += s.error_lines
        total.recycles += s.recycles
        total.boots += s.boots
        total.exits += s.exits
    return total


# --- hostile targets ------------------------------------------------------------------------------

STOP = threading.Event()  # set when the benchmark ends: every hostile handler returns


class Hostile(BaseHTTPRequestHandler):
    """Reads the request's head, then misbehaves (`misbehave`) until the client leaves or STOP."""

    def handle(self) -> None:
        self.connection.settimeout(1.0)
        head = b""
        while b"\r\n\r\n" not in head and not STOP.is_set():
            try:
                chunk = self.connection.recv(4096)
            except TimeoutError:
                continue
            except OSError:
                return
            if not chunk:
                return
            head += chunk
        try:
            self.misbehave()
        except OSError:  # the fetcher gave up and closed: what it should do
            return

    def misbehave(self) -> None:
        raise NotImplementedError

    def send(self, data: bytes) -> None:
        """Send all of `data`, however slowly the client reads (until STOP)."""
        view = memoryview(data)
        while view and not STOP.is_set():
            try:
                view = view[self.connection.send(view):]
            except TimeoutError:
                continue

    def log_message(self, *args: object) -> None:
        pass


class Silent(Hostile):
    """Accepts, reads the request, never answers."""

    def misbehave(self) -> None:
        while not STOP.is_set():
            try:
                if not self.connection.recv(4096):
                    return
            except TimeoutError:
                continue


class Drip(Hostile):
    """Sends a valid response one byte per second."""

    def misbehave(self) -> None:
        response = b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nX-Frame-Options: DENY\r\n\r\n"
        for byte in response * 100:
            self.send(bytes([byte]))
            if STOP.wait(1.0):
                return


class EndlessHeaders(Hostile):
    """A status line, then header lines without end."""

    def misbehave(self) -> None:
        self.send(b"HTTP/1.1 200 OK\r\n")
        n = 0
        while not STOP.is_set():
            n += 1
            self.send(f"X-Padding-{n}: {'a' * 100}\r\n".encode())


class EndlessBody(Hostile):
    """A complete head without Content-Length, then a body without end."""

    def misbehave(self) -> None:
        self.send(b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n\r\n")
        chunk = b"<p>" + b"x" * 16381 + b"</p>"
        while not STOP.is_set():
            self.send(chunk)


HOSTILE: dict[str, type[Hostile]] = {"never answers": Silent, "drips 1 byte/s": Drip,
                                     "endless headers": EndlessHeaders, "endless body": EndlessBody}


@dataclass
class CheckOutcome:
    """One header check of a hostile URL: how long it took and what came back."""

    seconds: float
    status: int  # 0: no answer (the client gave up after 60 s or the connection failed)
    message: str


def check_url(topology: Topology, url: str) -> CheckOutcome:
    """POST /api/v1/headers/check {"url": url} through nginx; the answer's title/detail or grade."""
    connection = LoopbackHTTPS(SERVER_NAME, topology.https_port, topology.context, "127.0.0.1")
    connection.timeout = 60  # far above the fetcher's budget: an unbounded check shows as such
    started = time.monotonic()
    try:
        reply = exchange(connection, "POST", "/api/v1/headers/check",
                         {"Content-Type": "application/json"}, json.dumps({"url": url}).encode())
    except OSError as err:
        return CheckOutcome(time.monotonic() - started, 0, f"client: {type(err).__name__}: {err}")
    seconds = time.monotonic() - started
    try:
        body: Any = reply.json()
        message = (f"grade {body['grade']}" if reply.status == 200
                   else f"{body.get('title')}: {body.get('detail')}")
    except (ValueError, KeyError, TypeError):
        message = repr(reply.body[:200])
    return CheckOutcome(seconds, reply.status, message)


def hostile_checks(topology: Topology, urls: dict[str, str], concurrency: int, interval: float,
                   stop: threading.Event) -> dict[str, list[CheckOutcome]]:
    """Checks each URL from `concurrency` threads, a check every `interval` s at most, until `stop`."""
    outcomes: dict[str, list[CheckOutcome]] = {name: [] for name in urls}
    lock = threading.Lock()

    def loop(name: str, url: str) -> None:
        while not stop.is_set():
            started = time.monotonic()
            outcome = check_url(topology, url)
            with lock:
                outcomes[name].append(outcome)
            stop.wait(max(0.0, interval - (time.monotonic() - started)))

    threads = [threading.Thread(target=loop, args=(name, url), daemon=True)
               for name, url in urls.items() for _ in range(concurrency)]
    for thread in threads:
        thread.start()
    stop.wait()
    for thread in threads:
        thread.join(timeout=90)
    return outcomes


# --- phases ---------------------------------------------------------------------------------------


@dataclass
class Verdict:
    """The criteria, each with whether it held and why not."""

    failures: list[str] = field(default_factory=list)
    passed: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # criteria that could not be judged, and why

    def require(self, ok: bool, criterion: str, detail: str = "") -> None:
        (self.passed if ok else self.failures).append(criterion if ok else f"{criterion}: {detail}")


def phase_endpoints(wrk: Wrk, workers: Workers, targets: list[Target], seconds: float
                    ) -> tuple[list[WrkResult], list[LogSummary]]:
    """Phase 1: each target alone for `seconds`."""
    results, logs = [], []
    for target in targets:
        result = wrk.run(target.name, [target], seconds)
        results.append(result)
        logs.append(workers.logs())
        progress(result)
    return results, logs


def phase_soak(runner: Wrk, workers: Workers, targets: list[Target], seconds: float,
               runs: int) -> tuple[list[WrkResult], list[dict[int, int]], list[LogSummary]]:
    """Phase 2: `runs` consecutive mixed runs; every worker's RSS after each."""
    results, rss, logs = [], [], []
    for n in range(1, runs + 1):
        result = runner.run(f"mixed, run {n}", targets, seconds)
        rss.append(workers.rss())
        results.append(result)
        logs.append(workers.logs())
        progress(result)
    return results, rss, logs


@dataclass
class HostileReport:
    """Phase 3: a baseline run of one endpoint, then runs with hostile checks; RSS around them."""

    baseline: WrkResult
    during: list[WrkResult]
    checks: dict[str, list[CheckOutcome]]  # every run's, together
    rss: list[dict[int, int]]  # before the first hostile run and after each
    logs: list[LogSummary]


def phase_hostile(topology: Topology, wrk: Wrk, workers: Workers, target: Target, seconds: float,
                  args: argparse.Namespace, cleanup: ExitStack) -> HostileReport:
    """Phase 3: `target` alone, then `--hostile-runs` times while the hostile servers are checked by URL.

    Nothing before phase 3 fetches a URL, so the first hostile run also measures the fetch path's
    first use (imports, allocator arenas: ~10 MB per worker that then levels off); memory is
    judged between the end of the first hostile run and the end of the last, like the soak.
    """
    urls = {}
    for name, handler in HOSTILE.items():
        server = cleanup.enter_context(serve_loopback(handler))
        urls[name] = f"http://127.0.0.1:{server.server_address[1]}/"
    cleanup.callback(STOP.set)  # runs before the servers shut down: handlers return at once
    baseline = wrk.run(f"{target.name} (baseline)", [target], seconds)
    logs = [workers.logs()]
    progress(baseline)
    rss, during = [workers.rss()], []
    checks: dict[str, list[CheckOutcome]] = {name: [] for name in urls}
    for n in range(1, args.hostile_runs + 1):
        result, outcomes = run_with_hostile_checks(topology, wrk, target, seconds, urls, args,
                                                   f"{target.name} (hostile checks {n})")
        during.append(result)
        for name, found in outcomes.items():
            checks[name] += found
        rss.append(workers.rss())
        logs.append(workers.logs())
        progress(result)
    return HostileReport(baseline, during, checks, rss, logs)


def run_with_hostile_checks(topology: Topology, wrk: Wrk, target: Target, seconds: float,
                            urls: dict[str, str], args: argparse.Namespace, name: str
                            ) -> tuple[WrkResult, dict[str, list[CheckOutcome]]]:
    """One wrk run of `target` while every URL is checked again and again; the checks' outcomes."""
    stop = threading.Event()
    collected: dict[str, dict[str, list[CheckOutcome]]] = {}
    driver = threading.Thread(target=lambda: collected.setdefault("checks", hostile_checks(
        topology, urls, args.hostile_concurrency, args.hostile_interval, stop)), daemon=True)
    driver.start()
    try:
        time.sleep(1.0)  # the first checks are in flight when wrk starts
        result = wrk.run(name, [target], seconds)
    finally:
        stop.set()
        driver.join(timeout=120)
    return result, collected.get("checks", {})


# --- criteria and tables --------------------------------------------------------------------------


def progress(result: WrkResult) -> None:
    """One line as each wrk run ends."""
    print(f"  {result.name:<34} {result.rps:8.0f} req/s  p99 {result.p99_ms:7.1f} ms  "
          f"{fmt_statuses(result.statuses)}  (other processes {result.cpu['other_cores']:.2f} cores)",
          flush=True)


def fmt_statuses(statuses: dict[str, int]) -> str:
    return " ".join(f"{s}×{n}" for s, n in statuses.items()) or "-"


def print_load_table(title: str, results: list[WrkResult]) -> None:
    print(f"\n{title}")
    print(f"  {'endpoint':<34}{'req/s':>8}{'p50 ms':>9}{'p99 ms':>9}{'max ms':>9}  "
          f"{'statuses':<22}{'errors':>7}{'srv ms/req':>11}{'stack':>7}{'wrk':>6}{'other':>7}")
    for r in results:
        errors = ",".join(f"{k} {v}" for k, v in r.socket_errors.items()) or "0"
        flag = "" if r.ok else "  <-- FAIL"
        c = r.cpu
        print(f"  {r.name:<34}{r.rps:>8.0f}{r.p50_ms:>9.1f}{r.p99_ms:>9.1f}{r.max_ms:>9.0f}  "
              f"{fmt_statuses(r.statuses):<22}{errors:>7}{c['stack_ms_per_request']:>11.2f}"
              f"{c['stack_cores']:>7.2f}{c['wrk_cores']:>6.2f}{c['other_cores']:>7.2f}{flag}")
    busiest = max(r.cpu["other_cores"] for r in results)
    if busiest > OTHER_NOTE:
        print(f"  NOTE: other processes used up to {busiest:.2f} cores during these runs: req/s and latency "
              "are disturbed (srv ms/req much less)")


def judge_loads(verdict: Verdict, results: list[WrkResult]) -> None:
    bad = [f"{r.name}: statuses {fmt_statuses(r.bad_statuses) or '-'}, socket errors {r.socket_errors or 0}"
           for r in results if not r.ok]
    verdict.require(not bad, "only 2xx/429 answers and no socket errors under load", "; ".join(bad))


def worker_restarts(workers: Workers, logs: LogSummary) -> dict[str, Any]:
    """Recycles (max_requests, planned) and crashes/timeouts (not), from PIDs and the logs.

    gunicorn names the PID in its crash messages (WORKER TIMEOUT (pid:N), Worker (pid:N) was sent
    SIGKILL/exited with code) but not in "Autorestarting worker", which several threads of one
    worker may log: a worker gone without a crash message is a recycle as long as there are at
    least as many of those messages as such workers; any beyond that vanished unexplained (a crash).
    """
    crashed = {int(pid) for line in logs.crash_lines for pid in re.findall(r"pid: ?(\d+)", line)}
    unnamed = [line for line in logs.crash_lines if not re.search(r"pid: ?\d+", line)]
    quiet = sorted(workers.gone - crashed)  # gone without a crash message
    unexplained = max(0, len(quiet) - logs.recycles)
    return {"workers_seen": len(workers.seen), "workers_gone": sorted(workers.gone),
            "boots": logs.boots, "exits": logs.exits, "recycles": len(quiet) - unexplained,
            "autorestart_messages": logs.recycles,
            "crashes": len(crashed) + len(unnamed) + unexplained, "crash_lines": logs.crash_lines,
            "vanished_without_message": unexplained, "error_lines": logs.error_lines[:50],
            "server_errors": dict(Counter(logs.server_errors)), "logged_requests": logs.requests}


def print_restarts(restarts: dict[str, Any]) -> None:
    print("\nWorkers (gunicorn, both instances)")
    print(f"  seen {restarts['workers_seen']}, gone {len(restarts['workers_gone'])}; recycled (max_requests) "
          f"{restarts['recycles']} ({restarts['autorestart_messages']} \"Autorestarting worker\" lines); "
          f"crashes/timeouts {restarts['crashes']} "
          f"({restarts['vanished_without_message']} vanished without a gunicorn message)")
    print(f"  requests logged by status: {fmt_statuses(restarts['logged_requests'])}")
    for line in restarts["crash_lines"][:10]:
        print(f"  CRASH: {line}")
    for line in restarts["error_lines"][:10]:
        print(f"  ERROR LOG: {line}")
    for route, n in restarts["server_errors"].items():
        print(f"  5xx logged: {route} ×{n}")


Growth = tuple[int, int | None, int | None, float | None]


def growth(before: dict[int, int], after: dict[int, int]) -> list[Growth]:
    """(pid, kB before, kB after, growth) of every worker in either sample."""
    rows = []
    for pid in sorted(set(before) | set(after)):
        a, b = before.get(pid), after.get(pid)
        rows.append((pid, a, b, (b - a) / a if a and b else None))
    return rows


def print_rss(timeline: dict[str, dict[int, int]], soak: tuple[str, str], hostile: tuple[str, str]) -> None:
    """Every worker's RSS at each sample, and its growth over the soak and the hostile phase."""
    print(f"\nWorker RSS (VmRSS, MB) after each stage; growth: soak = {soak[1]} vs {soak[0]}, "
          f"hostile = {hostile[1]} vs {hostile[0]}")
    print(f"  {'worker pid':>10}" + "".join(f"{label:>14}" for label in timeline)
          + f"{'soak':>9}{'hostile':>9}")
    for pid in sorted(set().union(*timeline.values())):
        row = "".join(f"{mb(sample.get(pid)):>14}" for sample in timeline.values())
        changes = [dict((r[0], r[3]) for r in growth(timeline[a], timeline[b])).get(pid)
                   for a, b in (soak, hostile)]
        row += "".join(f"{'-' if g is None else f'{g:+.1%}':>9}" for g in changes)
        first = next(label for label, sample in timeline.items() if pid in sample)
        last = [label for label, sample in timeline.items() if pid in sample][-1]
        labels = list(timeline)
        note = ("" if first == labels[0] else f"  new after {labels[labels.index(first) - 1]}") + (
            "" if last == labels[-1] else f"  gone after {last}")
        print(f"  {pid:>10}{row}{note}")


def mb(kb: int | None) -> str:
    return "-" if kb is None else f"{kb / 1024:.1f}"


def judge_rss(verdict: Verdict, criterion: str, before: dict[int, int], after: dict[int, int]) -> None:
    rows = growth(before, after)
    compared = [(pid, g) for pid, _, _, g in rows if g is not None]
    over = [f"{pid} {g:+.1%}" for pid, g in compared if g >= RSS_GROWTH]
    if not compared:
        verdict.notes.append(f"{criterion}: not judged, no worker lived through both samples (all recycled)")
        return
    verdict.require(not over, criterion, ", ".join(over))


def check_stats(outcomes: list[CheckOutcome]) -> dict[str, Any]:
    seconds = [o.seconds for o in outcomes]
    return {"checks": len(outcomes),
            "seconds": {"min": min(seconds), "median": statistics.median(seconds), "max": max(seconds)}
            if seconds else {},
            "statuses": dict(Counter(str(o.status) for o in outcomes)),
            "messages": dict(Counter(o.message for o in outcomes))}


def print_hostile(report: HostileReport) -> None:
    limit = FETCH_TOTAL_S + CHECK_MARGIN_S
    endpoint = report.baseline.name.split(" ")[0]
    print(f"\nHostile targets: header checks by URL (limit {limit:g} s each) while wrk loads {endpoint} "
          f"({len(report.during)} run(s))")
    print(f"  {'server':<17}{'checks':>7}{'min s':>7}{'median s':>9}{'max s':>7}  {'statuses':<10}message")
    for name, outcomes in report.checks.items():
        s = check_stats(outcomes)
        t = s["seconds"] or {"min": 0.0, "median": 0.0, "max": 0.0}
        messages = "; ".join(f"{m} (×{n})" if len(s["messages"]) > 1 else m for m, n in s["messages"].items())
        print(f"  {name:<17}{s['checks']:>7}{t['min']:>7.2f}{t['median']:>9.2f}{t['max']:>7.2f}  "
              f"{fmt_statuses(s['statuses']):<10}{messages}")
    base = report.baseline
    allowed = P99_FACTOR * base.p99_ms + P99_SLACK_MS
    print(f"  {endpoint} p99 allowed ≤ {allowed:.1f} ms = {P99_FACTOR} × baseline + {P99_SLACK_MS:g} ms")
    print(f"  {'run':<34}{'req/s':>8}{'p99 ms':>9}{'ratio':>7}{'stack':>7}{'other':>7}")
    for r in [base, *report.during]:
        print(f"  {r.name:<34}{r.rps:>8.0f}{r.p99_ms:>9.1f}{r.p99_ms / max(base.p99_ms, 1e-9):>7.2f}"
              f"{r.cpu['stack_cores']:>7.2f}{r.cpu['other_cores']:>7.2f}")


def judge_hostile(verdict: Verdict, report: HostileReport) -> None:
    limit = FETCH_TOTAL_S + CHECK_MARGIN_S
    slow, bad, missing = [], [], []
    for name, outcomes in report.checks.items():
        if not outcomes:
            missing.append(name)
        slow += [f"{name} {o.seconds:.1f} s" for o in outcomes if o.seconds > limit]
        bad += [f"{name}: {o.status} {o.message}" for o in outcomes if not 200 <= o.status < 500]
    verdict.require(not missing and len(report.checks) == len(HOSTILE), "every hostile server was checked",
                    f"no checks of {missing}")
    verdict.require(not slow, f"each hostile check ≤ {limit:g} s", ", ".join(slow[:10]))
    verdict.require(not bad, "hostile checks answer a result or a 4xx problem, never 5xx",
                    "; ".join(sorted(set(bad))[:10]))
    if len(report.rss) > 2:
        judge_rss(verdict, f"worker RSS from the first hostile run's end to the last's < +{RSS_GROWTH:.0%}",
                  report.rss[1], report.rss[-1])
    else:
        verdict.notes.append("hostile-phase memory not judged: it needs --hostile-runs ≥ 2")
    allowed = P99_FACTOR * report.baseline.p99_ms + P99_SLACK_MS
    over = [f"{r.name}: {r.p99_ms:.1f} ms > {allowed:.1f} ms" for r in report.during if r.p99_ms > allowed]
    endpoint = report.baseline.name.split(" ")[0]
    verdict.require(not over, f"{endpoint} p99 during hostile checks ≤ {P99_FACTOR} × baseline + "
                    f"{P99_SLACK_MS:g} ms", "; ".join(over))


# --- main -----------------------------------------------------------------------------------------


def parse_args() -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--duration", type=float, default=60, help="seconds per wrk run (60)")
    p.add_argument("--quick", action="store_true", help="5-second runs, to try the benchmark")
    p.add_argument("--connections", type=int, default=64)
    p.add_argument("--wrk-threads", type=int, default=2)
    p.add_argument("--soak-runs", type=int, default=2)
    p.add_argument("--warmup", type=float, default=5, help="seconds of mixed load before phase 1 (5)")
    p.add_argument("--hostile-concurrency", type=int, default=3,
                   help="checks in flight per hostile server (3)")
    p.add_argument("--hostile-runs", type=int, default=2, help="runs with hostile checks (2)")
    p.add_argument("--hostile-interval", type=float, default=2.0,
                   help="each in-flight slot starts a new check at most every N seconds (2)")
    p.add_argument("--wrk", default=shutil.which("wrk") or "/usr/bin/wrk")
    args = p.parse_args()
    if args.quick:
        args.duration, args.warmup = 5.0, 2.0
    return args


def run(args: argparse.Namespace, cleanup: ExitStack, report: dict[str, Any]) -> Verdict:
    """Start the topology, run the three phases, print the tables, and judge."""
    topology = start_topology(cleanup, env=ENV, workers=WORKERS)
    workdir = Path(tempfile.mkdtemp(prefix="toolbox-load-"))
    cleanup.callback(shutil.rmtree, workdir, ignore_errors=True)
    apis = api_targets()
    report["operations"] = check_operations(topology, apis)
    targets = apis + PAGES
    verify_targets(topology, targets)
    wrk = Wrk(topology, workdir, args)
    workers = Workers(topology)
    print(f"topology: nginx https://{SERVER_NAME}:{topology.https_port}/ -> toolbox serve on "
          f"{topology.upstream_ports()} ({WORKERS} workers × {ENV['TOOLBOX_THREADS']} threads each), redis "
          f"{topology.redis.port}; wrk -t{args.wrk_threads} -c{args.connections}, "
          f"{args.duration:g} s per run; {os.cpu_count()} CPUs", flush=True)
    verdict = Verdict()
    with workers.watching():
        warmup = wrk.run("warm-up", targets, args.warmup)
        logs0 = workers.logs()  # the instances' start, the checks and the warm-up
        timeline = {"warm-up": workers.rss()}
        print("phase 1: each endpoint alone", flush=True)
        loads, logs1 = phase_endpoints(wrk, workers, targets, args.duration)
        timeline["phase 1"] = workers.rss()
        print("phase 2: soak, everything mixed", flush=True)
        soaks, rss, logs2 = phase_soak(wrk, workers, targets, args.duration, args.soak_runs)
        print("phase 3: hostile targets", flush=True)
        hostile = phase_hostile(topology, wrk, workers, apis[0], args.duration, args, cleanup)
    timeline.update({f"soak {n}": sample for n, sample in enumerate(rss, 1)})
    timeline.update({"pre-hostile": hostile.rss[0]})
    timeline.update({f"hostile {n}": sample for n, sample in enumerate(hostile.rss[1:], 1)})
    restarts = worker_restarts(workers, merge([logs0, *logs1, *logs2, *hostile.logs]))
    report.update({
        "endpoints": [asdict(r) for r in loads], "soak": [asdict(r) for r in soaks],
        "rss_kb": {label: {str(k): v for k, v in sample.items()} for label, sample in timeline.items()},
        "hostile": {"baseline": asdict(hostile.baseline), "during": [asdict(r) for r in hostile.during],
                    "checks": {name: check_stats(o) for name, o in hostile.checks.items()},
                    "check_outcomes": {name: [asdict(x) for x in o] for name, o in hostile.checks.items()}},
        "restarts": restarts,
    })

    print_load_table(f"Phase 1: each endpoint alone ({args.duration:g} s, wrk -c{args.connections}, "
                     "through nginx/TLS)", loads)
    print_load_table("Phase 2: soak, all endpoints mixed", soaks)
    print_rss(timeline, ("soak 1", f"soak {len(rss)}"), ("hostile 1", f"hostile {len(hostile.during)}"))
    print_hostile(hostile)
    print_restarts(restarts)

    judge_loads(verdict, [warmup, *loads, *soaks, hostile.baseline, *hostile.during])
    verdict.require(restarts["crashes"] == 0, "no worker crashes or timeouts",
                    f"{restarts['crashes']}: {restarts['crash_lines'][:3]}")
    verdict.require(not restarts["server_errors"], "no 5xx in the instances' logs",
                    json.dumps(restarts["server_errors"]))
    judge_rss(verdict, f"worker RSS between soak runs < +{RSS_GROWTH:.0%}", rss[0], rss[-1])
    judge_hostile(verdict, hostile)
    return verdict


def main() -> int:
    args = parse_args()
    if not Path(args.wrk).exists():
        print(f"load: wrk not found at {args.wrk} (apt-get install wrk)", file=sys.stderr)
        return 2
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))  # unwinds the ExitStack
    OUT.mkdir(parents=True, exist_ok=True)
    started = time.monotonic()
    report: dict[str, Any] = {"benchmark": "load", "started_at": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
                              "python": platform.python_version(), "cpus": os.cpu_count(), "git": git_state(),
                              "params": vars(args), "env": ENV, "workers_per_instance": WORKERS}
    status = 2
    try:
        with ExitStack() as cleanup:
            verdict = run(args, cleanup, report)
        status = 1 if verdict.failures else 0
        report["criteria"] = {"passed": verdict.passed, "failed": verdict.failures, "notes": verdict.notes}
        print("\nCriteria")
        for line in verdict.passed:
            print(f"  ok    {line}")
        for line in verdict.notes:
            print(f"  NOTE  {line}")
        for line in verdict.failures:
            print(f"  FAIL  {line}")
    except (InvalidRun, RuntimeError, TimeoutError, AssertionError, subprocess.TimeoutExpired) as err:
        print(f"load: invalid run: {type(err).__name__}: {err}", file=sys.stderr)
        report["invalid"] = f"{type(err).__name__}: {err}"
    except KeyboardInterrupt:
        print("load: interrupted (everything it started is stopped)", file=sys.stderr)
        report["invalid"] = "interrupted"
    report["exit_status"] = status
    report["elapsed_s"] = round(time.monotonic() - started, 1)
    path = OUT / f"load-{time.strftime('%Y%m%d-%H%M%S')}.json"
    path.write_text(json.dumps(report, indent=2, default=str) + "\n", "utf-8")
    shutil.copyfile(path, OUT / "load-latest.json")
    print(f"exit status {status}; results: {path.relative_to(ROOT)} ({report['elapsed_s']:.0f} s)")
    return status


if __name__ == "__main__":
    sys.exit(main())
