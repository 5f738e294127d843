"""docs/design.md §5 budget: validate the 5 MB benchmark document in ≤ 250 ms (valid) and ≤ 500 ms (invalid).

Generates records.json / records_invalid.json with ../shared/bench/make_records.py into a
temporary folder (never committed), then measures in one process, interleaved, so the
baselines share the machine's load:

    parse      stdlib json.loads of the text (what our strict parse costs at least)
    reference  jsonschema alone: compile + iter_errors (all errors), format checking on
    rs         jsonschema-rs alone on the already parsed document (no parse, no locating)
    ours       toolbox.core.json.validate.validate(text, schema_text): strict parse, metaschema
               check (cached), jsonschema-rs (which decides and words), every error located

It checks that ours finds the errors jsonschema finds (same set of instance path + schema path;
the messages are jsonschema-rs's own), that every error has a line and column and a message,
and that two runs word every error identically. Reports medians (ms) and ratios to jsonschema
alone; JSON results go to bench/out/. Exit 0 within budget, 1 over budget, 2 wrong results.

    .venv/bin/python bench/json_validate.py            # or: make bench-json-validate
    .venv/bin/python bench/json_validate.py --rounds 3 --reference-rounds 1
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from importlib import metadata
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import jsonschema  # noqa: E402
import jsonschema_rs  # noqa: E402

from toolbox.core.json import validate as validate_module  # noqa: E402
from toolbox.core.json.locate import pointer  # noqa: E402

SHARED = ROOT.parent / "shared" / "bench"
OUT = ROOT / "bench" / "out"
BUDGET_MS = {"valid": 250.0, "invalid": 500.0}


def timed(function: Callable[[], Any]) -> tuple[float, Any]:
    start = time.perf_counter()
    result = function()
    return (time.perf_counter() - start) * 1000, result


def reference_errors(schema: Any, instance: Any) -> list[Any]:
    cls = jsonschema.validators.validator_for(schema)
    validator = cls(schema, format_checker=cls.FORMAT_CHECKER)
    return list(validator.iter_errors(instance))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--rounds", type=int, default=7, help="timed rounds of the fast paths")
    parser.add_argument("--reference-rounds", type=int, default=2,
                        help="rounds of jsonschema alone (~3 s each)")
    args = parser.parse_args()

    schema_text = (SHARED / "records.schema.json").read_text(encoding="utf-8")
    schema = json.loads(schema_text)
    with tempfile.TemporaryDirectory() as tmp:
        subprocess.run([sys.executable, str(SHARED / "make_records.py"), tmp], check=True,  # noqa: S603
                       stdout=subprocess.DEVNULL)
        texts = {
            "valid": Path(tmp, "records.json").read_text(encoding="utf-8"),
            "invalid": Path(tmp, "records_invalid.json").read_text(encoding="utf-8"),
        }
    load = os.getloadavg()
    print(f"machine: {os.cpu_count()} cores, load {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}; "
          f"python {platform.python_version()}, jsonschema {metadata.version('jsonschema')}, "
          f"jsonschema-rs {metadata.version('jsonschema-rs')}")

    samples: dict[str, list[float]] = {}
    problems: list[str] = []

    def sample(name: str, ms: float) -> None:
        samples.setdefault(name, []).append(ms)

    validate_module._CACHE.clear()
    cold_ms, _ = timed(lambda: validate_module.validate(texts["valid"], schema_text))
    sample("ours cold (compile + validate, valid)", cold_ms)
    rs = jsonschema_rs.validator_for(schema, validate_formats=True)
    for kind, text in texts.items():
        instance = json.loads(text)
        for _ in range(args.rounds):
            sample(f"parse {kind} (json.loads)", timed(lambda text=text: json.loads(text))[0])
            ms = timed(lambda inst=instance: list(rs.iter_errors(inst)))[0]
            sample(f"rs {kind} (iter_errors, parsed)", ms)
            ms, result = timed(lambda text=text: validate_module.validate(text, schema_text))
            sample(f"ours {kind}", ms)
        reference: list[Any] = []
        for _ in range(args.reference_rounds):
            ms, reference = timed(lambda inst=instance: reference_errors(schema, inst))
            sample(f"reference {kind} (jsonschema alone)", ms)
        problems += check(kind, result, reference)
        again = validate_module.validate(text, schema_text)
        if again != result:
            problems.append(f"{kind}: a second run gave a different result")

    print(f"\n{'measure':48} {'median ms':>10} {'min ms':>8}  n")
    for name, values in samples.items():
        print(f"{name:48} {statistics.median(values):10.1f} {min(values):8.1f}  {len(values)}")
    verdicts = {}
    print()
    for kind, budget in BUDGET_MS.items():
        ours = statistics.median(samples[f"ours {kind}"])
        ref = statistics.median(samples[f"reference {kind} (jsonschema alone)"])
        parse = statistics.median(samples[f"parse {kind} (json.loads)"])
        verdicts[kind] = ours <= budget
        print(f"{kind:8} ours {ours:7.1f} ms  budget {budget:.0f} ms  {'OK' if verdicts[kind] else 'OVER'}  "
              f"| {ref / ours:5.1f}x faster than jsonschema alone ({ref:.0f} ms) "
              f"| {ours / parse:4.2f}x json.loads")
    for problem in problems:
        print("WRONG:", problem)
    OUT.mkdir(parents=True, exist_ok=True)
    stamp = time.strftime("%Y%m%d-%H%M%S")
    report = {"load": load, "samples_ms": samples, "budget_ms": BUDGET_MS, "within_budget": verdicts,
              "problems": problems}
    for name in (f"json_validate-{stamp}.json", "json_validate-latest.json"):
        (OUT / name).write_text(json.dumps(report, indent=2), encoding="utf-8")
    if problems:
        return 2
    return 0 if all(verdicts.values()) else 1


def check(kind: str, result: Any, reference: list[Any]) -> list[str]:
    """Ours must find jsonschema's error set (schema paths compared without `$ref` hops)."""
    problems = []
    if result.valid != (not reference):
        problems.append(f"{kind}: valid={result.valid} but jsonschema found {len(reference)} errors")
    ours = sorted((e.instance_path, e.schema_path.replace("/$ref", "")) for e in result.errors)
    theirs = sorted((pointer(e.absolute_path), pointer(e.absolute_schema_path)) for e in reference)
    if ours != theirs:
        problems.append(f"{kind}: error sets differ ({len(ours)} vs jsonschema's {len(theirs)})")
    unlocated = [e.instance_path for e in result.errors if e.line is None or e.column is None]
    unworded = [e.instance_path for e in result.errors if not e.message.strip()]
    if unworded:
        problems.append(f"{kind}: {len(unworded)} errors without a message")
    if unlocated:
        problems.append(f"{kind}: {len(unlocated)} errors without line:column, e.g. {unlocated[:3]}")
    if kind == "invalid" and len(result.errors) != 99:
        problems.append(f"invalid: expected 99 errors, got {len(result.errors)}")
    return problems


if __name__ == "__main__":
    sys.exit(main())
