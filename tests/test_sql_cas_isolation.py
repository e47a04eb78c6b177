"""The conditional UPDATE of Stores and locks across processes, at two isolation levels.

The page says PostgreSQL at READ COMMITTED evaluates the WHERE again on the row a
concurrent writer committed (the late writer updates nothing and retries), and at
REPEATABLE READ raises SQLSTATE 40001 instead. Both are checked on a real server.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator

import pytest

from tools.services import postgres
from tools.services.ci import require

CAS = "UPDATE counter SET value = value + 1, version = version + 1 WHERE id = 1 AND version = 0"


@pytest.fixture(scope="module")
def url() -> Iterator[str]:
    problem = postgres.postgres_problem()
    if problem:
        require(f"tests/test_sql_cas_isolation.py needs PostgreSQL. {problem}", "database")
    with postgres.fresh_database() as scratch:
        yield scratch


def late_update(late, result: list) -> None:
    try:
        result.append(f"rowcount {late.execute(CAS).rowcount}")
    except Exception as error:  # noqa: BLE001 - the test compares what it was
        result.append(getattr(error, "sqlstate", repr(error)))
    late.rollback()


@pytest.mark.parametrize(
    ("level", "outcome"), [("READ COMMITTED", "rowcount 0"), ("REPEATABLE READ", "40001")]
)
@pytest.mark.parametrize("first_commits", ["before", "while the late one waits"])
def test_a_late_conditional_update(url: str, level: str, outcome: str, first_commits: str) -> None:
    import psycopg

    with psycopg.connect(url, autocommit=True) as setup:
        setup.execute("DROP TABLE IF EXISTS counter")
        setup.execute("CREATE TABLE counter (id INT PRIMARY KEY, value INT, version INT)")
        setup.execute("INSERT INTO counter VALUES (1, 0, 0)")
        with psycopg.connect(url) as first, psycopg.connect(url) as late:
            late.execute(f"SET TRANSACTION ISOLATION LEVEL {level}")
            assert late.execute("SELECT version FROM counter").fetchone() == (0,)  # its snapshot
            assert first.execute(CAS).rowcount == 1
            result: list = []
            waiter = threading.Thread(target=late_update, args=(late, result))
            if first_commits == "before":
                first.commit()
                waiter.start()
            else:
                waiter.start()
                pid = late.info.backend_pid
                for _ in range(10_000):  # until the late UPDATE waits for the first's row lock
                    waiting = setup.execute(
                        "SELECT count(*) FROM pg_locks WHERE pid = %s AND NOT granted", (pid,)
                    ).fetchone()[0]
                    if waiting:
                        break
                else:
                    pytest.fail("the late UPDATE never waited for the first writer")
                first.commit()
            waiter.join(timeout=30)
        assert result == [outcome]
