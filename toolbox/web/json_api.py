"""POST /api/v1/json/format, /validate, /infer, /diff and /lines, generated from the JSON operations."""

from __future__ import annotations

from toolbox.ops import OPERATIONS
from toolbox.web.api import ApiBlueprint

json_api_bp = ApiBlueprint("api_json", __name__, tag="json", url_prefix="/api/v1/json")
for _name in ("json/format", "json/validate", "json/infer", "json/diff", "json/lines"):
    json_api_bp.add_operation(OPERATIONS[_name])
json_api_bp.add_operation(OPERATIONS["json/compat"])  # schema compatibility (json_compat)
json_api_bp.add_operation(OPERATIONS["json/convert"])  # JSON, YAML and TOML (json_convert)
json_api_bp.add_operation(OPERATIONS["json/query"])  # JSONPath and jq queries (json_query)
