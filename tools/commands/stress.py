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
"""

from __future__ import annotations

import argparse
import fcntl
import hashlib
import html
import json
import os
import random
import re
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
import weakref
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import asdict, dataclass

from tools.paths import DOCS, ROOT
from tools.services import postgres

ASSETS = DOCS / "assets" / "stress"
PAGE = DOCS / "across-processes.md"
TABLE_START = (
    "<!-- make stress: table start (tools/commands/stress.py writes it from stress.json) -->"
)
TABLE_END = "<!-- make stress: table end -->"
NAMESPACE = ("stress",)
BACKENDS = {"sqlite": "SQLite", "postgres": "PostgreSQL"}
BACKOFF = os.environ.get("STRESS_BACKOFF", "1") == "1"


@dataclass(frozen=True)
class Pattern:
    id: str
    label: str
    correct: bool
    backends: tuple[str, ...]
    threads: bool = False  # True: threads in one process, not processes
    note: str = ""


PATTERNS = [
    Pattern(
        "inproc-threads",
        "in-process lock around get + put, threads of one process",
        True,
        ("sqlite", "postgres"),
        threads=True,
        note="the store object's striped threading locks; covers the threads of one process",
    ),
    Pattern(
        "lock-store",
        "Store get + put under a cross-process lock",
        True,
        ("sqlite", "postgres"),
        note="flock beside the SQLite file; a PostgreSQL advisory lock for PostgresStore",
    ),
    Pattern(
        "sql-cas",
        "SQL conditional UPDATE (compare-and-set)",
        True,
        ("sqlite", "postgres"),
        note="UPDATE ... WHERE key = ? AND version = ?, then rowcount == 1; your own table",
    ),
    Pattern(
        "fenced",
        "advisory lock + fencing token",
        True,
        ("postgres",),
        note="lock and token (a sequence) from PostgreSQL; the resource refuses a stale token",
    ),
    Pattern("naive-store", "naive: Store get, then put", False, ("sqlite", "postgres")),
    Pattern(
        "inproc-processes",
        "in-process lock around get + put, in several processes",
        False,
        ("sqlite", "postgres"),
        note="each process has its own lock, so the processes do not exclude each other",
    ),
    Pattern("naive-sql", "naive: SQL read, then UPDATE", False, ("sqlite", "postgres")),
]
BY_ID = {p.id: p for p in PATTERNS}


def lock_key(name: str) -> int:
    """A signed 64-bit advisory lock key: blake2b, so no practical collision between names."""
    return int.from_bytes(
        hashlib.blake2b(name.encode(), digest_size=8).digest(), "big", signed=True
    )


# --- the places the counter lives ------------------------------------------------------


@dataclass
class Places:
    url: str  # the scratch PostgreSQL database
    folder: str  # SQLite files

    @property
    def store_file(self) -> str:
        return os.path.join(self.folder, "store.sqlite")

    @property
    def sql_file(self) -> str:
        return os.path.join(self.folder, "counters.sqlite")


@contextmanager
def open_store(backend: str, places: Places):
    if backend == "sqlite":
        from langgraph.store.sqlite import SqliteStore

        with SqliteStore.from_conn_string(places.store_file) as store:
            yield store
    else:
        from langgraph.store.postgres import PostgresStore

        with PostgresStore.from_conn_string(places.url) as store:
            yield store


def read_item(store, key: str) -> tuple[int, int]:
    item = store.get(NAMESPACE, key)
    return (0, 0) if item is None else (item.value["count"], item.value["_version"])


class Sql:
    """One connection to the counters table, in SQLite's or PostgreSQL's dialect."""

    def __init__(self, backend: str, places: Places):
        self.backend = backend
        if backend == "sqlite":
            self.conn = sqlite3.connect(places.sql_file, timeout=60, isolation_level=None)
            self.mark = "?"
        else:
            import psycopg

            self.conn = psycopg.connect(places.url, autocommit=True)
            self.mark = "%s"

    def run(self, sql: str, params=()):
        """Execute; return the cursor (for rowcount and rows)."""
        return self.conn.execute(sql.replace("?", self.mark), params)

    def close(self) -> None:
        self.conn.close()


def setup(places: Places) -> None:
    """Create every table once, before the workers start."""
    import psycopg

    for backend in BACKENDS:
        with open_store(backend, places) as store:
            store.setup()
        sql = Sql(backend, places)
        try:
            if backend == "sqlite":
                sql.run("PRAGMA journal_mode = WAL")
            sql.run(
                "CREATE TABLE IF NOT EXISTS counters "
                "(key TEXT PRIMARY KEY, value BIGINT NOT NULL, version BIGINT NOT NULL)"
            )
            sql.run(
                "CREATE TABLE IF NOT EXISTS fenced "
                "(key TEXT PRIMARY KEY, value BIGINT NOT NULL, fence BIGINT NOT NULL)"
            )
        finally:
            sql.close()
    with psycopg.connect(places.url, autocommit=True) as conn:
        conn.execute("CREATE SEQUENCE IF NOT EXISTS fence_tokens")


def reset(pattern: Pattern, backend: str, places: Places) -> None:
    """Set this pattern's counter to 0."""
    if pattern.id in ("naive-store", "inproc-threads", "inproc-processes", "lock-store"):
        with open_store(backend, places) as store:
            store.put(NAMESPACE, pattern.id, {"count": 0, "_version": 0})
        return
    table, column = ("fenced", "fence") if pattern.id == "fenced" else ("counters", "version")
    sql = Sql(backend, places)
    try:
        sql.run(f"DELETE FROM {table} WHERE key = ?", (pattern.id,))
        sql.run(f"INSERT INTO {table} (key, value, {column}) VALUES (?, 0, 0)", (pattern.id,))
    finally:
        sql.close()


def final_count(pattern: Pattern, backend: str, places: Places) -> int:
    if pattern.id in ("naive-store", "inproc-threads", "inproc-processes", "lock-store"):
        with open_store(backend, places) as store:
            return read_item(store, pattern.id)[0]
    table = "fenced" if pattern.id == "fenced" else "counters"
    sql = Sql(backend, places)
    try:
        return sql.run(f"SELECT value FROM {table} WHERE key = ?", (pattern.id,)).fetchone()[0]
    finally:
        sql.close()


# --- the patterns: each yields increment() -> (retries, refused) -----------------------

# In-process locks, as on the store page: one table of striped locks per
# underlying store object, shared by every caller in this process.
_STRIPES = 64
_store_locks: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()
_store_locks_guard = threading.Lock()


def in_process_lock(store, key: str) -> threading.Lock:
    with _store_locks_guard:
        stripes = _store_locks.get(store)
        if stripes is None:
            stripes = _store_locks[store] = [threading.Lock() for _ in range(_STRIPES)]
    return stripes[hash((NAMESPACE, key)) % _STRIPES]


def backoff(retries: int) -> None:
    """After a conflict, wait a random time that grows with each retry (full jitter), so
    that the writers that lost a round do not all come back at the same moment. Set
    STRESS_BACKOFF=0 to retry at once."""
    if BACKOFF:
        time.sleep(random.uniform(0, min(0.0002 * 2**retries, 0.005)))


def locked_retry(once: Callable[[], None]) -> tuple[int, int]:
    """Run once(); when SQLite refuses it with "database is locked" (its busy timeout ran
    out: unsynchronised writers from several processes), run it again. The retries."""
    retries = 0
    while True:
        try:
            once()
            return retries, 0
        except (sqlite3.OperationalError, ValueError) as error:  # SqliteStore wraps some
            if "database is locked" not in str(error):
                raise
            retries += 1


@contextmanager
def flock(path: str):
    with open(path, "a") as f:

        @contextmanager
        def hold():
            fcntl.flock(f, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(f, fcntl.LOCK_UN)

        yield hold


@contextmanager
def advisory(url: str, name: str):
    import psycopg

    key = lock_key(name)
    with psycopg.connect(url, autocommit=True) as conn:

        @contextmanager
        def hold():
            conn.execute("SELECT pg_advisory_lock(%s)", (key,))
            try:
                yield
            finally:
                conn.execute("SELECT pg_advisory_unlock(%s)", (key,))

        yield hold


@contextmanager
def open_pattern(pattern: Pattern, backend: str, places: Places) -> Iterator[Callable]:
    key = pattern.id
    with ExitStack() as stack:
        if pattern.id == "naive-store":
            store = stack.enter_context(open_store(backend, places))

            def increment():
                def once():
                    count, version = read_item(store, key)
                    store.put(NAMESPACE, key, {"count": count + 1, "_version": version + 1})

                return locked_retry(once)

        elif pattern.id in ("inproc-threads", "inproc-processes"):
            store = stack.enter_context(open_store(backend, places))
            lock = in_process_lock(store, key)

            def increment():
                def once():
                    with lock:  # the read and the write under the store object's lock
                        count, version = read_item(store, key)
                        store.put(NAMESPACE, key, {"count": count + 1, "_version": version + 1})

                return locked_retry(once)

        elif pattern.id == "lock-store":
            store = stack.enter_context(open_store(backend, places))
            if backend == "sqlite":
                hold = stack.enter_context(flock(places.store_file + ".lock"))
            else:
                hold = stack.enter_context(advisory(places.url, f"{NAMESPACE}/{key}"))

            def increment():
                with hold():  # the read and the write under one lock every process takes
                    count, version = read_item(store, key)
                    store.put(NAMESPACE, key, {"count": count + 1, "_version": version + 1})
                return 0, 0

        elif pattern.id in ("sql-cas", "naive-sql"):
            sql = Sql(backend, places)
            stack.callback(sql.close)
            conditional = pattern.id == "sql-cas"

            def increment():
                retries = 0
                while True:
                    value, version = sql.run(
                        "SELECT value, version FROM counters WHERE key = ?", (key,)
                    ).fetchone()
                    if not conditional:
                        sql.run("UPDATE counters SET value = ? WHERE key = ?", (value + 1, key))
                        return 0, 0
                    done = sql.run(
                        "UPDATE counters SET value = ?, version = version + 1 "
                        "WHERE key = ? AND version = ?",
                        (value + 1, key, version),
                    )
                    if done.rowcount == 1:
                        return retries, 0
                    retries += 1
                    backoff(retries)

        elif pattern.id == "fenced":
            import psycopg

            resource = Sql(backend, places)
            stack.callback(resource.close)
            lock = stack.enter_context(psycopg.connect(places.url, autocommit=True))
            lkey = lock_key(f"fenced/{backend}")

            def increment():
                refused = 0
                while True:
                    lock.execute("SELECT pg_advisory_lock(%s)", (lkey,))
                    try:
                        token = lock.execute("SELECT nextval('fence_tokens')").fetchone()[0]
                        (value,) = resource.run(
                            "SELECT value FROM fenced WHERE key = ?", (key,)
                        ).fetchone()
                        done = resource.run(
                            "UPDATE fenced SET value = ?, fence = ? WHERE key = ? AND fence <= ?",
                            (value + 1, token, key, token),
                        )
                    finally:
                        lock.execute("SELECT pg_advisory_unlock(%s)", (lkey,))
                    if done.rowcount == 1:
                        return 0, refused
                    refused += 1

        else:
            raise ValueError(pattern.id)
        yield increment


# --- workers -----------------------------------------------------------------------------


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
                    "tools.commands.stress",
                    "--worker",
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


# --- a holder whose packets vanish --------------------------------------------------------


def partition_problem() -> str | None:
    if os.geteuid() != 0:
        return "needs root (it adds a traffic-control rule on the loopback interface)"
    missing = [tool for tool in ("tc", "ip", "ss") if shutil.which(tool) is None]
    if missing:
        return f"needs {', '.join(missing)} (iproute2)"
    return None


@contextmanager
def dropped(ports: list[int], server_port: int) -> Iterator[None]:
    """Drop, at lo's ingress, every packet of the TCP connections from these client ports.

    Dropping at ingress, after the sender's transmit succeeded, is what a dead peer looks
    like: an egress drop is reported to the sender, and Linux then treats a lost keepalive
    probe as local congestion and never counts it.
    """
    sink = f"csadrop{os.getpid() % 100000}"
    prefs = []
    had_clsact = (
        "clsact"
        in subprocess.run(
            ["tc", "qdisc", "show", "dev", "lo"], capture_output=True, text=True, check=True
        ).stdout
    )

    def tc(*args: str) -> None:
        subprocess.run(["tc", *args], check=True, capture_output=True)

    subprocess.run(["ip", "link", "add", sink, "type", "ifb"], check=True)  # stays down
    try:
        if not had_clsact:
            tc("qdisc", "add", "dev", "lo", "clsact")
        for n, port in enumerate(ports):
            for pref, (src, dst) in enumerate(
                ((port, server_port), (server_port, port)), start=49000 + 2 * n
            ):
                prefs.append(pref)
                tc(
                    *("filter", "add", "dev", "lo", "ingress", "protocol", "ip"),
                    *("pref", str(pref), "u32"),
                    *("match", "ip", "sport", str(src), "0xffff"),
                    *("match", "ip", "dport", str(dst), "0xffff"),
                    *("action", "mirred", "egress", "redirect", "dev", sink),
                )
        yield
    finally:
        if had_clsact:
            for pref in prefs:
                subprocess.run(
                    ["tc", "filter", "del", "dev", "lo", "ingress", "pref", str(pref)],
                    capture_output=True,
                )
        else:
            subprocess.run(["tc", "qdisc", "del", "dev", "lo", "clsact"], capture_output=True)
        subprocess.run(["ip", "link", "del", sink], capture_output=True)


def wait_until_acknowledged(port: int, server_port: int) -> None:
    """Wait until the server has no unacknowledged bytes on this connection.

    With data in flight, TCP retransmission (tcp_retries2, or tcp_user_timeout), not
    keepalive, decides when the server gives up.
    """
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline:
        out = subprocess.run(
            [
                "ss",
                "-tnH",
                "state",
                "established",
                f"( sport = :{server_port} and dport = :{port} )",
            ],
            capture_output=True,
            text=True,
            check=True,
        ).stdout.split()
        if out and out[1] == "0":  # Send-Q (Recv-Q and Send-Q with no State column)
            return
        time.sleep(0.01)
    raise RuntimeError("the server still had unacknowledged data after 5 s")


def keepalive_timer(port: int, server_port: int) -> str:
    """The server socket's keepalive timer for this client, as `ss -o` shows it."""
    out = subprocess.run(
        ["ss", "-tnoH", "state", "established"]
        + [f"( sport = :{server_port} and dport = :{port} )"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    match = re.search(r"timer:\(keepalive,([^,]+),", out)
    return match.group(1) if match else "none"


def dead_holder(url: str, keepalive=(1, 1, 2), wait_limit: float = 30.0) -> dict:
    """Three holders lose their network at once: one with short server-side keepalives, one
    with the server's defaults, one with the defaults and client_connection_check_interval.
    When can someone else take each one's lock?"""
    problem = partition_problem()
    if problem:
        return {"skipped": problem}
    import psycopg

    idle, interval, count = keepalive
    settings = {
        "short": [
            f"SET tcp_keepalives_idle = {idle}",
            f"SET tcp_keepalives_interval = {interval}",
            f"SET tcp_keepalives_count = {count}",
        ],
        "default": [],
        "check": ["SET client_connection_check_interval = '500ms'"],
    }
    with ExitStack() as stack:
        holders = {}
        for name, statements in settings.items():
            conn = stack.enter_context(psycopg.connect(url, autocommit=True))
            for statement in statements:
                conn.execute(statement)
            shown = [
                int(conn.execute(f"SHOW tcp_keepalives_{s}").fetchone()[0])
                for s in ("idle", "interval", "count")
            ]
            key = lock_key(f"dead-holder/{name}/{os.getpid()}")
            conn.execute("SELECT pg_advisory_lock(%s)", (key,))
            port, server_port, pid = conn.execute(
                "SELECT inet_client_port(), inet_server_port(), pg_backend_pid()"
            ).fetchone()
            holders[name] = {"key": key, "port": port, "pid": pid, "keepalive": shown}
        for h in holders.values():
            wait_until_acknowledged(h["port"], server_port)
        waiter = stack.enter_context(psycopg.connect(url, autocommit=True))
        waiter.execute(f"SET lock_timeout = '{int(wait_limit * 1000)}ms'")

        def free(name: str) -> bool:
            key = holders[name]["key"]
            return waiter.execute("SELECT pg_try_advisory_lock(%s)", (key,)).fetchone()[0]

        try:
            with dropped([h["port"] for h in holders.values()], server_port):
                start = time.perf_counter()
                waiter.execute("SELECT pg_advisory_lock(%s)", (holders["short"]["key"],))
                released_after = time.perf_counter() - start
                default_free, check_free = free("default"), free("check")
                observed = time.perf_counter() - start
                timer = keepalive_timer(holders["default"]["port"], server_port)
        finally:
            # the other holders' backends would wait hours for their dead peers: end them
            for name in ("default", "check"):
                waiter.execute("SELECT pg_terminate_backend(%s)", (holders[name]["pid"],))
        waiter.execute("SELECT pg_advisory_unlock_all()")
    short, default = holders["short"]["keepalive"], holders["default"]["keepalive"]
    return {
        "short_keepalive": short,
        "short_expected_s": short[0] + short[1] * short[2],
        "short_released_after_s": round(released_after, 2),
        "default_keepalive": default,
        "default_expected_s": default[0] + default[1] * default[2],
        "default_still_held": not default_free,
        "default_keepalive_timer": timer,
        "check_interval_still_held": not check_free,
        "observed_for_s": round(observed, 2),
    }


# --- the run -------------------------------------------------------------------------------


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


# --- rendering: table, chart, page -----------------------------------------------------------


def writers(row: dict) -> str:
    if row["threads"] > 1:
        return f"1 ({row['threads']} threads)"
    return str(row["processes"])


def table(data: dict) -> str:
    """The figures as a Markdown table (the page shows exactly this)."""
    lines = [
        "| Pattern | Backend | Processes | Operations | Lost | Retries | Throughput (ops/s) |",
        "|---|---|--:|--:|--:|--:|--:|",
    ]
    for r in data["rows"]:
        name = r["pattern"]
        lost = f"**{r['lost']:,}**" if r["lost"] else "0"
        lines.append(
            f"| {name} | {r['backend']} | {writers(r)} | {r['operations']:,} | {lost} "
            f"| {r['retries']:,} | {r['ops_per_s']:,} |"
        )
    return "\n".join(lines)


def dead_holder_text(data: dict) -> str:
    d = data["dead_holder"]
    if "skipped" in d:
        return f"The dead-holder measurement was skipped in this run: {d['skipped']}."
    short, default = d["short_keepalive"], d["default_keepalive"]

    def held(still: bool) -> str:
        return "still held its lock" if still else "had lost its lock"

    return (
        "Dead holders (every packet of their connections dropped, as for a crashed machine "
        f"or a cut network): with `tcp_keepalives_idle = {short[0]}`, "
        f"`tcp_keepalives_interval = {short[1]}`, `tcp_keepalives_count = {short[2]}`, the "
        f"lock could be taken {d['short_released_after_s']:.1f} s after the drop "
        f"(expected {d['short_expected_s']} s). At {d['observed_for_s']:.1f} s, the holder "
        f"on the server's defaults ({default[0]} s, {default[1]} s, {default[2]}: "
        f"{d['default_expected_s']:,} s) {held(d['default_still_held'])}, its server "
        f"socket's next keepalive probe due in {d['default_keepalive_timer']}; the holder "
        "with `client_connection_check_interval = 500ms` and the default keepalives "
        f"{held(d['check_interval_still_held'])}."
    )


def page_section(data: dict) -> str:
    machine = (
        f"{data['processes']} processes, {data['operations']:,} increments of one counter per "
        f"correct pattern ({data['wrong_operations']:,} per pattern that loses updates), on a "
        f"{data['cpus']}-core machine with a load average of {data['load_average']} when the "
        f"run started (PostgreSQL {data['postgresql']}, SQLite {data['sqlite']})."
    )
    return "\n\n".join([machine, table(data), dead_holder_text(data)])


def svg(data: dict) -> str:
    """A horizontal bar chart of throughput, each bar labelled with what it lost."""
    rows = data["rows"]
    width, left, top, row_h = 860, 20, 64, 46
    bar_left, bar_max = left, 560
    peak = max(r["ops_per_s"] for r in rows) or 1
    height = top + row_h * len(rows) + 40
    title = (
        f"make stress: throughput and lost updates, {data['processes']} writers, "
        f"{data['operations']:,} increments per correct pattern"
    )
    desc = "; ".join(
        f"{r['pattern']} on {r['backend']}: {r['ops_per_s']:,} operations per second, "
        f"{r['lost']:,} of {r['operations']:,} increments lost"
        for r in rows
    )
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" role="img" aria-labelledby="title desc" '
        'font-family="system-ui, -apple-system, Segoe UI, Roboto, sans-serif">',
        f'<title id="title">{html.escape(title)}</title>',
        f'<desc id="desc">{html.escape(desc)}</desc>',
        f'<rect width="{width}" height="{height}" fill="#ffffff"/>',
        f'<text x="{left}" y="28" font-size="17" font-weight="bold" fill="#1a1a1a">'
        f"{html.escape(title)}</text>",
        f'<text x="{left}" y="48" font-size="13" fill="#333333">Bar: operations per second '
        "(longer is faster). Blue: correct patterns. Red, hatched: patterns that lose "
        "updates.</text>",
        '<defs><pattern id="hatch" width="8" height="8" patternUnits="userSpaceOnUse" '
        'patternTransform="rotate(45)"><rect width="8" height="8" fill="#b3261e"/>'
        '<line x1="0" y1="0" x2="0" y2="8" stroke="#ffffff" stroke-width="3"/></pattern></defs>',
    ]
    for i, r in enumerate(rows):
        y = top + i * row_h
        label = f"{r['pattern']}, {r['backend']}"
        length = max(2, round(bar_max * r["ops_per_s"] / peak))
        fill = "#2f5fb3" if r["correct"] else "url(#hatch)"
        lost = f"lost {r['lost']:,} of {r['operations']:,}"
        out += [
            f'<text x="{left}" y="{y + 12}" font-size="13" fill="#1a1a1a">'
            f"{html.escape(label)}</text>",
            f'<rect x="{bar_left}" y="{y + 18}" width="{length}" height="16" fill="{fill}"/>',
            f'<text x="{bar_left + length + 8}" y="{y + 31}" font-size="13" '
            f'fill="{"#1a1a1a" if r["correct"] else "#8c1d18"}">'
            f"{r['ops_per_s']:,} ops/s, {lost}</text>",
        ]
    out.append("</svg>")
    return "\n".join(out) + "\n"


_SECTION = re.compile(re.escape(TABLE_START) + r"\n.*?\n" + re.escape(TABLE_END), re.S)


def page_with_section(page_text: str, data: dict) -> str:
    if not _SECTION.search(page_text):
        raise SystemExit(f"{PAGE.name} has no '{TABLE_START}' ... '{TABLE_END}' markers")
    return _SECTION.sub(
        lambda _: f"{TABLE_START}\n{page_section(data)}\n{TABLE_END}", page_text, count=1
    )


def page_section_now(page_text: str) -> str | None:
    """The section as the page has it now (for the drift test)."""
    match = _SECTION.search(page_text)
    return match.group(0) if match else None


def write(data: dict) -> None:
    ASSETS.mkdir(parents=True, exist_ok=True)
    (ASSETS / "stress.json").write_text(json.dumps(data, indent=2) + "\n", encoding="utf-8")
    (ASSETS / "stress.svg").write_text(svg(data), encoding="utf-8")
    PAGE.write_text(page_with_section(PAGE.read_text(encoding="utf-8"), data), encoding="utf-8")


def main(argv: list[str]) -> int:
    if argv[:1] == ["--worker"]:
        worker(argv[1], argv[2])
        return 0
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
