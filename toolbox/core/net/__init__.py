"""SSRF-safe outbound fetches (docs/design.md §2): the only way toolbox code reaches a URL.

    policy = FetchPolicy(ports=settings.fetch_ports, allow=settings.fetch_allow,
                         ca_bundle=settings.fetch_ca_bundle or None)
    try:
        result = fetch(url, policy=policy, headers=[("Origin", "https://probe.invalid")])
    except FetchRefused as err:   # policy: log as a security event, answer 422 with err.reason
        ...
    except FetchFailed as err:    # network/TLS/HTTP failure; err.reason is safe to show
        ...

`err.why` is a FetchReason (a stable code and sentence); `err.reason` is its sentence, which never
contains a resolved or internal address; `err.hops` holds the responses received before the error
(e.g. a refused redirect). `result.tls` (a TlsInfo) describes the connection that answered the final
response over https; a certificate verification rejected fails the fetch, and `err.tls` then
describes that certificate (read on one more handshake that sends nothing).
"""

from __future__ import annotations

from toolbox.core.net.addresses import is_permitted, parse_cidrs
from toolbox.core.net.errors import FetchError, FetchFailed, FetchReason, FetchRefused
from toolbox.core.net.fetcher import fetch, port_refusal
from toolbox.core.net.model import DEFAULT_PORTS, CertInfo, FetchPolicy, FetchResult, Hop, TlsInfo
from toolbox.core.net.settings import parse_ca_bundle, parse_ports
from toolbox.core.net.transport import Connector, Resolver
from toolbox.core.net.url import parse_url

__all__ = [
    "DEFAULT_PORTS",
    "CertInfo",
    "Connector",
    "FetchError",
    "FetchFailed",
    "FetchPolicy",
    "FetchReason",
    "FetchRefused",
    "FetchResult",
    "Hop",
    "Resolver",
    "TlsInfo",
    "fetch",
    "is_permitted",
    "parse_ca_bundle",
    "parse_cidrs",
    "parse_ports",
    "parse_url",
    "port_refusal",
]
