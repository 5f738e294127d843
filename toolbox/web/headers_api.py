"""POST /api/v1/headers/check (DESIGN.md §3)."""

from __future__ import annotations

from typing import Any

from toolbox.ops.headers import report_json
from toolbox.web.api import ApiBlueprint
from toolbox.web.headers_tool import run_check

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


@headers_api_bp.operation("/check", summary="Grade a site's security headers (Observatory scoring v4)",
                          request_schema=CHECK_REQUEST, response_schema=CHECK_RESPONSE)
def check(body: dict[str, Any]) -> dict[str, Any]:
    """Fetch and grade `url`, or grade pasted `raw` headers; a refused URL is a 422 with `reason`."""
    return report_json(run_check(body.get("url", ""), body.get("raw", "")))
