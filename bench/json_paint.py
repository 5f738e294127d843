"""docs/design.md §5 budget: a 5 MB JSON document's first screen of result is painted in ≤ 1 s with
JavaScript (paste -> output visible) and ≤ 5 s without (submit -> page painted), in Chromium.

Starts `toolbox serve` on a free loopback port (TOOLBOX_RATELIMIT_DEFAULT=1000/minute, log level
WARNING), takes the benchmark document (--data PATH; else bench/out/data/records.json; else it is
generated: with ../shared/bench/make_records.py when that exists, otherwise by the equivalent
generator below, seed 42, same record shape) and measures, for pretty-print and minify:

    server     the answer alone, no browser: POST the form (multipart, as the page sends it) and read
               the whole response; the htmx partial and the full page. Their HTML bytes.
    js         Chromium, JavaScript on: the text is put on the clipboard, Ctrl+V in the textarea; from
               the `paste` event (before the browser inserts the text) to the first frame after the
               first output line is in the document and visible (requestAnimationFrame).
    no-js      Chromium, JavaScript off: the text is typed into the textarea by Playwright (not
               timed), then Format is clicked; to the first output line visible, and to `load`.
               Also checks that the page came back with the whole input in the textarea.

Medians of --runs runs (default 5) each. Exit status: 0 within budget, 1 over budget, 2 invalid run
(server did not start, wrong answers, the output never appeared). Results: a table on stdout and JSON
in bench/out/json_paint-<time>.json (and json_paint-latest.json).

    .venv/bin/python bench/json_paint.py
    .venv/bin/python bench/json_paint.py --runs 3 --data /path/to/records.json
"""

# Runs fixed local programs (python, toolbox serve, chromium) on a file it generated.
# ruff: noqa: S603, S310

from __future__ import annotations

import argparse
import datetime
import json
import os
import platform
import random
import statistics
import subprocess
import sys
import time
import urllib.request
import uuid
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from playwright.sync_api import Browser  # noqa: E402

from bench.browser import InvalidRun, served_browser  # noqa: E402
from tests.servers import Server  # noqa: E402

SHARED = ROOT.parent / "shared" / "bench" / "make_records.py"
OUT = ROOT / "bench" / "out"
DATA = OUT / "data"
BUDGET_JS = 1.0  # seconds
BUDGET_NO_JS = 5.0
SERVER_ENV = {"TOOLBOX_RATELIMIT_DEFAULT": "1000/minute", "TOOLBOX_LOG_LEVEL": "WARNING"}

# In the page, before the paste: note when the paste starts and when the first output line is
# painted (the first animation frame after it is in the document and has a size).
WATCH = """
() => {
  window.__paint = {start: null, shown: null, painted: null};
  const area = document.getElementById("text");
  area.addEventListener("paste", () => { window.__paint.start = performance.now(); }, {capture: true});
  const seen = () => {
    const line = document.querySelector("#json-output .ln");
    if (window.__paint.start === null || !line || line.getBoundingClientRect().height === 0) return false;
    window.__paint.shown = performance.now();
    requestAnimationFrame(() => { window.__paint.painted = performance.now(); });
    return true;
  };
  const observer = new MutationObserver(() => { if (seen()) observer.disconnect(); });
  observer.observe(document.getElementById("json-result"), {childList: true, subtree: true});
}
"""


# --- the document -------------------------------------------------------------------------------

def _generated(path: Path, target: int) -> None:
    """Records of the same shape as ../shared/bench/make_records.py (seed 42), when it is not there."""
    rng = random.Random(42)  # noqa: S311 - test data, not secrets
    first = ["Ana", "Björn", "Chloé", "Dmitri", "Émilie", "Fatima", "Hiroshi", "José", "Zoë", "李", "Мария"]
    last = ["García", "Müller", "Ødegaard", "O'Brien", "Nakamura", "Kowalski", "Zhang", "Іваненко"]
    cities = [("Zürich", "CH"), ("São Paulo", "BR"), ("Kraków", "PL"), ("Tōkyō", "JP"), ("Montréal", "CA")]
    words = ["lorem", "ipsum", "dolor", "sit", "amet", "consectetur", "adipiscing", "elit", "sed", "tempor"]
    extras = ['"quoted"', "tab\there", "line\nbreak", "emoji 😀🎉", "backslash \\ path", "</script>"]

    def stamp() -> str:
        moment = datetime.datetime(2020, 1, 1, tzinfo=datetime.UTC) + datetime.timedelta(
            seconds=rng.randrange(0, 5 * 365 * 86400))
        return moment.isoformat().replace("+00:00", "Z")

    def record(i: int) -> dict[str, Any]:
        city, country = rng.choice(cities)
        return {
            "id": i, "uuid": str(uuid.UUID(int=rng.getrandbits(128), version=4)),
            "name": {"first": rng.choice(first), "last": rng.choice(last)},
            "email": f"user{i}@example{rng.randint(1, 50)}.com", "created_at": stamp(),
            "active": rng.random() < 0.8, "score": round(rng.uniform(0, 100), rng.choice([0, 1, 2, 6])),
            "balance": {"amount": round(rng.uniform(-1000, 100000), 2),
                        "currency": rng.choice(["EUR", "USD"])},
            "tags": rng.sample(["vip", "beta", "früh", "✓verified", "需要跟进", "🚀launch"],
                               rng.randint(0, 4)),
            "address": {"street": f"{rng.randint(1, 999)} {rng.choice(words).title()} Street", "city": city,
                        "country": country, "postal_code": f"{rng.randint(1000, 99999)}",
                        "geo": {"lat": round(rng.uniform(-90, 90), 6),
                                "lon": round(rng.uniform(-180, 180), 6)}},
            "orders": [{"order_id": f"ORD-{rng.randint(100000, 999999)}", "placed_at": stamp(),
                        "status": rng.choice(["pending", "paid", "shipped", "cancelled"]),
                        "items": [{"sku": f"SKU-{rng.randint(1000, 9999)}", "qty": rng.randint(1, 10),
                                   "unit_price": round(rng.uniform(0.5, 500), 2)}
                                  for _ in range(rng.randint(1, 4))]}
                       for _ in range(rng.randint(0, 3))],
            "notes": " ".join(rng.choice(words) for _ in range(rng.randint(3, 25))) + " " + rng.choice(extras)
            if rng.random() < 0.6 else None,
            "preferences": {"language": rng.choice(["en", "de", "fr", "ja"]),
                            "newsletter": rng.random() < 0.5},
        }

    records, size = [], 2
    while size < target:
        records.append(record(len(records)))
        size += len(json.dumps(records[-1], ensure_ascii=False, separators=(",", ":")).encode()) + 1
    document = {"version": 1, "generated": "2025-01-01T00:00:00Z", "records": records}
    path.write_text(json.dumps(document, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")


def document(given: str | None) -> tuple[Path, str]:
    """The benchmark document and where it came from."""
    if given:
        return Path(given), "given"
    path = DATA / "records.json"
    if path.exists():
        return path, "bench/out/data"
    DATA.mkdir(parents=True, exist_ok=True)
    if SHARED.exists():
        subprocess.run([sys.executable, str(SHARED), str(DATA)], check=True, stdout=subprocess.DEVNULL)
        return path, "make_records.py"
    _generated(path, 5_000_000)
    return path, "built-in generator"


# --- measurements -------------------------------------------------------------------------------

def _multipart(fields: dict[str, str]) -> tuple[bytes, str]:
    boundary = uuid.uuid4().hex
    parts = [f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'
             for name, value in fields.items()]
    body = ("".join(parts) + f"--{boundary}--\r\n").encode("utf-8")
    return body, f"multipart/form-data; boundary={boundary}"


def server_answer(server: Server, text: str, mode: str, htmx: bool) -> tuple[float, int]:
    """Seconds from sending the form to the last byte of the answer, and the answer's size."""
    body, content_type = _multipart({"text": text, "mode": mode, "indent": "2"})
    headers = {"Content-Type": content_type, "Sec-Fetch-Site": "same-origin", "Origin": server.url}
    if htmx:
        headers["HX-Request"] = "true"
    request = urllib.request.Request(f"{server.url}/json/", data=body, headers=headers, method="POST")
    start = time.perf_counter()
    with urllib.request.urlopen(request, timeout=60) as response:
        html = response.read()
        status = response.status
    elapsed = time.perf_counter() - start
    if status != 200 or b'id="json-output"' not in html:
        raise InvalidRun(f"server answered {status} without the output ({mode}, htmx={htmx})")
    return elapsed, len(html)


def paste_with_js(browser: Browser, server: Server, text: str, mode: str) -> float:
    """Seconds from the paste event to the first frame with the first output line visible."""
    context = browser.new_context(permissions=["clipboard-read", "clipboard-write"])
    try:
        page = context.new_page()
        page.goto(f"{server.url}/json/", wait_until="networkidle")
        if mode == "minify":
            page.check("#mode-minify")  # a change: formats the empty text, which shows nothing
            page.wait_for_load_state("networkidle")
        page.evaluate("text => navigator.clipboard.writeText(text)", text)
        page.evaluate(WATCH)
        page.focus("#text")
        page.keyboard.press("Control+V")
        page.wait_for_function("() => window.__paint.painted !== null", timeout=60_000, polling=50)
        timing = page.evaluate("() => window.__paint")
        if len(page.input_value("#text")) != len(text):
            raise InvalidRun("the paste did not put the whole text in the textarea")
        return float(timing["painted"] - timing["start"]) / 1000
    finally:
        context.close()


def submit_without_js(browser: Browser, server: Server, text: str, mode: str) -> tuple[float, float, int]:
    """Seconds from clicking Format to the first output line visible, and to `load`; the page's bytes."""
    context = browser.new_context(java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto(f"{server.url}/json/", wait_until="load")
        page.fill("#text", text)
        if mode == "minify":
            page.check("#mode-minify")
        sizes: list[int] = []
        page.on("response", lambda r: sizes.append(len(r.body())) if r.request.method == "POST" else None)
        start = time.perf_counter()
        with page.expect_navigation(wait_until="commit", timeout=60_000):
            page.click("button[type=submit] >> text=Format")
        page.wait_for_selector("#json-output .ln", state="visible", timeout=60_000)
        shown = time.perf_counter() - start
        page.wait_for_load_state("load", timeout=60_000)
        loaded = time.perf_counter() - start
        if page.input_value("#text") != text:
            raise InvalidRun("the page without JavaScript lost (part of) the input")
        return shown, loaded, sizes[0] if sizes else 0
    finally:
        context.close()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", help="the benchmark document (default: generated into bench/out/data)")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--modes", default="pretty,minify")
    args = parser.parse_args()
    path, origin = document(args.data)
    text = path.read_text(encoding="utf-8")
    results: dict[str, Any] = {"when": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
                               "machine": platform.node(), "cpus": os.cpu_count(), "document": str(path),
                               "document_origin": origin, "document_bytes": len(text.encode()),
                               "runs": args.runs, "modes": {}}
    try:
        with served_browser(SERVER_ENV) as (server, browser):
            for mode in args.modes.split(","):
                server_answer(server, text, mode, True)  # warm-up
                rows: dict[str, list[float]] = {"server_partial": [], "server_page": [], "js": [],
                                                "no_js_shown": [], "no_js_load": []}
                sizes: dict[str, int] = {}
                for _ in range(args.runs):
                    seconds, sizes["partial_bytes"] = server_answer(server, text, mode, True)
                    rows["server_partial"].append(seconds)
                    seconds, sizes["page_bytes"] = server_answer(server, text, mode, False)
                    rows["server_page"].append(seconds)
                    rows["js"].append(paste_with_js(browser, server, text, mode))
                    shown, loaded, _ = submit_without_js(browser, server, text, mode)
                    rows["no_js_shown"].append(shown)
                    rows["no_js_load"].append(loaded)
                medians = {name: round(statistics.median(values), 3) for name, values in rows.items()}
                results["modes"][mode] = {"median_s": medians, "all_s": rows, **sizes}
    except InvalidRun as err:
        print(f"INVALID RUN: {err}", file=sys.stderr)
        return 2

    print(f"document: {results['document_bytes']:,} bytes ({origin}); median of {args.runs} runs, seconds")
    print(f"{'mode':8} {'server partial':>14} {'server page':>12} {'JS paste':>9} {'no-JS shown':>12} "
          f"{'no-JS load':>11} {'partial bytes':>14} {'page bytes':>11}")
    ok = True
    for mode, row in results["modes"].items():
        m = row["median_s"]
        print(f"{mode:8} {m['server_partial']:>14} {m['server_page']:>12} {m['js']:>9} "
              f"{m['no_js_shown']:>12} {m['no_js_load']:>11} {row['partial_bytes']:>14,} "
              f"{row['page_bytes']:>11,}")
        ok = ok and m["js"] <= BUDGET_JS and m["no_js_load"] <= BUDGET_NO_JS
    results["within_budget"] = ok
    print(f"budget: JS ≤ {BUDGET_JS} s, no JS ≤ {BUDGET_NO_JS} s: {'OK' if ok else 'OVER'}")
    OUT.mkdir(parents=True, exist_ok=True)
    body = json.dumps(results, indent=2)
    stamp = datetime.datetime.now().strftime("%Y%m%d-%H%M%S")
    (OUT / f"json_paint-{stamp}.json").write_text(body)
    (OUT / "json_paint-latest.json").write_text(body)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
