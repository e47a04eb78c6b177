# From docs/across-processes.md. Edit the page, then run `make snippets`.
import os
import sqlite3
import tempfile
import threading
import uuid
from contextlib import closing

import psycopg
from lock_key import lock_key

DATABASE_URL = os.environ.get("DATABASE_URL", "postgresql://postgres@127.0.0.1:5432/postgres")
TOKENS = f"fence_tokens_{uuid.uuid4().hex[:8]}"  # a sequence: it only grows, across sessions


class Lease:
    """A session advisory lock, and a fencing token drawn while holding it."""

    def __init__(self, name: str):
        self.conn = psycopg.connect(DATABASE_URL, autocommit=True)
        self.key = lock_key(name)

    def acquire(self) -> int:
        self.conn.execute("SET lock_timeout = '10s'")
        self.conn.execute("SELECT pg_advisory_lock(%s)", (self.key,))
        return self.conn.execute(f"SELECT nextval('{TOKENS}')").fetchone()[0]

    def close(self) -> None:
        self.conn.close()


class Resource:
    """The protected resource, here an SQLite file: one report, and the highest token seen."""

    def __init__(self, path: str):
        self.conn = sqlite3.connect(path, isolation_level=None, check_same_thread=False)

    def write(self, body: str, token: int) -> bool:
        """Accept the write only if no newer token has written: one conditional UPDATE."""
        done = self.conn.execute(
            "UPDATE report SET body = ?, fence = ? WHERE id = 1 AND fence <= ?",
            (body, token, token),
        )
        return done.rowcount == 1

    def write_unfenced(self, body: str) -> None:
        self.conn.execute("UPDATE unfenced SET body = ? WHERE id = 1", (body,))

    def close(self) -> None:
        self.conn.close()


def holder_a(path: str, holding: threading.Event, go_on: threading.Event, pid: list) -> None:
    with closing(Lease("report")) as lease, closing(Resource(path)) as resource:
        token = lease.acquire()
        pid.append(lease.conn.info.backend_pid)
        print(f"A: holds the lock, token {token}")
        holding.set()
        go_on.wait(timeout=10)  # paused: a GC pause, a slow call, a suspended VM...
        accepted = resource.write("A's report", token)
        resource.write_unfenced("A's report")
        print(
            f"A: resumes, believes it holds the lock, writes with token {token}: "
            f"{'accepted' if accepted else 'refused'}"
        )


def main(folder: str) -> None:
    path = os.path.join(folder, "resource.sqlite")
    with closing(sqlite3.connect(path, isolation_level=None)) as setup:
        for table in ("report", "unfenced"):
            setup.execute(
                f"CREATE TABLE {table} (id INTEGER PRIMARY KEY, body TEXT, fence INTEGER)"
            )
            setup.execute(f"INSERT INTO {table} VALUES (1, '', 0)")
    holding, go_on, pid = threading.Event(), threading.Event(), []
    a = threading.Thread(target=holder_a, args=(path, holding, go_on, pid))
    a.start()
    holding.wait(timeout=10)
    with psycopg.connect(DATABASE_URL, autocommit=True) as admin:
        admin.execute("SELECT pg_terminate_backend(%s)", (pid[0],))
    print("admin: terminates A's session (A is not told)")
    with closing(Lease("report")) as lease, closing(Resource(path)) as resource:
        token = lease.acquire()
        print(f"B: acquires the lock, token {token}")
        accepted = resource.write("B's report", token)
        resource.write_unfenced("B's report")
        print(f"B: writes with token {token}: {'accepted' if accepted else 'refused'}")
        go_on.set()
        a.join()
        body, fence = resource.conn.execute("SELECT body, fence FROM report").fetchone()
        print(f"resource checking tokens: {body!r} (token {fence})")
        (body,) = resource.conn.execute("SELECT body FROM unfenced").fetchone()
        print(f"resource without the check: {body!r}")


with psycopg.connect(DATABASE_URL, autocommit=True) as conn:
    conn.execute(f"CREATE SEQUENCE {TOKENS}")
try:
    with tempfile.TemporaryDirectory() as folder:
        main(folder)
finally:
    with psycopg.connect(DATABASE_URL, autocommit=True) as conn:
        conn.execute(f"DROP SEQUENCE {TOKENS}")
