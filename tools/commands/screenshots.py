"""Write a PNG of every page, light and dark, to screenshots/ for review in pull requests.

make screenshots
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

from playwright.sync_api import sync_playwright

from tools.paths import ROOT
from tools.services import chromium
from tools.sitegen.site import build, nav_pages, serve

OUT = ROOT / "screenshots"


def main() -> int:
    OUT.mkdir(exist_ok=True)
    with tempfile.TemporaryDirectory() as site, sync_playwright() as p:
        build(Path(site))
        browser = chromium.launch(p)
        with serve(Path(site)) as base:
            for scheme in ("light", "dark"):
                context = browser.new_context(
                    color_scheme=scheme, viewport={"width": 1280, "height": 900}
                )
                page = context.new_page()
                for title, path in nav_pages():
                    chromium.open_ready(page, base + path)
                    # open collapsed blocks so that the review sees them
                    page.evaluate(
                        "document.querySelectorAll('details').forEach(d => d.open = true)"
                    )
                    name = (path.strip("/") or "index") + f"-{scheme}.png"
                    page.screenshot(path=str(OUT / name), full_page=True)
                    print(f"wrote screenshots/{name}  ({title})")
                context.close()
        browser.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
