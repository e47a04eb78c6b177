"""SQLite with several writers, as Stores and locks across processes states it.

An SQLite file has one write lock in either journal mode: while one connection holds a
write transaction, another connection's write fails with `database is locked` once its
timeout is over. WAL lets a reader read beside the writer; the rollback journal does not
once the writer commits its changes (here: while it holds an EXCLUSIVE lock).
"""

from __future__ import annotations

import sqlite3
from contextlib import closing

import pytest


@pytest.mark.parametrize("mode", ["delete", "wal"])
def test_one_writer_at_a_time(tmp_path, mode: str) -> None:
    path = tmp_path / "one.sqlite"
    with closing(sqlite3.connect(path, isolation_level=None)) as setup:
        assert setup.execute(f"PRAGMA journal_mode={mode}").fetchone()[0] == mode
        setup.execute("CREATE TABLE t (n INTEGER)")
    with (
        closing(sqlite3.connect(path, isolation_level=None)) as holder,
        closing(sqlite3.connect(path, isolation_level=None, timeout=0)) as writer,
        closing(sqlite3.connect(path, isolation_level=None, timeout=0)) as reader,
    ):
        holder.execute("BEGIN EXCLUSIVE" if mode == "delete" else "BEGIN IMMEDIATE")
        holder.execute("INSERT INTO t VALUES (1)")
        with pytest.raises(sqlite3.OperationalError, match=r"^database is locked$"):
            writer.execute("INSERT INTO t VALUES (2)")
        if mode == "wal":
            assert reader.execute("SELECT count(*) FROM t").fetchone() == (0,)
        else:
            with pytest.raises(sqlite3.OperationalError, match=r"^database is locked$"):
                reader.execute("SELECT count(*) FROM t")
        holder.execute("COMMIT")
        writer.execute("INSERT INTO t VALUES (2)")
        assert reader.execute("SELECT count(*) FROM t").fetchone() == (2,)
