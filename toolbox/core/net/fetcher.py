"""The SSRF-safe fetcher: resolve once, check every address, connect to the checked one."""

from __future__ import annotations

import http.client
import re
import ssl
import time
from collections.abc import Iterable
from urllib.parse import urljoin

from toolbox.core.net.addresses import Address, is_permitted, parse_address, unwrap
from toolbox.core.net.errors import FetchError, FetchFailed, FetchReason, FetchRefused
from toolbox.core.net.model import FetchPolicy, FetchResult, Hop, Target, TlsInfo
from toolbox.core.net.streams import Deadline, response_for
from toolbox.core.net.tlsinfo import describe_connection
from toolbox.core.net.transport import (
    Connector,
    Resolver,
    direct_connector,
    open_connection,
    system_resolver,
)
from toolbox.core.net.url import check_characters, parse_url

METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
REDIRECTS = frozenset({301, 302, 303, 307, 308})


# Headers the fetcher owns: the name (Host) and the framing must not be set by callers.
_TOKEN = re.compile(r"[!#$%&'*+\-.^_`|~0-9A-Za-z]{1,64}")
_RESERVED_HEADERS = frozenset({"host", "content-length", "transfer-encoding", "connection", "te", "upgrade"})


def port_refusal(port: int) -> FetchRefused:
    """The refusal of a port outside TOOLBOX_FETCH_PORTS."""
    return FetchRefused(FetchReason.PORT_NOT_ALLOWED, port=port)


def check_target(
    target: Target, policy: FetchPolicy, resolver: Resolver, deadline: Deadline
) -> list[Address]:
    """Apply the port policy, resolve once, and return the addresses, all of them permitted."""
    if policy.ports is not None and target.port not in policy.ports:
        raise port_refusal(target.port)
    if target.is_ip:
        address = parse_address(target.host)
        if address is None or not is_permitted(address, policy.allow):
            raise FetchRefused(FetchReason.PRIVATE_LITERAL)
        return [unwrap(address)]
    try:
        answers = list(resolver(target.host, target.port, deadline.remaining(policy.connect_timeout)))
    except TimeoutError:
        raise FetchFailed(FetchReason.TIMEOUT) from None
    except (OSError, UnicodeError, ValueError):
        raise FetchFailed(FetchReason.NO_RESOLVE) from None
    addresses = [parse_address(text) for text in answers]
    if not addresses:
        raise FetchFailed(FetchReason.NO_RESOLVE)
    # Every answer must pass: one private address among public ones is enough to refuse,
    # because we cannot know which one another resolver or a retry would pick.
    if any(a is None or not is_permitted(a, policy.allow) for a in addresses):
        raise FetchRefused(FetchReason.PRIVATE_RESOLVED)
    unique: list[Address] = []
    for address in addresses:
        # An IPv4-mapped answer was judged as its IPv4 address; connect to exactly that.
        if address is not None and unwrap(address) not in unique:
            unique.append(unwrap(address))
    return unique


def fetch(
    url: str,
    *,
    policy: FetchPolicy,
    method: str = "GET",
    headers: Iterable[tuple[str, str]] = (),
    private_headers: Iterable[tuple[str, str]] = (),
    follow_redirects: bool = True,
    resolver: Resolver | None = None,
    connector: Connector | None = None,
) -> FetchResult:
    """Fetch `url` under `policy`, following up to policy.max_redirects redirects by hand.

    Raises FetchRefused (policy; a security event) or FetchFailed (network, TLS, HTTP).
    `headers` are extra request headers sent on every hop (e.g. a foreign Origin for a CORS
    probe). `private_headers` (credentials for a staging site: Authorization, a cookie) go only
    to the URL's own origin over https: an http URL is refused, and a redirect to another
    scheme, host or port is followed without them. No cookies are kept, no environment proxy
    is used, no body is decompressed. The result's `tls` describes the connection that answered
    the final response (None when that was http); a certificate verification rejects fails the
    fetch with FetchFailed, whose `tls` describes the rejected certificate.
    """
    method = method.upper()
    if method not in METHODS:
        raise FetchRefused(FetchReason.BAD_METHOD)
    extra = _check_headers(headers)
    private = _check_headers(private_headers)
    origin = _origin_of(url) if private else None
    if private and origin is not None and origin[0] != "https":  # (an unparsable URL fails below)
        raise FetchRefused(FetchReason.CREDENTIALS_OVER_HTTP)
    resolve = resolver or system_resolver
    connect = connector or direct_connector
    deadline = Deadline(time.monotonic() + policy.total_timeout)
    hops: list[Hop] = []
    current = url
    while True:
        try:
            target = parse_url(current)
            addresses = check_target(target, policy, resolve, deadline)
            sent = extra + private if (target.scheme, target.host, target.port) == origin else extra
            hop, body, truncated, location, tls = _request(
                target, addresses, method, sent, policy, connect, deadline
            )
        except FetchError as err:
            raise err.with_hops(tuple(hops)) from None
        hops.append(hop)
        if not (follow_redirects and hop.status in REDIRECTS and location is not None):
            return FetchResult(tuple(hops), body, truncated, deadline.elapsed(), tls)
        if len(hops) > policy.max_redirects:
            raise FetchFailed(FetchReason.TOO_MANY_REDIRECTS, tuple(hops))
        try:
            check_characters(location)
        except FetchRefused as err:
            raise FetchRefused(err.why, tuple(hops), **err.facts) from None
        current = urljoin(target.url, location)
        if hop.status == 303 and method != "HEAD":
            method = "GET"


def _origin_of(url: str) -> tuple[str, str, int] | None:
    """(scheme, host, port) of a URL as the fetcher reads it; None when it does not parse."""
    try:
        target = parse_url(url)
    except FetchError:
        return None
    return target.scheme, target.host, target.port


def _check_headers(headers: Iterable[tuple[str, str]]) -> list[tuple[str, str]]:
    """Caller headers must be RFC 9110 tokens with visible-ASCII values: no injection, no framing."""
    checked = []
    for name, value in headers:
        if (
            name.lower() in _RESERVED_HEADERS
            or not _TOKEN.fullmatch(name)
            or not all(c == "\t" or " " <= c <= "~" for c in value)
        ):
            raise FetchRefused(FetchReason.BAD_HEADER)
        checked.append((name, value))
    return checked


def _request(
    target: Target,
    addresses: list[Address],
    method: str,
    extra: list[tuple[str, str]],
    policy: FetchPolicy,
    connect: Connector,
    deadline: Deadline,
) -> tuple[Hop, bytes, bool, str | None, TlsInfo | None]:
    """One request/response over a fresh connection to a checked address (and its TLS facts)."""
    started = time.monotonic()
    sock = open_connection(target, addresses, policy, connect, deadline)
    try:
        tls = describe_connection(sock, target.host) if isinstance(sock, ssl.SSLSocket) else None
        try:
            sock.settimeout(deadline.remaining(policy.total_timeout))
            sock.sendall(_request_bytes(target, method, extra, policy))
        except TimeoutError:
            raise FetchFailed(FetchReason.TIMEOUT) from None
        except OSError:
            raise FetchFailed(FetchReason.CONNECT_FAILED) from None
        response = response_for(sock, method, deadline, policy.max_header_bytes, policy.max_body_bytes)
        try:
            _begin(response)
            header_list = tuple((str(k), str(v)) for k, v in response.getheaders())
            hop = Hop(target.url, response.status, response.reason, header_list, time.monotonic() - started)
            locations = {_utf8(v) for k, v in header_list if k.lower() == "location"}
            if len(locations) > 1:
                raise FetchFailed(FetchReason.CONFLICTING_LOCATION)
            location = locations.pop() if locations else None
            if hop.status in REDIRECTS and location is not None:
                return hop, b"", False, location, tls
            body, truncated = _read_body(response, policy.max_body_bytes)
            return hop, body, truncated, location, tls
        finally:
            response.close()
    finally:
        sock.close()


def _begin(response: http.client.HTTPResponse) -> None:
    """Read the status line and headers, mapping every failure to a stable reason."""
    try:
        response.begin()
    except FetchError:
        raise
    except TimeoutError:
        raise FetchFailed(FetchReason.TIMEOUT) from None
    except http.client.LineTooLong:
        raise FetchFailed(FetchReason.HEADERS_TOO_LARGE) from None
    except http.client.HTTPException as err:
        too_many = "more than" in str(err)  # http.client caps responses at 100 header lines
        raise FetchFailed(FetchReason.HEADERS_TOO_LARGE if too_many else FetchReason.BAD_RESPONSE) from None
    except (OSError, ValueError):
        raise FetchFailed(FetchReason.BAD_RESPONSE) from None


def _utf8(value: str) -> str:
    """http.client decodes headers as Latin-1; a Location sent as raw UTF-8 means UTF-8 (as in browsers)."""
    try:
        return value.encode("latin-1").decode("utf-8")
    except UnicodeError:
        return value


def _read_body(response: http.client.HTTPResponse, cap: int) -> tuple[bytes, bool]:
    chunks: list[bytes] = []
    size = 0
    try:
        while size <= cap:
            chunk = response.read(min(64 * 1024, cap + 1 - size))
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
    except FetchError:
        raise
    except TimeoutError:
        raise FetchFailed(FetchReason.TIMEOUT) from None
    except (http.client.HTTPException, OSError, ValueError):
        raise FetchFailed(FetchReason.BAD_RESPONSE) from None
    body = b"".join(chunks)
    return body[:cap], len(body) > cap


def _request_bytes(target: Target, method: str, extra: list[tuple[str, str]], policy: FetchPolicy) -> bytes:
    host = f"[{target.host}]" if ":" in target.host else target.host
    default = 443 if target.scheme == "https" else 80
    host_header = host if target.port == default else f"{host}:{target.port}"
    lines = [
        f"{method} {target.target} HTTP/1.1",
        f"Host: {host_header}",
        f"User-Agent: {policy.user_agent}",
        "Accept: */*",
        "Accept-Encoding: identity",  # never decompress: no zip bombs, sizes mean what they say
        "Connection: close",
        *(f"{name}: {value}" for name, value in extra),
    ]
    return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1", errors="strict")


