"""make stress: one contended counter, every pattern, under load; what each loses, how fast.

    make stress                                  # 8 processes, 10,000 increments a pattern
    python -m tools.commands.stress --processes 8 --operations 400 --no-write   # a quick look

Every pattern increments one counter OPERATIONS times in all, split over PROCESSES worker
processes (the in-process lock: over as many threads in one process), on SQLite and on
PostgreSQL. The correct patterns must lose nothing; the naive ones (read, then write, with
nothing every writer shares) are run beside them to show what they lose. The lost count is
operations minus the counter's final value. Throughput is measured, never asserted.

It prints a table and writes, into docs/assets/stress/: stress.json (the figures),
stress.svg (a chart drawn from the JSON), and the table on docs/across-processes.md
between its two "make stress" markers. tests/test_stress.py checks that the page and the
chart match the JSON, and runs a small configuration that must lose nothing.

As root, with `tc` and `ip` (iproute2), it also measures how long a PostgreSQL advisory
lock outlives a holder whose packets are dropped (a dead peer): the rule drops, at the
loopback interface's ingress, only that holder's connection, and is removed afterwards.

PostgreSQL comes from DATABASE_URL (default postgresql://postgres@127.0.0.1:5432/postgres);
everything runs in a scratch database that is dropped at the end, and SQLite files live in
a temporary folder.

This file is the command; its parts are in tools/stress/.
"""

from __future__ import annotations

import argparse
import json
import sys
import time

from tools.paths import ROOT
from tools.stress.patterns import BY_ID
from tools.stress.render import ASSETS, PAGE, dead_holder_text, table, write
from tools.stress.run import run


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m tools.commands.stress", description=__doc__.split("\n")[0]
    )
    parser.add_argument("--processes", type=int, default=8)
    parser.add_argument("--operations", type=int, default=10_000, help="per correct pattern")
    parser.add_argument(
        "--wrong-operations", type=int, default=2_000, help="per pattern that loses updates"
    )
    parser.add_argument(
        "--no-write", action="store_true", help="print only; leave docs/assets/stress alone"
    )
    parser.add_argument("--no-partition", action="store_true", help="skip the dead-holder test")
    parser.add_argument(
        "--render", action="store_true", help="measure nothing: redraw from stress.json"
    )
    parser.add_argument("--only", nargs="*", default=[], choices=list(BY_ID), help="these only")
    args = parser.parse_args(argv)
    if args.render:
        write(json.loads((ASSETS / "stress.json").read_text(encoding="utf-8")))
        print("redrew docs/assets/stress/stress.svg and the table on the page from stress.json")
        return 0
    started = time.perf_counter()
    data = run(
        args.processes,
        args.operations,
        partition=not args.no_partition,
        only=tuple(args.only),
        wrong_operations=args.wrong_operations,
    )
    print(table(data))
    print()
    print(dead_holder_text(data))
    if not args.no_write:
        write(data)
        written = (ASSETS / "stress.json", ASSETS / "stress.svg", PAGE)
        print(f"\nwrote {', '.join(str(p.relative_to(ROOT)) for p in written)}")
    print(f"make stress took {time.perf_counter() - started:.0f} s", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
