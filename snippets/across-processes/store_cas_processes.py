# From docs/across-processes.md. Edit the page, then run `make snippets`.
import fcntl
import os
import subprocess
import sys
import tempfile
import time
from contextlib import ExitStack, contextmanager

import psycopg
from langgraph.store.postgres import PostgresStore
from langgraph.store.sqlite import SqliteStore

DATABASE_URL = os.environ.get("DATABASE_URL", "postgresql://postgres@127.0.0.1:5432/postgres")
WRITERS, ROUNDS, FREE_INCREMENTS = 8, 50, 50
NAMESPACE = ("team", "shared")
LOCK_SPACE = 7002


class PostgresKeyLock:
    """A cross-process lock per store item: a PostgreSQL advisory lock."""

    def __init__(self, url: str):
        self.conn = psycopg.connect(url, autocommit=True)
        self.conn.execute("SET lock_timeout = '30s'")  # a bounded wait, never a hang

    @contextmanager
    def hold(self, name: str):
        self.conn.execute("SELECT pg_advisory_lock(%s, hashtext(%s))", (LOCK_SPACE, name))
        try:
            yield
        finally:
            self.conn.execute("SELECT pg_advisory_unlock(%s, hashtext(%s))", (LOCK_SPACE, name))


class FileKeyLock:
    """A cross-process lock for an SQLite file: flock on a file beside it (one machine)."""

    def __init__(self, path: str):
        self.path = path + ".lock"

    @contextmanager
    def hold(self, name: str):
        with open(self.path, "a") as f:
            fcntl.flock(f, fcntl.LOCK_EX)  # released by the OS if this process dies
            try:
                yield
            finally:
                fcntl.flock(f, fcntl.LOCK_UN)


class VersionedStore:
    """Optimistic concurrency on a Memory Store, atomic across processes."""

    def __init__(self, store, lock):
        self.store, self.lock = store, lock

    def read(self, key: str) -> tuple[int, int]:
        item = self.store.get(NAMESPACE, key)
        return (0, 0) if item is None else (item.value["count"], item.value["_version"])

    def compare_and_set(self, key: str, count: int, expected_version: int) -> bool:
        with self.lock.hold(f"{NAMESPACE}/{key}"):  # check and write as one step
            if self.read(key)[1] != expected_version:
                return False
            self.store.put(NAMESPACE, key, {"count": count, "_version": expected_version + 1})
            return True

    def naive_write(self, key: str, count: int, version: int) -> None:
        self.store.put(NAMESPACE, key, {"count": count, "_version": version + 1})


def sync(label: str) -> None:
    """Tell the parent we reached `label`; go on when it says every writer has."""
    print(label, flush=True)
    sys.stdin.readline()


@contextmanager
def open_stores(sqlite_path: str):
    with ExitStack() as stack:
        sqlite = stack.enter_context(SqliteStore.from_conn_string(sqlite_path))
        postgres = stack.enter_context(PostgresStore.from_conn_string(DATABASE_URL))
        yield {
            "SqliteStore": VersionedStore(sqlite, FileKeyLock(sqlite_path)),
            "PostgresStore": VersionedStore(postgres, PostgresKeyLock(DATABASE_URL)),
        }


def worker(sqlite_path: str) -> None:
    with open_stores(sqlite_path) as stores:
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
            sync("ready")  # compare-and-set, free-running stress
            for _ in range(FREE_INCREMENTS):
                count, version = versioned.read("stress")
                while not versioned.compare_and_set("stress", count + 1, version):
                    count, version = versioned.read("stress")
            sync("done")


def main() -> None:
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
                [sys.executable, __file__, "worker", sqlite_path],
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
        with open_stores(sqlite_path) as stores:
            for backend, versioned in stores.items():
                for key, runs, phases in (
                    ("naive", ROUNDS, ("read", "wrote")),
                    ("cas", ROUNDS, ("read", "wrote")),
                ):
                    started = time.perf_counter()
                    for _ in range(runs):
                        for phase in phases:
                            everyone(phase)
                    rows.append(
                        (
                            backend,
                            key,
                            "forced",
                            runs,
                            versioned.read(key)[0],
                            time.perf_counter() - started,
                        )
                    )
                everyone("ready")
                started = time.perf_counter()
                everyone("done")
                rows.append(
                    (
                        backend,
                        "cas",
                        "free",
                        FREE_INCREMENTS,
                        versioned.read("stress")[0],
                        time.perf_counter() - started,
                    )
                )
        for w in workers:
            w.communicate(timeout=300)
            assert w.returncode == 0, f"writer failed with exit code {w.returncode}"

    print(
        f"{'store':<14}{'strategy':<10}{'schedule':<10}{'writers':>8}{'updates':>9}"
        f"{'count':>7}{'lost':>6}"
    )
    for backend, strategy, schedule, runs, count, seconds in rows:
        updates = WRITERS * runs
        print(
            f"{backend:<14}{strategy:<10}{schedule:<10}{WRITERS:>8}{updates:>9}"
            f"{count:>7}{updates - count:>6}"
        )
        print(f"{backend} {strategy} {schedule}: {seconds:.2f} s", file=sys.stderr)
    print("\nupdates lost (each # is 10)")
    for backend, strategy, schedule, runs, count, _ in rows:
        lost = WRITERS * runs - count
        print(f"{backend + ' ' + strategy + ' ' + schedule:<29}|{'#' * (lost // 10)} {lost}")


if __name__ == "__main__":
    if sys.argv[1:2] == ["worker"]:
        worker(sys.argv[2])
    else:
        main()
