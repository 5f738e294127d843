"""The one Finding type and severity scale every tool reports with (JWT audit, header findings)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal, get_args

Severity = Literal["critical", "high", "medium", "low", "info"]
SEVERITIES: tuple[Severity, ...] = get_args(Severity)  # most severe first
SEVERITY_ORDER: dict[str, int] = {severity: rank for rank, severity in enumerate(SEVERITIES)}


@dataclass(frozen=True)
class Finding:
    """One finding: a stable kebab-case `id` (documented), severity, title, detail; optionally the
    fix in words and a reference link (MDN for headers)."""

    id: str
    severity: Severity
    title: str
    detail: str
    fix: str | None = None
    mdn: str = ""


def by_severity(findings: list[Finding] | tuple[Finding, ...]) -> list[Finding]:
    """The findings, most severe first (stable within a severity)."""
    return sorted(findings, key=lambda finding: SEVERITY_ORDER[finding.severity])
