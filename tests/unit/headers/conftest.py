"""Fixtures for the header-analysis tests: the Observatory-graded cases."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from toolbox.core.headers import Hop, ScanInput

CASES_FILE = Path(__file__).with_name("observatory_cases.json")


def load_cases() -> list[dict[str, Any]]:
    """The cases whose expected values were produced by @mdn/mdn-http-observatory 1.4.8 itself."""
    return list(json.loads(CASES_FILE.read_text())["cases"])


def _hops(raw: list[dict[str, Any]] | None) -> tuple[Hop, ...] | None:
    if raw is None:
        return None
    return tuple(Hop(h["url"], h["status"], headers=tuple(tuple(p) for p in h.get("headers", []))) for h in raw)


def to_input(case: dict[str, Any]) -> ScanInput:
    """Build our ScanInput from a case's JSON description."""
    cors = case.get("cors_headers")
    return ScanInput(
        url=case["url"],
        headers=tuple((n, v) for n, v in case["headers"]),
        body=case.get("body", ""),
        status=case.get("status", 200),
        https_chain=_hops(case.get("https_chain")) or (),
        http_chain=_hops(case["http_chain"]),
        http_chain_verified=case.get("http_chain_verified", True),
        tls_verified=case.get("tls_verified", True),
        cors_headers=tuple((n, v) for n, v in cors) if cors is not None else None,
        cors_origin=case.get("cors_origin"),
        hsts_preload=tuple((h, bool(s)) for h, s in case.get("hsts_preload", [])),
    )
