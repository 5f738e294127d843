"""Schema compatibility timing: the benchmark's records schema against a modified copy, and a large pair.

    .venv/bin/python bench/json_compat.py

Times `toolbox.core.json.compat.compare_texts` (both schemas compiled by the validator, walked,
every example searched and confirmed by jsonschema-rs); medians of 5 runs, in ms.
"""

from __future__ import annotations

import copy
import json
import statistics
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from toolbox.core.json.compat import compare_texts  # noqa: E402
from toolbox.core.json.validate import _CACHE  # noqa: E402

SHARED = ROOT.parent / "shared" / "bench"


def modified(schema: dict[str, Any]) -> dict[str, Any]:
    """The records schema with breaking and compatible changes in both directions."""
    new = copy.deepcopy(schema)
    record = new["$defs"]["record"]
    record["required"].append("score")  # request: required added
    record["properties"]["score"]["maximum"] = 10  # request: maximum lowered
    record["properties"]["email"]["maxLength"] = 320  # response: maxLength raised
    record["properties"]["active"] = {"type": ["boolean", "null"]}  # response: null accepted
    new["$defs"]["money"]["properties"]["currency"]["enum"] = ["EUR", "USD", "GBP", "SEK"]  # both
    record["properties"]["nickname"] = {"type": "string"}  # response: property added (closed object)
    record["description"] = "A customer"  # annotation only
    return new


def large(size: int, change: bool) -> dict[str, Any]:
    """An object of `size` properties, each an object with a few typed members (and changes)."""
    properties = {}
    for i in range(size):
        member = {"type": "object", "required": ["id"], "properties": {
            "id": {"type": "integer", "minimum": 0, "maximum": 1000 - (i % 7 == 0 and change) * 10},
            "name": {"type": "string", "maxLength": 50 + (i % 11 == 0 and change) * 50},
            "state": {"enum": ["a", "b", "c"] if not (change and i % 13 == 0) else ["a", "b"]}}}
        properties[f"field_{i}"] = member
    return {"type": "object", "properties": properties, "additionalProperties": False}


def timed(old: str, new: str) -> tuple[float, Any]:
    samples = []
    result = None
    for _ in range(5):
        _CACHE.clear()
        start = time.perf_counter()
        result = compare_texts(old, new)
        samples.append((time.perf_counter() - start) * 1000)
    return statistics.median(samples), result


def main() -> None:
    schema = json.loads((SHARED / "records.schema.json").read_text(encoding="utf-8"))
    pairs = {"records schema vs modified copy": (schema, modified(schema)),
             "records schema vs itself": (schema, schema),
             "2,000 properties x 3 members, changed": (large(2000, False), large(2000, True))}
    for name, (old, new) in pairs.items():
        old_text, new_text = json.dumps(old), json.dumps(new)
        ms, result = timed(old_text, new_text)
        changes = len({e.change for e in result.entries})
        print(f"{name}: {ms:8.1f} ms · {len(old_text):,} / {len(new_text):,} chars · {changes} changes · "
              f"request {result.verdicts['request']}, response {result.verdicts['response']} · "
              f"{result.checks} validations")


if __name__ == "__main__":
    main()
