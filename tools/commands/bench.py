"""make bench: where make test's time goes, phase by phase, and what one block costs.

    make bench            every phase once, then one block and a serve rebuild
    RUNS=3 make bench     the median of three runs of each phase
    python -m tools.commands.bench rebuild    only the serve rebuild (a few seconds)

Prints figures; it never fails on a slow machine. Each phase runs on its own, as a
contributor would run it, so its figure includes its own start-up (a site build, a
browser, the strict interpreter the blocks fork from). Beside the wall time, the CPU time
the whole machine was busy during the phase (on Linux): on a machine with few cores, that
is the figure that adds up to make test's wall time.
"""

from __future__ import annotations

import os
import socket
import statistics
import subprocess
import sys
import time

from tools.paths import ROOT

PYTEST = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider"]
PHASES = [
    ("lint (pre-commit)", [sys.executable, "-m", "pre_commit", "run", "--all-files"]),
    ("blocks (pytest docs/)", [*PYTEST, "docs"]),
    ("blocks, one worker per core", [*PYTEST, "-n", "auto", "--dist", "loadfile", "docs"]),
    ("notebooks", [*PYTEST, "tests/test_notebook.py"]),
    ("harness faults", [*PYTEST, "tests/test_harness.py"]),
    ("site build (mkdocs --strict)", [*PYTEST, "tests/test_pages.py", "-k", "strict_build"]),
    ("browser", [*PYTEST, "tests/test_browser.py", "tests/test_copy_buttons.py"]),
    ("outside checks: pa11y and axe", [*PYTEST, "tests/test_accessibility.py"]),
    (
        "outside checks: vnu, print, host path",
        [*PYTEST, "tests/test_html_valid.py", "tests/test_print.py", "tests/test_host_paths.py"],
    ),
    ("Agent Server", [*PYTEST, "tests/test_agent_server.py"]),
    ("stress helpers", [*PYTEST, "tests/test_stress.py"]),
    (
        "everything else in tests/",
        [
            *PYTEST,
            "tests",
            "--ignore=tests/test_notebook.py",
            "--ignore=tests/test_harness.py",
            "--ignore=tests/test_browser.py",
            "--ignore=tests/test_copy_buttons.py",
            "--ignore=tests/test_accessibility.py",
            "--ignore=tests/test_html_valid.py",
            "--ignore=tests/test_print.py",
            "--ignore=tests/test_host_paths.py",
            "--ignore=tests/test_agent_server.py",
            "--ignore=tests/test_stress.py",
            "-k",
            "not strict_build",
        ],
    ),
    ("make test's pytest (-n auto)", [*PYTEST, "-n", "auto", "--dist", "loadfile"]),
]


def busy_seconds() -> float | None:
    """CPU time every core of this machine has spent busy so far (Linux's /proc/stat), or
    None elsewhere. A phase's share includes its browsers, servers and worker processes,
    which the phase's own process accounting misses."""
    try:
        with open("/proc/stat", encoding="ascii") as stat:
            fields = [int(f) for f in stat.readline().split()[1:]]
    except (OSError, ValueError):
        return None
    idle = fields[3] + fields[4]  # idle, iowait
    return (sum(fields[:8]) - idle) / os.sysconf("SC_CLK_TCK")


def wall(cmd: list[str]) -> tuple[float, float | None, int]:
    """Wall seconds, busy core-seconds (of the whole machine) and exit code of one run."""
    busy = busy_seconds()
    start = time.perf_counter()
    code = subprocess.run(cmd, cwd=ROOT, capture_output=True, check=False).returncode
    seconds = time.perf_counter() - start
    after = busy_seconds()
    return seconds, (after - busy if busy is not None and after is not None else None), code


def one_block() -> str:
    """The cost of one more block: a fork of the strict interpreter, run, exit."""
    from tools.harness.pages import DOCS, read_page
    from tools.harness.runner import Sandbox, run_block

    start = time.perf_counter()
    Sandbox.get()
    started = time.perf_counter() - start
    block = read_page(DOCS / "reducers.md").blocks[1]
    times = []
    for _ in range(10):
        start = time.perf_counter()
        run_block(block)
        times.append(time.perf_counter() - start)
    return (
        f"strict interpreter start (once per session): {started:.2f} s; one more block "
        f"({block.name}), median of 10: {statistics.median(times) * 1000:.0f} ms"
    )


def serve_rebuild(page: str = "docs/reducers.md", times: int = 5) -> str:
    """What a contributor waits for in `make serve` after saving a page: from the save to
    the reload. The page is touched (its text does not change), which starts a rebuild."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "mkdocs",
            "serve",
            "--livereload",
            "--dev-addr",
            f"127.0.0.1:{port}",
        ],
        cwd=ROOT,
        stderr=subprocess.PIPE,
        stdout=subprocess.DEVNULL,
        text=True,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
    )
    assert server.stderr is not None

    def wait_for(text: str) -> None:
        for line in server.stderr:
            if text in line:
                return
        raise RuntimeError(f"mkdocs serve stopped before printing {text!r}")

    try:
        wait_for("Serving on")
        seconds = []
        for _ in range(times):
            time.sleep(1)  # the server idle, as after a contributor's typing
            start = time.perf_counter()
            (ROOT / page).touch()
            wait_for("Reloading browsers")
            seconds.append(time.perf_counter() - start)
    finally:
        server.terminate()
        server.wait()
    return (
        f"make serve: rebuild after saving {page}, median of {times}: "
        f"{statistics.median(seconds):.2f} s (each: {', '.join(f'{t:.2f}' for t in seconds)})"
    )


def main() -> None:
    if sys.argv[1:] == ["rebuild"]:
        print(serve_rebuild())
        return
    runs = int(os.environ.get("RUNS", "1"))
    # CPU is what a run on few cores waits for: the busy figure is the work, the wall
    # figure what is left of it after parallelism
    print(f"{'phase':38} {'wall (s)':>9} {'busy (core-s)':>14}  exit")
    for name, cmd in PHASES:
        results = [wall(cmd) for _ in range(runs)]
        seconds = statistics.median(t for t, _, _ in results)
        busy = [b for _, b, _ in results if b is not None]
        shown = f"{statistics.median(busy):14.1f}" if busy else f"{'-':>14}"
        codes = ",".join(str(c) for _, _, c in results)
        print(f"{name:38} {seconds:9.1f} {shown}  {codes}", flush=True)
    print(one_block())
    print(serve_rebuild())
    print(f"load average at the end: {os.getloadavg()[0]:.2f} on {os.cpu_count()} cores")


if __name__ == "__main__":
    main()
