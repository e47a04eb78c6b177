# From docs/across-processes.md. Edit the page, then run `make snippets`.
import os
import signal
import subprocess
import sys
from contextlib import contextmanager

import psycopg

DATABASE_URL = os.environ.get("DATABASE_URL", "postgresql://postgres@127.0.0.1:5432/postgres")
LOCK_SPACE = 7003


class ResourceBusy(Exception):
    pass


@contextmanager
def resource_lock(conn: psycopg.Connection, resource_id: str, wait_seconds: float):
    """Hold a lock on an external resource across processes and machines.

    A PostgreSQL session advisory lock: released on exit, and by the server when the
    holder's connection ends, so a crashed holder cannot keep it. The wait is bounded.
    """
    conn.execute(f"SET lock_timeout = '{int(wait_seconds * 1000)}ms'")
    try:
        conn.execute("SELECT pg_advisory_lock(%s, hashtext(%s))", (LOCK_SPACE, resource_id))
    except psycopg.errors.LockNotAvailable:
        raise ResourceBusy(
            f"{resource_id!r} is busy: another worker held it for more than {wait_seconds} s"
        ) from None
    try:
        yield
    finally:
        conn.execute("SELECT pg_advisory_unlock(%s, hashtext(%s))", (LOCK_SPACE, resource_id))


def holder() -> None:
    """Takes the lock, says so, and waits; the parent will kill it while it holds the lock."""
    with psycopg.connect(DATABASE_URL, autocommit=True) as conn:
        with resource_lock(conn, "results_database", wait_seconds=5):
            print("holding", flush=True)
            sys.stdin.readline()


def main() -> None:
    other = subprocess.Popen(
        [sys.executable, __file__, "holder"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert other.stdout.readline() == "holding\n"
    with psycopg.connect(DATABASE_URL, autocommit=True) as conn:
        try:
            with resource_lock(conn, "results_database", wait_seconds=0.5):
                print("acquired while another process holds it (wrong!)")
        except ResourceBusy as error:
            print(f"while the holder is alive: ResourceBusy: {error}")

        other.send_signal(signal.SIGKILL)  # the holder crashes without releasing
        other.wait()
        with resource_lock(conn, "results_database", wait_seconds=10):
            print(
                f"after the holder was killed ({signal.Signals(-other.returncode).name}): acquired"
            )


if __name__ == "__main__":
    if sys.argv[1:2] == ["holder"]:
        holder()
    else:
        main()
