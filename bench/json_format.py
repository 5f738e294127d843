"""docs/design.md §5 budget: pretty-print the 5 MB benchmark document, numbers exact, duplicate keys
checked, in ≤ 2 × orjson loads+dumps(OPT_INDENT_2) (in-process, same run), and faster end to end
than `jq .`.

Generates records.json with ../shared/bench/make_records.py into bench/out/data/ (gitignored),
checks that our output is exact (parses to the same data as the input, with Decimals) and then
measures, interleaved so every contender shares the machine's load:

    orjson     orjson.loads(text) + orjson.dumps(value, option=OPT_INDENT_2)   (floats, no checks)
    ours       toolbox.core.json.format.format_json(text, FormatOptions())      (str out, stats,
               duplicate-key check, strict RFC 8259)
    stdlib     json.dumps(json.loads(text), indent=2, ensure_ascii=False)      (fewer rounds)

Each round gets a fresh str (as a request body would be), so nobody reuses a cached UTF-8 form.
The verdict uses the median of the per-round ratios ours/orjson (pairs run back to back); the
best-of-rounds ratio is reported too. Also reported (no budget): minify, sort_keys, indent 4,
tab and ascii on the same document. End to end, `jq . FILE > /dev/null` is timed against our
formatter run as a fresh process (`python -c`) and as `toolbox json format FILE`.

Exit status: 0 within budget, 1 over budget, 2 invalid run (wrong output, missing jq).
Results: a table on stdout and JSON in bench/out/.

    .venv/bin/python bench/json_format.py            # or: make bench-json
    .venv/bin/python bench/json_format.py --rounds 5 --e2e-rounds 3
"""

# Runs fixed local programs (python, jq, toolbox) on a file it generated.
# ruff: noqa: S603, S607

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from decimal import Decimal
from importlib import metadata
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import orjson  # noqa: E402

from toolbox.core.json.format import format_json  # noqa: E402
from toolbox.core.json.model import FormatOptions  # noqa: E402

SHARED = ROOT.parent / "shared" / "bench"
OUT = ROOT / "bench" / "out"
DATA = OUT / "data"
BUDGET_RATIO = 2.0
PY_FORMAT = ("import sys\nfrom toolbox.core.json.format import format_json\n"
             "from toolbox.core.json.model import FormatOptions\n"
             "text = open(sys.argv[1], encoding='utf-8').read()\n"
             "sys.stdout.write(format_json(text, FormatOptions()).output)\n")


class InvalidRun(Exception):
    """The measurement cannot be trusted (exit status 2)."""


def ms(seconds: float) -> float:
    return round(seconds * 1000, 2)


def timed(function: Callable[[str], Any], raw: bytes) -> float:
    text = raw.decode("utf-8")  # a fresh str each time, outside the clock
    start = time.perf_counter()
    function(text)
    return time.perf_counter() - start


def document() -> Path:
    path = DATA / "records.json"
    if not path.exists():
        DATA.mkdir(parents=True, exist_ok=True)
        subprocess.run([sys.executable, str(SHARED / "make_records.py"), str(DATA)], check=True,
                       stdout=subprocess.DEVNULL)
    return path


def check_exact(raw: bytes) -> None:
    """Our output must hold exactly the input's data (numbers as Decimal, same key order)."""
    out = format_json(raw.decode("utf-8"), FormatOptions()).output
    original = json.loads(raw, parse_float=Decimal, object_pairs_hook=list)
    again = json.loads(out, parse_float=Decimal, object_pairs_hook=list)
    if original != again:
        raise InvalidRun("formatted output does not parse to the same data as the input")


def in_process(raw: bytes, rounds: int, stdlib_rounds: int) -> dict[str, Any]:
    contenders: dict[str, Callable[[str], Any]] = {
        "orjson": lambda t: orjson.dumps(orjson.loads(t), option=orjson.OPT_INDENT_2),
        "ours": lambda t: format_json(t, FormatOptions()),
    }
    times: dict[str, list[float]] = {name: [] for name in contenders}
    for fn in contenders.values():  # warm-up
        timed(fn, raw)
    for _ in range(rounds):
        for name, fn in contenders.items():
            times[name].append(timed(fn, raw))
    ratios = [o / b for o, b in zip(times["ours"], times["orjson"], strict=True)]
    extra: dict[str, Callable[[str], Any]] = {
        "stdlib indent=2": lambda t: json.dumps(json.loads(t), indent=2, ensure_ascii=False),
        "ours minify": lambda t: format_json(t, FormatOptions(mode="minify")),
        "ours sort_keys": lambda t: format_json(t, FormatOptions(sort_keys=True)),
        "ours indent=4": lambda t: format_json(t, FormatOptions(indent=4)),
        "ours indent=tab": lambda t: format_json(t, FormatOptions(indent="tab")),
        "ours ascii": lambda t: format_json(t, FormatOptions(ascii=True)),
    }
    others = {name: [timed(fn, raw) for _ in range(stdlib_rounds)] for name, fn in extra.items()}
    return {"times": times, "ratios": ratios, "others": others}


def end_to_end(path: Path, rounds: int) -> dict[str, list[float]]:
    jq = shutil.which("jq")
    if jq is None:
        raise InvalidRun("jq is not installed (apt-get install jq)")
    toolbox = Path(sys.executable).with_name("toolbox")
    commands = {"jq .": [jq, ".", str(path)],
                "python -c format_json": [sys.executable, "-c", PY_FORMAT, str(path)]}
    if toolbox.exists():
        commands["toolbox json format"] = [str(toolbox), "json", "format", str(path)]
    results: dict[str, list[float]] = {name: [] for name in commands}
    for _ in range(rounds):
        for name, argv in commands.items():
            start = time.perf_counter()
            done = subprocess.run(argv, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, check=False)
            elapsed = time.perf_counter() - start
            if done.returncode != 0:
                raise InvalidRun(f"{name} failed: {done.stderr.decode(errors='replace')[-300:]}")
            results[name].append(elapsed)
    return results


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=15)
    parser.add_argument("--other-rounds", type=int, default=3, help="rounds for stdlib and the other modes")
    parser.add_argument("--e2e-rounds", type=int, default=7)
    args = parser.parse_args()
    try:
        path = document()
        raw = path.read_bytes()
        check_exact(raw)
        inner = in_process(raw, args.rounds, args.other_rounds)
        e2e = end_to_end(path, args.e2e_rounds)
    except InvalidRun as err:
        print(f"invalid run: {err}", file=sys.stderr)
        return 2
    times, ratios = inner["times"], inner["ratios"]
    median_ratio = statistics.median(ratios)
    best_ratio = min(times["ours"]) / min(times["orjson"])
    jq_best = min(e2e["jq ."])
    ours_e2e = min(e2e["python -c format_json"])
    in_budget = median_ratio <= BUDGET_RATIO
    faster_than_jq = ours_e2e < jq_best
    load = os.getloadavg()

    print(f"5 MB document: {len(raw):,} bytes; load average {load[0]:.2f} on {os.cpu_count()} CPUs; "
          f"{args.rounds} interleaved rounds")
    print(f"{'in-process':<26}{'median ms':>10}{'best ms':>10}{'× orjson (median)':>19}")
    base = statistics.median(times["orjson"])
    for name, values in [*times.items(), *inner["others"].items()]:
        med = statistics.median(values)
        print(f"{name:<26}{ms(med):>10}{ms(min(values)):>10}{med / base:>19.2f}")
    print(f"ours / orjson per round: median {median_ratio:.2f}, best-of-rounds {best_ratio:.2f} "
          f"(budget ≤ {BUDGET_RATIO})")
    print(f"{'end to end':<26}{'median ms':>10}{'best ms':>10}{'× jq (best)':>19}")
    for name, values in e2e.items():
        best = min(values)
        print(f"{name:<26}{ms(statistics.median(values)):>10}{ms(best):>10}{best / jq_best:>19.2f}")
    verdict = "WITHIN BUDGET" if in_budget and faster_than_jq else "OVER BUDGET"
    print(f"verdict: {verdict} (ratio {median_ratio:.2f} ≤ {BUDGET_RATIO}: {in_budget}; "
          f"faster than jq end to end: {faster_than_jq})")

    result = {
        "benchmark": "json_format", "budget_ratio": BUDGET_RATIO, "verdict": verdict,
        "median_ratio": round(median_ratio, 3), "best_ratio": round(best_ratio, 3),
        "faster_than_jq": faster_than_jq, "document_bytes": len(raw), "load_average": load,
        "in_process_ms": {k: [ms(v) for v in vs] for k, vs in [*times.items(), *inner["others"].items()]},
        "end_to_end_ms": {k: [ms(v) for v in vs] for k, vs in e2e.items()},
        "python": platform.python_version(), "machine": platform.machine(), "cpus": os.cpu_count(),
        "versions": {p: metadata.version(p) for p in ("orjson", "msgspec")},
        "when": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
    }
    OUT.mkdir(parents=True, exist_ok=True)
    body = json.dumps(result, indent=2)
    (OUT / f"json_format-{time.strftime('%Y%m%d-%H%M%S')}.json").write_text(body)
    (OUT / "json_format-latest.json").write_text(body)
    return 0 if in_budget and faster_than_jq else 1


if __name__ == "__main__":
    sys.exit(main())
