"""The TLS facts of a fetch (FetchResult.tls) and the description of a rejected certificate
(FetchFailed.tls), against real TLS servers on loopback with certificates made here."""

from __future__ import annotations

import dataclasses
import datetime
import socket
import ssl
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.x509.oid import NameOID

from tests.unit.net.conftest import LOOPBACK_ALLOWED, FakeResolver, RecordingConnector, Server, _serve
from toolbox.core.net import FetchFailed, FetchPolicy, fetch
from toolbox.core.net.addresses import Address
from toolbox.core.net.errors import FetchReason
from toolbox.core.net.transport import direct_connector

NOW = datetime.datetime.now(datetime.UTC)
Key = ec.EllipticCurvePrivateKey | rsa.RSAPrivateKey


@dataclass
class Issued:
    cert: x509.Certificate
    cert_pem: Path
    key_pem: Path


@dataclass
class Authority:
    """A private CA that issues leaf certificates into a folder."""

    folder: Path
    name: str = "toolbox tls-info CA"
    key: ec.EllipticCurvePrivateKey = field(default_factory=lambda: ec.generate_private_key(ec.SECP256R1()))
    count: int = 0

    def __post_init__(self) -> None:
        subject = _name(self.name, org="Toolbox Test Org")
        self.cert = (
            x509.CertificateBuilder().subject_name(subject).issuer_name(subject)
            .public_key(self.key.public_key()).serial_number(x509.random_serial_number())
            .not_valid_before(NOW - datetime.timedelta(days=1)).not_valid_after(NOW + datetime.timedelta(days=400))
            .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
            .sign(self.key, hashes.SHA256())
        )  # fmt: skip
        self.ca_pem = self.folder / "ca.pem"
        self.ca_pem.write_bytes(self.cert.public_bytes(serialization.Encoding.PEM))

    def issue(self, *, dns: tuple[str, ...] = ("localhost",), ips: tuple[str, ...] = (), cn: str = "localhost",
              days: float = 90, start_days: float = -1, key: Key | None = None, self_signed: bool = False,
              serial: int | None = None) -> Issued:
        self.count += 1
        key = key or ec.generate_private_key(ec.SECP256R1())
        import ipaddress

        names: list[x509.GeneralName] = [x509.DNSName(d) for d in dns]
        names += [x509.IPAddress(ipaddress.ip_address(i)) for i in ips]
        builder = (
            x509.CertificateBuilder().subject_name(_name(cn))
            .issuer_name(_name(cn) if self_signed else self.cert.subject)
            .public_key(key.public_key()).serial_number(serial or x509.random_serial_number())
            .not_valid_before(NOW + datetime.timedelta(days=start_days))
            .not_valid_after(NOW + datetime.timedelta(days=days))
        )  # fmt: skip
        if names:
            builder = builder.add_extension(x509.SubjectAlternativeName(names), critical=False)
        cert = builder.sign(key if self_signed else self.key, hashes.SHA256())
        cert_pem, key_pem = self.folder / f"leaf{self.count}.pem", self.folder / f"leaf{self.count}.key"
        cert_pem.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
        key_pem.write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                              serialization.NoEncryption()))
        return Issued(cert, cert_pem, key_pem)


def _name(common: str, org: str | None = None) -> x509.Name:
    attributes = [x509.NameAttribute(NameOID.COMMON_NAME, common)]
    if org:
        attributes.append(x509.NameAttribute(NameOID.ORGANIZATION_NAME, org))
    return x509.Name(attributes)


@pytest.fixture(scope="module")
def authority(tmp_path_factory: pytest.TempPathFactory) -> Authority:
    return Authority(tmp_path_factory.mktemp("tls-info"))


def _context(issued: Issued, *, tls12_cipher: str | None = None) -> ssl.SSLContext:
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.set_ciphers("DEFAULT:@SECLEVEL=0")  # lets the server load an RSA-1024 key
    if tls12_cipher:
        context.maximum_version = ssl.TLSVersion.TLSv1_2
        context.set_ciphers(tls12_cipher + ":@SECLEVEL=0")
    context.load_cert_chain(issued.cert_pem, issued.key_pem)
    return context


@pytest.fixture
def serve() -> Iterator[Callable[[ssl.SSLContext | None], Server]]:
    """Start loopback HTTP(S) servers (the conftest Handler) for the length of the test."""
    running: list[Iterator[Server]] = []

    def start(context: ssl.SSLContext | None) -> Server:
        generator = _serve(context)
        running.append(generator)
        return next(generator)

    yield start
    for generator in running:
        next(generator, None)


def _policy(authority: Authority) -> FetchPolicy:
    return dataclasses.replace(LOOPBACK_ALLOWED, ca_bundle=str(authority.ca_pem))


def _fetch_rejected(url: str, policy: FetchPolicy, **kwargs: object) -> FetchFailed:
    with pytest.raises(FetchFailed) as caught:
        fetch(url, policy=policy, resolver=FakeResolver({"localhost": ["127.0.0.1"], "other.test": ["127.0.0.1"]}),
              **kwargs)  # type: ignore[arg-type]
    return caught.value


# --- a verified connection ---------------------------------------------------------------------


def test_a_verified_fetch_describes_its_connection_and_certificate(authority: Authority, serve) -> None:  # type: ignore[no-untyped-def]
    issued = authority.issue(dns=("localhost", "*.localhost"), ips=("127.0.0.1", "::1"), days=60, serial=0xC0FFEE)
    server = serve(_context(issued))
    result = fetch(f"https://localhost:{server.port}/ok", policy=_policy(authority),
                   resolver=FakeResolver({"localhost": ["127.0.0.1"]}))
    tls = result.tls
    assert tls is not None and tls.verified and (tls.verify_code, tls.verify_reason) == (0, "")
    assert tls.host == "localhost"
    assert tls.protocol == "TLSv1.3" and tls.cipher.startswith("TLS_") and tls.cipher_bits in {128, 256}
    cert = tls.certificate
    assert cert is not None
    assert (cert.subject_cn, cert.subject) == ("localhost", "CN=localhost")
    assert cert.san_dns == ("localhost", "*.localhost") and cert.san_ip == ("127.0.0.1", "::1")
    assert (cert.issuer_cn, cert.issuer_org) == ("toolbox tls-info CA", "Toolbox Test Org")
    assert not cert.self_issued
    assert cert.not_after == issued.cert.not_valid_after_utc and cert.not_after.tzinfo is not None
    assert cert.not_before == issued.cert.not_valid_before_utc
    assert cert.serial == "C0FFEE"
    assert (cert.key_type, cert.key_bits, cert.key_curve) == ("EC", 256, "P-256")
    assert (cert.signature_algorithm, cert.signature_hash) == ("ecdsa-with-SHA256", "sha256")
    assert cert.sha256 == issued.cert.fingerprint(hashes.SHA256()).hex(":").upper()


def test_tls12_with_a_cbc_cipher_is_reported_as_negotiated(authority: Authority, serve) -> None:  # type: ignore[no-untyped-def]
    server = serve(_context(authority.issue(), tls12_cipher="ECDHE-ECDSA-AES128-SHA256"))
    result = fetch(f"https://localhost:{server.port}/ok", policy=_policy(authority),
                   resolver=FakeResolver({"localhost": ["127.0.0.1"]}))
    assert result.tls is not None
    assert (result.tls.protocol, result.tls.cipher, result.tls.cipher_bits) == (
        "TLSv1.2", "ECDHE-ECDSA-AES128-SHA256", 128)


def test_rsa_keys_are_described_with_their_size(authority: Authority, serve) -> None:  # type: ignore[no-untyped-def]
    server = serve(_context(authority.issue(key=rsa.generate_private_key(65537, 2048))))
    result = fetch(f"https://localhost:{server.port}/ok", policy=_policy(authority),
                   resolver=FakeResolver({"localhost": ["127.0.0.1"]}))
    assert result.tls is not None and result.tls.certificate is not None
    assert (result.tls.certificate.key_type, result.tls.certificate.key_bits) == ("RSA", 2048)


def test_tls_describes_the_final_response_after_redirects(authority: Authority, serve) -> None:  # type: ignore[no-untyped-def]
    first = serve(_context(authority.issue(serial=0x1111)))
    second = serve(_context(authority.issue(serial=0x2222)))
    plain = serve(None)
    resolver = FakeResolver({"localhost": ["127.0.0.1"]})
    to_second = fetch(f"https://localhost:{first.port}/redirect?to=https://localhost:{second.port}/ok",
                      policy=_policy(authority), resolver=resolver)
    assert [h.status for h in to_second.hops] == [302, 200]
    assert to_second.tls is not None and to_second.tls.certificate is not None
    assert to_second.tls.certificate.serial == "2222"  # the final connection's certificate, not the first
    to_plain = fetch(f"https://localhost:{first.port}/redirect?to=http://localhost:{plain.port}/ok",
                     policy=_policy(authority), resolver=resolver)
    assert [h.status for h in to_plain.hops] == [302, 200] and to_plain.tls is None
    from_plain = fetch(f"http://localhost:{plain.port}/redirect?to=https://localhost:{first.port}/ok",
                       policy=_policy(authority), resolver=resolver)
    assert from_plain.tls is not None and from_plain.tls.certificate is not None
    assert from_plain.tls.certificate.serial == "1111"


def test_plain_http_has_no_tls(serve) -> None:  # type: ignore[no-untyped-def]
    server = serve(None)
    assert fetch(f"http://127.0.0.1:{server.port}/ok", policy=LOOPBACK_ALLOWED).tls is None


def test_a_certificate_without_san_is_described_with_no_names(authority: Authority, serve) -> None:  # type: ignore[no-untyped-def]
    # OpenSSL (Python's default hostname_checks_common_name) still accepts the CN; browsers do not,
    # which the summary reports (tls-cert-no-san).
    server = serve(_context(authority.issue(dns=())))
    result = fetch(f"https://localhost:{server.port}/ok", policy=_policy(authority),
                   resolver=FakeResolver({"localhost": ["127.0.0.1"]}))
    assert result.tls is not None and result.tls.certificate is not None
    assert (result.tls.certificate.san_dns, result.tls.certificate.subject_cn) == ((), "localhost")


# --- a rejected certificate: the fetch fails, the certificate is described --------------------


def test_an_expired_certificate_fails_and_is_described(authority: Authority, serve) -> None:  # type: ignore[no-untyped-def]
    issued = authority.issue(days=-3, start_days=-30)
    server = serve(_context(issued))
    error = _fetch_rejected(f"https://localhost:{server.port}/ok", _policy(authority))
    assert error.why is FetchReason.TLS_EXPIRED
    assert error.tls is not None and not error.tls.verified
    assert error.tls.verify_code == 10 and "expired" in error.tls.verify_reason
    assert error.tls.certificate is not None and error.tls.certificate.not_after == issued.cert.not_valid_after_utc
    assert error.tls.protocol == "TLSv1.3"
    assert server.seen == []  # no HTTP request on either connection


def test_a_certificate_for_another_name_fails_and_is_described(authority: Authority, serve) -> None:  # type: ignore[no-untyped-def]
    server = serve(_context(authority.issue(dns=("other.example", "www.other.example"), cn="other.example")))
    error = _fetch_rejected(f"https://localhost:{server.port}/ok", _policy(authority))
    assert error.why is FetchReason.TLS_HOSTNAME
    assert error.tls is not None and error.tls.verify_code == 62 and error.tls.host == "localhost"
    assert error.tls.certificate is not None
    assert error.tls.certificate.san_dns == ("other.example", "www.other.example")
    assert server.seen == []


def test_an_ip_url_against_a_name_only_certificate(authority: Authority, serve) -> None:  # type: ignore[no-untyped-def]
    server = serve(_context(authority.issue()))
    with pytest.raises(FetchFailed) as caught:
        fetch(f"https://127.0.0.1:{server.port}/ok", policy=_policy(authority))
    assert caught.value.why is FetchReason.TLS_HOSTNAME
    assert caught.value.tls is not None and caught.value.tls.verify_code == 64
    assert caught.value.tls.host == "127.0.0.1"


def test_a_self_signed_certificate_fails_and_is_described(authority: Authority, serve) -> None:  # type: ignore[no-untyped-def]
    server = serve(_context(authority.issue(self_signed=True)))
    error = _fetch_rejected(f"https://localhost:{server.port}/ok", _policy(authority))
    assert error.why is FetchReason.TLS_UNTRUSTED
    assert error.tls is not None and error.tls.verify_code == 18
    assert error.tls.certificate is not None and error.tls.certificate.self_issued
    assert error.tls.certificate.issuer_cn == "localhost"


def test_an_unknown_issuer_fails_and_is_described(authority: Authority, serve) -> None:  # type: ignore[no-untyped-def]
    server = serve(_context(authority.issue()))
    error = _fetch_rejected(f"https://localhost:{server.port}/ok", LOOPBACK_ALLOWED)  # no CA bundle
    assert error.why is FetchReason.TLS_UNTRUSTED
    assert error.tls is not None and error.tls.verify_code == 20
    assert error.tls.certificate is not None and error.tls.certificate.issuer_cn == "toolbox tls-info CA"
    assert not error.tls.certificate.self_issued


def test_an_rsa_1024_certificate_fails_and_is_described(authority: Authority, serve) -> None:  # type: ignore[no-untyped-def]
    server = serve(_context(authority.issue(key=rsa.generate_private_key(65537, 1024))))
    error = _fetch_rejected(f"https://localhost:{server.port}/ok", _policy(authority))
    assert error.why is FetchReason.TLS_UNTRUSTED  # OpenSSL's security level refuses the key
    assert error.tls is not None and error.tls.verify_code == 66
    assert error.tls.certificate is not None
    assert (error.tls.certificate.key_type, error.tls.certificate.key_bits) == ("RSA", 1024)
    assert server.seen == []


def test_the_description_survives_a_redirect_to_the_rejected_site(authority: Authority, serve) -> None:  # type: ignore[no-untyped-def]
    good = serve(_context(authority.issue()))
    expired = serve(_context(authority.issue(days=-1, start_days=-10)))
    error = _fetch_rejected(f"https://localhost:{good.port}/redirect?to=https://localhost:{expired.port}/ok",
                            _policy(authority))
    assert error.why is FetchReason.TLS_EXPIRED and [h.status for h in error.hops] == [302]
    assert error.tls is not None and error.tls.verify_code == 10


def test_the_description_reconnects_to_the_checked_address_only(authority: Authority, serve) -> None:  # type: ignore[no-untyped-def]
    server = serve(_context(authority.issue(dns=("other.example",))))
    connector, resolver = RecordingConnector(), FakeResolver({"localhost": ["127.0.0.1"]})
    with pytest.raises(FetchFailed) as caught:
        fetch(f"https://localhost:{server.port}/ok", policy=_policy(authority), resolver=resolver,
              connector=connector)
    assert caught.value.tls is not None
    assert connector.addresses == ["127.0.0.1", "127.0.0.1"]  # one extra handshake, same address
    assert resolver.calls == ["localhost"]  # never resolved again


def test_when_the_description_cannot_connect_the_fetch_fails_the_same(authority: Authority, serve) -> None:  # type: ignore[no-untyped-def]
    server = serve(_context(authority.issue(dns=("other.example",))))
    calls: list[str] = []

    def once(address: Address, port: int, timeout: float) -> socket.socket:
        calls.append(str(address))
        if len(calls) > 1:
            raise ConnectionRefusedError
        return direct_connector(address, port, timeout)

    with pytest.raises(FetchFailed) as caught:
        fetch(f"https://localhost:{server.port}/ok", policy=_policy(authority),
              resolver=FakeResolver({"localhost": ["127.0.0.1"]}), connector=once)
    assert caught.value.why is FetchReason.TLS_HOSTNAME and caught.value.tls is None
    assert len(calls) == 2


def test_other_failures_carry_no_description(serve) -> None:  # type: ignore[no-untyped-def]
    plain = serve(None)  # a TLS client talking to a plain HTTP server: the handshake itself fails
    with pytest.raises(FetchFailed) as caught:
        fetch(f"https://127.0.0.1:{plain.port}/ok", policy=dataclasses.replace(LOOPBACK_ALLOWED, total_timeout=3))
    assert caught.value.why is FetchReason.TLS_FAILED and caught.value.tls is None


# --- what crosses the wire when a certificate is rejected --------------------------------------


class RawTlsServer:
    """Accepts TLS connections and records, per connection, the handshake's outcome and every byte
    the client sent after it (no HTTP handling: it only listens)."""

    def __init__(self, context: ssl.SSLContext) -> None:
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.listener.settimeout(0.2)
        self.port = self.listener.getsockname()[1]
        self.context = context
        self.log: list[tuple[str, bytes]] = []
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self._run, daemon=True)
        self.thread.start()

    def _run(self) -> None:
        while not self.stop.is_set():
            try:
                conn, _ = self.listener.accept()
            except TimeoutError:
                continue
            conn.settimeout(2)
            try:
                tls = self.context.wrap_socket(conn, server_side=True)
            except (ssl.SSLError, OSError):
                self.log.append(("handshake-failed", b""))
                continue
            received = b""
            try:
                while chunk := tls.recv(4096):
                    received += chunk
            except (ssl.SSLError, OSError):
                pass
            self.log.append(("handshake-done", received))
            tls.close()

    def close(self) -> None:
        self.stop.set()
        self.thread.join(2)
        self.listener.close()


@pytest.mark.parametrize("case", ["wrong-name", "expired", "self-signed"])
def test_the_describing_handshake_sends_no_http_bytes(authority: Authority, case: str) -> None:
    issued = {"wrong-name": lambda: authority.issue(dns=("other.example",)),
              "expired": lambda: authority.issue(days=-2, start_days=-9),
              "self-signed": lambda: authority.issue(self_signed=True)}[case]()
    server = RawTlsServer(_context(issued))
    try:
        error = _fetch_rejected(f"https://localhost:{server.port}/secret-path", _policy(authority),
                                private_headers=[("Authorization", "Bearer canary-5521")])
        assert error.tls is not None and error.tls.certificate is not None
        deadline = datetime.datetime.now() + datetime.timedelta(seconds=3)
        while len(server.log) < 2 and datetime.datetime.now() < deadline:
            threading.Event().wait(0.02)
    finally:
        server.close()
    # First the verifying handshake, which the client aborts; then the describing one, after
    # which the client sent nothing at all (no request line, no credentials) and closed.
    assert server.log == [("handshake-failed", b""), ("handshake-done", b"")]


def test_reading_a_mangled_certificate_never_raises(authority: Authority) -> None:
    import random
    import warnings

    from toolbox.core.net.tlsinfo import read_certificate

    der = authority.issue(ips=("::1",)).cert.public_bytes(serialization.Encoding.DER)
    assert read_certificate(der) is not None
    rng = random.Random(12)
    parsed = 0
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # cryptography's warnings about odd fields, as errors: still no raise
        for _ in range(3000):
            mangled = bytearray(der)
            for _ in range(rng.randint(1, 4)):
                mangled[rng.randrange(len(mangled))] = rng.randrange(256)
            parsed += read_certificate(bytes(mangled)) is not None
        for cut in range(0, len(der), 7):
            assert read_certificate(der[:cut]) is None
    assert 0 < parsed < 3000  # both outcomes were exercised
    assert read_certificate(b"") is None and read_certificate(b"\x30\x82\xff\xff" + b"\x00" * 64) is None


# --- from the wire to what a person reads (toolbox/core/headers/tls.py) -------------------------


def test_a_certificate_expiring_in_5_days_reaches_the_summary(authority: Authority, serve) -> None:  # type: ignore[no-untyped-def]
    from toolbox.core.headers.tls import tls_summary

    server = serve(_context(authority.issue(days=5.5)))
    url = f"https://localhost:{server.port}/ok"
    result = fetch(url, policy=_policy(authority), resolver=FakeResolver({"localhost": ["127.0.0.1"]}))
    assert result.tls is not None
    hsts = (*result.final.headers, ("Strict-Transport-Security", "max-age=31536000; includeSubDomains"))
    summary = tls_summary(result.tls, url, hsts, datetime.datetime.now(datetime.UTC))
    assert (summary.days_left, summary.chain, summary.matched_by, summary.protocol) == (
        5, "verified", "localhost", "TLSv1.3")
    assert {f.id: f.severity for f in summary.findings} == {
        "tls-cert-expiring": "high", "tls-hsts-subdomains-uncovered": "info"}


@pytest.mark.parametrize(("case", "message"), [
    ("expired", "The certificate expired 3 days ago (notAfter "),
    ("wrong-name", "The certificate is for other.example, www.other.example, not for localhost."),
    ("self-signed", "The certificate is self-signed (“localhost”), so no browser trusts it."),
    ("rsa-1024", "Its RSA key has 1024 bits (at least 2048 are required)."),
])  # fmt: skip
def test_a_rejected_certificate_reaches_a_one_line_message(authority: Authority, serve, case: str,  # type: ignore[no-untyped-def]
                                                           message: str) -> None:
    from toolbox.core.headers.tls import tls_failure_message

    issued = {
        "expired": lambda: authority.issue(days=-3.2, start_days=-40),
        "wrong-name": lambda: authority.issue(dns=("other.example", "www.other.example")),
        "self-signed": lambda: authority.issue(self_signed=True),
        "rsa-1024": lambda: authority.issue(key=rsa.generate_private_key(65537, 1024)),
    }[case]()
    server = serve(_context(issued))
    error = _fetch_rejected(f"https://localhost:{server.port}/ok", _policy(authority))
    assert error.tls is not None
    assert tls_failure_message(error.tls, datetime.datetime.now(datetime.UTC)).startswith(message)


def test_a_sha1_signed_certificate_fails_and_is_described(authority: Authority, serve, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    # cryptography no longer signs with SHA-1; the openssl command line still can.
    import shutil
    import subprocess

    openssl = shutil.which("openssl")
    assert openssl is not None, "needs the openssl command (Debian package openssl; .ci/run installs it)"
    key = ec.generate_private_key(ec.SECP256R1())
    csr = x509.CertificateSigningRequestBuilder().subject_name(_name("localhost")).sign(key, hashes.SHA256())
    files = {name: tmp_path / f"{name}.pem" for name in ("ca-key", "csr", "leaf", "leaf-key")}
    files["ca-key"].write_bytes(authority.key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()))
    files["csr"].write_bytes(csr.public_bytes(serialization.Encoding.PEM))
    files["leaf-key"].write_bytes(key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()))
    (tmp_path / "ext.cnf").write_text("[v3]\nsubjectAltName=DNS:localhost\n")
    subprocess.run([openssl, "x509", "-req", "-in", files["csr"], "-CA", authority.ca_pem, "-CAkey", files["ca-key"],
                    "-sha1", "-days", "200", "-set_serial", "77", "-extfile", tmp_path / "ext.cnf", "-extensions", "v3",
                    "-out", files["leaf"]], check=True, capture_output=True)
    server = serve(_context(Issued(x509.load_pem_x509_certificate(files["leaf"].read_bytes()), files["leaf"],
                                   files["leaf-key"])))
    error = _fetch_rejected(f"https://localhost:{server.port}/ok", _policy(authority))
    assert error.why is FetchReason.TLS_UNTRUSTED and error.tls is not None
    assert error.tls.verify_code == 68
    assert error.tls.certificate is not None
    assert (error.tls.certificate.signature_algorithm, error.tls.certificate.signature_hash) == (
        "ecdsa-with-SHA1", "sha1")
    from toolbox.core.headers.tls import tls_failure_message, tls_summary

    now = datetime.datetime.now(datetime.UTC)
    assert tls_failure_message(error.tls, now) == "It is signed with SHA1, which browsers no longer accept."
    assert [f.id for f in tls_summary(error.tls, "", (), now).findings] == ["tls-weak-signature"]
    assert server.seen == []
