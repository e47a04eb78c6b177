"""Benchmark the built site the way a reader's phone would see it: Lighthouse (mobile
defaults) on every page, median of several runs, with bytes and request counts.

    make bench-site            3 runs per page
    make bench-site RUNS=5

Prints a table; it never fails: the budgets are a target to read against, not a test.
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

from tools.paths import ROOT
from tools.services import chromium
from tools.sitegen.site import build, nav_pages, serve

LIGHTHOUSE = ROOT / "node_modules" / "lighthouse" / "cli" / "index.js"
CATEGORIES = ["performance", "accessibility", "best-practices", "seo"]


SCHEMES = {"light": "1", "dark": "0"}  # Blink's preferredColorScheme values


def lighthouse(url: str, scheme: str = "light") -> dict:
    colour = f"--blink-settings=preferredColorScheme={SCHEMES[scheme]}"
    flags = " ".join(["--headless=new", *chromium.ARGS, colour])
    result = subprocess.run(
        [
            "node",
            str(LIGHTHOUSE),
            url,
            "--output=json",
            "--quiet",
            f"--chrome-flags={flags}",
            f"--only-categories={','.join(CATEGORIES)}",
        ],
        capture_output=True,
        text=True,
        check=True,
        env={**os.environ, "CHROME_PATH": chromium.path()},
    )
    report = json.loads(result.stdout)
    audits = report["audits"]
    return {
        **{c: round(report["categories"][c]["score"] * 100) for c in CATEGORIES},
        "bytes": audits["total-byte-weight"]["numericValue"],
        "requests": len(audits["network-requests"]["details"]["items"]),
        "tti": audits["interactive"]["numericValue"] / 1000,
    }


def main() -> int:
    runs = int(os.environ.get("RUNS", "3"))
    rows = []
    with tempfile.TemporaryDirectory() as site:
        build(Path(site))
        with serve(Path(site)) as base:
            for _, path in nav_pages():
                for scheme in SCHEMES:
                    results = [lighthouse(base + path, scheme) for _ in range(runs)]
                    median = {k: statistics.median(r[k] for r in results) for k in results[0]}
                    raw = (Path(site) / path / "index.html").stat().st_size
                    rows.append((f"{path.strip('/') or 'index'} ({scheme})", median, raw))
                    print(f"measured {rows[-1][0]}", file=sys.stderr, flush=True)
    print(f"Lighthouse, mobile defaults, median of {runs} runs per page")
    print(
        f"{'page':<34}{'KB sent':>8}{'HTML KB':>8}{'req':>5}{'perf':>6}{'a11y':>6}"
        f"{'bp':>5}{'seo':>5}{'TTI s':>7}"
    )
    for page, m, raw in rows:
        print(
            f"{page:<34}{m['bytes'] / 1024:>8.0f}{raw / 1024:>8.0f}{m['requests']:>5.0f}"
            f"{m['performance']:>6.0f}{m['accessibility']:>6.0f}{m['best-practices']:>5.0f}"
            f"{m['seo']:>5.0f}{m['tti']:>7.1f}"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
