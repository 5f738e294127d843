"""Parsers for the fetch settings (TOOLBOX_FETCH_PORTS / _ALLOW / _CA_BUNDLE), used by config."""

from __future__ import annotations

import os
import ssl


def parse_ports(text: str) -> frozenset[int] | None:
    """Parse `80,443,8080` into a port set, or `any` into None (every port)."""
    value = text.strip()
    if value.lower() == "any":
        return None
    ports: set[int] = set()
    for item in (part.strip() for part in value.split(",")):
        if not item.isascii() or not item.isdigit() or len(item) > 5 or not 1 <= int(item) <= 65535:
            raise ValueError("expected `any` or comma-separated ports between 1 and 65535, such as 80,443")
        ports.add(int(item))
    return frozenset(ports)


def parse_ca_bundle(text: str) -> str:
    """Accept empty (system CAs only) or the path of a readable PEM file of CA certificates."""
    path = text.strip()
    if not path:
        return ""
    if not os.path.isfile(path):
        raise ValueError("expected the path of an existing PEM file of CA certificates")
    try:
        ssl.create_default_context(cafile=path)
    except (ssl.SSLError, OSError, ValueError):
        raise ValueError("the file holds no readable PEM CA certificate") from None
    return path
