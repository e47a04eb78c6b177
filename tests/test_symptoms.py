"""The symptom index quotes error messages exactly, and each quote is checked on a real run.

A quote in the first column of docs/symptoms.md's error table is true when a block's
documented output on the site contains it (the harness compares that output with a real
run of the block), or when a reproduction below prints it. A quote that is neither fails
with its line, so the index cannot drift from what LangGraph and its neighbours print.
"""

from __future__ import annotations

import functools
import re
import sqlite3

import pytest

from tools.harness import pages
from tools.harness.normalise import normalise
from tools.paths import DOCS

INDEX = DOCS / "symptoms.md"
_QUOTE = re.compile(r"^\| `([^`]+)`")


def quoted_messages() -> list[tuple[int, str]]:
    """(line, message) of each quote that opens a row of the error table."""
    found, in_errors = [], False
    for number, line in enumerate(INDEX.read_text(encoding="utf-8").split("\n"), 1):
        if line.startswith("## "):
            in_errors = line.strip() == "## Error messages"
        elif in_errors and (match := _QUOTE.match(line)):
            found.extend((number, part) for part in _split(match, line))
    return found


def _split(match: re.Match, line: str) -> list[str]:
    """A row may quote two messages in its first cell: `first`, then `second`."""
    cell = line.split(" | ")[0]
    return re.findall(r"`([^`]+)`", cell) if ", then `" in cell else [match[1]]


@functools.cache
def documented_outputs() -> str:
    outputs = []
    for path in sorted(DOCS.glob("*.md")):
        for block in pages.read_page(path).blocks:
            if block.output:
                outputs.append(normalise(block.output.text))
    return "\n".join(outputs)


def sqlite_locked(tmp_path) -> str:
    path = tmp_path / "chat.db"
    holder = sqlite3.connect(path, isolation_level=None)
    other = sqlite3.connect(path, timeout=0, isolation_level=None)
    try:
        holder.execute("CREATE TABLE t (x)")
        holder.execute("BEGIN IMMEDIATE")  # holds the one write lock
        try:
            other.execute("INSERT INTO t VALUES (1)")
        except sqlite3.OperationalError as error:
            return f"sqlite3.OperationalError: {error}"
        return "no error"
    finally:
        holder.close()
        other.close()


def pool_timeout(tmp_path) -> str:
    """PoolTimeout with the default timeout, 30 s: the message is formatted from the timeout,
    so it is produced here with 0.05 s and the figure put back."""
    from psycopg_pool import ConnectionPool, PoolTimeout

    from tools.services import ci, postgres

    if problem := postgres.postgres_problem():
        ci.require(f"the PoolTimeout quote needs PostgreSQL. {problem}", "database")
    with ConnectionPool(postgres.admin_url(), min_size=1, max_size=1, timeout=0.05) as pool:
        pool.wait(timeout=30)  # the one connection is made: only the second request waits
        with pool.connection():
            try:
                with pool.connection():
                    return "no error"
            except PoolTimeout as error:
                text = f"psycopg_pool.PoolTimeout: {error}"
                return text.replace("after 0.05 sec", "after 30.00 sec")


REPRODUCTIONS = {
    "sqlite3.OperationalError: database is locked": sqlite_locked,
    "psycopg_pool.PoolTimeout: couldn't get a connection after 30.00 sec": pool_timeout,
}


def test_the_index_quotes_messages():
    assert len(quoted_messages()) >= 8


@pytest.mark.parametrize("line,message", quoted_messages(), ids=lambda v: str(v)[:40])
def test_each_quoted_message_is_what_a_real_run_prints(line, message, tmp_path):
    where = f"{pages.rel(INDEX)}:{line}"
    if message in REPRODUCTIONS:
        assert REPRODUCTIONS[message](tmp_path) == message, f"{where}: the real run differs"
        return
    assert message in documented_outputs(), (
        f"{where}: `{message}` is in no documented output on the site and has no "
        "reproduction in tests/test_symptoms.py: quote it as a real run prints it"
    )
