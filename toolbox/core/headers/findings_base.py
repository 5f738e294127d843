"""What the beyond-the-Observatory checks share (they never change the score): the one Finding type,
MDN links, and how hostile header values are quoted."""

from __future__ import annotations

from toolbox.core.findings import SEVERITY_ORDER as SEVERITY_ORDER  # the one scale, re-exported
from toolbox.core.findings import Finding as Finding
from toolbox.core.findings import Severity as Severity

Headers = tuple[tuple[str, str], ...]
MDN = "https://developer.mozilla.org/en-US/docs/Web/HTTP/"
MDN_HEADERS = MDN + "Reference/Headers/"
MAX_SHOWN = 120  # hostile values are cut before they reach a title or detail


def shown(value: str) -> str:
    """A header value made safe to quote in a detail: control characters escaped, length capped."""
    cleaned = "".join(c if c.isprintable() else f"\\x{ord(c):02x}" for c in value[: MAX_SHOWN * 2])
    return cleaned if len(cleaned) <= MAX_SHOWN else cleaned[:MAX_SHOWN] + "…"


def values_of(headers: Headers, name: str) -> list[str]:
    """Every value of the header, in order, each trimmed of surrounding SP/HTAB only."""
    wanted = name.lower()
    return [v.strip(" \t") for n, v in headers if n.strip().lower() == wanted]
