"""Which IP addresses the fetcher may connect to: public ones, plus operator-allowed CIDRs."""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable
from ipaddress import IPv4Address, IPv4Network, IPv6Address, IPv6Network

Address = IPv4Address | IPv6Address
Network = IPv4Network | IPv6Network

# Denied even when Python's `is_global` says otherwise: Python has misclassified several of
# these across versions (multicast, 6to4, NAT64 and IPv4-compatible addresses count as
# "global"), and we would rather list them twice than trust one classifier.
_DENIED_V4 = tuple(
    IPv4Network(n)
    for n in (
        "0.0.0.0/8",  # "this network"; 0.0.0.0 reaches the local host on Linux
        "10.0.0.0/8",
        "100.64.0.0/10",  # carrier-grade NAT
        "127.0.0.0/8",
        "169.254.0.0/16",  # link-local, cloud metadata services
        "172.16.0.0/12",
        "192.0.0.0/24",  # IETF protocol assignments
        "192.0.2.0/24",  # documentation
        "192.88.99.0/24",  # 6to4 relay anycast
        "192.168.0.0/16",
        "198.18.0.0/15",  # benchmarking
        "198.51.100.0/24",
        "203.0.113.0/24",
        "224.0.0.0/4",  # multicast
        "240.0.0.0/4",  # reserved, includes 255.255.255.255
    )
)
_DENIED_V6 = tuple(
    IPv6Network(n)
    for n in (
        "::/96",  # unspecified, loopback and IPv4-compatible
        "::ffff:0:0/96",  # IPv4-mapped (unwrapped before this check; denied if it gets here)
        "64:ff9b::/96",  # NAT64 well-known prefix
        "64:ff9b:1::/48",  # NAT64 local-use
        "100::/64",  # discard
        "2001::/32",  # Teredo
        "2001:db8::/32",  # documentation
        "2002::/16",  # 6to4
        "3fff::/20",  # documentation (RFC 9637)
        "5f00::/16",  # SRv6 SIDs
        "fc00::/7",  # unique local
        "fe80::/10",  # link-local
        "fec0::/10",  # deprecated site-local
        "ff00::/8",  # multicast
    )
)
# Only 2000::/3 is allocated as global unicast; everything else in IPv6 is denied outright.
_GLOBAL_UNICAST_V6 = IPv6Network("2000::/3")


def unwrap(address: Address) -> Address:
    """Return the IPv4 address an IPv4-mapped IPv6 address (::ffff:a.b.c.d) really reaches."""
    if isinstance(address, IPv6Address) and address.ipv4_mapped is not None:
        return address.ipv4_mapped
    return address


def embedded_ipv4(address: Address) -> list[IPv4Address]:
    """IPv4 addresses carried inside an IPv6 address (compatible, 6to4, Teredo, NAT64)."""
    if not isinstance(address, IPv6Address):
        return []
    value = int(address)
    found: list[IPv4Address] = []
    if address in IPv6Network("::/96"):
        found.append(IPv4Address(value & 0xFFFFFFFF))
    if address.sixtofour is not None:
        found.append(address.sixtofour)
    if address.teredo is not None:
        server, client = address.teredo  # client is already de-obfuscated by ipaddress
        found += [server, client]
    if address in IPv6Network("64:ff9b::/96"):
        found.append(IPv4Address(value & 0xFFFFFFFF))
    if address in IPv6Network("64:ff9b:1::/48"):
        # Local-use NAT64 may embed with any RFC 6052 prefix length; check the /48 and /96 spots.
        found.append(IPv4Address(value & 0xFFFFFFFF))
        high = (value >> 64) & 0xFFFF  # bits 48..63 of the address
        low = (value >> 40) & 0xFFFF  # bits 72..87 (bits 64..71 are the reserved u octet)
        found.append(IPv4Address((high << 16) | low))
    return found


def _is_public(address: Address) -> bool:
    """True when `address` is globally routable and outside every special range."""
    if address.is_multicast or not address.is_global:
        return False
    if isinstance(address, IPv4Address):
        return not any(address in net for net in _DENIED_V4)
    if address.scope_id or address not in _GLOBAL_UNICAST_V6:
        return False
    return not any(address in net for net in _DENIED_V6)


def _allowed(address: Address, allow: Iterable[Network]) -> bool:
    return any(address.version == net.version and address in net for net in allow)


def is_permitted(address: Address, allow: Iterable[Network] = ()) -> bool:
    """Whether the fetcher may connect to `address`.

    Precedence: an IPv4-mapped address is judged as the IPv4 address it reaches. Then the
    address itself, and every IPv4 address embedded in it (6to4, Teredo, NAT64,
    IPv4-compatible), must each be either public (globally routable and outside the
    special ranges above) or inside an operator-allowed CIDR (TOOLBOX_FETCH_ALLOW). The
    allow list only widens which addresses are reachable; it never lifts the scheme, port
    or URL-syntax rules.
    """
    allow = tuple(allow)
    target = unwrap(address)
    views: list[Address] = [target, *embedded_ipv4(target)]
    return all(_is_public(view) or _allowed(view, allow) for view in views)


def parse_cidrs(text: str) -> tuple[Network, ...]:
    """Parse a comma-separated CIDR list such as `10.1.0.0/16,fd00::/8` (empty: none)."""
    networks: list[Network] = []
    for item in (part.strip() for part in text.split(",")):
        if not item:
            continue
        if "%" in item:
            raise ValueError("zone ids are not allowed in CIDRs")
        try:
            networks.append(ipaddress.ip_network(item, strict=True))
        except ValueError:
            raise ValueError(
                f"{item[:60]!r} is not a CIDR such as 10.1.0.0/16 (host bits must be zero)"
            ) from None
    return tuple(networks)


def parse_address(text: str) -> Address | None:
    """Parse an address string from a resolver; None when it is not a plain IP address."""
    try:
        return ipaddress.ip_address(text)
    except ValueError:
        return None
