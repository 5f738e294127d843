"""Parse and normalise a URL to fetch, refusing every form that could be read two ways."""

from __future__ import annotations

import re
import unicodedata
from ipaddress import IPv4Address, IPv6Address
from urllib.parse import quote

import idna

from toolbox.core.net.errors import FetchReason, FetchRefused
from toolbox.core.net.model import Target

MAX_URL_LENGTH = 8192

# Stable refusal reasons (callers and tests match on them).

_SCHEME = re.compile(r"([A-Za-z][A-Za-z0-9+.\-]*):")
_LABEL = re.compile(r"[a-z0-9_](?:[a-z0-9_\-]{0,61}[a-z0-9_])?")
_PRINTABLE_ASCII = "".join(chr(c) for c in range(0x21, 0x7F))


def check_characters(text: str) -> None:
    """Refuse whitespace, control characters (any Unicode category C or Z) and backslashes."""
    for char in text:
        if char.isspace() or unicodedata.category(char)[0] in "CZ":
            raise FetchRefused(FetchReason.CONTROL)
    if "\\" in text:
        raise FetchRefused(FetchReason.BACKSLASH)


def parse_url(url: str) -> Target:
    """Check `url` and return its normalised parts; raise FetchRefused with a stable reason."""
    url = url.strip(" \t\r\n")  # pasted URLs often carry surrounding blanks; inner ones are refused
    if len(url) > MAX_URL_LENGTH:
        raise FetchRefused(FetchReason.TOO_LONG)
    check_characters(url)
    match = _SCHEME.match(url)
    if not match:
        raise FetchRefused(FetchReason.NOT_ABSOLUTE)
    scheme = match.group(1).lower()
    if scheme not in {"http", "https"}:
        raise FetchRefused(FetchReason.NOT_HTTP)
    rest = url[match.end() :]
    if not rest.startswith("//"):
        raise FetchRefused(FetchReason.NOT_ABSOLUTE)
    rest = rest[2:]
    end = min((i for i in (rest.find(c) for c in "/?#") if i >= 0), default=len(rest))
    authority, tail = rest[:end], rest[end:]
    if "@" in authority:
        raise FetchRefused(FetchReason.USERINFO)
    host, port_text, is_ip = _split_authority(authority)
    default = 443 if scheme == "https" else 80
    port = _parse_port(port_text, default)
    target = tail.split("#", 1)[0]
    if not target.startswith("/"):
        target = "/" + target  # "http://host?q" requests "/?q"
    # Non-ASCII in the path or query is sent percent-encoded (UTF-8), as browsers do.
    target = quote(target, safe=_PRINTABLE_ASCII)
    return Target(scheme=scheme, host=host, port=port, target=target, is_ip=is_ip)


def _split_authority(authority: str) -> tuple[str, str, bool]:
    """Return (normalised host, port text, host is an IP literal)."""
    if authority.startswith("["):
        close = authority.find("]")
        if close < 0:
            raise FetchRefused(FetchReason.BAD_IPV6)
        literal, after = authority[1:close], authority[close + 1 :]
        if "%" in literal:
            raise FetchRefused(FetchReason.ZONE_ID)
        if after and not after.startswith(":"):
            raise FetchRefused(FetchReason.BAD_IPV6)
        try:
            address = IPv6Address(literal)
        except ValueError:
            raise FetchRefused(FetchReason.BAD_IPV6) from None
        return str(address), after[1:], True
    host, _, port_text = authority.partition(":")
    if ":" in port_text or "[" in authority or "]" in authority:
        raise FetchRefused(FetchReason.BAD_HOST)
    if "%" in host:
        raise FetchRefused(FetchReason.PERCENT_HOST)
    if not host:
        raise FetchRefused(FetchReason.NO_HOST)
    name, is_ip = normalise_host(host)
    return name, port_text, is_ip


def _parse_port(text: str, default: int) -> int:
    if text == "":
        return default
    if not text.isascii() or not text.isdigit() or len(text) > 5 or not 1 <= int(text) <= 65535:
        raise FetchRefused(FetchReason.BAD_PORT)
    return int(text)


def normalise_host(host: str) -> tuple[str, bool]:
    """IDNA-normalise a host name, or turn any IPv4 spelling (hex, octal, short) into dotted form."""
    if not host.isascii():
        try:
            # UTS #46 mapping (non-transitional): case folding, full-width dots and digits, …
            host = idna.encode(host, uts46=True, transitional=False).decode("ascii")
        except (idna.IDNAError, UnicodeError, ValueError):
            raise FetchRefused(FetchReason.BAD_HOST) from None
    host = host.lower()
    ipv4 = _parse_ipv4(host)
    if ipv4 is not None:
        return str(ipv4), True
    name = host[:-1] if host.endswith(".") else host
    labels = name.split(".")
    if not name or len(name) > 253 or not all(_LABEL.fullmatch(label) for label in labels):
        raise FetchRefused(FetchReason.BAD_HOST)
    for label in labels:
        if label.startswith("xn--"):
            try:
                idna.decode(label)
            except (idna.IDNAError, UnicodeError, ValueError):
                raise FetchRefused(FetchReason.BAD_HOST) from None
    return name, False


def _parse_ipv4(host: str) -> IPv4Address | None:
    """WHATWG IPv4 parsing: a host whose last label is numeric must be an IPv4 address.

    Browsers and many libraries read `2130706433`, `0x7f.1` and `017700000001` as
    127.0.0.1; we read them the same way so the address check sees what would be reached.
    """
    parts = host.split(".")
    if parts[-1] == "" and len(parts) > 1:
        parts.pop()
    if not _is_number_like(parts[-1]):
        return None
    if len(parts) > 4:
        raise FetchRefused(FetchReason.BAD_IPV4)
    numbers = [_ipv4_number(part) for part in parts]
    if any(n > 255 for n in numbers[:-1]) or numbers[-1] >= 256 ** (5 - len(numbers)):
        raise FetchRefused(FetchReason.BAD_IPV4)
    value = numbers[-1]
    for index, number in enumerate(numbers[:-1]):
        value += number * 256 ** (3 - index)
    return IPv4Address(value)


def _is_number_like(label: str) -> bool:
    if label.isascii() and label.isdigit():
        return True
    return label[:2] in {"0x", "0X"} and all(c in "0123456789abcdefABCDEF" for c in label[2:])


def _ipv4_number(part: str) -> int:
    if part == "":
        raise FetchRefused(FetchReason.BAD_IPV4)
    base, digits = 10, part
    if part[:2] in {"0x", "0X"}:
        base, digits = 16, part[2:]
    elif len(part) > 1 and part.startswith("0"):
        base, digits = 8, part[1:]
    if digits == "":
        return 0
    allowed = {10: "0123456789", 16: "0123456789abcdefABCDEF", 8: "01234567"}[base]
    if len(digits) > 32 or not all(c in allowed for c in digits):
        raise FetchRefused(FetchReason.BAD_IPV4)
    return int(digits, base)
