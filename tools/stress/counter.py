"""Where the counter lives: one store file and one SQL file for SQLite, a scratch PostgreSQL
database; its tables set up once, reset before each pattern, read at the end."""

from __future__ import annotations

import os
import sqlite3
from contextlib import contextmanager
from dataclasses import dataclass

NAMESPACE = ("stress",)
BACKENDS = {"sqlite": "SQLite", "postgres": "PostgreSQL"}
STORE_PATTERNS = ("naive-store", "inproc-threads", "inproc-processes", "lock-store")


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


def reset(pattern, backend: str, places: Places) -> None:
    """Set this pattern's counter to 0."""
    if pattern.id in STORE_PATTERNS:
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


def final_count(pattern, backend: str, places: Places) -> int:
    if pattern.id in STORE_PATTERNS:
        with open_store(backend, places) as store:
            return read_item(store, pattern.id)[0]
    table = "fenced" if pattern.id == "fenced" else "counters"
    sql = Sql(backend, places)
    try:
        return sql.run(f"SELECT value FROM {table} WHERE key = ?", (pattern.id,)).fetchone()[0]
    finally:
        sql.close()
