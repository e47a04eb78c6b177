# From docs/leases-in-depth.md. Edit the page, then run `make snippets`.
import os

import psycopg
from lock_key import lock_key

DATABASE_URL = os.environ.get("DATABASE_URL", "postgresql://postgres@127.0.0.1:5432/postgres")


KEY = lock_key("results_database")

# A pooler in transaction mode hands each transaction whichever server connection is
# free. X and Y play its two server connections; each client's transaction runs on one.
with (
    psycopg.connect(DATABASE_URL) as x,
    psycopg.connect(DATABASE_URL) as y,
    psycopg.connect(DATABASE_URL, autocommit=True) as checker,
):

    def run(conn, sql):
        with conn.transaction():
            return conn.execute(sql, (KEY,)).fetchone()[0]

    def held_elsewhere() -> bool:
        free = checker.execute("SELECT pg_try_advisory_lock(%s)", (KEY,)).fetchone()[0]
        if free:
            checker.execute("SELECT pg_advisory_unlock(%s)", (KEY,))
        return not free

    print("session lock, pg_advisory_lock:")
    print(
        f"  client 1, transaction on X, takes the lock: {run(x, 'SELECT pg_try_advisory_lock(%s)')}"
    )
    print(f"  client 2, transaction on X, asks for it: {run(x, 'SELECT pg_try_advisory_lock(%s)')}")
    print(f"  client 1, transaction on Y, unlocks: {run(y, 'SELECT pg_advisory_unlock(%s)')}")
    print(f"  client 2, transaction on Y, unlocks: {run(y, 'SELECT pg_advisory_unlock(%s)')}")
    print(f"  both clients are done; is the lock still held? {held_elsewhere()}")
    x.execute("SELECT pg_advisory_unlock_all()")
    x.commit()

    print("transaction lock, pg_advisory_xact_lock:")
    with x.transaction():
        x.execute("SELECT pg_advisory_xact_lock(%s)", (KEY,))
        print(f"  client 1 holds it inside its transaction on X; held? {held_elsewhere()}")
    print(f"  after client 1's COMMIT; held? {held_elsewhere()}")
    print(
        f"  client 2, transaction on X, asks for it: {run(x, 'SELECT pg_try_advisory_xact_lock(%s)')}"
    )
