"""The writers: worker processes driven over stdin and stdout, or threads of this process."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
import time

from tools.paths import ROOT
from tools.stress.counter import Places
from tools.stress.patterns import BY_ID, Pattern, open_pattern


def worker(url: str, folder: str) -> None:
    """A worker process: for each command, open the pattern, say ready, run on "go"."""
    places = Places(url, folder)
    for line in sys.stdin:
        if line == "exit\n":
            return
        command = json.loads(line)
        pattern = BY_ID[command["pattern"]]
        with open_pattern(pattern, command["backend"], places) as increment:
            print("ready", flush=True)
            if sys.stdin.readline() != "go\n":
                return
            retries = refused = 0
            for _ in range(command["operations"]):
                r, f = increment()
                retries, refused = retries + r, refused + f
        print(json.dumps({"retries": retries, "refused": refused}), flush=True)


class Workers:
    def __init__(self, count: int, places: Places):
        env = {**os.environ, "PYTHONPATH": str(ROOT)}
        self.procs = [
            subprocess.Popen(
                [
                    sys.executable,
                    "-m",
                    "tools.stress.workers",
                    places.url,
                    places.folder,
                ],
                cwd=ROOT,
                env=env,
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                text=True,
            )
            for _ in range(count)
        ]

    def _send(self, text: str) -> None:
        for p in self.procs:
            p.stdin.write(text + "\n")
            p.stdin.flush()

    def _read(self) -> list[str]:
        lines = [p.stdout.readline() for p in self.procs]
        if not all(lines):
            raise RuntimeError("a worker process died: see its traceback above")
        return lines

    def run(self, pattern: Pattern, backend: str, operations: int) -> tuple[float, int, int]:
        """Split the operations over the workers; (seconds, retries, refused)."""
        n = len(self.procs)
        shares = [operations // n + (i < operations % n) for i in range(n)]
        for p, share in zip(self.procs, shares, strict=True):
            p.stdin.write(
                json.dumps({"pattern": pattern.id, "backend": backend, "operations": share}) + "\n"
            )
            p.stdin.flush()
        assert self._read() == ["ready\n"] * n
        start = time.perf_counter()
        self._send("go")
        results = [json.loads(line) for line in self._read()]
        seconds = time.perf_counter() - start
        return (
            seconds,
            sum(r["retries"] for r in results),
            sum(r["refused"] for r in results),
        )

    def close(self) -> None:
        for p in self.procs:
            try:
                p.stdin.write("exit\n")
                p.stdin.close()
            except (BrokenPipeError, OSError):
                pass
        for p in self.procs:
            p.wait(timeout=60)
            p.stdout.close()


def run_threads(
    pattern: Pattern, backend: str, places: Places, threads: int, operations: int
) -> tuple[float, int, int]:
    """The in-process pattern: threads in this process share one store and its locks."""
    shares = [operations // threads + (i < operations % threads) for i in range(threads)]
    with open_pattern(pattern, backend, places) as increment:
        start_line = threading.Barrier(threads + 1)
        retries = [0] * threads

        def run(i: int) -> None:
            start_line.wait()
            for _ in range(shares[i]):
                retries[i] += increment()[0]

        pool = [threading.Thread(target=run, args=(i,)) for i in range(threads)]
        for t in pool:
            t.start()
        start_line.wait()
        start = time.perf_counter()
        for t in pool:
            t.join()
        return time.perf_counter() - start, sum(retries), 0


if __name__ == "__main__":
    worker(sys.argv[1], sys.argv[2])
