"""Where the async-services page's pool and lock claims stop holding, shown on real runs.

Each test forces its case (a session the server ends, a setup() that meets another one
half-way, a holder that never lets go) and checks what the page and its Guarantees rows
say about it. The lock helpers are loaded from the page's snippets, so these tests test what
the page shows. Without PostgreSQL they are skipped with a message, and fail under CI=true.
"""

from __future__ import annotations

import asyncio
import logging
import runpy
import sys
import time
import uuid
from collections.abc import Iterator

import pytest

from tools.paths import SNIPPETS
from tools.services import postgres
from tools.services.ci import require

FOLDER = SNIPPETS / "async-services"
KWARGS = {"autocommit": True, "prepare_threshold": 0}


@pytest.fixture(scope="module")
def url() -> Iterator[str]:
    problem = postgres.postgres_problem()
    if problem:
        require(f"tests/test_async_pool_limits.py needs PostgreSQL. {problem}", "database")
    with postgres.fresh_database() as database_url:
        yield database_url


@pytest.fixture(scope="module")
def page() -> dict:
    sys.path.insert(0, str(FOLDER))
    try:
        return runpy.run_path(str(FOLDER / "advisory_locks.py"))
    finally:
        sys.path.remove(str(FOLDER))


@pytest.fixture(autouse=True)
def quiet_pool():
    logger = logging.getLogger("psycopg.pool")
    level = logger.level
    logger.setLevel(logging.CRITICAL)  # it logs each connection it drops
    yield
    logger.setLevel(level)


async def _ask(conn, sql: str, *args):
    return (await (await conn.execute(sql, args)).fetchone())[0]


async def _gone(admin, *pids: int) -> None:
    """End these backends and wait until the server reports them gone."""
    await admin.execute(
        "SELECT pg_terminate_backend(pid) FROM unnest(%s::int[]) AS pid", (list(pids),)
    )
    while await _ask(
        admin, "SELECT count(*) FROM pg_stat_activity WHERE pid = ANY(%s)", list(pids)
    ):
        await asyncio.sleep(0.01)


async def _pids(pool, n: int) -> list[int]:
    """The backend of every connection of a pool of n (all lent at once, then returned)."""
    conns = [await pool.getconn() for _ in range(n)]
    pids = [c.info.backend_pid for c in conns]
    for conn in conns:
        await pool.putconn(conn)
    return pids


def test_setup_meeting_another_setup_fails(url):
    """setup() is repeatable one at a time; one that meets another mid-way fails."""
    import psycopg
    from langgraph.checkpoint.postgres.aio import AsyncPostgresSaver
    from psycopg.rows import dict_row
    from psycopg_pool import AsyncConnectionPool

    schema = f"setup_{uuid.uuid4().hex[:8]}"

    async def main() -> str:
        async with await psycopg.AsyncConnection.connect(url, autocommit=True) as admin:
            await admin.execute(f"CREATE SCHEMA {schema}")
            other = await psycopg.AsyncConnection.connect(url, options=f"-c search_path={schema}")
            kwargs = {**KWARGS, "row_factory": dict_row, "options": f"-c search_path={schema}"}
            pool = AsyncConnectionPool(url, min_size=1, max_size=1, kwargs=kwargs, open=False)
            async with other, pool:
                # another setup() has run its first statement and not yet committed it
                await other.execute(
                    "CREATE TABLE IF NOT EXISTS checkpoint_migrations (v INTEGER PRIMARY KEY)"
                )
                setup = asyncio.create_task(AsyncPostgresSaver(pool).setup())
                waiting = (
                    "SELECT count(*) FROM pg_stat_activity"
                    " WHERE wait_event_type = 'Lock' AND datname = current_database()"
                )
                while not await _ask(admin, waiting):
                    await asyncio.sleep(0.01)
                await other.commit()
                try:
                    await setup
                    outcome = "ran"
                except psycopg.errors.UniqueViolation as error:
                    outcome = f"UniqueViolation: {str(error).splitlines()[0]}"
                await AsyncPostgresSaver(pool).setup()  # alone, it is repeatable
            await admin.execute(f"DROP SCHEMA {schema} CASCADE")
            return outcome

    outcome = asyncio.run(main())
    assert outcome == (
        "UniqueViolation: duplicate key value violates unique constraint "
        '"pg_type_typname_nsp_index"'
    )


def test_store_queue_holds_one_connection_direct_abatch_more(url):
    from langgraph.store.base import GetOp
    from langgraph.store.postgres.aio import AsyncPostgresStore
    from psycopg.rows import dict_row
    from psycopg_pool import AsyncConnectionPool

    class CountingPool(AsyncConnectionPool):
        out = peak = 0

        async def getconn(self, timeout=None):
            conn = await super().getconn(timeout)
            self.out += 1
            self.peak = max(self.peak, self.out)
            return conn

        async def putconn(self, conn) -> None:
            self.out -= 1
            await super().putconn(conn)

    async def main() -> tuple[int, int]:
        kwargs = {**KWARGS, "row_factory": dict_row}
        async with CountingPool(url, min_size=4, max_size=4, kwargs=kwargs, open=False) as pool:
            await pool.wait()
            store = AsyncPostgresStore(pool)
            await store.setup()
            pool.peak = 0
            ns = ("limits", uuid.uuid4().hex[:8])
            await asyncio.gather(
                *(store.aput(ns, str(i), {"i": i}) for i in range(10)),
                *(store.aget(ns, str(i)) for i in range(10)),
                *(store.asearch(ns) for _ in range(5)),
                *(store.adelete(ns, str(i)) for i in range(10)),
            )
            queued, pool.peak = pool.peak, 0
            await asyncio.gather(*(store.abatch([GetOp(ns, str(i))]) for i in range(10)))
            return queued, pool.peak

    queued, direct = asyncio.run(main())
    assert queued == 1
    assert direct > 1


def _graph(url):
    from langgraph.graph import END, START, MessagesState, StateGraph

    def reply(state: MessagesState) -> dict:
        return {"messages": [("assistant", "re")]}

    builder = StateGraph(MessagesState)
    builder.add_node("reply", reply)
    builder.add_edge(START, "reply")
    builder.add_edge("reply", END)
    return builder


def test_pool_without_check_fails_once_per_dead_connection(url):
    import psycopg
    from langgraph.checkpoint.postgres.aio import AsyncPostgresSaver
    from psycopg.rows import dict_row
    from psycopg_pool import AsyncConnectionPool

    async def main() -> list[str]:
        kwargs = {**KWARGS, "row_factory": dict_row}
        pool = AsyncConnectionPool(url, min_size=3, max_size=3, kwargs=kwargs, open=False)
        admin = await psycopg.AsyncConnection.connect(url, autocommit=True)
        async with admin, pool:
            await pool.wait()
            saver = AsyncPostgresSaver(pool)
            await saver.setup()
            graph = _graph(url).compile(checkpointer=saver)
            await _gone(admin, *await _pids(pool, 3))  # a restart ends all three
            outcomes, threads = [], []
            for _ in range(4):
                config = {"configurable": {"thread_id": f"dead-{uuid.uuid4().hex[:8]}"}}
                threads.append(config["configurable"]["thread_id"])
                try:
                    await graph.ainvoke({"messages": [("user", "hi")]}, config)
                    outcomes.append("ran")
                except psycopg.OperationalError as error:
                    outcomes.append(type(error).__name__)
            for thread_id in threads:
                await saver.adelete_thread(thread_id)
            return outcomes

    assert asyncio.run(main()) == ["AdminShutdown"] * 3 + ["ran"]


def test_check_backs_off_between_dead_connections(url):
    """check= replaces dead connections one by one, 0, 1, 2, 4 s... apart (with jitter)."""
    import psycopg
    from psycopg_pool import AsyncConnectionPool, PoolTimeout

    check = AsyncConnectionPool.check_connection

    async def first_request(dead: int, timeout: float) -> tuple[str, float]:
        pool = AsyncConnectionPool(
            url,
            min_size=dead,
            max_size=dead,
            kwargs=KWARGS,
            check=check,
            timeout=timeout,
            open=False,
        )
        admin = await psycopg.AsyncConnection.connect(url, autocommit=True)
        async with admin, pool:
            await pool.wait()
            await _gone(admin, *await _pids(pool, dead))
            start = time.monotonic()
            try:
                async with pool.connection() as conn:
                    await conn.execute("SELECT 1")
                return "served", time.monotonic() - start
            except PoolTimeout as error:
                return f"PoolTimeout: {error}", time.monotonic() - start

    outcome, waited = asyncio.run(first_request(3, 30))
    assert outcome == "served"
    assert waited >= 0.9 + 1.8  # the second and third dead connection's backoffs, less jitter
    outcome, _ = asyncio.run(first_request(4, 2.5))  # 0 + 1 + 2 s of backoff > 2.5 s
    assert outcome == "PoolTimeout: couldn't get a connection after 2.50 sec"


def test_lock_timeout_never_reaches_the_queue_in_front(url, page):
    """Without `wait`, a task behind a holder of its own process waits past lock_timeout."""
    import psycopg
    from psycopg_pool import AsyncConnectionPool

    async def short(conn) -> None:
        await conn.execute("SET lock_timeout = '100ms'")

    async def main() -> tuple[bool, str]:
        name = f"limits:{uuid.uuid4().hex[:8]}"
        pool = AsyncConnectionPool(
            url, min_size=1, max_size=2, kwargs={"autocommit": True}, configure=short, open=False
        )
        async with pool:
            locks = page["AdvisoryLocks"](pool, wait=3600)
            holding, done = asyncio.Event(), asyncio.Event()

            async def keep_it() -> None:
                async with locks.hold(name):
                    holding.set()
                    await done.wait()

            async def wait_for_it() -> None:
                async with locks.hold(name):
                    pass

            holder = asyncio.create_task(keep_it())
            await holding.wait()
            waiter = asyncio.create_task(wait_for_it())
            _, pending = await asyncio.wait({waiter}, timeout=0.5)  # five lock_timeouts
            still_waiting = waiter in pending
            waiter.cancel()
            with pytest.raises(asyncio.CancelledError):
                await waiter
            other_pool = AsyncConnectionPool(  # another process's lock pool
                url,
                min_size=1,
                max_size=1,
                kwargs={"autocommit": True},
                configure=short,
                open=False,
            )
            async with other_pool:
                try:
                    async with page["AdvisoryLocks"](other_pool).hold(name):
                        in_database = "got it"
                except psycopg.errors.LockNotAvailable as error:
                    in_database = f"LockNotAvailable: {error}"
            done.set()
            await holder
            return still_waiting, in_database

    still_waiting, in_database = asyncio.run(main())
    assert still_waiting
    assert in_database == "LockNotAvailable: canceling statement due to lock timeout"


@pytest.mark.parametrize("ended_by", ["pg_terminate_backend", "idle_session_timeout"])
def test_a_lease_that_ends_under_its_holder(url, page, ended_by):
    """The holder is not told: another session takes the lock, the holder's unlock fails."""
    import psycopg
    from psycopg_pool import AsyncConnectionPool

    async def configure(conn) -> None:
        if ended_by == "idle_session_timeout":
            await conn.execute("SET idle_session_timeout = '100ms'")

    async def main() -> tuple[bool, str]:
        name = f"limits:{uuid.uuid4().hex[:8]}"
        key = runpy.run_path(str(FOLDER / "lock_key.py"))["lock_key"](name)
        pool = AsyncConnectionPool(
            url,
            min_size=1,
            max_size=1,
            kwargs={"autocommit": True},
            configure=configure,
            open=False,
        )
        admin = await psycopg.AsyncConnection.connect(url, autocommit=True)
        async with admin, pool:
            locks = page["AdvisoryLocks"](pool)
            taken = False
            try:
                async with locks.hold(name):  # a run goes on here, under the lock
                    pid = await _ask(
                        admin,
                        "SELECT l.pid FROM pg_locks l JOIN pg_database d ON d.oid = l.database"
                        " WHERE l.locktype = 'advisory' AND l.granted"
                        " AND d.datname = current_database()",
                    )
                    if ended_by == "pg_terminate_backend":
                        await _gone(admin, pid)
                    else:
                        while await _ask(
                            admin, "SELECT count(*) FROM pg_stat_activity WHERE pid = %s", pid
                        ):
                            await asyncio.sleep(0.02)
                    taken = await _ask(admin, "SELECT pg_try_advisory_lock(%s)", key)
                    await admin.execute("SELECT pg_advisory_unlock_all()")
                return taken, "unlocked"
            except psycopg.OperationalError as error:
                return taken, f"{type(error).__name__}: {error}"

    taken, unlock = asyncio.run(main())
    assert taken  # a second writer gets the lock while the first still runs
    expected = {
        "pg_terminate_backend": "AdminShutdown: terminating connection"
        " due to administrator command",
        "idle_session_timeout": "IdleSessionTimeout: terminating connection"
        " due to idle-session timeout",
    }[ended_by]
    assert unlock == expected
