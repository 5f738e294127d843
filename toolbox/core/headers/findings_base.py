"""The Finding type shared by the beyond-the-Observatory checks (they never change the score)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Severity = Literal["high", "medium", "low", "info"]
Headers = tuple[tuple[str, str], ...]

SEVERITY_ORDER: dict[str, int] = {"high": 0, "medium": 1, "low": 2, "info": 3}
MDN = "https://developer.mozilla.org/en-US/docs/Web/HTTP/"
MDN_HEADERS = MDN + "Reference/Headers/"
MAX_SHOWN = 120  # hostile values are cut before they reach a title or detail


@dataclass(frozen=True)
class Finding:
    """One finding: stable kebab-case id, severity, explanation, optional fix text, MDN link."""

    id: str
    severity: Severity
    title: str
    detail: str
    fix: str | None
    mdn: str


def shown(value: str) -> str:
    """A header value made safe to quote in a detail: control characters escaped, length capped."""
    cleaned = "".join(c if c.isprintable() else f"\\x{ord(c):02x}" for c in value[: MAX_SHOWN * 2])
    return cleaned if len(cleaned) <= MAX_SHOWN else cleaned[:MAX_SHOWN] + "…"


def values_of(headers: Headers, name: str) -> list[str]:
    """Every value of the header, in order, each trimmed of surrounding SP/HTAB only."""
    wanted = name.lower()
    return [v.strip(" \t") for n, v in headers if n.strip().lower() == wanted]
