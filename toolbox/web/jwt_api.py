"""POST /api/v1/jwt/decode|verify|encode|keys (docs/design.md §3), generated from the JWT operations."""

from __future__ import annotations

from toolbox.ops import OPERATIONS
from toolbox.web.api import ApiBlueprint

jwt_api_bp = ApiBlueprint("api_jwt", __name__, tag="jwt", url_prefix="/api/v1/jwt")
for _name in ("jwt/decode", "jwt/verify", "jwt/encode", "jwt/keys", "jwt/jwks/lint", "jwt/decrypt"):
    jwt_api_bp.add_operation(OPERATIONS[_name])
