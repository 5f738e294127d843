"""Fixtures for the header-analysis tests: the Observatory-graded cases."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from toolbox.core.headers import Hop, ScanInput

CASES_FILE = Path(__file__).with_name("observatory_cases.json")
# Each scoring profile's cases, recorded from its Observatory version (tools/observatory/README.md).
PROFILE_CASES = {
    "v4": CASES_FILE,  # @mdn/mdn-http-observatory 1.4.8
    "v5": Path(__file__).with_name("observatory_cases_v5.json"),  # release 1.6.3
    "v6": Path(__file__).with_name("observatory_cases_v6.json"),  # main
}


def load_cases(scoring: str = "v4") -> list[dict[str, Any]]:
    """The cases whose expected values the Observatory version of `scoring` produced itself."""
    return list(json.loads(PROFILE_CASES[scoring].read_text())["cases"])


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
