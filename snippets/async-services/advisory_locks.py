# From docs/async-services.md. Edit the page, then run `make snippets`.
import asyncio
from contextlib import asynccontextmanager

from lock_key import lock_key
from psycopg_pool import AsyncConnectionPool


async def bounded_wait(conn) -> None:
    """Configure hook: a database wait ends in LockNotAvailable after 10 s."""
    await conn.execute("SET lock_timeout = '10s'")


async def drop_leftover_locks(conn) -> None:
    """Reset hook: no lock rides along to the connection's next user."""
    await conn.execute("SELECT pg_advisory_unlock_all()")


def new_lock_pool(url: str, max_size: int = 2) -> AsyncConnectionPool:
    """A pool for locks only: runs never borrow from it, so waiters cannot starve them."""
    return AsyncConnectionPool(
        url,
        min_size=1,
        max_size=max_size,
        kwargs={"autocommit": True},
        configure=bounded_wait,
        reset=drop_leftover_locks,
        open=False,
    )


class AdvisoryLocks:
    """A lock per name, across the tasks of this event loop and across processes.

    Tasks queue on an asyncio.Lock first (bounded by `wait`), so at most one connection
    per name waits in the database.
    """

    def __init__(self, lock_pool: AsyncConnectionPool, wait: float = 10.0):
        self.pool, self.wait = lock_pool, wait
        self._local: dict[str, tuple[asyncio.Lock, int]] = {}

    @asynccontextmanager
    async def hold(self, name: str):
        lock, users = self._local.get(name, (asyncio.Lock(), 0))
        self._local[name] = (lock, users + 1)
        try:
            async with asyncio.timeout(self.wait):  # behind a holder of this process
                await lock.acquire()
            try:
                async with self.pool.connection() as conn:
                    await conn.execute("SELECT pg_advisory_lock(%s)", (lock_key(name),))
                    try:
                        yield
                    finally:  # on the connection that took it, before it goes back
                        await conn.execute("SELECT pg_advisory_unlock(%s)", (lock_key(name),))
            finally:
                lock.release()
        finally:
            lock, users = self._local.pop(name)
            if users > 1:
                self._local[name] = (lock, users - 1)
