# From docs/across-processes.md. Edit the page, then run `make snippets`.
import os
import sqlite3
import tempfile
import uuid
from contextlib import closing

import psycopg

DATABASE_URL = os.environ.get("DATABASE_URL", "postgresql://postgres@127.0.0.1:5432/postgres")
TABLE = f"counters_{uuid.uuid4().hex[:8]}"


def read_row(conn, mark: str) -> tuple[int, int]:
    return conn.execute(
        f"SELECT value, version FROM {TABLE} WHERE key = {mark}", ("counter",)
    ).fetchone()


def compare_and_set(conn, mark: str, value: int, expected_version: int) -> bool:
    """One statement: write only if the version is still the one read. True if it did."""
    done = conn.execute(
        f"UPDATE {TABLE} SET value = {mark}, version = version + 1 "
        f"WHERE key = {mark} AND version = {mark}",
        (value, "counter", expected_version),
    )
    return done.rowcount == 1


def demo(backend: str, connect, mark: str) -> None:
    with closing(connect()) as setup, closing(connect()) as one, closing(connect()) as two:
        setup.execute(f"CREATE TABLE {TABLE} (key TEXT PRIMARY KEY, value INT, version INT)")
        try:
            setup.execute(f"INSERT INTO {TABLE} VALUES ('counter', 0, 0)")
            # read, then a plain UPDATE: both writers read, then both write
            (v1, _), (v2, _) = read_row(one, mark), read_row(two, mark)
            for conn, value in ((one, v1), (two, v2)):
                conn.execute(
                    f"UPDATE {TABLE} SET value = {mark} WHERE key = {mark}", (value + 1, "counter")
                )
            print(
                f"{backend}, read then plain UPDATE: 2 increments, value {read_row(setup, mark)[0]}"
            )

            setup.execute(f"UPDATE {TABLE} SET value = 0, version = 0")
            # the same schedule with the conditional UPDATE
            (v1, version1), (v2, version2) = read_row(one, mark), read_row(two, mark)
            print(f"  conditional UPDATE, writer 1: {compare_and_set(one, mark, v1 + 1, version1)}")
            retries = 0
            while not compare_and_set(two, mark, v2 + 1, version2):
                retries += 1  # rowcount 0: someone wrote first; re-read and try again
                v2, version2 = read_row(two, mark)
            print(f"  conditional UPDATE, writer 2: True after {retries} retry")
            print(f"  2 increments, value {read_row(setup, mark)[0]}")
        finally:
            setup.execute(f"DROP TABLE {TABLE}")


with tempfile.TemporaryDirectory() as folder:
    path = os.path.join(folder, "counters.sqlite")
    demo("SQLite", lambda: sqlite3.connect(path, isolation_level=None), "?")
demo("PostgreSQL", lambda: psycopg.connect(DATABASE_URL, autocommit=True), "%s")
