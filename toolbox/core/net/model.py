"""Plain values the fetcher takes and returns."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

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
class CertInfo:
    """What a server's leaf certificate says, read from its DER (never a verdict by itself).

    Text fields are as the certificate spells them (possibly hostile: quote them with care).
    """

    subject_cn: str  # "" when the subject has no CN
    subject: str  # the whole subject, RFC 4514
    san_dns: tuple[str, ...]  # subjectAltName dNSName entries, as written (A-labels)
    san_ip: tuple[str, ...]  # subjectAltName iPAddress entries, normalised text
    issuer_cn: str
    issuer_org: str
    issuer: str  # the whole issuer, RFC 4514
    self_issued: bool  # issuer == subject (a self-signed certificate, or a CA root served as leaf)
    not_before: datetime  # aware, UTC
    not_after: datetime  # aware, UTC
    serial: str  # upper-case hex, no separators
    key_type: str  # "RSA", "EC", "Ed25519", "Ed448", "DSA" or "unknown"
    key_bits: int  # 0 when unknown
    key_curve: str  # "P-256" etc. for EC keys, else ""
    signature_algorithm: str  # OID name, e.g. "sha256WithRSAEncryption", "ecdsa-with-SHA256"
    signature_hash: str  # "sha256", "sha1", … ; "" when the algorithm has no separate hash (Ed25519)
    sha256: str  # fingerprint of the DER, upper-case hex pairs joined by ":"


@dataclass(frozen=True)
class TlsInfo:
    """The TLS facts of one connection: what was negotiated and the certificate the server sent.

    `verified` is True when the connection passed the fetcher's verification (trusted chain,
    valid dates, certificate for the name: check_hostname is on). A TlsInfo with verified False
    only ever comes with a FetchFailed (`err.tls`): it describes the rejected certificate, read
    on a second handshake that sent no request.
    """

    host: str  # the name the certificate was checked against (A-label host name or IP address)
    protocol: str  # "TLSv1.3", "TLSv1.2"
    cipher: str  # OpenSSL name, e.g. "TLS_AES_256_GCM_SHA384", "ECDHE-RSA-AES128-GCM-SHA256"
    cipher_bits: int
    certificate: CertInfo | None  # None when the server sent none or it could not be parsed
    verified: bool = True
    verify_code: int = 0  # OpenSSL's X509_V_ERR_* code of the rejection (0 when verified)
    verify_reason: str = ""  # a sentence for that code ("" when verified)


@dataclass(frozen=True)
class FetchResult:
    """The redirect chain and the (capped) body of the final response."""

    hops: tuple[Hop, ...]
    body: bytes = b""
    body_truncated: bool = False
    elapsed: float = 0.0
    tls: TlsInfo | None = None  # the connection that answered the final response; None over http

    @property
    def final(self) -> Hop:
        """The last response of the chain."""
        return self.hops[-1]

    @property
    def final_url(self) -> str:
        """URL of the last response."""
        return self.hops[-1].url
