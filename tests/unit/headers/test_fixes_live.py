"""The fix snippets do what they say on real servers: nginx, Apache and Caddy run each one in
front of a small app, and the responses then carry the new headers, lose the removed ones, and
the app's cookies gain the attributes they lacked (once, even where the rule runs twice)."""

from __future__ import annotations

import os
import subprocess
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager
from http.server import BaseHTTPRequestHandler
from pathlib import Path

import pytest

from tests.servers import free_port, serve_loopback, wait_for_port
from tests.unit.headers.server_configs import APACHE_MODULES, program
from toolbox.core.headers.check import check_raw

pytestmark = pytest.mark.server

APP_HEADERS = [
    ("Content-Security-Policy", "default-src 'self'; script-src 'self' 'unsafe-inline' data:"),
    ("X-Powered-By", "PHP/8.1"),
    ("Set-Cookie", "sessionid=abc; Path=/"),
    ("Set-Cookie", "theme=dark; Path=/; Secure"),
    ("Set-Cookie", "XSRF-TOKEN=t; Path=/; Secure; SameSite=Strict"),
    ("Set-Cookie", "prefs=1; SameSite=sometimes; Path=/; Secure"),
]


class App(BaseHTTPRequestHandler):
    """The proxied app: weak CSP, a version header and cookies without some attributes."""

    def do_GET(self) -> None:  # noqa: N802
        self.send_response(200)
        for name, value in APP_HEADERS:
            self.send_header(name, value)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", "2")
        self.end_headers()
        self.wfile.write(b"ok")

    def log_message(self, *args: object) -> None:
        pass


STRICTER = "default-src 'self'; script-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'"


def snippets() -> dict[str, str]:
    raw = "HTTP/1.1 200 OK\n" + "\n".join(f"{n}: {v}" for n, v in APP_HEADERS)
    return check_raw(raw, url="https://shop.example/").fixes


@contextmanager
def running(argv: list[str], port: int, root: Path, env: dict[str, str] | None = None) -> Iterator[str]:
    log = (root / "server.log").open("wb")
    process = subprocess.Popen(argv, stdout=log, stderr=subprocess.STDOUT, env=env)  # noqa: S603
    try:
        try:
            wait_for_port(port, timeout=20)
        except TimeoutError:
            raise AssertionError((root / "server.log").read_text(errors="replace")) from None
        yield f"http://127.0.0.1:{port}/"
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=5)
        log.close()


def nginx(root: Path, port: int, app: int, snippet: str) -> AbstractContextManager[str]:
    (root / "snippet.conf").write_text(snippet)
    temp = "".join(f"  {kind}_temp_path {root}/{kind};\n" for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"))
    (root / "nginx.conf").write_text(
        f"pid {root}/nginx.pid;\nerror_log {root}/error.log;\nworker_processes 1;\nevents {{}}\n"
        f"http {{\n  access_log off;\n{temp}"
        f"  server {{\n    listen 127.0.0.1:{port};\n    include {root}/snippet.conf;\n"
        f"    location / {{ proxy_pass http://127.0.0.1:{app}; }}\n  }}\n}}\n"
    )
    argv = [program("nginx", "nginx"), "-p", str(root), "-c", str(root / "nginx.conf"), "-e", str(root / "error.log"),
            "-g", "daemon off;"]
    return running(argv, port, root)


def apache(root: Path, port: int, app: int, snippet: str) -> AbstractContextManager[str]:
    (root / "snippet.conf").write_text(snippet)
    modules = ["mpm_event", "authz_core", "headers", "proxy", "proxy_http"]
    loads = "".join(f"LoadModule {m}_module {APACHE_MODULES}/mod_{m}.so\n" for m in modules)
    user = "User nobody\nGroup nogroup\n" if os.geteuid() == 0 else ""
    (root / "apache.conf").write_text(
        f"ServerRoot {root}\nDefaultRuntimeDir {root}\nPidFile {root}/apache.pid\nErrorLog {root}/error.log\n"
        f"{loads}{user}ServerName localhost\nListen 127.0.0.1:{port}\n"
        f"ProxyPass / http://127.0.0.1:{app}/\nInclude {root}/snippet.conf\n"
    )
    argv = [program("apache2", "apache2"), "-f", str(root / "apache.conf"), "-d", str(root), "-DFOREGROUND"]
    return running(argv, port, root)


def caddy(root: Path, port: int, app: int, snippet: str) -> AbstractContextManager[str]:
    (root / "Caddyfile").write_text(
        "{\n\tadmin off\n\tauto_https off\n\tstorage file_system " + str(root / "data") + "\n}\n"
        f"http://127.0.0.1:{port} {{\n{snippet}\treverse_proxy 127.0.0.1:{app}\n}}\n"
    )
    env = {"PATH": os.environ.get("PATH", ""), "HOME": str(root), "XDG_DATA_HOME": str(root),
           "XDG_CONFIG_HOME": str(root)}
    argv = [program("caddy", "caddy"), "run", "--config", str(root / "Caddyfile"), "--adapter", "caddyfile"]
    return running(argv, port, root, env)


SERVERS = {"nginx": nginx, "apache": apache, "caddy": caddy}


def fetch(url: str) -> list[tuple[str, str]]:
    for _ in range(50):
        try:
            with urllib.request.urlopen(url, timeout=10) as response:  # noqa: S310 - loopback
                return [(n.lower(), v) for n, v in response.headers.items()]
        except OSError:
            time.sleep(0.1)  # listening, not yet serving
    raise AssertionError(f"{url} never answered")


@pytest.mark.parametrize("server", sorted(SERVERS))
def test_the_snippet_fixes_a_proxied_app(server: str) -> None:
    snippet = snippets()[server]
    with (serve_loopback(App) as app, tempfile.TemporaryDirectory(prefix=f"toolbox-{server}-") as tmp,
          SERVERS[server](Path(tmp), free_port(), app.server_address[1], snippet) as url):
        headers = fetch(url)
    values = {n: [v for name, v in headers if name == n] for n, _ in headers}
    # the stricter policy replaces the app's (one header: two would both be enforced)
    assert values["content-security-policy"] == [STRICTER], headers
    assert values.get("x-powered-by") is None, headers
    assert values["x-content-type-options"] == ["nosniff"]
    cookies = {c.split("=", 1)[0]: [a.strip().lower() for a in c.split(";")[1:]] for c in values["set-cookie"]}
    assert sorted(cookies["sessionid"]) == ["httponly", "path=/", "samesite=lax", "secure"], cookies
    assert sorted(cookies["theme"]) == ["path=/", "samesite=lax", "secure"], cookies
    assert sorted(cookies["XSRF-TOKEN"]) == ["path=/", "samesite=strict", "secure"], cookies  # untouched
    assert cookies["prefs"] == ["samesite=lax", "path=/", "secure"], cookies  # an invalid value is replaced
