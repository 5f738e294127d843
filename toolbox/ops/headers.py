"""The header checker's results as the API answers them and `toolbox headers --json` prints them."""

from __future__ import annotations

from typing import Any

from toolbox.core.headers.check import CheckResult
from toolbox.ops.serialize import to_json


def report_json(result: CheckResult) -> dict[str, Any]:
    """The check as the API answers it (DESIGN.md §3 fields, plus the breakdown)."""
    report = result.report
    return {
        "grade": report.grade,
        "score": report.score,
        "uncurved_score": report.uncurved_score,
        "extra_credit_applied": report.extra_credit_applied,
        "withheld_bonuses": list(report.withheld_bonuses),
        "best_fix": to_json(report.best_fix),
        "tests": [{"id": t.id, "pass": t.passed, "score_modifier": t.score_modifier, "result": t.result,
                   "explanation": t.explanation, "recommendation": t.recommendation, "link": t.link}
                  for t in report.tests],
        "findings": to_json(list(result.findings)),
        "fixes": result.fixes,
        "chain": [{"url": h.url, "status": h.status, "headers": [list(p) for p in h.headers]}
                  for h in result.chain],
        "http_chain": None if result.http_chain is None else
        [{"url": h.url, "status": h.status} for h in result.http_chain],
        "final_url": result.final_url,
        "notes": list(result.notes),
        "algorithm_version": report.algorithm_version,
    }
