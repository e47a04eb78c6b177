# From docs/across-processes.md. Edit the page, then run `make snippets`.
import os
import signal
import subprocess
import sys
from contextlib import contextmanager

import psycopg
from lock_key import lock_key

DATABASE_URL = os.environ.get("DATABASE_URL", "postgresql://postgres@127.0.0.1:5432/postgres")


class ResourceBusy(Exception):
    pass


@contextmanager
def resource_lease(conn: psycopg.Connection, resource_id: str, wait_seconds: float):
    """A PostgreSQL session advisory lock: a lease that lasts as long as this session.

    The wait is bounded (lock_timeout). The lock ends at unlock or when the session ends,
    which can happen while the holder still runs: see the cases below.
    """
    timeout_ms = max(1, round(wait_seconds * 1000))  # lock_timeout = 0 would mean: no limit
    conn.execute(f"SET lock_timeout = '{timeout_ms}ms'")
    try:
        conn.execute("SELECT pg_advisory_lock(%s)", (lock_key(resource_id),))
    except psycopg.errors.LockNotAvailable:
        raise ResourceBusy(
            f"{resource_id!r} is busy: another session held it for more than {wait_seconds} s"
        ) from None
    try:
        yield
    finally:
        if not conn.closed:  # a lost session has nothing left to unlock
            conn.execute("SELECT pg_advisory_unlock(%s)", (lock_key(resource_id),))


def holder(settings: str) -> None:
    """Takes the lock, says so, and waits (paused) until told to go on."""
    with psycopg.connect(DATABASE_URL, autocommit=True, options=settings) as conn:
        with resource_lease(conn, "results_database", wait_seconds=5):
            print(f"holding {conn.info.backend_pid}", flush=True)
            sys.stdin.readline()  # paused: a slow call, a GC pause, a suspended VM...
            try:
                conn.execute("SELECT 1")  # its next use of its connection
                print("holder, resumed: its session is alive")
            except psycopg.OperationalError as error:
                print(f"holder, resumed: {type(error).__name__}: {error}")


def start_holder(settings: str = "") -> tuple[subprocess.Popen, int]:
    process = subprocess.Popen(
        [sys.executable, __file__, "holder", settings],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    word, pid = process.stdout.readline().split()
    assert word == "holding"
    return process, int(pid)


def resume(process: subprocess.Popen) -> None:
    out, _ = process.communicate("go\n", timeout=30)
    print("  " + out.strip())


def main() -> None:
    with psycopg.connect(DATABASE_URL, autocommit=True) as conn:
        # 1. While the holder lives, a waiter gives up after a bounded wait.
        process, _ = start_holder()
        try:
            with resource_lease(conn, "results_database", wait_seconds=0.5):
                print("1. acquired while another session holds it (wrong!)")
        except ResourceBusy as error:
            print(f"1. holder alive: ResourceBusy: {error}")

        # 2. The holder's process is killed on a live machine: its kernel closes the socket.
        process.send_signal(signal.SIGKILL)
        process.wait()
        process.stdout.close()
        process.stdin.close()
        with resource_lease(conn, "results_database", wait_seconds=10):
            print("2. holder killed with SIGKILL: acquired")

        # 3. The holder is alive, but the server ends its session (an administrator,
        #    a failover, a pooler dropping the connection): two holders at once.
        process, pid = start_holder()
        conn.execute("SELECT pg_terminate_backend(%s)", (pid,))
        with resource_lease(conn, "results_database", wait_seconds=10):
            print("3. holder's session terminated: acquired, while the holder still runs")
            resume(process)

        # 4. The holder is idle longer than idle_session_timeout (set here on its
        #    connection, as postgresql.conf or ALTER ROLE would set it).
        process, _ = start_holder("-c idle_session_timeout=200ms")
        with resource_lease(conn, "results_database", wait_seconds=10):
            print("4. holder idle past idle_session_timeout: acquired")
            resume(process)


if __name__ == "__main__":
    if sys.argv[1:2] == ["holder"]:
        holder(sys.argv[2])
    else:
        main()
