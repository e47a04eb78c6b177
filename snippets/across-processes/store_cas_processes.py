# From docs/across-processes.md. Edit the page, then run `make snippets`.
import fcntl
import os
import subprocess
import sys
import tempfile
import time
import uuid
from contextlib import ExitStack, contextmanager

import psycopg
from langgraph.store.postgres import PostgresStore
from langgraph.store.sqlite import SqliteStore
from lock_key import lock_key

DATABASE_URL = os.environ.get("DATABASE_URL", "postgresql://postgres@127.0.0.1:5432/postgres")
WRITERS, ROUNDS = 8, 10


class PostgresKeyLock:
    """A cross-process lock per store item: a PostgreSQL session advisory lock (a lease)."""

    def __init__(self, conn: psycopg.Connection):
        self.conn = conn
        self.conn.execute("SET lock_timeout = '30s'")  # a waiter raises after 30 s

    @contextmanager
    def hold(self, name: str):
        self.conn.execute("SELECT pg_advisory_lock(%s)", (lock_key(name),))
        try:
            yield
        finally:
            self.conn.execute("SELECT pg_advisory_unlock(%s)", (lock_key(name),))


class FileKeyLock:
    """A cross-process lock for an SQLite file: flock on a file beside it (one machine)."""

    def __init__(self, path: str):
        self.path = path + ".lock"

    @contextmanager
    def hold(self, name: str):
        with open(self.path, "a") as f:
            fcntl.flock(f, fcntl.LOCK_EX)  # the OS releases it when this process exits
            try:
                yield
            finally:
                fcntl.flock(f, fcntl.LOCK_UN)


class StoreCAS:
    """Compare-and-set on a Memory Store: atomic for the processes that take `lock`."""

    def __init__(self, store, lock, namespace: tuple[str, ...]):
        self.store, self.lock, self.namespace = store, lock, namespace

    def read(self, key: str) -> tuple[int, int]:
        item = self.store.get(self.namespace, key)
        return (0, 0) if item is None else (item.value["count"], item.value["_version"])

    def compare_and_set(self, key: str, count: int, expected_version: int) -> bool:
        with self.lock.hold(f"{self.namespace}/{key}"):  # check and write as one step
            if self.read(key)[1] != expected_version:
                return False
            self.store.put(self.namespace, key, {"count": count, "_version": expected_version + 1})
            return True

    def naive_write(self, key: str, count: int, version: int) -> None:
        self.store.put(self.namespace, key, {"count": count, "_version": version + 1})


def sync(label: str) -> None:
    """Tell the parent we reached `label`; go on when it says every writer has."""
    print(label, flush=True)
    sys.stdin.readline()


@contextmanager
def open_stores(sqlite_path: str, namespace: tuple[str, ...]):
    with ExitStack() as stack:
        sqlite = stack.enter_context(SqliteStore.from_conn_string(sqlite_path))
        postgres = stack.enter_context(PostgresStore.from_conn_string(DATABASE_URL))
        lock_conn = stack.enter_context(psycopg.connect(DATABASE_URL, autocommit=True))
        yield {
            "SqliteStore": StoreCAS(sqlite, FileKeyLock(sqlite_path), namespace),
            "PostgresStore": StoreCAS(postgres, PostgresKeyLock(lock_conn), namespace),
        }


def writer_process(sqlite_path: str, namespace: tuple[str, ...]) -> None:
    with open_stores(sqlite_path, namespace) as stores:
        for versioned in stores.values():
            for _ in range(ROUNDS):  # naive, forced: all read, then all write
                count, version = versioned.read("naive")
                sync("read")
                versioned.naive_write("naive", count + 1, version)
                sync("wrote")
            for _ in range(ROUNDS):  # compare-and-set, same forced schedule
                count, version = versioned.read("cas")
                sync("read")
                while not versioned.compare_and_set("cas", count + 1, version):
                    count, version = versioned.read("cas")  # conflict: re-read, retry
                sync("wrote")


def main() -> None:
    namespace = ("team", f"shared-{uuid.uuid4().hex[:8]}")  # this run's items only
    with tempfile.TemporaryDirectory() as folder:
        sqlite_path = os.path.join(folder, "store.sqlite")
        with (
            SqliteStore.from_conn_string(sqlite_path) as s,
            PostgresStore.from_conn_string(DATABASE_URL) as p,
        ):
            s.setup()  # create the tables before the writers start
            p.setup()
        workers = [
            subprocess.Popen(
                [sys.executable, __file__, "worker", sqlite_path, *namespace],
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                text=True,
            )
            for _ in range(WRITERS)
        ]

        def everyone(label: str) -> None:
            for w in workers:
                assert w.stdout.readline() == f"{label}\n"
            for w in workers:
                w.stdin.write("go\n")
                w.stdin.flush()

        rows = []
        with open_stores(sqlite_path, namespace) as stores:
            for backend, versioned in stores.items():
                for key in ("naive", "cas"):
                    started = time.perf_counter()
                    for _ in range(ROUNDS):
                        everyone("read")
                        everyone("wrote")
                    rows.append((backend, key, versioned.read(key)[0]))
                    print(
                        f"{backend} {key}: {time.perf_counter() - started:.2f} s", file=sys.stderr
                    )
            for w in workers:
                w.communicate(timeout=300)
                assert w.returncode == 0, f"writer failed with exit code {w.returncode}"
            for key in ("naive", "cas"):
                stores["PostgresStore"].store.delete(namespace, key)  # leave nothing behind

    updates = WRITERS * ROUNDS
    print(f"{'store':<14}{'strategy':<18}{'writers':>8}{'updates':>9}{'count':>7}{'lost':>6}")
    for backend, strategy, count in rows:
        name = {"naive": "read-then-write", "cas": "compare-and-set"}[strategy]
        print(f"{backend:<14}{name:<18}{WRITERS:>8}{updates:>9}{count:>7}{updates - count:>6}")


if __name__ == "__main__":
    if sys.argv[1:2] == ["worker"]:
        writer_process(sys.argv[2], tuple(sys.argv[3:]))
    else:
        main()
