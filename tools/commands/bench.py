"""Benchmark: the suite's wall time and the marginal cost of one more code block.

    make bench

Prints figures; it never fails on a slow machine.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import time

from tools.harness.pages import all_blocks
from tools.harness.runner import run_block
from tools.paths import ROOT
from tools.services import postgres


def wall(cmd: list[str]) -> float:
    start = time.perf_counter()
    subprocess.run(cmd, cwd=ROOT, capture_output=True, check=False)
    return time.perf_counter() - start


def main() -> None:
    python = sys.executable
    runs = int(os.environ.get("RUNS", "1"))
    pytest = [python, "-m", "pytest", "-q", "-p", "no:cacheprovider"]
    suite = [wall(pytest) for _ in range(runs)]
    docs = [wall([*pytest, "docs"]) for _ in range(runs)]
    fresh = [wall([python, "-c", "import langgraph.graph"]) for _ in range(5)]

    # the marginal cost of a block that runs in this process (the multi-process and
    # PostgreSQL blocks pay for their own worker processes, by design)
    blocks = [b for b in all_blocks() if not postgres.needs_postgres(b.code)]
    per_block = []
    for block in blocks:  # the first pass pays the imports once, as the suite does
        run_block(block)
    for block in blocks:
        start = time.perf_counter()
        run_block(block)
        per_block.append((time.perf_counter() - start, block))
    times = sorted(t for t, _ in per_block)
    slowest = max(per_block, key=lambda p: p[0])

    print(f"code blocks on the site:                  {len(all_blocks())}")
    print(f"make test's pytest run, wall (median of {runs}): {statistics.median(suite):.2f} s")
    print(f"  the code blocks alone (pytest docs/):   {statistics.median(docs):.2f} s")
    print(f"in-process blocks measured below:         {len(blocks)}")
    print(f"one more block, in-process (median):      {statistics.median(times) * 1000:.1f} ms")
    print(
        f"one more block, in-process (max):         {slowest[0] * 1000:.1f} ms ({slowest[1].where})"
    )
    print(f"all blocks in-process, warm:              {sum(times):.2f} s")
    print(f"a fresh interpreter + langgraph import:   {statistics.median(fresh) * 1000:.0f} ms")
    print(
        f"  (what each block would cost if it ran as a subprocess: "
        f"{statistics.median(fresh) * len(blocks):.1f} s for all)"
    )


if __name__ == "__main__":
    main()
