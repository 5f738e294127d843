"""Conformance figures: pass rates per dialect (ours, jsonschema alone, jsonschema-rs alone).

    .venv/bin/python -m tests.unit.json_schema.conformance_report            # print the table
    .venv/bin/python -m tests.unit.json_schema.conformance_report --write    # also refresh the
        "engines_disagree" section of expected_failures.json (review the diff before committing)
"""

from __future__ import annotations

import argparse
import contextlib
import json
from collections import Counter, defaultdict

from tests.unit.json_schema import suite


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--write", action="store_true", help="rewrite engines_disagree in expected_failures.json")
    args = parser.parse_args()
    expected = suite.expected_failures()
    counts: dict[tuple[str, str], Counter[str]] = defaultdict(Counter)
    disagree: dict[str, str] = {}
    by_file: Counter[str] = Counter()
    for case in suite.all_cases():
        row = counts[(case.dialect, "required" if case.required else "optional/format")]
        row["tests"] += 1
        with contextlib.suppress(ValueError):
            row["ours"] += suite.ours_valid(case) is case.valid
        fast = suite.fast_valid(case)
        row["jsonschema-rs"] += fast is case.valid
        try:
            reference: bool | None = suite.reference_valid(case)
        except Exception:
            reference = None
        row["jsonschema"] += reference is case.valid
        if reference != fast:
            disagree[case.id] = suite.disagreement(reference, fast, case.valid)
            by_file[f"{case.file} ({'jsonschema-rs' if fast is case.valid else 'jsonschema'} right)"] += 1
    print(f"{'dialect':14} {'tests':16} {'n':>5} {'ours':>15} {'jsonschema':>15} {'jsonschema-rs':>15}")
    for (dialect, kind), row in counts.items():
        n = row["tests"]
        cells = " ".join(f"{row[k]:5} {100 * row[k] / n:7.2f}%  " for k in ("ours", "jsonschema", "jsonschema-rs"))
        print(f"{dialect:14} {kind:16} {n:5} {cells}")
    print(f"\nour expected failures: {len(expected['ours'])}")
    for case_id, reason in expected["ours"].items():
        print(f"  {case_id}\n      {reason}")
    print(f"\nengine disagreements (verdicts): {len(disagree)}")
    for name, n in sorted(by_file.items()):
        print(f"  {n:4}  {name}")
    if args.write:
        expected["engines_disagree"] = disagree
        suite.EXPECTED_FAILURES_FILE.write_text(json.dumps(expected, indent=2, ensure_ascii=False) + "\n",
                                                encoding="utf-8")
        print(f"wrote {suite.EXPECTED_FAILURES_FILE}")


if __name__ == "__main__":
    main()
