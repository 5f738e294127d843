"""JSON ⇄ YAML through json/convert on the 5 MB benchmark document (docs/json.md, YAML and TOML).

    .venv/bin/python bench/json_convert.py [--rounds 3]

Uses bench/out/data/records.json (made by bench/json_format.py from ../shared/bench/make_records.py),
converts it to YAML and the YAML back to JSON through the operation (as the API runs it), checks the
round trip is exact (Decimal numbers) and prints each round's seconds and the sizes.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from toolbox.config import Settings  # noqa: E402
from toolbox.ops import OPERATIONS, Context  # noqa: E402
from toolbox.ops.json_convert import ConvertRequest, ConvertResult  # noqa: E402

DATA = ROOT / "bench" / "out" / "data" / "records.json"


def timed(request: ConvertRequest, context: Context) -> tuple[float, ConvertResult]:
    started = time.perf_counter()
    result: ConvertResult = OPERATIONS["json/convert"].run(request, context)
    return time.perf_counter() - started, result


def main() -> int:
    """Run the rounds; exit 2 when the document is missing or the round trip is not exact."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=3)
    rounds = parser.parse_args().rounds
    if not DATA.exists():
        print(f"{DATA} is missing: run bench/json_format.py first", file=sys.stderr)
        return 2
    text = DATA.read_text(encoding="utf-8")
    context = Context(Settings.from_env({}))
    to_yaml = [timed(ConvertRequest(text=text, from_="json", to="yaml"), context) for _ in range(rounds)]
    yaml_text = to_yaml[-1][1].output
    to_json = [timed(ConvertRequest(text=yaml_text, from_="yaml", to="json"), context) for _ in range(rounds)]
    if json.loads(to_json[-1][1].output, parse_float=Decimal) != json.loads(text, parse_float=Decimal):
        print("the round trip changed the data", file=sys.stderr)
        return 2
    print(f"JSON → YAML  {len(text):,} → {len(yaml_text):,} characters: "
          + ", ".join(f"{seconds:.2f}" for seconds, _ in to_yaml) + " s")
    print(f"YAML → JSON  {len(yaml_text):,} → {len(to_json[-1][1].output):,} characters: "
          + ", ".join(f"{seconds:.2f}" for seconds, _ in to_json) + " s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
