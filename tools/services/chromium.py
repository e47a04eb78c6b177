"""The one Chromium the site uses: to draw diagrams at build time, and in the browser tests.

    python -m tools.services.chromium --ensure   install Debian's chromium if missing and we can

Its path comes from CHROMIUM_PATH (default /usr/bin/chromium): Playwright drives that
executable. CHROMIUM_PATH=playwright uses the Chromium that `playwright install chromium`
downloaded instead, where that download is possible (CI on GitHub's runners).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

DEFAULT_PATH = "/usr/bin/chromium"
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


PLAYWRIGHT = "playwright"

# When a page is ready to be checked: loaded (the theme's script has run), its fonts in, and
# every code block checked for sideways scrolling (overrides/partials/site.js does that in
# idle time), checked on an animation frame, so the page has also been laid out once. The browser
# checks wait for this instead of a quiet network: a page requests nothing after its load
# but the favicon, and waiting for half a second of silence cost each page 0.5 to 0.8 s.
READY = (
    'document.readyState === "complete" && document.fonts.status === "loaded"'
    " && window.wideBlocksChecked === true"
)


def open_ready(page, url: str) -> None:
    """Open url in a Playwright page and return once it is READY to be checked."""
    page.goto(url, wait_until="load")
    page.wait_for_function(READY, polling="raf")


def path() -> str:
    chosen = os.environ.get("CHROMIUM_PATH", DEFAULT_PATH)
    if chosen == PLAYWRIGHT:
        from playwright.sync_api import sync_playwright

        with sync_playwright() as p:
            return p.chromium.executable_path
    return chosen


def problem() -> str | None:
    """None when the browser is there, else what is wrong and what to do."""
    if Path(path()).is_file() and os.access(path(), os.X_OK):
        return None
    return (
        f"Chromium not found at {path()}. Install it (Debian: apt-get install chromium) "
        "or set CHROMIUM_PATH to a Chromium or Chrome executable."
    )


def ensure() -> int:
    if problem() is None:
        return 0
    if os.environ.get("CHROMIUM_PATH") == PLAYWRIGHT:
        print("Installing Playwright's Chromium and its system libraries...", flush=True)
        subprocess.run(
            [sys.executable, "-m", "playwright", "install", "--with-deps", "chromium"], check=True
        )
        return 0 if problem() is None else 1
    can_install = (
        "CHROMIUM_PATH" not in os.environ
        and hasattr(os, "geteuid")
        and os.geteuid() == 0
        and shutil.which("apt-get")
    )
    if can_install:
        print("Installing Debian's chromium (apt-get)...", flush=True)
        env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
        subprocess.run(["apt-get", "update", "-qq"], check=True, env=env)
        subprocess.run(["apt-get", "install", "-y", "-qq", "chromium"], check=True, env=env)
    message = problem()
    if message:
        print(message, file=sys.stderr)
        return 1
    return 0


def launch(playwright):
    """A headless Chromium from this machine, started with the flags this site uses."""
    message = problem()
    if message:
        raise RuntimeError(message)
    executable = None if os.environ.get("CHROMIUM_PATH") == PLAYWRIGHT else path()
    return playwright.chromium.launch(executable_path=executable, args=ARGS, headless=True)


if __name__ == "__main__":
    sys.exit(ensure() if "--ensure" in sys.argv else 0)
