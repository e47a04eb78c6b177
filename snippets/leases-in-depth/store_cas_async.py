# From docs/leases-in-depth.md. Edit the page, then run `make snippets`.
import asyncio
import os
import uuid

from advisory_locks import AdvisoryLocks, new_lock_pool
from langgraph.store.postgres.aio import AsyncPostgresStore
from psycopg.rows import dict_row
from psycopg_pool import AsyncConnectionPool

DATABASE_URL = os.environ.get("DATABASE_URL", "postgresql://postgres@127.0.0.1:5432/postgres")
TASKS, STRESS_TASKS, STRESS_EACH = 10, 5, 4


class AsyncStoreCAS:
    """Compare-and-set on AsyncPostgresStore: the check and the write under one lock."""

    def __init__(self, store: AsyncPostgresStore, locks: AdvisoryLocks):
        self.store, self.locks = store, locks

    async def read(self, namespace: tuple, key: str) -> tuple[dict, int]:
        item = await self.store.aget(namespace, key)
        if item is None:
            return {}, 0
        value = dict(item.value)
        return value, value.pop("_version", 0)  # 0: an item a plain aput wrote

    async def compare_and_set(self, namespace, key, value: dict, expected_version: int) -> bool:
        async with self.locks.hold(f"store:{'/'.join(namespace)}/{key}"):
            if (await self.read(namespace, key))[1] != expected_version:
                return False  # someone wrote since we read: the caller re-reads and retries
            await self.store.aput(namespace, key, {**value, "_version": expected_version + 1})
            return True


async def main() -> None:
    kwargs = {"autocommit": True, "prepare_threshold": 0, "row_factory": dict_row}
    pool = AsyncConnectionPool(DATABASE_URL, min_size=1, max_size=2, kwargs=kwargs, open=False)
    lock_pool = new_lock_pool(DATABASE_URL)
    async with pool, lock_pool:
        store = AsyncPostgresStore(pool)
        await store.setup()
        versioned = AsyncStoreCAS(store, AdvisoryLocks(lock_pool))
        namespace = ("counters", uuid.uuid4().hex[:8])  # this run's own; deleted below
        all_read = asyncio.Barrier(TASKS)

        async def naive_increment() -> None:
            value, version = await versioned.read(namespace, "naive")
            await all_read.wait()  # every task has read before any writes
            count = value.get("count", 0) + 1
            await store.aput(namespace, "naive", {"count": count, "_version": version + 1})

        first_tries: list[bool] = []

        async def cas_increment(forced: bool) -> None:
            value, version = await versioned.read(namespace, "cas")
            if forced:
                await all_read.wait()
            first = True
            while not await versioned.compare_and_set(
                namespace, "cas", {"count": value.get("count", 0) + 1}, version
            ):
                if first and forced:
                    first_tries.append(False)
                first = False
                value, version = await versioned.read(namespace, "cas")  # re-read, retry
            if first and forced:
                first_tries.append(True)

        await asyncio.gather(*(naive_increment() for _ in range(TASKS)))
        await asyncio.gather(*(cas_increment(forced=True) for _ in range(TASKS)))
        forced_count = (await versioned.read(namespace, "cas"))[0]["count"]

        async def stress_task() -> None:
            for _ in range(STRESS_EACH):
                await cas_increment(forced=False)

        await asyncio.gather(*(stress_task() for _ in range(STRESS_TASKS)))
        stress = (await versioned.read(namespace, "cas"))[0]["count"] - forced_count
        naive = (await versioned.read(namespace, "naive"))[0]["count"]
        print(f"naive, {TASKS} tasks read together: count {naive}, lost {TASKS - naive}")
        print(
            f"compare-and-set, {TASKS} tasks read together: first tries accepted "
            f"{first_tries.count(True)}, refused {first_tries.count(False)}; "
            f"count {forced_count}, lost {TASKS - forced_count}"
        )
        print(
            f"compare-and-set, {STRESS_TASKS} tasks x {STRESS_EACH} increments running freely: "
            f"count {stress}, lost {STRESS_TASKS * STRESS_EACH - stress}"
        )
        for key in ("naive", "cas"):
            await store.adelete(namespace, key)


asyncio.run(main())
