"""The read-modify-write patterns under test, each a way to increment one counter:
``open_pattern`` yields increment() -> (retries, refused)."""

from __future__ import annotations

import fcntl
import hashlib
import os
import random
import sqlite3
import threading
import time
import weakref
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass

from tools.stress.counter import NAMESPACE, Places, Sql, open_store, read_item

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
