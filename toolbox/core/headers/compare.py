"""Two graded responses side by side (staging and production, apex and www, before and after).

Test by test (same scoring on both sides), header by header (the security headers the checker
reads, with each side's value), and the findings only one side has.
"""

from __future__ import annotations

from dataclasses import dataclass

from toolbox.core.headers.findings_base import Finding, Headers, values_of
from toolbox.core.headers.model import Report

# The headers a side-by-side view lists, in this order, whether or not a side sends them.
COMPARED_HEADERS = (
    "Content-Security-Policy", "Content-Security-Policy-Report-Only", "Strict-Transport-Security",
    "X-Content-Type-Options", "X-Frame-Options", "Referrer-Policy", "Permissions-Policy",
    "Cross-Origin-Opener-Policy", "Cross-Origin-Embedder-Policy", "Cross-Origin-Resource-Policy",
    "Access-Control-Allow-Origin", "Access-Control-Allow-Credentials", "Set-Cookie", "Server",
    "X-Powered-By",
)  # fmt: skip


@dataclass(frozen=True)
class TestDelta:
    """One test on both sides; `delta` is b's modifier minus a's."""

    id: str
    a_result: str | None
    b_result: str | None
    a_pass: bool | None
    b_pass: bool | None
    a_modifier: int
    b_modifier: int

    @property
    def delta(self) -> int:
        return self.b_modifier - self.a_modifier

    @property
    def changed(self) -> bool:
        return (self.a_result, self.a_pass, self.a_modifier) != (self.b_result, self.b_pass, self.b_modifier)


@dataclass(frozen=True)
class HeaderDelta:
    """A security header's values on each side (several for Set-Cookie; empty when not sent)."""

    name: str
    a: tuple[str, ...]
    b: tuple[str, ...]

    @property
    def changed(self) -> bool:
        return self.a != self.b


@dataclass(frozen=True)
class ReportComparison:
    """Everything that differs between two graded responses, and what stayed the same."""

    score_delta: int
    tests: tuple[TestDelta, ...]
    headers: tuple[HeaderDelta, ...]
    findings_only_a: tuple[Finding, ...]
    findings_only_b: tuple[Finding, ...]


def compare_reports(a: Report, b: Report, a_headers: Headers, b_headers: Headers,
                    a_findings: tuple[Finding, ...], b_findings: tuple[Finding, ...]) -> ReportComparison:
    """Compare two reports graded under the same scoring profile (ValueError otherwise)."""
    if a.scoring != b.scoring:
        raise ValueError(f"reports scored under {a.scoring} and {b.scoring} cannot be compared")
    tests = tuple(
        TestDelta(ta.id, ta.result, tb.result, ta.passed, tb.passed, ta.score_modifier, tb.score_modifier)
        for ta, tb in zip(a.tests, b.tests, strict=True)
    )
    headers = tuple(HeaderDelta(name, tuple(values_of(a_headers, name)), tuple(values_of(b_headers, name)))
                    for name in COMPARED_HEADERS)
    # By id: the same finding with another detail (another max-age, say) is not news.
    a_ids = {f.id for f in a_findings}
    b_ids = {f.id for f in b_findings}
    return ReportComparison(
        score_delta=b.score - a.score,
        tests=tests,
        headers=headers,
        findings_only_a=tuple(f for f in a_findings if f.id not in b_ids),
        findings_only_b=tuple(f for f in b_findings if f.id not in a_ids),
    )
