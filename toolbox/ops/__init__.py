"""The operation layer: one function per user-visible action (see contract.py).

Importing this package registers every operation in OPERATIONS.
"""

from __future__ import annotations

from toolbox.ops import headers as _headers  # noqa: F401 - registers the header checker's operation
from toolbox.ops import headers_csp as _headers_csp  # noqa: F401 - registers the strict CSP builder's operation
from toolbox.ops import headers_har as _headers_har  # noqa: F401 - registers headers/har
from toolbox.ops import json as _json  # noqa: F401 - registers the JSON tool's operations
from toolbox.ops import json_compat as _json_compat  # noqa: F401 - registers json/compat
from toolbox.ops import json_convert as _json_convert  # noqa: F401 - registers json/convert
from toolbox.ops import json_diff as _json_diff  # noqa: F401 - registers json/diff
from toolbox.ops import json_infer as _json_infer  # noqa: F401 - registers json/infer
from toolbox.ops import json_lines as _json_lines  # noqa: F401 - registers json/lines
from toolbox.ops import json_query as _json_query  # noqa: F401 - registers json/query
from toolbox.ops import jwt as _jwt  # noqa: F401 - registers the JWT tool's operations and token/issue
from toolbox.ops import jwt_decrypt as _jwt_decrypt  # noqa: F401 - registers jwt/decrypt
from toolbox.ops import jwt_jwks as _jwt_jwks  # noqa: F401 - registers jwt/jwks/lint
from toolbox.ops.contract import OPERATIONS, Context, Operation, Request, choices, operation, to_builtins
from toolbox.ops.errors import ErrorKind, OpError

__all__ = ["OPERATIONS", "Context", "ErrorKind", "OpError", "Operation", "Request", "choices", "operation",
           "to_builtins"]
