"""POST /api/v1/headers/check, generated from the header checker's operation (docs/design.md §3)."""

from __future__ import annotations

from toolbox.ops import OPERATIONS
from toolbox.web.api import ApiBlueprint

headers_api_bp = ApiBlueprint("api_headers", __name__, tag="headers", url_prefix="/api/v1/headers")
headers_api_bp.add_operation(OPERATIONS["headers/check"])
