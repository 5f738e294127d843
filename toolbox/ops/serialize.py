"""Turn core results (frozen dataclasses) into JSON-ready values for the API and CLI."""

from __future__ import annotations

import dataclasses
from typing import Any

import msgspec

_FIELDS: dict[type, tuple[str, ...]] = {}


def _field_names(cls: type) -> tuple[str, ...]:
    names = _FIELDS.get(cls)
    if names is None:  # dataclasses.fields() is slow; results are serialised on every request
        names = _FIELDS[cls] = tuple(f.name for f in dataclasses.fields(cls))
    return names


def to_json(value: Any, *, drop: frozenset[str] = frozenset()) -> Any:
    """Convert dataclasses (recursively), tuples and bytes; fields named in `drop` are left out.

    Dicts are returned as they are: in our results they hold parsed JSON (a token's header and
    payload, a JWK), which is already serialisable, and walking them cost most of the time.
    """
    if isinstance(value, msgspec.Struct):  # typed results: their own field names ("pass")
        return msgspec.to_builtins(value)
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {name: to_json(getattr(value, name), drop=drop)
                for name in _field_names(type(value)) if name not in drop}
    if isinstance(value, list | tuple):
        return [to_json(v, drop=drop) for v in value]
    if isinstance(value, bytes):
        return value.hex()
    return value
