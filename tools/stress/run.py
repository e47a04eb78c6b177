"""One run of make stress: every pattern on both backends, in a scratch database."""

from __future__ import annotations

import os
import sqlite3
import sys
import tempfile
from dataclasses import asdict, dataclass

from tools.services import postgres
from tools.stress.counter import BACKENDS, Places, final_count, reset, setup
from tools.stress.dead_peer import dead_holder
from tools.stress.patterns import PATTERNS, Pattern
from tools.stress.workers import Workers, run_threads


@dataclass
class Row:
    id: str
    pattern: str
    backend: str
    correct: bool
    processes: int
    threads: int
    operations: int
    final: int
    lost: int
    retries: int
    refused: int
    seconds: float
    ops_per_s: float
    note: str


def backend_label(pattern: Pattern, backend: str) -> str:
    return BACKENDS[backend]


def run(
    processes: int,
    operations: int,
    report=print,
    partition: bool = True,
    only: tuple[str, ...] = (),
    wrong_operations: int | None = None,
) -> dict:
    """Run every pattern on both backends in a scratch database; return the figures."""
    import psycopg

    problem = postgres.postgres_problem()
    if problem:
        raise SystemExit(f"make stress needs PostgreSQL: {problem}")
    rows: list[Row] = []
    load = os.getloadavg()[0]  # other work on the machine changes every figure
    with (
        postgres.fresh_database() as url,
        tempfile.TemporaryDirectory(prefix="stress-") as folder,
    ):
        places = Places(url, folder)
        setup(places)
        with psycopg.connect(url) as conn:
            server = conn.execute("SHOW server_version").fetchone()[0].split()[0]
        workers = Workers(processes, places)
        try:
            for pattern in PATTERNS:
                if only and pattern.id not in only:
                    continue
                ops = operations if pattern.correct else (wrong_operations or operations)
                for backend in pattern.backends:
                    reset(pattern, backend, places)
                    if pattern.threads:
                        seconds, retries, refused = run_threads(
                            pattern, backend, places, processes, ops
                        )
                    else:
                        seconds, retries, refused = workers.run(pattern, backend, ops)
                    final = final_count(pattern, backend, places)
                    row = Row(
                        pattern.id,
                        pattern.label,
                        backend_label(pattern, backend),
                        pattern.correct,
                        1 if pattern.threads else processes,
                        processes if pattern.threads else 1,
                        ops,
                        final,
                        ops - final,
                        retries,
                        refused,
                        round(seconds, 3),
                        round(ops / seconds),
                        pattern.note,
                    )
                    rows.append(row)
                    report(
                        f"  {row.pattern} [{row.backend}]: lost {row.lost}, "
                        f"{row.ops_per_s:,} ops/s",
                        file=sys.stderr,
                    )
        finally:
            workers.close()
        holder = dead_holder(url) if partition else {"skipped": "not measured in this run"}
    return {
        "command": "make stress",
        "processes": processes,
        "operations": operations,
        "wrong_operations": wrong_operations or operations,
        "cpus": os.cpu_count(),
        "load_average": round(load, 1),
        "postgresql": server,
        "sqlite": sqlite3.sqlite_version,
        "rows": [asdict(r) for r in rows],
        "dead_holder": holder,
    }
