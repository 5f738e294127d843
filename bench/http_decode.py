"""docs/design.md §5 budget: API decode of a typical JWT ≥ 0.7 × the requests/s of /healthz.

Starts one real `toolbox serve` (gunicorn, 2 workers × 4 threads) on a free 127.0.0.1 port,
waits for /healthz, checks every request answers 200, warms up, then runs wrk (-t2 -c16
--latency) alternately against

    GET  /healthz
    POST /api/v1/jwt/decode  with an RS256 token (~10 OIDC claims, ~800 bytes)
    POST /api/v1/jwt/decode  with an HS256 token (same claims, a strong random secret, so the
                             weak-secret audit tries every well-known secret and finds none)

for `--rounds` rounds (H RS HS H RS HS ...), and reports req/s, p50/p99 latency and the
ratio decode/healthz (mean req/s over the rounds) against the 0.7 budget. The budget run uses
TOOLBOX_LOG_LEVEL=WARNING, so one JSON log line per request does not dominate; a shorter run
at the default INFO level (what production runs) follows and is reported, not gated.

Exit status: 0 within budget, 1 a gated ratio (RS256 or HS256 at WARNING) is below 0.7,
2 the run is not valid (server did not start, wrk missing, non-2xx answers, socket errors).
The server is stopped in every case. Results: a table on stdout and JSON in bench/out/.

    .venv/bin/python bench/http_decode.py            # or: make bench
    .venv/bin/python bench/http_decode.py --duration 5 --no-info   # quicker look
"""

# Runs fixed local programs (toolbox, wrk, git) and fetches only http://127.0.0.1 URLs it built.
# ruff: noqa: S310, S603, S607

from __future__ import annotations

import argparse
import contextlib
import json
import os
import platform
import resource
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT / "bench"
OUT = BENCH / "out"
LUA = BENCH / "post_json.lua"
BUDGET = 0.7
BALANCED = 0.3  # least busy of 2 workers does at least 30 % of the work
DECODE_PATH = "/api/v1/jwt/decode"
HEALTH_PATH = "/healthz"


class InvalidRun(Exception):
    """The measurement cannot be trusted (exit status 2)."""


# --- tokens -------------------------------------------------------------------------------------


def make_tokens() -> dict[str, str]:
    """A typical OIDC ID token, signed RS256 (2048-bit key) and HS256 (random 32-byte secret)."""
    import jwt
    from cryptography.hazmat.primitives.asymmetric import rsa

    now = int(time.time())
    claims = {
        "iss": "https://login.example.com/",
        "sub": "248289761001",
        "aud": "s6BhdRkqt3",
        "azp": "s6BhdRkqt3",
        "exp": now + 3600,
        "iat": now,
        "auth_time": now - 30,
        "nonce": "n-0S6_WzA2Mj",
        "name": "Jane Doe",
        "preferred_username": "j.doe",
        "email": "janedoe@example.com",
        "email_verified": True,
        "scope": "openid profile email",
    }
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    rs256 = jwt.encode(claims, key, algorithm="RS256", headers={"kid": "2024-10-rsa-1"})
    hs256 = jwt.encode(claims, secrets.token_bytes(32), algorithm="HS256")
    return {"RS256": rs256, "HS256": hs256}


# --- server -------------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


NO_RECYCLE = """
import sys
import toolbox.serve
options = toolbox.serve.gunicorn_options
toolbox.serve.gunicorn_options = lambda s: {**options(s), "max_requests": 0, "max_requests_jitter": 0}
from toolbox.cli import main
sys.exit(main(["serve"]))
"""


def toolbox_command() -> Path:
    """`toolbox` next to the running interpreter (the venv's), else .venv/bin/toolbox."""
    beside = Path(sys.executable).parent / "toolbox"
    return beside if beside.exists() else ROOT / ".venv" / "bin" / "toolbox"


class Server:
    """One `toolbox serve` in its own session; stop() always leaves nothing behind."""

    def __init__(self, log_level: str, workers: int, threads: int, recycle: bool = True) -> None:
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.log_path = OUT / f"server-{log_level.lower()}.log"
        env = {k: v for k, v in os.environ.items() if not k.startswith("TOOLBOX_")}
        env.update({
            "TOOLBOX_HOST": "127.0.0.1",
            "TOOLBOX_PORT": str(self.port),
            "TOOLBOX_WORKERS": str(workers),
            "TOOLBOX_THREADS": str(threads),
            "TOOLBOX_RATELIMIT_DEFAULT": "100000000/minute",
            "TOOLBOX_LOG_LEVEL": log_level,
        })
        self.log = open(self.log_path, "wb")  # noqa: SIM115 - closed in stop()
        command = [str(toolbox_command()), "serve"]
        if not recycle:  # the same `toolbox serve`, with gunicorn's max_requests turned off
            command = [str(toolbox_command().parent / "python"), "-c", NO_RECYCLE]
        self.proc = subprocess.Popen(
            command, cwd=ROOT, env=env, stdin=subprocess.DEVNULL,
            stdout=self.log, stderr=subprocess.STDOUT, start_new_session=True,
        )

    def wait_ready(self, timeout: float = 30.0) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise InvalidRun(f"toolbox serve exited with {self.proc.returncode}:\n{self.log_tail()}")
            try:
                with urllib.request.urlopen(self.base + HEALTH_PATH, timeout=2) as resp:
                    if resp.status == 200:
                        return
            except (OSError, urllib.error.URLError):
                pass
            time.sleep(0.1)
        raise InvalidRun(f"/healthz did not answer within {timeout:.0f} s:\n{self.log_tail()}")

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)  # gunicorn's master stops its workers
            with contextlib.suppress(subprocess.TimeoutExpired):
                self.proc.wait(timeout=15)
        # whatever is left of this server's own process group (its session)
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(self.proc.pid, signal.SIGKILL)
        self.proc.wait()
        self.log.close()

    def count_log(self, text: str) -> int:
        self.log.flush()
        with open(self.log_path, "rb") as f:
            return sum(1 for line in f if text.encode() in line)

    def log_tail(self, lines: int = 20) -> str:
        self.log.flush()
        text = self.log_path.read_text("utf-8", "replace").splitlines()
        return "\n".join(text[-lines:])


def check_endpoints(base: str, bodies: dict[str, Path]) -> dict[str, Any]:
    """Every request the benchmark replays answers 200 with the expected result."""
    seen: dict[str, Any] = {}
    with urllib.request.urlopen(base + HEALTH_PATH, timeout=5) as resp:
        seen["healthz"] = {"status": resp.status, "bytes": len(resp.read())}
    for alg, body in bodies.items():
        req = urllib.request.Request(base + DECODE_PATH, data=body.read_bytes(), method="POST",
                                     headers={"Content-Type": "application/json"})
        try:
            with urllib.request.urlopen(req, timeout=10) as resp:
                raw = resp.read()
        except urllib.error.HTTPError as err:
            raise InvalidRun(f"decode {alg}: HTTP {err.code}: {err.read()[:300]!r}") from None
        result = json.loads(raw)
        findings = sorted(f["id"] for f in result.get("findings", []))
        if result.get("kind") != "jws" or result.get("errors") or result["header"]["alg"] != alg:
            raise InvalidRun(f"decode {alg}: unexpected result {raw[:300]!r}")
        if "weak-secret" in findings:
            raise InvalidRun(f"decode {alg}: the random secret was reported weak")
        seen[f"decode {alg}"] = {"status": 200, "bytes": len(raw), "findings": findings}
    return seen


# --- CPU accounting -----------------------------------------------------------------------------
# The machine is shared: other processes' CPU use during a run is measured, not guessed.

TICK = os.sysconf("SC_CLK_TCK")


def _stat_fields(pid: int) -> list[str] | None:
    try:
        text = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    return text[text.rindex(")") + 2:].split()  # fields from the 3rd (state) on


def _session_pids(sid: int) -> list[int]:
    pids = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            fields = _stat_fields(int(entry.name))
            if fields is not None and int(fields[3]) == sid:
                pids.append(int(entry.name))
    return pids


@dataclass
class CpuSnapshot:
    at: float
    busy: int  # machine-wide busy ticks (all CPUs)
    master_self: int
    master_children: int  # reaped workers, whole lifetime
    workers: dict[int, int]
    rusage_children: float  # seconds, our reaped children (wrk)

    @classmethod
    def take(cls, server: Server) -> CpuSnapshot:
        values = [int(x) for x in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
        busy = sum(values) - values[3] - values[4]  # minus idle and iowait
        master = _stat_fields(server.proc.pid) or ["0"] * 15
        workers = {}
        for pid in _session_pids(server.proc.pid):
            fields = _stat_fields(pid)
            if pid != server.proc.pid and fields is not None:
                workers[pid] = int(fields[11]) + int(fields[12])
        ru = resource.getrusage(resource.RUSAGE_CHILDREN)
        return cls(time.monotonic(), busy, int(master[11]) + int(master[12]),
                   int(master[13]) + int(master[14]), workers, ru.ru_utime + ru.ru_stime)


def cpu_use(a: CpuSnapshot, b: CpuSnapshot) -> dict[str, Any]:
    """Average cores used between two snapshots by the server, wrk, and everything else."""
    wall = b.at - a.at
    gone = sum(t for pid, t in a.workers.items() if pid not in b.workers)  # counted in children
    server_ticks = (b.master_self - a.master_self) + (b.master_children - a.master_children) - gone
    server_ticks += sum(t - a.workers.get(pid, 0) for pid, t in b.workers.items())
    server = server_ticks / TICK
    wrk = b.rusage_children - a.rusage_children
    busy = (b.busy - a.busy) / TICK
    # Per live worker: gthread workers keep their keep-alive connections, so one worker can end
    # up with most of wrk's 16 and the other idles (a run limited to about one core).
    per_worker = sorted(((t - a.workers[pid]) / TICK / wall for pid, t in b.workers.items()),
                        reverse=True) if a.workers.keys() == b.workers.keys() else []
    return {"wall_s": wall, "server_cpu_s": server, "server_cores": server / wall,
            "worker_cores": per_worker,
            "wrk_cores": wrk / wall, "busy_cores": busy / wall,
            "other_cores": max(0.0, busy - server - wrk) / wall}


# --- wrk ----------------------------------------------------------------------------------------


@dataclass
class Measurement:
    endpoint: str
    round: int
    rps: float
    p50_ms: float
    p99_ms: float
    mean_ms: float
    max_ms: float
    requests: int
    non_2xx: int
    socket_errors: int
    server_us_per_req: float  # server CPU (all workers) per request: immune to others' load
    cpu: dict[str, Any]
    worker_restarts: int  # gunicorn max_requests recycling during this wrk run
    raw: dict[str, Any] = field(repr=False)


def wrk_command(url: str, body: Path | None, args: argparse.Namespace, duration: float) -> list[str]:
    cmd = [args.wrk, f"-t{args.wrk_threads}", f"-c{args.connections}", f"-d{duration:g}s", "--latency",
           "--timeout", "10s", "-s", str(LUA), url]
    return cmd + ["--", str(body)] if body is not None else cmd


def parse_wrk(returncode: int, stdout: str, stderr: str) -> dict[str, Any]:
    line = next((ln for ln in stdout.splitlines() if ln.startswith("BENCH_JSON ")), None)
    if returncode != 0 or line is None:
        raise InvalidRun(f"wrk failed ({returncode}): {stderr or stdout}")
    data: dict[str, Any] = json.loads(line.removeprefix("BENCH_JSON "))
    data["text"] = stdout.replace(line, "").strip()
    return data


def run_wrk(url: str, body: Path | None, args: argparse.Namespace, duration: float) -> dict[str, Any]:
    """One unmonitored wrk run (warm-up)."""
    proc = subprocess.run(wrk_command(url, body, args, duration), capture_output=True, text=True,
                          timeout=duration + 30, check=False)
    return parse_wrk(proc.returncode, proc.stdout, proc.stderr)


def worker_split(a: CpuSnapshot, b: CpuSnapshot) -> float | None:
    """The least busy worker's share of the workers' CPU between two snapshots (0.5: even)."""
    if a.workers.keys() != b.workers.keys():  # a worker was recycled: its share is unknown
        return None
    used = [t - a.workers[pid] for pid, t in b.workers.items()]
    if len(used) < 2 or sum(used) <= 0:
        return None
    return min(used) / sum(used) * len(used) / 2


def measure(endpoint: str, rnd: int, server: Server, body: Path | None, args: argparse.Namespace,
            duration: float) -> Measurement:
    """One wrk run, sampling the workers' CPU every second.

    gthread workers keep the keep-alive connections they accepted, and wrk opens its 16 at
    once, so now and then one worker gets nearly all of them and the run is limited to about
    one core. Such a start (least busy worker < BALANCED of the CPU in the first second) is
    abandoned and retried, up to --attempts runs; what happens later (a worker recycled by
    max_requests hands its connections to the other) is measured and shown, not retried.
    """
    url = server.base + (DECODE_PATH if body else HEALTH_PATH)
    abandoned: list[float] = []
    for attempt in range(1, args.attempts + 1):
        boots = server.count_log("Booting worker")
        before = prev = CpuSnapshot.take(server)
        proc = subprocess.Popen(wrk_command(url, body, args, duration), stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE, text=True)
        splits: list[float | None] = []
        deadline = time.monotonic() + duration + 30
        try:
            while proc.poll() is None and time.monotonic() < deadline:
                try:
                    proc.wait(timeout=1.0)
                    break
                except subprocess.TimeoutExpired:
                    pass
                now = CpuSnapshot.take(server)
                splits.append(worker_split(prev, now))
                prev = now
                first = splits[0]
                if (len(splits) == 1 and first is not None and first < BALANCED
                        and attempt < args.attempts):
                    proc.kill()
                    break
            if proc.poll() is None and time.monotonic() >= deadline:
                proc.kill()
            stdout, stderr = proc.communicate(timeout=30)
        except BaseException:
            proc.kill()
            proc.wait()
            raise
        if proc.returncode == -signal.SIGKILL and len(splits) == 1:
            abandoned.append(splits[0] or 0.0)
            continue
        d = parse_wrk(proc.returncode, stdout, stderr)
        cpu = cpu_use(before, CpuSnapshot.take(server))
        break
    known = [x for x in splits if x is not None]
    cpu["balanced_fraction"] = sum(x >= BALANCED for x in known) / len(known) if known else None
    cpu["abandoned_starts"] = abandoned
    lat, err = d["latency_us"], d["errors"]
    return Measurement(
        endpoint=endpoint, round=rnd, rps=d["requests"] / (d["duration_us"] / 1e6),
        p50_ms=lat["p50"] / 1000, p99_ms=lat["p99"] / 1000, mean_ms=lat["mean"] / 1000,
        max_ms=lat["max"] / 1000, requests=d["requests"], non_2xx=err["status"],
        socket_errors=err["connect"] + err["read"] + err["write"] + err["timeout"],
        server_us_per_req=cpu["server_cpu_s"] / max(d["requests"], 1) * 1e6, cpu=cpu,
        worker_restarts=server.count_log("Booting worker") - boots, raw=d,
    )


# --- one configuration --------------------------------------------------------------------------


def run_config(log_level: str, rounds: int, duration: float, args: argparse.Namespace,
               bodies: dict[str, Path]) -> dict[str, Any]:
    load_before = os.getloadavg()
    server = Server(log_level, args.workers, args.threads, recycle=not args.no_recycle)
    try:
        server.wait_ready()
        checks = check_endpoints(server.base, bodies)
        targets: list[tuple[str, Path | None]] = [("healthz", None)]
        targets += [(f"decode {alg}", body) for alg, body in bodies.items()]
        for _name, body in targets:  # imports, first-request set-up, caches, in both workers
            run_wrk(server.base + (DECODE_PATH if body else HEALTH_PATH), body, args, args.warmup)
        results: list[Measurement] = []
        for rnd in range(1, rounds + 1):
            for name, body in targets:
                m = measure(name, rnd, server, body, args, duration)
                results.append(m)
                print(f"  [{log_level}] round {rnd} {name:<13} {m.rps:8.0f} req/s, "
                      f"other load {m.cpu['other_cores']:.2f} cores", flush=True)
        alive = server.proc.poll() is None
    finally:
        server.stop()
    if not alive:
        raise InvalidRun(f"the server died during the run:\n{server.log_tail()}")

    def mean_rps(name: str) -> float:
        values = [m.rps for m in results if m.endpoint == name]
        return sum(values) / len(values)

    def mean_cpu(name: str) -> float:
        values = [m.server_us_per_req for m in results if m.endpoint == name]
        return sum(values) / len(values)

    health = mean_rps("healthz")
    ratios: dict[str, Any] = {}
    for alg in bodies:
        per_round = [d.rps / h.rps for d, h in zip(
            [m for m in results if m.endpoint == f"decode {alg}"],
            [m for m in results if m.endpoint == "healthz"], strict=True)]
        ratios[alg] = {"ratio": mean_rps(f"decode {alg}") / health, "per_round": per_round,
                       # healthz's server CPU per request over decode's: what the ratio would be
                       # if the server were the only thing limiting throughput
                       "cpu_ratio": mean_cpu("healthz") / mean_cpu(f"decode {alg}")}
    return {
        "log_level": log_level, "rounds": rounds, "duration_s": duration, "port": server.port,
        "loadavg_before": load_before, "checks": checks,
        "measurements": [asdict(m) for m in results],
        "mean_rps": {name: mean_rps(name) for name, _ in targets},
        "mean_server_us_per_req": {name: mean_cpu(name) for name, _ in targets},
        "ratios": ratios,
    }


# --- report -------------------------------------------------------------------------------------


def print_table(config: dict[str, Any], gated: bool) -> None:
    level, rounds, duration = config["log_level"], config["rounds"], config["duration_s"]
    load = ", ".join(f"{x:.2f}" for x in config["loadavg_before"])
    print(f"\nTOOLBOX_LOG_LEVEL={level}: {rounds} round(s) × {duration:g} s per endpoint"
          f"{'' if gated else ' (reported, not gated)'}; load average before: {load}")
    print(f"  {'endpoint':<14}{'round':>5}{'req/s':>8}{'p50 ms':>8}{'p99 ms':>8}{'non-2xx':>8}{'errors':>7}"
          f"{'srv µs/req':>11}{'worker cores':>14}{'wrk':>6}{'other':>7}{'restarts':>9}{'balanced':>9}"
          f"{'retries':>8}")
    for m in config["measurements"]:
        c = m["cpu"]
        print(f"  {m['endpoint']:<14}{m['round']:>5}{m['rps']:>8.0f}{m['p50_ms']:>8.2f}{m['p99_ms']:>8.2f}"
              f"{m['non_2xx']:>8}{m['socket_errors']:>7}{m['server_us_per_req']:>11.0f}"
              f"{'+'.join(f'{x:.2f}' for x in c['worker_cores']) or 'recycled':>14}{c['wrk_cores']:>6.2f}"
              f"{c['other_cores']:>7.2f}{m['worker_restarts']:>9}"
              f"{'-' if c['balanced_fraction'] is None else format(c['balanced_fraction'], '.0%'):>9}"
              f"{len(c['abandoned_starts']):>8}")
    print("  mean req/s: " + ", ".join(f"{k} {v:.0f}" for k, v in config["mean_rps"].items()))
    for alg, r in config["ratios"].items():
        verdict = "ok" if r["ratio"] >= BUDGET else "BELOW BUDGET"
        rounds_text = ", ".join(f"{x:.3f}" for x in r["per_round"])
        print(f"  ratio decode {alg}/healthz: {r['ratio']:.3f} (rounds: {rounds_text})"
              f"  budget ≥ {BUDGET}: {verdict};  server-CPU ratio {r['cpu_ratio']:.3f}")


def git_state() -> dict[str, Any]:
    def git(*a: str) -> str:
        p = subprocess.run(["git", *a], cwd=ROOT, capture_output=True, text=True, check=False)
        return p.stdout.strip()

    return {"commit": git("rev-parse", "HEAD"), "dirty_files": git("status", "--porcelain").splitlines()}


def parse_args() -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--duration", type=float, default=10, help="seconds per wrk run at WARNING (10)")
    p.add_argument("--rounds", type=int, default=2, help="rounds at WARNING (2)")
    p.add_argument("--info-duration", type=float, default=5, help="seconds per wrk run at INFO (5)")
    p.add_argument("--info-rounds", type=int, default=1, help="rounds at INFO (1)")
    p.add_argument("--no-info", action="store_true", help="skip the INFO run")
    p.add_argument("--warmup", type=float, default=1, help="seconds of warm-up per endpoint (1)")
    p.add_argument("--attempts", type=int, default=3,
                   help="wrk starts per measurement when the connections land on one worker (3)")
    p.add_argument("--connections", type=int, default=16)
    p.add_argument("--wrk-threads", type=int, default=2)
    p.add_argument("--workers", type=int, default=2)
    p.add_argument("--threads", type=int, default=4)
    p.add_argument("--wrk", default=shutil.which("wrk") or "/usr/bin/wrk")
    p.add_argument("--no-recycle", action="store_true",
                   help="turn off gunicorn's max_requests worker recycling (diagnosis; not the "
                        "production server, so not what the budget is judged on)")
    p.add_argument("--label", default="", help="free text stored in the JSON (e.g. 'before')")
    return p.parse_args()


def main() -> int:
    args = parse_args()
    if not Path(args.wrk).exists():
        print(f"http_decode: wrk not found at {args.wrk} (apt-get install wrk)", file=sys.stderr)
        return 2
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))  # run the finally blocks
    OUT.mkdir(parents=True, exist_ok=True)
    started = time.monotonic()

    tokens = make_tokens()
    bodies: dict[str, Path] = {}
    for alg, token in tokens.items():
        bodies[alg] = OUT / f"body-{alg.lower()}.json"
        bodies[alg].write_text(json.dumps({"token": token}), "utf-8")
    print(f"tokens: RS256 {len(tokens['RS256'])} chars, HS256 {len(tokens['HS256'])} chars; "
          f"wrk -t{args.wrk_threads} -c{args.connections}; toolbox serve {args.workers} workers × "
          f"{args.threads} threads{' (max_requests off)' if args.no_recycle else ''}; "
          f"{os.cpu_count()} CPUs", flush=True)

    plan = [("WARNING", args.rounds, args.duration)]
    if not args.no_info:
        plan.append(("INFO", args.info_rounds, args.info_duration))
    configs: list[dict[str, Any]] = []
    status = 0
    try:
        for level, rounds, duration in plan:
            configs.append(run_config(level, rounds, duration, args, bodies))
    except InvalidRun as err:
        print(f"http_decode: invalid run: {err}", file=sys.stderr)
        status = 2

    for i, config in enumerate(configs):
        print_table(config, gated=i == 0)
        other = max(m["cpu"]["other_cores"] for m in config["measurements"])
        if other > 0.2:
            print(f"  NOTE: other processes used up to {other:.2f} cores during these runs; the req/s "
                  "figures are disturbed (the server-CPU ratio much less)")
        bad = [m for m in config["measurements"] if m["non_2xx"] or m["socket_errors"]]
        if bad:
            print(f"  INVALID: {len(bad)} wrk run(s) saw non-2xx answers or socket errors")
            status = 2
    if status == 0 and configs:
        below = [alg for alg, r in configs[0]["ratios"].items() if r["ratio"] < BUDGET]
        status = 1 if below else 0
        print(f"\nbudget (decode ≥ {BUDGET} × healthz req/s, WARNING run): "
              + (f"FAILED for {', '.join(below)}" if below else "met for RS256 and HS256"))

    elapsed = time.monotonic() - started
    report = {
        "benchmark": "http_decode", "budget": BUDGET, "label": args.label,
        "started_at": time.strftime("%Y-%m-%dT%H:%M:%S%z"), "elapsed_s": round(elapsed, 1),
        "exit_status": status, "python": platform.python_version(), "machine": platform.machine(),
        "cpus": os.cpu_count(), "wrk": args.wrk, "git": git_state(),
        "params": {k: v for k, v in vars(args).items()},
        "token_chars": {alg: len(t) for alg, t in tokens.items()},
        "configs": configs,
    }
    stamp = time.strftime("%Y%m%d-%H%M%S")
    path = OUT / f"http_decode-{stamp}.json"
    path.write_text(json.dumps(report, indent=2) + "\n", "utf-8")
    shutil.copyfile(path, OUT / "http_decode-latest.json")
    print(f"results: {path.relative_to(ROOT)} ({elapsed:.0f} s)")
    return status


if __name__ == "__main__":
    sys.exit(main())
