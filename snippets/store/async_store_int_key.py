# From docs/store.md. Edit the page, then run `make snippets`.
import asyncio

from langgraph.store.sqlite.aio import AsyncSqliteStore
from versioned_store import VersionedStore, increment

NAMESPACE = ("alice", "profile")


class KeyAsGiven(VersionedStore):
    """Broken: hands the key to the store as the caller spelled it."""

    def item_key(self, key):
        return key


def three_increments(wrapper: VersionedStore) -> None:  # sync code, on a worker thread
    for _ in range(3):
        wrapper.update(NAMESPACE, 7, increment)


async def main() -> None:
    async with AsyncSqliteStore.from_conn_string(":memory:") as store:
        await store.setup()
        await store.aput(NAMESPACE, "1", {"count": 5})
        print("aget(namespace, '1'):", (await store.aget(NAMESPACE, "1")).value)
        print("aget(namespace, 1):", await store.aget(NAMESPACE, 1))
        for cls in (KeyAsGiven, VersionedStore):
            await asyncio.to_thread(three_increments, cls(store))
            count = (await store.aget(NAMESPACE, "7")).value["count"]
            print(f"{cls.__name__}, key 7: increments 3, count {count}, lost {3 - count}")
            await store.adelete(NAMESPACE, "7")


asyncio.run(main())
