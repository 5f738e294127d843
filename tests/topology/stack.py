"""The deployment docs/deployment.md describes, on loopback: nginx (TLS) -> two `toolbox serve` -> Redis.

deploy/nginx/toolbox.conf is used as it is, with only the substitutions of nginx_substitutions()
(each must match exactly as often as listed, so the file and this table cannot drift apart).
It is included from a small test nginx.conf (TEST_NGINX_CONF) that stands in for Debian's: temp
paths and logs in a temporary directory, Debian's `gzip on`, and one test-only response header
naming the instance that answered (X-Test-Upstream, nginx's $upstream_addr).
"""

from __future__ import annotations

import datetime
import http.client
import ipaddress
import json
import re
import shutil
import socket
import ssl
import tempfile
from collections.abc import Mapping
from contextlib import ExitStack
from dataclasses import dataclass, field
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

from tests.servers import (
    ROOT,
    Server,
    check_nginx,
    free_port,
    start_caddy,
    start_nginx,
    start_redis,
    start_toolbox,
)

NGINX_CONF = ROOT / "deploy" / "nginx" / "toolbox.conf"
CADDYFILE = ROOT / "deploy" / "caddy" / "Caddyfile"

LIMIT = 8  # TOOLBOX_RATELIMIT_DEFAULT per client, shared by both instances through Redis
APP_MAX_BODY = 64 * 1024  # TOOLBOX_MAX_BODY_BYTES=64k, below nginx's client_max_body_size 8m
NGINX_MAX_BODY = 8 * 1024 * 1024  # client_max_body_size 8m in deploy/nginx/toolbox.conf
SERVER_NAME = "localhost"  # stands for toolbox.example.com; the certificate names it and 127.0.0.1
UPSTREAM_HEADER = "X-Test-Upstream"

TEST_NGINX_CONF = """\
# Written by tests/topology: stands in for Debian's /etc/nginx/nginx.conf.
worker_processes 1;
events {{ worker_connections 256; }}
http {{
    # As Debian's nginx.conf: deploy/nginx/toolbox.conf must switch it off for its server.
    # (No ssl_protocols here: nginx 1.22's default lacks TLS 1.3, so a TLS 1.3 handshake shows
    # that toolbox.conf sets it where it counts, in the default_server block.)
    gzip on;
    access_log {prefix}/access.log;
    client_body_temp_path {prefix}/client_body;
    proxy_temp_path {prefix}/proxy;
    fastcgi_temp_path {prefix}/fastcgi;
    uwsgi_temp_path {prefix}/uwsgi;
    scgi_temp_path {prefix}/scgi;
    # Test only: which instance answered (inherited, as toolbox.conf has no add_header).
    add_header {upstream_header} $upstream_addr always;
    include {prefix}/toolbox.conf;
}}
"""


@dataclass(frozen=True)
class Substitution:
    """Replace `old` (a literal, or a regular expression when `regex`) by `new`, exactly `count` times."""

    old: str
    new: str
    count: int
    regex: bool = False


def nginx_substitutions(*, http_port: int, https_port: int, tls_dir: Path,
                        upstreams: tuple[int, int]) -> list[Substitution]:
    """What the test changes in deploy/nginx/toolbox.conf, in order (docs/deployment.md lists it)."""
    return [
        # Loopback IPv4 only: the IPv6 listeners are left out.
        Substitution(r"(?m)^[ \t]*listen \[::\]:\d+[^\n]*\n", "", 4, regex=True),
        Substitution(r"(?m)^([ \t]*listen )80\b", rf"\g<1>127.0.0.1:{http_port}", 2, regex=True),
        Substitution(r"(?m)^([ \t]*listen )443\b", rf"\g<1>127.0.0.1:{https_port}", 2, regex=True),
        Substitution("/etc/letsencrypt/live/toolbox.example.com/", f"{tls_dir}/", 2),
        Substitution("toolbox.example.com", SERVER_NAME, 4),
        Substitution("server 127.0.0.1:8000;", f"server 127.0.0.1:{upstreams[0]};", 1),
        Substitution("server 127.0.0.1:8001;", f"server 127.0.0.1:{upstreams[1]};", 1),
    ]


# Test-only global options put before deploy/caddy/Caddyfile: no admin endpoint, its own ports
# (the HTTP one unused: no redirects), and its storage in the test's directory.
TEST_CADDY_OPTIONS = """\
# Written by tests/topology.
{{
\tadmin off
\tauto_https disable_redirects
\thttp_port {http_port}
\thttps_port {https_port}
\tstorage file_system {storage}
\t# Loopback only: TCP, and no HTTP/3 (Caddy would open UDP on every address otherwise).
\tservers {{
\t\tprotocols h1 h2
\t}}
}}

"""


def caddy_substitutions(*, https_port: int, tls_dir: Path, upstreams: tuple[int, int]) -> list[Substitution]:
    """What the test changes in deploy/caddy/Caddyfile (docs/deployment.md lists it)."""
    return [
        Substitution("toolbox.example.com {", f"https://{SERVER_NAME}:{https_port} {{\n"
                     f"\tbind 127.0.0.1\n\ttls {tls_dir}/fullchain.pem {tls_dir}/privkey.pem", 1),
        Substitution("reverse_proxy 127.0.0.1:8000 127.0.0.1:8001 {",
                     f"reverse_proxy 127.0.0.1:{upstreams[0]} 127.0.0.1:{upstreams[1]} {{", 1),
    ]


def render(text: str, substitutions: list[Substitution], source: Path = NGINX_CONF) -> str:
    """Apply `substitutions`; fail naming the first one that does not match as often as expected."""
    for sub in substitutions:
        found = len(re.findall(sub.old, text)) if sub.regex else text.count(sub.old)
        if found != sub.count:
            raise AssertionError(f"{source.relative_to(ROOT)}: expected {sub.count} of {sub.old!r}, "
                                 f"found {found}; update tests/topology/stack.py with the file")
        text = re.sub(sub.old, sub.new, text) if sub.regex else text.replace(sub.old, sub.new)
    return text


@dataclass(frozen=True)
class LoopbackCA:
    """A certificate authority made for one test run, and a server certificate it signed."""

    ca_pem: str
    fullchain: Path
    privkey: Path


def make_ca(directory: Path) -> LoopbackCA:
    """CA + server certificate for localhost and 127.0.0.1, written as fullchain.pem/privkey.pem."""
    now = datetime.datetime.now(datetime.UTC)
    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca_name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "Toolbox topology test CA")])
    ca_cert = (
        x509.CertificateBuilder()
        .subject_name(ca_name).issuer_name(ca_name)
        .public_key(ca_key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(minutes=5))
        .not_valid_after(now + datetime.timedelta(days=1))
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(x509.KeyUsage(digital_signature=False, content_commitment=False, key_encipherment=False,
                                     data_encipherment=False, key_agreement=False, key_cert_sign=True,
                                     crl_sign=True, encipher_only=False, decipher_only=False), critical=True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(ca_key.public_key()), critical=False)
        .sign(ca_key, hashes.SHA256())
    )
    key = ec.generate_private_key(ec.SECP256R1())
    cert = (
        x509.CertificateBuilder()
        .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, SERVER_NAME)]))
        .issuer_name(ca_name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(minutes=5))
        .not_valid_after(now + datetime.timedelta(days=1))
        .add_extension(x509.SubjectAlternativeName([x509.DNSName(SERVER_NAME),
                                                    x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]),
                       critical=False)
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH]), critical=False)
        .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()), critical=False)
        .sign(ca_key, hashes.SHA256())
    )
    fullchain = directory / "fullchain.pem"
    privkey = directory / "privkey.pem"
    fullchain.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    privkey.write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                          serialization.NoEncryption()))
    privkey.chmod(0o600)
    return LoopbackCA(ca_cert.public_bytes(serialization.Encoding.PEM).decode(), fullchain, privkey)


@dataclass
class Reply:
    """One HTTP response: status, every header line in order, body, and the TLS version."""

    status: int
    header_lines: list[tuple[str, str]]
    body: bytes
    tls_version: str | None = None

    def all(self, name: str) -> list[str]:
        return [value for key, value in self.header_lines if key.lower() == name.lower()]

    def header(self, name: str) -> str | None:
        """The header's value; fails when it was sent more than once."""
        values = self.all(name)
        assert len(values) <= 1, f"{name} sent {len(values)} times: {values}"
        return values[0] if values else None

    def names(self) -> set[str]:
        return {key.lower() for key, _ in self.header_lines}

    def json(self) -> object:
        return json.loads(self.body)


class LoopbackHTTPS(http.client.HTTPSConnection):
    """HTTPS to 127.0.0.1 with SNI and Host `server_name`, from a chosen loopback source address."""

    def __init__(self, server_name: str, port: int, context: ssl.SSLContext, source: str) -> None:
        super().__init__(server_name, port, timeout=15, context=context, source_address=(source, 0))
        self.tls_context = context
        self.source = (source, 0)

    def connect(self) -> None:
        sock = socket.create_connection(("127.0.0.1", self.port), self.timeout, self.source)
        self.sock = self.tls_context.wrap_socket(sock, server_hostname=self.host)


def exchange(connection: http.client.HTTPConnection, method: str, path: str,
             headers: Mapping[str, str] | None, body: bytes | None) -> Reply:
    try:
        connection.request(method, path, body=body, headers=dict(headers or {}))
        response = connection.getresponse()
        data = response.read()
        sock = connection.sock
        version = sock.version() if isinstance(sock, ssl.SSLSocket) else None
        return Reply(response.status, response.getheaders(), data, version)
    finally:
        connection.close()


@dataclass
class Topology:
    """redis-server, two `toolbox serve` on it, nginx (deploy/nginx/toolbox.conf) in front."""

    redis: Server
    apps: list[Server]  # a test may replace one it stopped (same port)
    nginx: Server
    http_port: int
    https_port: int
    caddy: Server
    ca: LoopbackCA
    context: ssl.SSLContext = field(repr=False)

    def https(self, method: str, path: str, *, source: str = "127.0.0.1", server_name: str = SERVER_NAME,
              headers: Mapping[str, str] | None = None, body: bytes | None = None,
              proxy: str = "nginx") -> Reply:
        """A request through `proxy` (nginx or caddy) over TLS, trusting only the test CA, from `source`."""
        port = {"nginx": self.https_port, "caddy": self.caddy.port}[proxy]
        return exchange(LoopbackHTTPS(server_name, port, self.context, source),
                        method, path, headers, body)

    def http(self, method: str, path: str, *, host: str = SERVER_NAME) -> Reply:
        """A plain HTTP request to nginx's port 80 stand-in."""
        return exchange(http.client.HTTPConnection("127.0.0.1", self.http_port, timeout=15),
                        method, path, {"Host": host}, None)

    def direct(self, app: int, method: str, path: str, *, headers: Mapping[str, str] | None = None,
               body: bytes | None = None) -> Reply:
        """A request straight to one instance, bypassing nginx (what the app itself sends)."""
        return exchange(http.client.HTTPConnection("127.0.0.1", self.apps[app].port, timeout=15),
                        method, path, headers, body)

    def upstream_ports(self) -> tuple[int, int]:
        return (self.apps[0].port, self.apps[1].port)

    def request_log(self) -> dict[str, tuple[int, dict[str, object]]]:
        """Every `request` log line of both instances by request id: (instance index, entry)."""
        seen: dict[str, tuple[int, dict[str, object]]] = {}
        for index, app in enumerate(self.apps):
            for line in app.log().splitlines():
                if not line.startswith("{"):
                    continue
                entry = json.loads(line)
                if entry.get("event") == "request":
                    seen[str(entry["request_id"])] = (index, entry)
        return seen

    def flush_limits(self) -> None:
        """Forget every rate-limit counter (FLUSHALL on the test's own redis-server)."""
        with socket.create_connection(("127.0.0.1", self.redis.port), timeout=5) as sock:
            sock.sendall(b"FLUSHALL\r\n")
            assert sock.recv(16) == b"+OK\r\n"


def start_topology(cleanup: ExitStack, *, env: Mapping[str, str] | None = None, workers: int = 1) -> Topology:
    """Start redis-server, two `toolbox serve` on it, nginx and Caddy in front; `cleanup` stops them.

    `env` adds to (or overrides) the instances' settings below; `workers` is TOOLBOX_WORKERS.
    """
    workdir = Path(tempfile.mkdtemp(prefix="toolbox-topology-"))
    cleanup.callback(shutil.rmtree, workdir, ignore_errors=True)
    # nginx run by root switches its workers to Debian's www-data: they must reach the temp paths.
    workdir.chmod(0o755)
    tls_dir = workdir / "tls"
    tls_dir.mkdir()
    ca = make_ca(tls_dir)

    redis = start_redis()
    cleanup.callback(shutil.rmtree, redis.log_path.parent, ignore_errors=True)
    cleanup.callback(redis.stop)
    app_env = {
        "TOOLBOX_RATELIMIT_STORAGE": f"redis://127.0.0.1:{redis.port}/0",
        "TOOLBOX_RATELIMIT_DEFAULT": f"{LIMIT}/minute",
        "TOOLBOX_TRUSTED_PROXIES": "1",
        "TOOLBOX_ALLOWED_HOSTS": SERVER_NAME,
        "TOOLBOX_MAX_BODY_BYTES": str(APP_MAX_BODY),
        **(env or {}),
    }
    apps = []
    for _ in range(2):
        app = start_toolbox(app_env, workers=workers)
        cleanup.callback(app.log_path.unlink, missing_ok=True)
        cleanup.callback(app.stop)
        apps.append(app)
    upstreams = (apps[0].port, apps[1].port)

    http_port, https_port = free_port(), free_port()
    rendered = render(NGINX_CONF.read_text(), nginx_substitutions(
        http_port=http_port, https_port=https_port, tls_dir=tls_dir, upstreams=upstreams))
    (workdir / "toolbox.conf").write_text(rendered)
    main_conf = workdir / "nginx.conf"
    main_conf.write_text(TEST_NGINX_CONF.format(prefix=workdir, upstream_header=UPSTREAM_HEADER))
    check_nginx(main_conf, workdir)
    nginx = start_nginx(main_conf, workdir, https_port)
    cleanup.callback(nginx.stop)

    caddy_dir = workdir / "caddy"
    caddy_dir.mkdir()
    caddy_port = free_port()
    caddyfile = caddy_dir / "Caddyfile"
    caddyfile.write_text(
        TEST_CADDY_OPTIONS.format(http_port=free_port(), https_port=caddy_port, storage=caddy_dir / "data")
        + render(CADDYFILE.read_text(), caddy_substitutions(
            https_port=caddy_port, tls_dir=tls_dir, upstreams=upstreams), CADDYFILE))
    caddy = start_caddy(caddyfile, caddy_dir, caddy_port)
    cleanup.callback(caddy.stop)

    context = ssl.create_default_context(cadata=ca.ca_pem)  # trusts the test CA, nothing else
    assert context.verify_mode == ssl.CERT_REQUIRED and context.check_hostname
    return Topology(redis, apps, nginx, http_port, https_port, caddy, ca, context)
