"""Start real servers on loopback for tests: `toolbox serve` (gunicorn) and redis-server."""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import socket
import ssl
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TOOLBOX = Path(sys.executable).parent / "toolbox"


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_for_port(port: int, timeout: float = 20.0) -> None:
    """Block until something accepts connections on 127.0.0.1:port."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.1)
    raise TimeoutError(f"nothing listening on 127.0.0.1:{port} after {timeout} s")


@dataclass
class Server:
    """A running subprocess serving on 127.0.0.1:port; its stderr goes to `log_path`."""

    process: subprocess.Popen[bytes]
    port: int
    log_path: Path
    env: Mapping[str, str] = field(default_factory=dict)  # what it was started with (start_toolbox)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")

    def children(self) -> list[int]:
        """Process ids of the server's direct children (gunicorn's workers)."""
        pid = self.process.pid
        try:
            return [int(child) for child in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
        except OSError:
            return []

    def crash(self) -> None:
        """SIGKILL the server and its children at once, as when its machine or container dies."""
        for pid in [self.process.pid, *self.children()]:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
        self.process.wait(timeout=10)

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=5)


def start_toolbox(env: Mapping[str, str] | None = None, workers: int = 1, port: int | None = None) -> Server:
    """Run `toolbox serve` (gunicorn, gthread) on loopback (a free port by default); wait for /healthz."""
    port = port or free_port()
    log_path = Path(tempfile.mkstemp(prefix="toolbox-serve-", suffix=".log")[1])
    full_env = {
        **{k: v for k, v in os.environ.items() if not k.startswith("TOOLBOX_")},
        "TOOLBOX_HOST": "127.0.0.1",
        "TOOLBOX_PORT": str(port),
        "TOOLBOX_WORKERS": str(workers),
        "TOOLBOX_THREADS": "4",
        **(env or {}),
    }
    process = subprocess.Popen(  # noqa: S603 - our own console script
        [str(TOOLBOX), "serve"],
        cwd=ROOT,
        env=full_env,
        stdout=subprocess.DEVNULL,
        stderr=log_path.open("wb"),
    )
    server = Server(process, port, log_path, full_env)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"toolbox serve exited early:\n{server.log()}")
        try:
            with urllib.request.urlopen(f"{server.url}/healthz", timeout=1) as response:  # noqa: S310
                if response.status == 200:
                    return server
        except OSError:
            time.sleep(0.2)
    server.stop()
    raise TimeoutError(f"toolbox serve did not become healthy:\n{server.log()}")


def redis_server_path() -> str:
    """Path of Debian's redis-server; .ci/run installs it."""
    path = shutil.which("redis-server")
    if path is None:
        raise RuntimeError("redis-server is not installed (apt-get install redis-server)")
    return path


def start_redis(port: int | None = None) -> Server:
    """Run a throwaway redis-server on loopback (a free port by default) with no persistence."""
    return start_redis_node(port=port)


class FixtureHandler(BaseHTTPRequestHandler):
    """Base of the loopback fixture sites: `reply` sends a whole response; nothing is logged."""

    def reply(self, status: int, headers: list[tuple[str, str]] | tuple[tuple[str, str], ...], body: bytes) -> None:
        """Send `status`, the headers in order (duplicates kept), Content-Length and the body."""
        self.send_response(status)
        for name, value in headers:
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


@contextlib.contextmanager
def serve_loopback(handler: type[BaseHTTPRequestHandler],
                   context: ssl.SSLContext | None = None) -> Iterator[ThreadingHTTPServer]:
    """Run an http.server handler (over TLS with `context`) on a free 127.0.0.1 port."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    server.daemon_threads = True
    if context is not None:
        server.socket = context.wrap_socket(server.socket, server_side=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()


@contextlib.contextmanager
def serve_json(route: Callable[[str, str], bytes | None]) -> Iterator[str]:
    """Serve JSON on a free 127.0.0.1 port: `route(path, origin)` gives the body, or None for 404.

    Yields the origin (http://127.0.0.1:PORT); what the identity-provider fixtures share.
    """
    origin = ""

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802 - http.server's naming
            body = route(self.path, origin)
            if body is None:
                self.send_response(404)
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: object) -> None:
            pass

    with serve_loopback(Handler) as server:
        origin = f"http://127.0.0.1:{server.server_address[1]}"
        yield origin


def start_redis_node(*args: str, port: int | None = None) -> Server:
    """Like start_redis, with extra redis-server arguments (`--replicaof …`, `--cluster-enabled yes`)."""
    port = port or free_port()
    workdir = Path(tempfile.mkdtemp(prefix="toolbox-redis-"))
    log_path = workdir / "redis.log"
    process = subprocess.Popen(  # noqa: S603
        [redis_server_path(), "--port", str(port), "--bind", "127.0.0.1", "--save", "",
         "--appendonly", "no", "--dir", str(workdir), "--protected-mode", "yes", *args],
        stdout=log_path.open("wb"),
        stderr=subprocess.STDOUT,
    )
    wait_for_port(port)
    return Server(process, port, log_path)


def start_sentinel(master_port: int, service: str = "toolbox", down_after_ms: int = 1000) -> Server:
    """Run `redis-server --sentinel` on a free loopback port, monitoring 127.0.0.1:master_port.

    Quorum 1, so this one sentinel alone can fail the master over to a replica.
    """
    port = free_port()
    workdir = Path(tempfile.mkdtemp(prefix="toolbox-sentinel-"))
    log_path = workdir / "sentinel.log"
    config = workdir / "sentinel.conf"  # sentinel rewrites its config file: it must be writable
    config.write_text(
        f"port {port}\nbind 127.0.0.1\nprotected-mode yes\ndir {workdir}\n"
        f"sentinel monitor {service} 127.0.0.1 {master_port} 1\n"
        f"sentinel down-after-milliseconds {service} {down_after_ms}\n"
        f"sentinel failover-timeout {service} 10000\n"
    )
    process = subprocess.Popen(  # noqa: S603
        [redis_server_path(), str(config), "--sentinel"],
        stdout=log_path.open("wb"),
        stderr=subprocess.STDOUT,
    )
    wait_for_port(port)
    return Server(process, port, log_path)


def redis_cli(port: int, *args: str, timeout: float = 10) -> str:
    """Run redis-cli against 127.0.0.1:port; its standard output."""
    cli = shutil.which("redis-cli")
    if cli is None:
        raise RuntimeError("redis-cli is not installed (apt-get install redis-tools)")
    result = subprocess.run(  # noqa: S603
        [cli, "-h", "127.0.0.1", "-p", str(port), *args],
        capture_output=True, text=True, timeout=timeout, check=True,
    )
    return result.stdout


def free_cluster_port() -> int:
    """A free port whose cluster bus port (port + 10000) is free too."""
    while True:
        port = free_port()
        if port + 10000 > 65535:
            continue
        with socket.socket() as sock:
            try:
                sock.bind(("127.0.0.1", port + 10000))
            except OSError:
                continue
        return port


def start_redis_cluster(masters: int = 3, timeout: float = 20.0,
                        ports: list[int] | None = None) -> list[Server]:
    """Run a Redis Cluster of `masters` nodes (no replicas) on loopback and wait until it is ok.

    `ports` (from free_cluster_port) chooses the nodes' ports. The caller stops every returned
    Server (and may remove each `log_path.parent`).
    """
    nodes: list[Server] = []
    try:
        for index in range(masters):
            port = ports[index] if ports else free_cluster_port()
            nodes.append(start_redis_node(
                "--cluster-enabled", "yes", "--cluster-config-file", f"nodes-{port}.conf",
                "--cluster-node-timeout", "1000", port=port))
        redis_cli(nodes[0].port, "--cluster", "create",
                  *(f"127.0.0.1:{node.port}" for node in nodes), "--cluster-yes")
        deadline = time.monotonic() + timeout
        while any("cluster_state:ok" not in redis_cli(node.port, "cluster", "info") for node in nodes):
            if time.monotonic() > deadline:
                raise TimeoutError(f"redis cluster not ok after {timeout} s")
            time.sleep(0.1)
    except BaseException:
        for node in nodes:
            node.stop()
            shutil.rmtree(node.log_path.parent, ignore_errors=True)
        raise
    return nodes


def program_path(name: str, package: str) -> str:
    """Path of an installed program (PATH, then /usr/sbin), or an error naming its Debian package."""
    path = shutil.which(name) or shutil.which(name, path="/usr/sbin:/sbin")
    if path is None:
        raise RuntimeError(f"{name} is not installed (apt-get install {package})")
    return path


def nginx_command(config: Path, prefix: Path) -> list[str]:
    """nginx run in the foreground from `config`, with its pid file and logs under `prefix`.

    `-e` moves the error log nginx opens before reading the configuration (Debian's default is
    /var/log/nginx/error.log); the configuration must set the temp paths (client_body_temp_path,
    proxy_temp_path, ...) under `prefix` too, so nothing needs root's directories.
    """
    return [program_path("nginx", "nginx"), "-p", f"{prefix}/", "-c", str(config),
            "-e", str(prefix / "error.log"),
            "-g", f"daemon off; master_process on; pid {prefix / 'nginx.pid'}; error_log {prefix / 'error.log'};"]


def listening(server: Server, name: str, timeout: float = 20.0) -> Server:
    """Wait until `server` accepts connections on its port; raise with its log if it exits first."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            raise RuntimeError(f"{name} exited early:\n{server.log()}")
        try:
            with socket.create_connection(("127.0.0.1", server.port), timeout=0.5):
                return server
        except OSError:
            time.sleep(0.1)
    server.stop()
    raise TimeoutError(f"{name} did not listen on 127.0.0.1:{server.port}:\n{server.log()}")


def check_nginx(config: Path, prefix: Path) -> None:
    """`nginx -t` on `config`: raise with nginx's own words when the configuration is refused."""
    result = subprocess.run([*nginx_command(config, prefix), "-t"],  # noqa: S603
                            capture_output=True, text=True, timeout=30)
    if result.returncode != 0:
        raise RuntimeError(f"nginx -t refused {config}:\n{result.stderr}")


def start_nginx(config: Path, prefix: Path, port: int) -> Server:
    """Run nginx (not daemonized) from `config` and wait until it listens on 127.0.0.1:port.

    `prefix` is a directory of the caller's: pid file, error log (the Server's log) and temp
    paths go there. stop() sends SIGTERM (nginx's fast shutdown).
    """
    log_path = prefix / "error.log"
    process = subprocess.Popen(  # noqa: S603
        nginx_command(config, prefix),
        stdout=subprocess.DEVNULL,
        stderr=log_path.open("ab"),
    )
    return listening(Server(process, port, log_path), "nginx")


def start_caddy(config: Path, workdir: Path, port: int) -> Server:
    """Run `caddy run` on a Caddyfile and wait until it listens on 127.0.0.1:port.

    HOME and the XDG directories point into `workdir` (Caddy keeps its data and autosaved
    configuration there); its log (JSON, stderr) is `workdir/caddy.log`. The Caddyfile should
    say `admin off` and name its ports. stop() sends SIGTERM (a graceful shutdown).
    """
    log_path = workdir / "caddy.log"
    env = {**os.environ, "HOME": str(workdir), "XDG_DATA_HOME": str(workdir / "data"),
           "XDG_CONFIG_HOME": str(workdir / "config")}
    process = subprocess.Popen(  # noqa: S603
        [program_path("caddy", "caddy"), "run", "--config", str(config), "--adapter", "caddyfile"],
        cwd=workdir, env=env, stdout=subprocess.DEVNULL, stderr=log_path.open("ab"),
    )
    return listening(Server(process, port, log_path), "caddy")
