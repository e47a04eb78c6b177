# From docs/async-services.md. Edit the page, then run `make snippets`.
import asyncio
import os
import uuid

import psycopg
from advisory_locks import AdvisoryLocks, drop_leftover_locks
from psycopg_pool import AsyncConnectionPool

DATABASE_URL = os.environ.get("DATABASE_URL", "postgresql://postgres@127.0.0.1:5432/postgres")


async def short_wait(conn) -> None:
    await conn.execute("SET lock_timeout = '200ms'")  # bounded_wait's 10 s, shortened


def short_lock_pool() -> AsyncConnectionPool:
    kwargs = {"autocommit": True}
    return AsyncConnectionPool(
        DATABASE_URL,
        min_size=1,
        max_size=2,
        kwargs=kwargs,
        configure=short_wait,
        reset=drop_leftover_locks,
        open=False,
    )


async def try_lock(locks: AdvisoryLocks, name: str) -> str:
    try:
        async with locks.hold(name):
            return "got it"
    except (TimeoutError, psycopg.errors.LockNotAvailable) as error:
        return f"{type(error).__name__}{': ' if str(error) else ''}{error}"


async def main() -> None:
    name = f"langgraph-thread:alice-{uuid.uuid4().hex[:8]}"
    async with short_lock_pool() as pool, short_lock_pool() as other_pool:
        here = AdvisoryLocks(pool, wait=0.2)
        elsewhere = AdvisoryLocks(other_pool, wait=0.2)  # another worker process's
        holding, done = asyncio.Event(), asyncio.Event()

        async def keep_it() -> None:
            async with here.hold(name):
                holding.set()
                await done.wait()  # until every waiter has given up

        task = asyncio.create_task(keep_it())
        await holding.wait()
        waits = await asyncio.gather(
            try_lock(here, name), try_lock(here, name), try_lock(elsewhere, name)
        )
        done.set()
        await task
    print("while the holder keeps the lock:")
    print(f"  two more tasks of its process, in the asyncio.Lock queue: {waits[0]}, {waits[1]}")
    print(f"  a task of another process, in pg_advisory_lock: {waits[2]}")


asyncio.run(main())
