"""Helpers for the JSON format tests: an exact, Decimal-preserving reference parse."""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any


def exact(text: str) -> Any:
    """Python's own parser, numbers as Decimal/int and objects as ordered pair lists (duplicates kept)."""
    return json.loads(text, parse_float=Decimal, object_pairs_hook=list)
