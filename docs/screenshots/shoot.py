"""Screenshots of each tool with a result, at 390 and 1280 px, light and dark (`make screenshots`).

Starts a real `toolbox serve` on a free loopback port, opens each tool's built-in sample in Debian's
Chromium and saves JPEGs next to this file: <tool>-<width>-<scheme>.jpg. Phones get the whole page;
desktops the first screen (each pane of the workspace scrolls on its own). Fails if a page scrolls
sideways.
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from playwright.sync_api import sync_playwright  # noqa: E402

from tests.servers import start_toolbox  # noqa: E402

OUT = Path(__file__).resolve().parent
PAGES = {
    "jwt": "/jwt/?sample=rs256",
    "jwt-rejected": "/jwt/?sample=expired",
    "jwt-encode": "/jwt/encode?sample=hs256",
    "json": "/json/?sample=order",
    "json-validate": "/json/validate?sample=signup",
    "headers": "/headers/?sample=shop",
}


def main() -> int:
    server = start_toolbox({"TOOLBOX_RATELIMIT_DEFAULT": "5000/minute"})
    wide: list[str] = []
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path="/usr/bin/chromium",
                                                 args=["--no-sandbox", "--disable-gpu"])
            for width in (390, 1280):
                for scheme in ("light", "dark"):
                    viewport = {"width": width, "height": 900}
                    context = browser.new_context(viewport=viewport, color_scheme=scheme)
                    page = context.new_page()
                    for name, path in PAGES.items():
                        page.goto(server.url + path, wait_until="networkidle")
                        if page.evaluate("document.documentElement.scrollWidth > window.innerWidth"):
                            wide.append(f"{name} at {width} px ({scheme})")
                        target = OUT / f"{name}-{width}-{scheme}.jpg"
                        page.screenshot(path=target, type="jpeg", quality=60, full_page=width < 600)
                        print(target.relative_to(ROOT))
                    context.close()
            browser.close()
    finally:
        server.stop()
        server.log_path.unlink(missing_ok=True)
    if wide:
        print("scrolls sideways:", "; ".join(wide), file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
