"""Plain values the fetcher takes and returns."""

from __future__ import annotations

from dataclasses import dataclass

from toolbox.core.net.addresses import Network

DEFAULT_PORTS = frozenset({80, 443, 8000, 8080, 8443})


@dataclass(frozen=True)
class FetchPolicy:
    """What the fetcher may reach and how long and how much it may read."""

    ports: frozenset[int] | None = DEFAULT_PORTS  # None: any port
    allow: tuple[Network, ...] = ()  # operator-allowed CIDRs (TOOLBOX_FETCH_ALLOW)
    ca_bundle: str | None = None  # extra trusted CAs (PEM) on top of the system ones
    connect_timeout: float = 3.0
    total_timeout: float = 10.0  # whole fetch, across every hop
    max_redirects: int = 5
    max_body_bytes: int = 256 * 1024
    max_header_bytes: int = 64 * 1024
    user_agent: str = "toolbox-fetcher/0.1"


@dataclass(frozen=True)
class Target:
    """A checked URL: normalised parts, ready to resolve and request."""

    scheme: str
    host: str  # A-label host name, dotted IPv4, or IPv6 without brackets
    port: int
    target: str  # request target: path and query, ASCII only
    is_ip: bool

    @property
    def url(self) -> str:
        """The normalised URL (no fragment; default port omitted)."""
        host = f"[{self.host}]" if ":" in self.host else self.host
        default = 443 if self.scheme == "https" else 80
        port = "" if self.port == default else f":{self.port}"
        return f"{self.scheme}://{host}{port}{self.target}"


@dataclass(frozen=True)
class Hop:
    """One response of a redirect chain, fetched or pasted (the one Hop type of the toolbox)."""

    url: str
    status: int
    reason: str = ""  # the status line's reason phrase ("" when pasted)
    headers: tuple[tuple[str, str], ...] = ()  # in order, duplicates kept
    elapsed: float = 0.0  # seconds from connect to the end of the headers (0 when pasted)


@dataclass(frozen=True)
class FetchResult:
    """The redirect chain and the (capped) body of the final response."""

    hops: tuple[Hop, ...]
    body: bytes = b""
    body_truncated: bool = False
    elapsed: float = 0.0

    @property
    def final(self) -> Hop:
        """The last response of the chain."""
        return self.hops[-1]

    @property
    def final_url(self) -> str:
        """URL of the last response."""
        return self.hops[-1].url
