"""Loopback fixture servers (HTTP and HTTPS with a test CA) and fake resolvers for fetcher tests.

Tests only ever connect to 127.0.0.1; every other address is refused before any connection.
"""

from __future__ import annotations

import datetime
import ipaddress
import json
import socket
import ssl
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from toolbox.core.net import FetchPolicy
from toolbox.core.net.addresses import Address
from toolbox.core.net.transport import direct_connector

LOOPBACK_ALLOWED = FetchPolicy(ports=None, allow=(ipaddress.ip_network("127.0.0.0/8"),))


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002
        pass

    def _send(self, status: int, body: bytes = b"", headers: list[tuple[str, str]] | None = None) -> None:
        self.send_response(status)
        for name, value in headers or []:
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Connection", "close")
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def do_HEAD(self) -> None:
        self.do_GET()

    def do_OPTIONS(self) -> None:
        self.do_GET()

    def do_GET(self) -> None:
        path, _, query = self.path.partition("?")
        self.server.seen.append(path)  # type: ignore[attr-defined]
        if path == "/ok":
            self._send(200, b"hello", [("Set-Cookie", "a=1"), ("X-Dup", "one"), ("Set-Cookie", "b=2")])
        elif path == "/echo":
            body = json.dumps({"method": self.command, "target": self.path, "headers": list(self.headers.items())})
            self._send(200, body.encode())
        elif path == "/redirect":
            self._send(302, b"", [("Location", query.removeprefix("to=")), ("Set-Cookie", "s=1")])
        elif path == "/two-locations":
            self._send(302, b"", [("Location", "/ok"), ("Location", "/echo")])
        elif path == "/see-other":
            self._send(303, b"", [("Location", "/echo")])
        elif path == "/loop":
            self._send(301, b"", [("Location", "/loop")])
        elif path == "/slow":
            time.sleep(2)
            self._send(200, b"slow")
        elif path == "/drip":
            # Headers one byte at a time: each read is quick, the whole is slow.
            self.wfile.write(b"HTTP/1.1 200 OK\r\n")
            for char in b"X-Slow: " + b"a" * 40:
                self.wfile.write(bytes([char]))
                self.wfile.flush()
                time.sleep(0.1)
        elif path == "/huge":
            self.send_response(200)
            self.send_header("Content-Length", str(8 * 1024 * 1024))
            self.end_headers()
            chunk = b"x" * 65536
            try:
                for _ in range(128):
                    self.wfile.write(chunk)
            except OSError:
                pass
        elif path == "/huge-chunked":
            self.send_response(200)
            self.send_header("Transfer-Encoding", "chunked")
            self.end_headers()
            try:
                for _ in range(200):
                    self.wfile.write(b"10000\r\n" + b"y" * 65536 + b"\r\n")
                self.wfile.write(b"0\r\n\r\n")
            except OSError:
                pass
        elif path == "/many-headers":
            self._send(200, b"", [(f"X-H{i}", "v") for i in range(150)])
        elif path == "/big-headers":
            self._send(200, b"", [(f"X-Big{i}", "v" * 10000) for i in range(8)])
        else:
            self._send(404, b"not found")


@dataclass
class Server:
    """A running loopback server."""

    port: int
    seen: list[str] = field(default_factory=list)
    sni: list[str | None] = field(default_factory=list)


def _serve(context: ssl.SSLContext | None) -> Iterator[Server]:
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    httpd.daemon_threads = True
    if context is not None:
        httpd.socket = context.wrap_socket(httpd.socket, server_side=True)
    server = Server(port=httpd.server_address[1])
    httpd.seen = server.seen  # type: ignore[attr-defined]
    thread = threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        httpd.shutdown()
        httpd.server_close()


@pytest.fixture
def http_server() -> Iterator[Server]:
    yield from _serve(None)


@dataclass
class CAFiles:
    ca_pem: Path
    cert_pem: Path
    key_pem: Path
    expired_pem: Path  # same key and name as cert_pem, validity ended yesterday


def _name(common: str) -> x509.Name:
    return x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, common)])


@pytest.fixture(scope="session")
def test_ca(tmp_path_factory: pytest.TempPathFactory) -> CAFiles:
    """A throwaway CA and a leaf certificate for `localhost`, made with cryptography."""
    now = datetime.datetime.now(datetime.UTC)
    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca_cert = (
        x509.CertificateBuilder()
        .subject_name(_name("toolbox test CA"))
        .issuer_name(_name("toolbox test CA"))
        .public_key(ca_key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(hours=1))
        .not_valid_after(now + datetime.timedelta(days=1))
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(x509.KeyUsage(False, False, False, False, False, True, True, False, False), critical=True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(ca_key.public_key()), critical=False)
        .sign(ca_key, hashes.SHA256())
    )
    leaf_key = ec.generate_private_key(ec.SECP256R1())
    leaf = (
        x509.CertificateBuilder()
        .subject_name(_name("localhost"))
        .issuer_name(ca_cert.subject)
        .public_key(leaf_key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(hours=1))
        .not_valid_after(now + datetime.timedelta(days=1))
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(x509.SubjectAlternativeName([x509.DNSName("localhost")]), critical=False)
        .add_extension(x509.ExtendedKeyUsage([x509.oid.ExtendedKeyUsageOID.SERVER_AUTH]), critical=False)
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()), critical=False
        )
        .sign(ca_key, hashes.SHA256())
    )
    expired = (
        x509.CertificateBuilder()
        .subject_name(_name("localhost"))
        .issuer_name(ca_cert.subject)
        .public_key(leaf_key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(days=3))
        .not_valid_after(now - datetime.timedelta(days=1))
        .add_extension(x509.SubjectAlternativeName([x509.DNSName("localhost")]), critical=False)
        .sign(ca_key, hashes.SHA256())
    )
    folder = tmp_path_factory.mktemp("ca")
    ca = CAFiles(folder / "ca.pem", folder / "leaf.pem", folder / "leaf.key", folder / "expired.pem")
    ca.expired_pem.write_bytes(expired.public_bytes(serialization.Encoding.PEM))
    ca.ca_pem.write_bytes(ca_cert.public_bytes(serialization.Encoding.PEM))
    ca.cert_pem.write_bytes(leaf.public_bytes(serialization.Encoding.PEM))
    ca.key_pem.write_bytes(
        leaf_key.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        )
    )
    return ca


@pytest.fixture
def expired_https_server(test_ca: CAFiles) -> Iterator[Server]:
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(test_ca.expired_pem, test_ca.key_pem)
    yield from _serve(context)


@pytest.fixture
def https_server(test_ca: CAFiles) -> Iterator[Server]:
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(test_ca.cert_pem, test_ca.key_pem)
    sni: list[str | None] = []

    def remember(_sock: ssl.SSLObject, name: str | None, _ctx: ssl.SSLContext) -> None:
        sni.append(name)

    context.sni_callback = remember  # type: ignore[assignment]
    for server in _serve(context):
        server.sni = sni
        yield server


class FakeResolver:
    """Answers from a table; records every question; can change its answers after the first."""

    def __init__(self, table: dict[str, list[str]], later: dict[str, list[str]] | None = None) -> None:
        self.table = table
        self.later = later
        self.calls: list[str] = []

    def __call__(self, host: str, port: int, timeout: float) -> list[str]:
        self.calls.append(host)
        table = self.later if self.later is not None and len(self.calls) > 1 else self.table
        if host not in table:
            raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")
        return table[host]


class RecordingConnector:
    """Connects only to loopback (anything else fails the test) and records each address."""

    def __init__(self) -> None:
        self.addresses: list[str] = []

    def __call__(self, address: Address, port: int, timeout: float) -> socket.socket:
        self.addresses.append(str(address))
        assert address.is_loopback, f"test tried to connect to {address}"
        return direct_connector(address, port, timeout)
