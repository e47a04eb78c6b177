"""The store page's compare-and-set on every store class, with a key spelled 7, 1 and "1".

VersionedStore is loaded from the page's snippet. Writers on four threads mix the spellings
of one key; the async stores are used through their sync methods from worker threads, as
sync nodes use them. The claims: no increment is lost on any store; on the async stores a
key handed on as given misses the item (the page's reason to spell it str(key)); and
InMemoryStore hands back the stored dict from get and from search (read copies it).
"""

from __future__ import annotations

import asyncio
import contextlib
import runpy
import sys
import threading
from collections.abc import AsyncIterator

import pytest
from langgraph.store.base import BaseStore
from langgraph.store.memory import InMemoryStore

from tools.paths import SNIPPETS
from tools.services import postgres
from tools.services.ci import require

sys.path.insert(0, str(SNIPPETS / "store"))
page = runpy.run_path(str(SNIPPETS / "store" / "versioned_store.py"))
VersionedStore, increment = page["VersionedStore"], page["increment"]
NAMESPACE = ("keys", "counter")
KINDS = ["memory", "sqlite", "postgres", "async-sqlite", "async-postgres"]


class KeyAsGiven(VersionedStore):
    def item_key(self, key):
        return key


@pytest.fixture(scope="module")
def postgres_url():
    problem = postgres.postgres_problem()
    if problem:
        require(f"tests/test_versioned_store_keys.py needs PostgreSQL. {problem}", "database")
    with postgres.fresh_database() as url:
        yield url


@contextlib.asynccontextmanager
async def open_store(kind: str, request) -> AsyncIterator[BaseStore]:
    url = request.getfixturevalue("postgres_url") if "postgres" in kind else None
    async with contextlib.AsyncExitStack() as stack:
        if kind == "memory":
            store: BaseStore = InMemoryStore()
        elif kind == "sqlite":
            from langgraph.store.sqlite import SqliteStore

            store = stack.enter_context(SqliteStore.from_conn_string(":memory:"))
        elif kind == "postgres":
            from langgraph.store.postgres import PostgresStore

            store = stack.enter_context(PostgresStore.from_conn_string(url))
        elif kind == "async-sqlite":
            from langgraph.store.sqlite.aio import AsyncSqliteStore

            store = await stack.enter_async_context(AsyncSqliteStore.from_conn_string(":memory:"))
        else:
            from langgraph.store.postgres.aio import AsyncPostgresStore

            store = await stack.enter_async_context(AsyncPostgresStore.from_conn_string(url))
        if kind in ("sqlite", "postgres"):
            store.setup()
        elif kind.startswith("async"):
            await store.setup()
        yield store


def hammer(cls, store: BaseStore, spellings: list, threads: int = 4, rounds: int = 25) -> int:
    """Each thread increments the one item `rounds` times, through its own wrapper."""
    start = threading.Barrier(threads)

    def writer(key) -> None:
        wrapper = cls(store)
        start.wait(timeout=10)
        for _ in range(rounds):
            wrapper.update(NAMESPACE, key, increment)

    workers = [
        threading.Thread(target=writer, args=(spellings[i % len(spellings)],))
        for i in range(threads)
    ]
    for w in workers:
        w.start()
    for w in workers:
        w.join()
    item = store.get(NAMESPACE, str(spellings[0]))
    store.delete(NAMESPACE, str(spellings[0]))
    return item.value["count"]


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("spellings", [[7], [1, "1"]], ids=["int", "int-and-str"])
def test_no_increment_lost(kind: str, spellings: list, request) -> None:
    async def run() -> int:
        async with open_store(kind, request) as store:
            return await asyncio.to_thread(hammer, VersionedStore, store, spellings)

    assert asyncio.run(run()) == 100


@pytest.mark.parametrize("kind", ["async-sqlite", "async-postgres"])
def test_async_stores_take_the_key_as_given(kind: str, request) -> None:
    async def run() -> tuple:
        async with open_store(kind, request) as store:
            await store.aput(NAMESPACE, "1", {"count": 5})
            missed = await store.aget(NAMESPACE, 1)
            await store.adelete(NAMESPACE, "1")
            lost = await asyncio.to_thread(hammer, KeyAsGiven, store, [7], 1, 3)
            return missed, lost

    missed, count = asyncio.run(run())
    assert missed is None
    assert count == 1  # three increments, two lost: every write is version 1


@pytest.mark.parametrize("read", ["get", "search"])
def test_in_memory_store_hands_back_the_stored_dict(read: str) -> None:
    """Why `read` copies: an edit of what get or search returned edits the store."""
    store = InMemoryStore()
    store.put(NAMESPACE, "counter", {"count": 0, "_version": 0})
    got = store.get(NAMESPACE, "counter") if read == "get" else store.search(NAMESPACE)[0]
    got.value["count"] = 99
    assert store.get(NAMESPACE, "counter").value["count"] == 99
    data, _ = VersionedStore(store).read(NAMESPACE, "counter")
    data["count"] = 0
    assert store.get(NAMESPACE, "counter").value["count"] == 99


@pytest.mark.parametrize("kind", [k for k in KINDS if k != "sqlite"])  # no async methods
@pytest.mark.parametrize("spellings", [[7], [1, "1"]], ids=["int", "int-and-str"])
def test_the_async_compare_and_set_loses_no_increment(kind: str, spellings: list, request) -> None:
    """leases-in-depth.md's AsyncVersionedStore: tasks of one loop mixing the spellings."""
    leases = runpy.run_path(str(SNIPPETS / "leases-in-depth" / "versioned_store_async.py"))
    AsyncVersionedStore = leases["AsyncVersionedStore"]

    async def run() -> int:
        async with open_store(kind, request) as store:

            async def writer(key) -> None:
                wrapper = AsyncVersionedStore(store)
                for _ in range(25):
                    await wrapper.update(NAMESPACE, key, increment)

            await asyncio.gather(*(writer(spellings[i % len(spellings)]) for i in range(4)))
            item = await store.aget(NAMESPACE, str(spellings[0]))
            await store.adelete(NAMESPACE, str(spellings[0]))
            return item.value["count"]

    assert asyncio.run(run()) == 100
