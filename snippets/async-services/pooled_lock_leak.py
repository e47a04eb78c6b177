# From docs/async-services.md. Edit the page, then run `make snippets`.
import asyncio
import os

import psycopg
from lock_key import lock_key
from psycopg_pool import AsyncConnectionPool

DATABASE_URL = os.environ.get("DATABASE_URL", "postgresql://postgres@127.0.0.1:5432/postgres")


KEY = lock_key("langgraph-thread:alice")


async def ask(conn, sql: str, *args):
    return (await (await conn.execute(sql, args)).fetchone())[0]


async def holds(conn) -> bool:
    """Does this connection's session hold an advisory lock?"""
    sql = "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND pid = pg_backend_pid()"
    return await ask(conn, sql) > 0


async def free_for_others(other) -> bool:
    """Could another session take the lock now? (Takes it and gives it back.)"""
    if await ask(other, "SELECT pg_try_advisory_lock(%s)", KEY):
        await other.execute("SELECT pg_advisory_unlock(%s)", (KEY,))
        return True
    return False


async def failing_request(pool) -> None:
    """Takes the thread's lock, then fails before its unlock (no finally, or a cancellation)."""
    try:
        async with pool.connection() as conn:
            await conn.execute("SELECT pg_advisory_lock(%s)", (KEY,))
            raise ValueError("the run failed")
    except ValueError:
        pass  # the connection is back in the pool, its session still holding the lock


async def unlock_all(conn) -> None:
    await conn.execute("SELECT pg_advisory_unlock_all()")


def pool_of_one(reset=None) -> AsyncConnectionPool:
    kwargs = {"autocommit": True}
    return AsyncConnectionPool(
        DATABASE_URL, min_size=1, max_size=1, kwargs=kwargs, reset=reset, open=False
    )


async def main() -> None:
    other = await psycopg.AsyncConnection.connect(DATABASE_URL, autocommit=True)
    async with other:  # another session: another process, or another connection of the pool
        async with pool_of_one() as pool:
            await failing_request(pool)
            print("a session lock left on a pooled connection:")
            unlocked = await ask(other, "SELECT pg_advisory_unlock(%s)", KEY)
            print(f"  pg_advisory_unlock from another session: {unlocked}")
            async with pool.connection() as conn:  # the next request gets that connection
                print(f"  the next borrower holds it: {await holds(conn)}")
                again = await ask(conn, "SELECT pg_try_advisory_lock(%s)", KEY)
                print(f"  the next borrower takes it again at once: {again}")
                print(f"  another session can take it: {await free_for_others(other)}")
                await conn.execute("SELECT pg_advisory_unlock_all()")  # clean up this part

        async with pool_of_one(reset=unlock_all) as pool:
            await failing_request(pool)
            print("the same, on a pool with reset=pg_advisory_unlock_all():")
            async with pool.connection() as conn:  # handed out only after the reset hook ran
                print(f"  the next borrower holds it: {await holds(conn)}")
                print(f"  another session can take it: {await free_for_others(other)}")

            async with pool.connection() as conn:
                await conn.execute("SELECT pg_advisory_xact_lock(%s)", (KEY,))  # autocommit
                print(f"pg_advisory_xact_lock in autocommit, after it: held {await holds(conn)}")
                try:
                    async with conn.transaction():  # the lock lasts as long as this block
                        await conn.execute("SELECT pg_advisory_xact_lock(%s)", (KEY,))
                        print(f"pg_advisory_xact_lock in a transaction: held {await holds(conn)}")
                        raise ValueError("the run failed")
                except ValueError:
                    print(f"  after the block ended with an error: held {await holds(conn)}")


asyncio.run(main())
