"""Transport: resolving a name, connecting to a checked address, and TLS bound to the name."""

from __future__ import annotations

import socket
import ssl
import threading
from collections.abc import Callable, Sequence
from functools import lru_cache
from typing import cast

from toolbox.core.net.addresses import Address
from toolbox.core.net.errors import FetchError, FetchFailed, FetchReason
from toolbox.core.net.model import FetchPolicy, Target, TlsInfo
from toolbox.core.net.streams import Deadline
from toolbox.core.net.tlsinfo import describe_connection

Resolver = Callable[[str, int, float], Sequence[str]]
"""(host, port, timeout seconds) -> IP address strings; raise OSError when the name does not resolve."""
Connector = Callable[[Address, int, float], socket.socket]
"""(checked address, port, timeout seconds) -> a connected TCP socket."""



def system_resolver(host: str, port: int, timeout: float) -> list[str]:
    """Resolve with getaddrinfo in a helper thread so the fetch deadline also bounds DNS."""
    box: list[list[str] | BaseException] = []

    def run() -> None:
        try:
            infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM, proto=socket.IPPROTO_TCP)
            box.append([str(info[4][0]) for info in infos])
        except BaseException as err:  # handed to the caller below
            box.append(err)

    worker = threading.Thread(target=run, name="toolbox-resolve", daemon=True)
    worker.start()
    worker.join(timeout)
    if not box:
        raise TimeoutError("name resolution timed out")
    result = box[0]
    if isinstance(result, BaseException):
        raise result
    return result


def direct_connector(address: Address, port: int, timeout: float) -> socket.socket:
    """Open a TCP connection to the checked address itself (never a name, never a proxy)."""
    family = socket.AF_INET6 if address.version == 6 else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    try:
        sock.settimeout(timeout)
        sock.connect((str(address), port))
    except BaseException:
        sock.close()
        raise
    return sock


@lru_cache(maxsize=8)
def tls_context(ca_bundle: str | None) -> ssl.SSLContext:
    """System trust store plus the operator's CA bundle; verification is always on."""
    context = ssl.create_default_context()
    if ca_bundle:
        context.load_verify_locations(cafile=ca_bundle)
    context.minimum_version = ssl.TLSVersion.TLSv1_2
    context.check_hostname = True
    context.verify_mode = ssl.CERT_REQUIRED
    return context


@lru_cache(maxsize=1)
def _describing_context() -> ssl.SSLContext:
    """For reading a certificate verification has already rejected: no verification, no request."""
    context = ssl.create_default_context()
    context.minimum_version = ssl.TLSVersion.TLSv1_2
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE
    return context


def describe_rejected(
    target: Target, address: Address, policy: FetchPolicy, connect: Connector, deadline: Deadline, code: int
) -> TlsInfo | None:
    """The certificate the server at `address` presents, after verification rejected it.

    One more handshake to the same checked address under the same deadline, without verification;
    nothing is sent after the handshake and the socket is closed at once. The caller raises its
    FetchFailed whatever this returns. None when the server cannot be reached again in time.
    """
    try:
        sock = connect(address, target.port, deadline.remaining(policy.connect_timeout))
    except (FetchError, OSError):
        return None
    try:
        sock.settimeout(deadline.remaining(policy.total_timeout))
        with _describing_context().wrap_socket(sock, server_hostname=target.host) as tls:
            return describe_connection(tls, target.host, verified=False, verify_code=code)
    except (FetchError, OSError, ValueError):  # ssl.SSLError is an OSError
        return None
    finally:
        sock.close()


def open_connection(
    target: Target, addresses: list[Address], policy: FetchPolicy, connect: Connector, deadline: Deadline
) -> socket.socket:
    """Connect to the first reachable checked address; wrap in TLS verified against the *name*."""
    sock: socket.socket | None = None
    connected: Address | None = None
    timed_out = False
    for address in addresses:
        timeout = deadline.remaining(policy.connect_timeout)
        try:
            sock = connect(address, target.port, timeout)
            connected = address
            break
        except TimeoutError:
            timed_out = True
        except OSError:
            continue
    if sock is None or connected is None:
        raise FetchFailed(FetchReason.TIMEOUT if timed_out else FetchReason.CONNECT_FAILED)
    if target.scheme == "http":
        return sock
    try:
        context = tls_context(policy.ca_bundle)
        sock.settimeout(deadline.remaining(policy.total_timeout))
        # server_hostname is the URL's name: SNI and certificate checks use it, not the IP.
        return context.wrap_socket(sock, server_hostname=target.host)
    except ssl.SSLCertVerificationError as err:
        sock.close()
        code = cast(int, getattr(err, "verify_code", 0))
        why = (FetchReason.TLS_HOSTNAME if code in {62, 64} else FetchReason.TLS_EXPIRED if code == 10
               else FetchReason.TLS_UNTRUSTED)
        failure = FetchFailed(why)
        failure.tls = describe_rejected(target, connected, policy, connect, deadline, code)
        raise failure from None
    except TimeoutError:
        sock.close()
        raise FetchFailed(FetchReason.TIMEOUT) from None
    except (ssl.SSLError, OSError):
        sock.close()
        raise FetchFailed(FetchReason.TLS_FAILED) from None
