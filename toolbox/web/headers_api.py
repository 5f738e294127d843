"""POST /api/v1/headers/check (DESIGN.md §3)."""

from __future__ import annotations

from typing import Any

from toolbox.core.headers.check import CheckResult
from toolbox.web.api import ApiBlueprint
from toolbox.web.headers_tool import run_check
from toolbox.web.serialize import to_json

headers_api_bp = ApiBlueprint("api_headers", __name__, tag="headers", url_prefix="/api/v1/headers")

CHECK_REQUEST: dict[str, Any] = {
    "type": "object", "additionalProperties": False,
    "properties": {
        "url": {"type": "string", "minLength": 1, "maxLength": 2048,
                "description": "http(s) URL to fetch (SSRF-safe: public addresses only unless "
                               "TOOLBOX_FETCH_ALLOW says otherwise). With `raw`: the page's address."},
        "raw": {"type": "string", "minLength": 1, "maxLength": 256 * 1024,
                "description": "Pasted response headers (one or several blocks of a redirect chain)."},
        "method": {"enum": ["GET", "HEAD"], "default": "GET"},
        "follow_redirects": {"type": "boolean", "default": True},
    },
    "anyOf": [{"required": ["url"]}, {"required": ["raw"]}],
}
CHECK_RESPONSE: dict[str, Any] = {"type": "object", "properties": {
    "grade": {"type": "string"}, "score": {"type": "integer"},
    "tests": {"type": "array", "items": {"type": "object", "properties": {
        "id": {"type": "string"}, "pass": {"type": ["boolean", "null"]},
        "score_modifier": {"type": "integer"}, "result": {"type": ["string", "null"]}}}},
    "findings": {"type": "array"}, "chain": {"type": "array"}, "final_url": {"type": "string"}}}


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


@headers_api_bp.operation("/check", summary="Grade a site's security headers (Observatory scoring v4)",
                          request_schema=CHECK_REQUEST, response_schema=CHECK_RESPONSE)
def check(body: dict[str, Any]) -> dict[str, Any]:
    """Fetch and grade `url`, or grade pasted `raw` headers; a refused URL is a 422 with `reason`."""
    return report_json(run_check(body.get("url", ""), body.get("raw", "")))
