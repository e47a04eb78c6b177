"""Real services the code blocks talk to, and what happens when one is missing.

PostgreSQL's address comes from one environment variable, DATABASE_URL, with the local
default below. A block that says ``data-needs="postgres"`` on its fence gets a database of
its own, created before it runs and dropped after, so nothing is left behind.

Without a server those blocks are skipped with a message naming the variable; under
CI=true a missing server is a failure, so CI cannot go green without the database.
"""

from __future__ import annotations

import contextlib
import os
import uuid
from collections.abc import Iterator

VARIABLE = "DATABASE_URL"
DEFAULT_URL = "postgresql://postgres@127.0.0.1:5432/postgres"


def admin_url() -> str:
    return os.environ.get(VARIABLE, DEFAULT_URL)


def needs_postgres(block) -> bool:
    """The block says so on its fence (``data-needs="postgres"``), or a module it runs
    beside does (a block that reads DATABASE_URL without saying so is a page error)."""
    return any("postgres" in b.needs for b in (block, *block.modules.values()))


def postgres_problem() -> str | None:
    """None when PostgreSQL answers, else a message that says what to do."""
    import psycopg

    try:
        with psycopg.connect(admin_url(), connect_timeout=3) as conn:
            conn.execute("SELECT 1")
    except psycopg.Error as error:
        first = str(error).strip().split("\n")[0]
        return (
            f"PostgreSQL is not reachable at {admin_url()} ({first}). "
            f"Start a server or set {VARIABLE} to one (user with CREATEDB rights)."
        )
    return None


@contextlib.contextmanager
def scratch_database() -> Iterator[str]:
    """Create a database of its own and yield its URL; drop it afterwards (thread-safe:
    nothing global changes)."""
    import psycopg
    from psycopg.conninfo import conninfo_to_dict, make_conninfo

    name = f"csa_{uuid.uuid4().hex[:12]}"
    admin = admin_url()
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        yield make_conninfo(**{**conninfo_to_dict(admin), "dbname": name})
    finally:
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@contextlib.contextmanager
def fresh_database() -> Iterator[str]:
    """A scratch database, with DATABASE_URL pointing at it while the block runs."""
    with scratch_database() as url:
        previous = os.environ.get(VARIABLE)
        os.environ[VARIABLE] = url
        try:
            yield url
        finally:
            if previous is None:
                os.environ.pop(VARIABLE, None)
            else:
                os.environ[VARIABLE] = previous
