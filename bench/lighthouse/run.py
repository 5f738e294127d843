"""docs/design.md §5 budget: Lighthouse >= 95 performance, 100 accessibility, best practices, SEO.

Starts one real `toolbox serve` on a free 127.0.0.1 port (TOOLBOX_RATELIMIT_DEFAULT=1000/minute,
so a dozen Lighthouse runs never see a 429), waits for /healthz, then runs Lighthouse 12.2.3
(bench/lighthouse/node_modules, `make lighthouse` installs it with `npm ci --ignore-scripts`)
with Debian's Chromium (CHROME_PATH=/usr/bin/chromium, --headless=new --no-sandbox) against each
tool page, bare and with a result shown (`?sample=<name>`), and prints a table of the four
category scores and every audit that costs points.

Lighthouse's defaults are kept: a mobile device with simulated throttling (slow 4G, 4x CPU), the
setting its scores are usually quoted for. `--preset desktop` runs the desktop one.

A `?sample=` page that comes back identical to its bare page (the tool does not take samples
yet) is not run twice; the table says so.

Exit status: 0 every page meets the goals, 1 some score is below its goal, 2 the run is not valid
(no Chromium or Lighthouse, the server did not start, Lighthouse failed). The server is stopped in
every case. Reports: bench/out/lighthouse/<page>.report.json and summary-latest.json.

    make lighthouse                                   # every page (~3 minutes)
    .venv/bin/python bench/lighthouse/run.py /jwt/    # one page
"""

# Runs fixed local programs (toolbox, node, chromium) and fetches only http://127.0.0.1 URLs it built.
# ruff: noqa: S310, S603, S607

from __future__ import annotations

import argparse
import contextlib
import json
import os
import re
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent.parent
HERE = ROOT / "bench" / "lighthouse"
OUT = ROOT / "bench" / "out" / "lighthouse"
LIGHTHOUSE = HERE / "node_modules" / "lighthouse" / "cli" / "index.js"
TOOLBOX = ROOT / ".venv" / "bin" / "toolbox"
sys.path.insert(0, str(ROOT))

from tests.servers import start_toolbox  # noqa: E402

CHROME = os.environ.get("CHROME_PATH", "/usr/bin/chromium")
CATEGORIES = ("performance", "accessibility", "best-practices", "seo")
GOALS = {"performance": 95, "accessibility": 100, "best-practices": 100, "seo": 100}

# Bare tool pages, then the same pages with a result shown.
PAGES = (
    "/",
    "/jwt/",
    "/jwt/encode",
    "/json/",
    "/json/validate",
    "/headers/",
    "/jwt/?sample=hs256",
    "/jwt/?sample=expired",
    "/jwt/encode?sample=hs256",
    "/json/?sample=order",
    "/json/validate?sample=signup",
    "/headers/?sample=shop",
)


class InvalidRun(Exception):
    """The measurement cannot be trusted (exit status 2)."""


@dataclass
class PageResult:
    """One page's scores (0-100) and the audits that cost points."""

    path: str
    scores: dict[str, int | None] = field(default_factory=dict)
    losses: dict[str, list[str]] = field(default_factory=dict)
    note: str = ""


def get(url: str) -> bytes:
    """GET a loopback URL (no proxy from the environment)."""
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    with opener.open(url, timeout=10) as response:
        body: bytes = response.read()
        return body


@contextlib.contextmanager
def toolbox_serve() -> Iterator[str]:
    """Run `toolbox serve` on a free loopback port (tests/servers.py); yield its base URL; stop it."""
    if not TOOLBOX.exists():
        raise InvalidRun(f"{TOOLBOX} missing: run `make lighthouse` (it installs the app first)")
    try:
        server = start_toolbox({"TOOLBOX_RATELIMIT_DEFAULT": "1000/minute", "TOOLBOX_LOG_LEVEL": "WARNING"},
                               workers=2)
    except (RuntimeError, TimeoutError) as err:
        raise InvalidRun(str(err)) from None
    try:
        yield server.url
    finally:
        server.stop()
        server.log_path.unlink(missing_ok=True)


def slug(path: str) -> str:
    """A file name for a page path: /json/validate?sample=x -> json-validate-sample-x."""
    return re.sub(r"[^a-z0-9]+", "-", path.lower()).strip("-") or "home"


def lighthouse(url: str, report: Path, preset: str | None) -> dict[str, Any]:
    """Run Lighthouse once on `url`; return its JSON result."""
    command = [
        "node", str(LIGHTHOUSE), url,
        "--output=json", f"--output-path={report}",
        f"--only-categories={','.join(CATEGORIES)}",
        "--chrome-flags=--headless=new --no-sandbox",
        "--quiet",
    ]
    if preset:
        command.append(f"--preset={preset}")
    done = subprocess.run(command, env={**os.environ, "CHROME_PATH": CHROME}, capture_output=True,
                          text=True, timeout=300, check=False)
    if done.returncode != 0 or not report.exists():
        raise InvalidRun(f"lighthouse failed on {url} ({done.returncode}):\n{done.stderr[-2000:]}")
    result: dict[str, Any] = json.loads(report.read_text())
    if result.get("runtimeError"):
        raise InvalidRun(f"lighthouse could not load {url}: {result['runtimeError']}")
    return result


def read_result(path: str, result: dict[str, Any]) -> PageResult:
    """Scores per category and, per category, each audit that is not passed, with its weight."""
    page = PageResult(path)
    audits = result["audits"]
    for name in CATEGORIES:
        category = result["categories"][name]
        score = category["score"]
        page.scores[name] = None if score is None else round(score * 100)
        lost = []
        for ref in category["auditRefs"]:
            audit = audits[ref["id"]]
            mode = audit.get("scoreDisplayMode")
            if mode in ("notApplicable", "manual", "informative") or audit.get("score") is None:
                continue
            if audit["score"] < 1 and (ref.get("weight", 0) > 0 or name != "performance"):
                shown = f" ({audit['displayValue']})" if audit.get("displayValue") else ""
                lost.append(f"{ref['id']}: score {audit['score']:.2f}, weight {ref.get('weight', 0)}{shown}")
                lost.extend(f"    {where}" for where in offenders(audit))
        page.losses[name] = lost
    return page


def offenders(audit: dict[str, Any], limit: int = 3) -> list[str]:
    """The first distinct elements an audit names, with the first line of its explanation."""
    seen: list[str] = []
    for item in audit.get("details", {}).get("items", []):
        node = item.get("node") if isinstance(item, dict) else None
        if not isinstance(node, dict):
            continue
        explanation = " ".join((node.get("explanation") or "").split("\n")[1:2]).strip()
        line = f"{node.get('selector', '?')}: {explanation}"[:200]
        if line not in seen:
            seen.append(line)
        if len(seen) == limit:
            break
    return seen


def same_page(base: str, path: str) -> bool:
    """Whether `path` (with ?sample=) renders exactly what its bare page does."""
    bare = path.partition("?")[0]
    try:
        return get(base + path) == get(base + bare)
    except OSError:
        return False


def main() -> int:
    """Run Lighthouse on each page and print the table; exit status as in the module docstring."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("pages", nargs="*", default=list(PAGES), help="paths, default: every tool page")
    parser.add_argument("--preset", choices=["desktop"], help="Lighthouse's desktop preset instead of mobile")
    args = parser.parse_args()
    OUT.mkdir(parents=True, exist_ok=True)
    results: list[PageResult] = []
    try:
        if not LIGHTHOUSE.exists():
            raise InvalidRun(f"{LIGHTHOUSE} missing: run `make lighthouse` (npm ci in bench/lighthouse)")
        if not Path(CHROME).exists():
            raise InvalidRun(f"no Chromium at {CHROME} (apt-get install chromium, or set CHROME_PATH)")
        with toolbox_serve() as base:
            for path in args.pages:
                if "?sample=" in path and same_page(base, path):
                    results.append(PageResult(path, note="no sample support yet: same as the bare page"))
                    print(f"{path}: skipped, same HTML as {path.partition('?')[0]}", file=sys.stderr)
                    continue
                started = time.monotonic()
                report = OUT / f"{slug(path)}.report.json"
                try:
                    result = lighthouse(base + path, report, args.preset)
                except InvalidRun as error:
                    # Chromium sometimes loses the trace (NO_NAVSTART): one more try, then give up.
                    print(f"{path}: {error}; trying once more", file=sys.stderr)
                    result = lighthouse(base + path, report, args.preset)
                results.append(read_result(path, result))
                print(f"{path}: {time.monotonic() - started:.0f} s", file=sys.stderr)
    except InvalidRun as error:
        print(f"invalid run: {error}", file=sys.stderr)
        return 2
    failed = print_table(results)
    (OUT / "summary-latest.json").write_text(json.dumps(
        {"time": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()), "preset": args.preset or "mobile",
         "goals": GOALS, "pages": [asdict(r) for r in results]}, indent=2) + "\n")
    return 1 if failed else 0


def print_table(results: list[PageResult]) -> bool:
    """Print scores and losses; return whether any score misses its goal."""
    width = max(len(r.path) for r in results) if results else 4
    header = f"{'page':<{width}}  " + "  ".join(f"{c:>14}" for c in CATEGORIES)
    print(header)
    print("-" * len(header))
    failed = False
    for r in results:
        if r.note:
            print(f"{r.path:<{width}}  {r.note}")
            continue
        cells = []
        for name in CATEGORIES:
            score = r.scores.get(name)
            below = score is None or score < GOALS[name]
            failed |= below
            cells.append(f"{'-' if score is None else score:>13}{'!' if below else ' '}")
        print(f"{r.path:<{width}}  " + "  ".join(cells))
    print(f"goals: {', '.join(f'{c} >= {g}' for c, g in GOALS.items())}; ! = below the goal")
    for r in results:
        for name, lost in r.losses.items():
            for line in lost:
                print(f"  {r.path} {name}: {line}")
    return failed


if __name__ == "__main__":
    sys.exit(main())
