"""POST /api/v1/headers/check|compare|csp, generated from the header operations (docs/design.md §3)."""

from __future__ import annotations

from toolbox.ops import OPERATIONS
from toolbox.web.api import ApiBlueprint

headers_api_bp = ApiBlueprint("api_headers", __name__, tag="headers", url_prefix="/api/v1/headers")
for _name in ("headers/check", "headers/compare", "headers/csp"):
    headers_api_bp.add_operation(OPERATIONS[_name])
