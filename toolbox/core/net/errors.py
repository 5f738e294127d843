"""Why a fetch did not happen: refused by policy, or failed on the network, with a stable reason."""

from __future__ import annotations

from enum import Enum
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from toolbox.core.net.model import Hop, TlsInfo


class FetchReason(Enum):
    """Every reason a fetch does not happen: a stable kebab-case code and a sentence for a person.

    No reason ever names an internal address. Tests and adapters compare the member, never the text.
    """

    PRIVATE_LITERAL = ("private-literal", "the URL names a private or reserved address")
    PRIVATE_RESOLVED = ("private-resolved", "the host resolves to a private or reserved address")
    BAD_METHOD = ("bad-method", "only GET, HEAD and OPTIONS requests are allowed")
    BAD_HEADER = ("bad-header", "the extra request header is not allowed")
    CREDENTIALS_OVER_HTTP = ("credentials-over-http", "request headers you add are sent over https only")
    NO_RESOLVE = ("no-resolve", "the host name does not resolve")
    TOO_MANY_REDIRECTS = ("too-many-redirects", "too many redirects")
    BAD_RESPONSE = ("bad-response", "the server sent an invalid HTTP response")
    CONFLICTING_LOCATION = ("conflicting-location", "the server sent conflicting Location headers")
    TIMEOUT = ("timeout", "the server did not answer in time")
    HEADERS_TOO_LARGE = ("headers-too-large", "the response headers are too large")
    RESPONSE_TOO_LARGE = ("response-too-large", "the response is too large")
    CONNECT_FAILED = ("connect-failed", "could not connect to the server")
    TLS_HOSTNAME = ("tls-hostname", "the TLS certificate does not match the host name")
    TLS_EXPIRED = ("tls-expired", "the TLS certificate has expired")
    TLS_UNTRUSTED = ("tls-untrusted", "the TLS certificate is not trusted")
    TLS_FAILED = ("tls-failed", "the TLS handshake failed")
    NOT_HTTP = ("not-http", "only http and https URLs are allowed")
    NOT_ABSOLUTE = ("not-absolute", "the URL must be absolute, such as https://example.com/")
    TOO_LONG = ("too-long", "the URL is too long")
    CONTROL = ("control", "the URL contains whitespace or control characters")
    BACKSLASH = ("backslash", "backslashes are not allowed in URLs")
    USERINFO = ("userinfo", "userinfo in URLs is not allowed")
    NO_HOST = ("no-host", "the URL has no host")
    PERCENT_HOST = ("percent-host", "percent-encoding in host names is not allowed")
    ZONE_ID = ("zone-id", "IPv6 zone ids are not allowed")
    BAD_IPV6 = ("bad-ipv6", "the host is not a valid IPv6 address")
    BAD_IPV4 = ("bad-ipv4", "the host looks like an IP address but is not a valid one")
    BAD_HOST = ("bad-host", "the host is not a valid host name")
    BAD_PORT = ("bad-port", "the port is not a valid number")
    PORT_NOT_ALLOWED = ("port-not-allowed", "port {port} is not allowed")

    def __init__(self, code: str, sentence: str) -> None:
        self.code = code
        self.sentence = sentence


class FetchError(Exception):
    """Base of fetch errors: `why` (a FetchReason), `reason` (its sentence) and the hops so far.

    `tls` describes the certificate a server presented when verification rejected it (the
    tls-hostname, tls-expired and tls-untrusted failures; None otherwise, or when it could not be
    read): it explains the failure, and never lets the fetch go on.
    """

    def __init__(self, why: FetchReason, hops: tuple[Hop, ...] = (), **facts: object) -> None:
        reason = why.sentence.format(**facts)
        super().__init__(reason)
        self.why = why
        self.reason = reason  # a stable sentence that never names an internal address
        self.hops = hops  # responses received before the error (a refused redirect keeps its chain)
        self.facts = facts
        self.tls: TlsInfo | None = None

    def with_hops(self, hops: tuple[Hop, ...]) -> FetchError:
        """The same error, carrying the responses received before it."""
        error = type(self)(self.why, hops, **self.facts)
        error.tls = self.tls
        return error


class FetchRefused(FetchError):
    """The URL (or a redirect target) breaks the fetch policy; log it as a security event."""


class FetchFailed(FetchError):
    """The fetch was allowed but the network or the server failed (timeout, TLS, bad HTTP)."""
