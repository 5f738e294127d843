"""Turn core results (frozen dataclasses) into JSON-ready values for the API and CLI."""

from __future__ import annotations

import dataclasses
from typing import Any


def to_json(value: Any, *, drop: frozenset[str] = frozenset()) -> Any:
    """Recursively convert dataclasses, tuples and bytes; fields named in `drop` are left out."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {
            f.name: to_json(getattr(value, f.name), drop=drop)
            for f in dataclasses.fields(value)
            if f.name not in drop
        }
    if isinstance(value, dict):
        return {str(k): to_json(v, drop=drop) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [to_json(v, drop=drop) for v in value]
    if isinstance(value, bytes):
        return value.hex()
    return value
