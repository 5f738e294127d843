"""Address policy: every non-public form is denied, embedded IPv4 is unwrapped, the allow list widens."""

from __future__ import annotations

import ipaddress

import pytest

from toolbox.core.net.addresses import embedded_ipv4, is_permitted, parse_cidrs

DENIED = [
    "0.0.0.0", "0.1.2.3", "10.0.0.1", "100.64.0.1", "100.127.255.254", "127.0.0.1", "127.255.255.254",
    "169.254.169.254", "172.16.0.1", "172.31.255.255", "192.0.0.1", "192.0.0.170", "192.0.2.1",
    "192.88.99.1", "192.168.1.1", "198.18.0.1", "198.19.255.255", "198.51.100.7", "203.0.113.9",
    "224.0.0.1", "239.255.255.250", "240.0.0.1", "255.255.255.255",
    "::", "::1", "::127.0.0.1", "::8.8.8.8", "::ffff:127.0.0.1", "::ffff:10.0.0.1", "::ffff:0.0.0.0",
    "::ffff:169.254.169.254", "64:ff9b::7f00:1", "64:ff9b::808:808", "64:ff9b:1::1", "100::1",
    "2001::1", "2001:0:4136:e378:8000:63bf:80ff:fffe", "2001:db8::1", "2002:7f00:1::", "2002:808:808::",
    "3fff::1", "5f00::1", "fc00::1", "fd12:3456::1", "fe80::1", "fec0::1", "ff02::1", "ff0e::1",
    "1::1", "4000::1", "fe80::1%eth0",
]
PUBLIC = ["8.8.8.8", "1.1.1.1", "93.184.216.34", "::ffff:8.8.8.8", "2606:4700:4700::1111", "2a00:1450::1"]


@pytest.mark.parametrize("text", DENIED)
def test_non_public_addresses_are_denied(text: str) -> None:
    assert not is_permitted(ipaddress.ip_address(text))


@pytest.mark.parametrize("text", PUBLIC)
def test_public_addresses_are_permitted(text: str) -> None:
    assert is_permitted(ipaddress.ip_address(text))


def test_ipv4_mapped_is_judged_as_the_ipv4_address_it_reaches() -> None:
    allow = parse_cidrs("10.0.0.0/8")
    assert is_permitted(ipaddress.ip_address("::ffff:10.1.2.3"), allow)
    assert not is_permitted(ipaddress.ip_address("::ffff:127.0.0.1"), allow)


@pytest.mark.parametrize(
    ("address", "embedded"),
    [
        ("::127.0.0.1", "127.0.0.1"),
        ("2002:7f00:1::", "127.0.0.1"),
        ("2001:0:4136:e378:8000:63bf:80ff:fffe", "127.0.0.1"),  # Teredo client, obfuscated
        ("64:ff9b::7f00:1", "127.0.0.1"),
        ("64:ff9b:1:7f00:0:100::", "127.0.0.1"),  # RFC 6052 /48 layout
    ],
)
def test_embedded_ipv4_is_found(address: str, embedded: str) -> None:
    assert ipaddress.ip_address(embedded) in embedded_ipv4(ipaddress.ip_address(address))


@pytest.mark.parametrize(
    ("allowed", "inner_private", "inner_public"),
    [
        ("2002::/16", "2002:7f00:1::", "2002:808:808::"),
        ("64:ff9b::/96", "64:ff9b::7f00:1", "64:ff9b::808:808"),
        # local-use NAT64: both RFC 6052 layouts (/48 and /96) must read as public
        ("64:ff9b:1::/48", "64:ff9b:1:7f00:0:100::", "64:ff9b:1:808:8:800:808:808"),
        ("2001::/32", "2001:0:808:808:8000:63bf:80ff:fffe", "2001:0:808:808::f7f7:f7f7"),
    ],
)
def test_allowing_a_tunnel_prefix_still_checks_the_embedded_ipv4(
    allowed: str, inner_private: str, inner_public: str
) -> None:
    allow = parse_cidrs(allowed)
    assert not is_permitted(ipaddress.ip_address(inner_private))
    assert not is_permitted(ipaddress.ip_address(inner_private), allow)
    assert not is_permitted(ipaddress.ip_address(inner_public))
    assert is_permitted(ipaddress.ip_address(inner_public), allow)


def test_allow_list_widens_only_its_own_ranges() -> None:
    allow = parse_cidrs("10.1.0.0/16, fd00:1::/64")
    assert is_permitted(ipaddress.ip_address("10.1.2.3"), allow)
    assert is_permitted(ipaddress.ip_address("fd00:1::5"), allow)
    assert not is_permitted(ipaddress.ip_address("10.2.0.1"), allow)
    assert not is_permitted(ipaddress.ip_address("127.0.0.1"), allow)
    assert is_permitted(ipaddress.ip_address("8.8.8.8"), allow)


@pytest.mark.parametrize("text", ["10.0.0.1/8", "banana", "fe80::/10%eth0", "10.0.0.0/33"])
def test_bad_cidrs_are_rejected(text: str) -> None:
    with pytest.raises(ValueError):
        parse_cidrs(text)


def test_empty_cidr_list_is_empty() -> None:
    assert parse_cidrs("") == ()
    assert parse_cidrs(" , ") == ()
