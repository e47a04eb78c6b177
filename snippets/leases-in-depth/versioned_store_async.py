# From docs/leases-in-depth.md. Edit the page, then run `make snippets`.
import asyncio
import copy
import threading
import weakref

from langgraph.store.memory import InMemoryStore
from versioned_store import ConflictError, increment


class AsyncVersionedStore:
    """Compare-and-set through the store's async API (aget/aput).

    The check and the write are separated by an await, so the lock is held across it:
    an asyncio.Lock (a threading.Lock held there would block the whole event loop). An
    asyncio.Lock serves one event loop, so the locks belong to a store object and a loop.
    It covers the coroutines of one event loop; not other loops, threads or processes.
    """

    STRIPES = 64
    _locks_of = weakref.WeakKeyDictionary()  # store -> {event loop -> stripes}
    _guard = threading.Lock()

    def __init__(self, store):
        self.store = store

    def lock_for(self, namespace, key) -> asyncio.Lock:
        loop = asyncio.get_running_loop()
        with self._guard:
            per_loop = self._locks_of.setdefault(self.store, weakref.WeakKeyDictionary())
            stripes = per_loop.get(loop)
            if stripes is None:
                stripes = per_loop[loop] = [asyncio.Lock() for _ in range(self.STRIPES)]
        return stripes[hash((tuple(namespace), str(key))) % self.STRIPES]  # 1 and "1": one item

    async def read(self, namespace, key):
        # str(key): the async SQL stores take an int key as given, and miss the item "7"
        item = await self.store.aget(namespace, str(key))
        if item is None:
            return None, 0
        return copy.deepcopy(item.value), item.value.get("_version", 0)  # a copy to change

    async def write(self, namespace, key, value, expected_version):
        async with self.lock_for(namespace, key):
            _, current_version = await self.read(namespace, key)
            if current_version != expected_version:
                raise ConflictError(f"expected {expected_version}, found {current_version}")
            new = {**value, "_version": current_version + 1}
            await self.store.aput(namespace, str(key), new)
            return current_version + 1

    async def update(self, namespace, key, change):
        retries = 0
        while True:
            data, version = await self.read(namespace, key)
            try:
                await self.write(namespace, key, change(data or {}), version)
                return retries
            except ConflictError:
                retries += 1


class RemoteLikeStore(InMemoryStore):
    """InMemoryStore whose async calls give way to the event loop, as a network call does."""

    async def abatch(self, ops):
        await asyncio.sleep(0)
        return await super().abatch(ops)


KEY = (("alice", "profile"), "counter")
TASKS, INCREMENTS = 8, 50


async def naive(store) -> None:
    for _ in range(INCREMENTS):
        item = await store.aget(*KEY)
        await store.aput(*KEY, increment(item.value if item else {}))


async def main() -> None:
    store = RemoteLikeStore()
    await asyncio.gather(*(naive(store) for _ in range(TASKS)))
    count = (await store.aget(*KEY)).value["count"]
    print(f"read, then write, {TASKS} tasks: count {count} of {TASKS * INCREMENTS}")

    store = RemoteLikeStore()
    versioned = [AsyncVersionedStore(store), AsyncVersionedStore(store)]

    async def agent(i: int) -> None:
        for _ in range(INCREMENTS):
            await versioned[i % 2].update(*KEY, increment)

    await asyncio.gather(*(agent(i) for i in range(TASKS)))
    count = (await store.aget(*KEY)).value["count"]
    print(f"AsyncVersionedStore, {TASKS} tasks: count {count} of {TASKS * INCREMENTS}")


asyncio.run(main())
