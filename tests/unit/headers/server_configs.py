"""Check a fix snippet with the server's own config test: `nginx -t`, `apache2 -t`, `caddy validate`.

Each snippet is wrapped in a minimal config of its own in a temporary directory (pid file, logs
and state stay there; nothing listens). The programs are Debian's packages nginx, apache2 and
caddy, which .ci/run installs; a missing one is an error that names its package, never a skip.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

APACHE_MODULES = Path("/usr/lib/apache2/modules")


def program(name: str, package: str) -> str:
    """Path of a server program (also looked for in /usr/sbin, which a user's PATH may lack)."""
    path = shutil.which(name) or shutil.which(name, path="/usr/sbin:/usr/bin:/sbin")
    if path is None:
        raise RuntimeError(f"{name} is not installed (apt-get install {package})")
    return path


def _run(argv: list[str], env: dict[str, str] | None = None) -> tuple[bool, str]:
    done = subprocess.run(argv, capture_output=True, text=True, timeout=60, env=env)  # noqa: S603
    return done.returncode == 0, done.stdout + done.stderr


def nginx_check(snippet: str) -> tuple[bool, str]:
    """`nginx -t` over the snippet inside a server block that proxies to the app."""
    nginx = program("nginx", "nginx")
    with tempfile.TemporaryDirectory(prefix="toolbox-nginx-") as tmp:
        root = Path(tmp)
        (root / "snippet.conf").write_text(snippet)
        (root / "nginx.conf").write_text(
            f"pid {root}/nginx.pid;\n"
            f"error_log {root}/error.log;\n"
            "events {}\n"
            "http {\n"
            "  access_log off;\n"
            f"  client_body_temp_path {root}/body;\n  proxy_temp_path {root}/proxy;\n"
            f"  fastcgi_temp_path {root}/fastcgi;\n  uwsgi_temp_path {root}/uwsgi;\n  scgi_temp_path {root}/scgi;\n"
            "  server {\n"
            "    listen 127.0.0.1:8080;\n"
            f"    include {root}/snippet.conf;\n"
            "    location / { proxy_pass http://127.0.0.1:8000; }\n"
            "  }\n"
            "}\n"
        )
        return _run([nginx, "-t", "-q", "-p", str(root), "-c", str(root / "nginx.conf"), "-e", str(root / "error.log")])


def apache_check(snippet: str) -> tuple[bool, str]:
    """`apache2 -t` over the snippet in a server config that loads only what it needs."""
    apache = program("apache2", "apache2")
    with tempfile.TemporaryDirectory(prefix="toolbox-apache-") as tmp:
        root = Path(tmp)
        (root / "snippet.conf").write_text(snippet)
        modules = ["mpm_event", "authz_core", "headers"]
        loads = "".join(f"LoadModule {m}_module {APACHE_MODULES}/mod_{m}.so\n" for m in modules)
        (root / "apache.conf").write_text(
            f"ServerRoot {root}\nDefaultRuntimeDir {root}\nPidFile {root}/apache.pid\n"
            f"ErrorLog {root}/error.log\n{loads}ServerName localhost\nListen 127.0.0.1:8080\n"
            f"Include {root}/snippet.conf\n"
        )
        return _run([apache, "-t", "-f", str(root / "apache.conf"), "-d", str(root)])


def caddy_check(snippet: str) -> tuple[bool, str]:
    """`caddy validate` over the snippet inside a site block (the adapter and every module run)."""
    caddy = program("caddy", "caddy")
    with tempfile.TemporaryDirectory(prefix="toolbox-caddy-") as tmp:
        root = Path(tmp)
        (root / "Caddyfile").write_text(
            "{\n\tadmin off\n\tstorage file_system " + str(root / "data") + "\n}\n"
            ":8080 {\n" + snippet + "\treverse_proxy 127.0.0.1:8000\n}\n"
            # A second site: a brace the snippet leaves open swallows it, and the adapter says so.
            ":8081 {\n\trespond \"ok\"\n}\n"
        )
        env = {"PATH": os.environ.get("PATH", ""), "HOME": tmp, "XDG_DATA_HOME": tmp, "XDG_CONFIG_HOME": tmp}
        return _run([caddy, "validate", "--config", str(root / "Caddyfile"), "--adapter", "caddyfile"], env)


CHECKS = {"nginx": nginx_check, "apache": apache_check, "caddy": caddy_check}
