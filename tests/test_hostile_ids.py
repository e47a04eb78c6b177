"""Long and unusual thread IDs, store namespaces and keys, on every checkpointer and store
the site uses, and what the site's helpers (the thread-ID builder, the scoped store,
lock_key) make of them.

Each test writes every value, reads it back and compares the outcome with the table
below: "ok" (the value comes back as sent, nothing else changed), "one with '1'" (two
values land on one thread or item), or the error raised, as printed. The PostgreSQL
backends get a scratch database; without a server they are skipped with a message, and
fail under CI=true.
"""

from __future__ import annotations

import asyncio
import contextlib
import random
import runpy
import string
import types
from collections.abc import AsyncIterator, Iterator

import pytest
from langgraph.checkpoint.memory import InMemorySaver
from langgraph.graph import END, START, MessagesState, StateGraph
from langgraph.store.memory import InMemoryStore

from tools.paths import SNIPPETS
from tools.services import postgres
from tools.services.ci import require

builder = runpy.run_path(str(SNIPPETS / "thread-isolation" / "thread_ids.py"))
thread_id, thread_id_parts = builder["thread_id"], builder["thread_id_parts"]
ScopedStore = runpy.run_path(str(SNIPPETS / "store" / "scoped_store.py"))["ScopedStore"]
lock_key = runpy.run_path(str(SNIPPETS / "across-processes" / "lock_key.py"))["lock_key"]

INCOMPRESSIBLE = "".join(random.Random(7).choices(string.ascii_letters + string.digits, k=10_000))
VALUES: dict[str, str | int] = {
    "10k same": "x" * 10_000,
    "10k random": INCOMPRESSIBLE,
    "NUL": "a\x00b",
    "surrogate": "\ud800",
    "colon": "a:b",
    "pipe": "a|b",
    "dot": "a.b",
    "emoji": "\U0001f99c",
    "spaces": " \t ",
    "a": "a",
    "trailing space": "a ",
    "NFC \u00e9": "\u00e9",
    "NFD e\u0301": "e\u0301",
    "empty": "",
    "int 1": 1,
    'str "1"': "1",
}

OK = "ok"
INT_SEES_STR, STR_SEES_INT = "one with 'str \"1\"'", "one with 'int 1'"
SURROGATE = (
    "UnicodeEncodeError: 'utf-8' codec can't encode character '\\ud800' in position {}: "
    "surrogates not allowed"
)
NUL_PG = "DataError: PostgreSQL text fields cannot contain NUL (0x00) bytes"
LABEL = "InvalidNamespaceError: "
NOT_FOUND = "put, then not found"


def index_row(size: int) -> str:
    return f"ProgramLimitExceeded: index row requires {size} bytes, maximum size is 8191"


def outcome(error: BaseException) -> str:
    return f"{type(error).__name__}: {str(error).splitlines()[0]}"


# --- the backends ----------------------------------------------------------------------

SAVERS = ["InMemorySaver", "SqliteSaver", "AsyncSqliteSaver", "PostgresSaver", "AsyncPostgresSaver"]
STORES = ["InMemoryStore", "SqliteStore", "AsyncSqliteStore", "PostgresStore", "AsyncPostgresStore"]


@pytest.fixture(scope="module")
def database() -> Iterator[str]:
    problem = postgres.postgres_problem()
    if problem:
        require(f"tests/test_hostile_ids.py needs PostgreSQL. {problem}", "database")
    from langgraph.checkpoint.postgres import PostgresSaver
    from langgraph.store.postgres import PostgresStore

    with postgres.scratch_database() as url:
        with PostgresSaver.from_conn_string(url) as saver, PostgresStore.from_conn_string(url) as s:
            saver.setup()
            s.setup()
        yield url


def url_for(request, kind: str) -> str | None:
    return request.getfixturevalue("database") if "Postgres" in kind else None


@contextlib.asynccontextmanager
async def open_backend(kind: str, url: str | None) -> AsyncIterator:
    """A fresh, empty saver or store of each kind (PostgreSQL: emptied first)."""
    if url:
        import psycopg

        async with await psycopg.AsyncConnection.connect(url, autocommit=True) as conn:
            for table in ("checkpoints", "checkpoint_blobs", "checkpoint_writes", "store"):
                await conn.execute(f"DELETE FROM {table}")
    if kind == "InMemorySaver":
        yield InMemorySaver()
    elif kind == "InMemoryStore":
        yield InMemoryStore()
    elif kind in ("SqliteSaver", "SqliteStore"):
        from langgraph.checkpoint.sqlite import SqliteSaver
        from langgraph.store.sqlite import SqliteStore

        cls = SqliteSaver if kind == "SqliteSaver" else SqliteStore
        with cls.from_conn_string(":memory:") as backend:
            backend.setup()
            yield backend
    elif kind in ("AsyncSqliteSaver", "AsyncSqliteStore"):
        from langgraph.checkpoint.sqlite.aio import AsyncSqliteSaver
        from langgraph.store.sqlite.aio import AsyncSqliteStore

        cls = AsyncSqliteSaver if kind == "AsyncSqliteSaver" else AsyncSqliteStore
        async with cls.from_conn_string(":memory:") as backend:
            await backend.setup()
            yield backend
    elif kind in ("PostgresSaver", "PostgresStore"):
        from langgraph.checkpoint.postgres import PostgresSaver
        from langgraph.store.postgres import PostgresStore

        cls = PostgresSaver if kind == "PostgresSaver" else PostgresStore
        with cls.from_conn_string(url) as backend:
            yield backend
    else:
        from langgraph.checkpoint.postgres.aio import AsyncPostgresSaver
        from langgraph.store.postgres.aio import AsyncPostgresStore

        cls = AsyncPostgresSaver if kind == "AsyncPostgresSaver" else AsyncPostgresStore
        async with cls.from_conn_string(url) as backend:
            yield backend


# --- thread IDs on every checkpointer ----------------------------------------------------


def echo(state: MessagesState) -> dict:
    return {"messages": [("assistant", "ok")]}


graph_builder = StateGraph(MessagesState)
graph_builder.add_node("echo", echo)
graph_builder.add_edge(START, "echo")
graph_builder.add_edge("echo", END)


async def thread_outcomes(kind: str, url: str | None, ids: dict[str, object]) -> dict[str, str]:
    """Run the graph once on each thread ID, then read every thread back."""
    results: dict[str, str] = {}
    async with open_backend(kind, url) as saver:
        graph = graph_builder.compile(checkpointer=saver)
        sync = not kind.startswith("Async")
        for label, value in ids.items():
            config = {"configurable": {"thread_id": value}}
            try:
                if sync:
                    graph.invoke({"messages": [("user", label)]}, config, durability="sync")
                else:
                    await graph.ainvoke({"messages": [("user", label)]}, config, durability="sync")
            except Exception as error:
                results[label] = outcome(error)
        for label, value in ids.items():
            if label in results:
                continue
            config = {"configurable": {"thread_id": value}}
            state = graph.get_state(config) if sync else await graph.aget_state(config)
            said = [m.content for m in state.values["messages"] if m.type == "human"]
            assert state.config["configurable"]["thread_id"] == str(value)
            others = [other for other in said if other != label]
            results[label] = OK if said == [label] else f"one with {others[0]!r}"
    return results


RAW_THREAD_IDS = {
    "InMemorySaver": {"int 1": INT_SEES_STR, 'str "1"': STR_SEES_INT},
    "SqliteSaver": {
        "surrogate": SURROGATE.format(0),
        "int 1": INT_SEES_STR,
        'str "1"': STR_SEES_INT,
    },
    "PostgresSaver": {
        "10k random": index_row(10080),
        "NUL": NUL_PG,
        "surrogate": SURROGATE.format(0),
        "int 1": INT_SEES_STR,
        'str "1"': STR_SEES_INT,
    },
}
RAW_THREAD_IDS["AsyncSqliteSaver"] = RAW_THREAD_IDS["SqliteSaver"]
RAW_THREAD_IDS["AsyncPostgresSaver"] = RAW_THREAD_IDS["PostgresSaver"]


@pytest.mark.parametrize("kind", SAVERS)
def test_raw_thread_ids(request, kind):
    """1 and "1" are one thread everywhere; the SQL savers refuse what they cannot store."""
    got = asyncio.run(thread_outcomes(kind, url_for(request, kind), VALUES))
    assert got == {label: RAW_THREAD_IDS[kind].get(label, OK) for label in VALUES}


def built(value: str | int) -> str | BaseException:
    try:
        return thread_id("user", value)
    except (TypeError, ValueError) as error:
        return error


BUILT = {label: built(value) for label, value in VALUES.items()}
BUILT_REFUSED = {
    "10k same": "ValueError: a thread ID may hold at most 1000 characters, not 10005",
    "10k random": "ValueError: a thread ID may hold at most 1000 characters, not 10005",
    "int 1": "TypeError: thread ID parts must be str, not int: 1",
}


def test_the_builder_refuses_before_any_backend():
    refused = {label: outcome(e) for label, e in BUILT.items() if isinstance(e, BaseException)}
    assert refused == BUILT_REFUSED
    for label, value in VALUES.items():
        if label not in refused:
            assert thread_id_parts(BUILT[label]) == ("user", value)
            assert BUILT[label].isascii() and BUILT[label].isprintable()
    assert (BUILT["NUL"], BUILT["surrogate"]) == ("user:a%00b", "user:%ED%A0%80")


@pytest.mark.parametrize("kind", SAVERS)
def test_built_thread_ids_work_on_every_checkpointer(request, kind):
    ids = {label: v for label, v in BUILT.items() if not isinstance(v, BaseException)}
    got = asyncio.run(thread_outcomes(kind, url_for(request, kind), ids))
    assert got == dict.fromkeys(ids, OK)


# --- store namespaces and keys on every store -------------------------------------------


async def store_outcomes(kind: str, url: str | None, scoped: bool) -> dict[str, tuple[str, str]]:
    """Put each value as a namespace label and as a key, then read both back."""
    results: dict[str, list[str]] = {label: ["", ""] for label in VALUES}
    async with open_backend(kind, url) as raw:
        store = ScopedStore(raw, ("users", "alice")) if scoped else raw
        sync = not kind.startswith("Async")

        for label, value in VALUES.items():
            for where, (namespace, key) in enumerate(
                [(("users", "alice", value), "k"), (("users", "alice"), value)]
            ):
                try:
                    if sync:
                        store.put(namespace, key, {"label": label})
                    else:
                        await store.aput(namespace, key, {"label": label})
                except Exception as error:
                    results[label][where] = outcome(error)
        for label, value in VALUES.items():
            for where, (namespace, key) in enumerate(
                [(("users", "alice", value), "k"), (("users", "alice"), value)]
            ):
                if results[label][where]:
                    continue
                item = store.get(namespace, key) if sync else await store.aget(namespace, key)
                if item is None:
                    results[label][where] = NOT_FOUND
                    continue
                assert item.namespace == namespace and item.key == str(key)
                results[label][where] = (
                    OK if item.value == {"label": label} else f"one with {item.value['label']!r}"
                )
    return {label: tuple(pair) for label, pair in results.items()}


def label_error(label: str, shown: str, value: str) -> str:
    namespace = ("users", "alice", value)
    return f"{LABEL}Invalid namespace label '{shown}' found in {namespace}. {label}"


NOT_DOT = label_error("Namespace labels cannot contain periods ('.').", "a.b", "a.b")
NOT_NUL = label_error("Namespace labels cannot contain NUL bytes ('\\x00').", "a\x00b", "a\x00b")
NOT_EMPTY = f"{LABEL}Namespace labels cannot be empty strings. Got  in ('users', 'alice', '')"
NOT_INT = (
    f"{LABEL}Invalid namespace label '1' found in ('users', 'alice', 1). "
    "Namespace labels must be strings, but got int."
)
# (as a namespace label, as a key)
RAW_STORE = {
    "InMemoryStore": {
        "NUL": (NOT_NUL, OK),
        "dot": (NOT_DOT, OK),
        "empty": (NOT_EMPTY, OK),
        "int 1": (NOT_INT, INT_SEES_STR),
        'str "1"': (OK, OK),
    },
    "SqliteStore": {
        "NUL": (NOT_NUL, OK),
        "surrogate": (SURROGATE.format(12), SURROGATE.format(0)),
        "dot": (NOT_DOT, OK),
        "empty": (NOT_EMPTY, OK),
        "int 1": (NOT_INT, INT_SEES_STR),
        'str "1"': (OK, OK),
    },
    "PostgresStore": {
        "10k random": (index_row(10032), index_row(10024)),
        "NUL": (NOT_NUL, NUL_PG),
        "surrogate": (SURROGATE.format(12), SURROGATE.format(0)),
        "dot": (NOT_DOT, OK),
        "empty": (NOT_EMPTY, OK),
        "int 1": (NOT_INT, INT_SEES_STR),
        'str "1"': (OK, OK),
    },
}
# The async SQL stores' aput and aget pass an int key on unchanged (BaseStore's put and get,
# which the scoped store uses, make it str): aput stores 1 as "1", aget(..., 1) finds nothing.
ASYNC_INT_KEY = {"int 1": (NOT_INT, NOT_FOUND)}
RAW_STORE["AsyncSqliteStore"] = RAW_STORE["SqliteStore"] | ASYNC_INT_KEY
RAW_STORE["AsyncPostgresStore"] = RAW_STORE["PostgresStore"] | ASYNC_INT_KEY


@pytest.mark.parametrize("scoped", [False, True], ids=["raw", "scoped"])
@pytest.mark.parametrize("kind", STORES)
def test_store_labels_and_keys(request, kind, scoped):
    """Through the scoped store, whose aput and aget are BaseStore's, the sync rows hold."""
    got = asyncio.run(store_outcomes(kind, url_for(request, kind), scoped))
    expected = RAW_STORE[kind.removeprefix("Async") if scoped else kind]
    assert got == {label: expected.get(label, (OK, OK)) for label in VALUES}


# --- lock_key ---------------------------------------------------------------------------


def test_lock_key_on_hostile_names():
    keys, refused = {}, {}
    for label, value in VALUES.items():
        try:
            keys[label] = lock_key(value)
        except Exception as error:
            refused[label] = outcome(error)
    assert refused == {
        "surrogate": SURROGATE.format(0),
        "int 1": "AttributeError: 'int' object has no attribute 'encode'",
    }
    assert len(set(keys.values())) == len(keys)  # no two names share a key
    assert all(-(2**63) <= key < 2**63 for key in keys.values())


# --- when the refusal comes ---------------------------------------------------------------


# The refused row is a checkpoint blob's key: the thread ID, the channel's name and its
# version, which PostgresSaver ends with random.random() printed in at least 16 characters.
# With "sync" the first blob written is the input's, __start__: 3,080 bytes for every version.
# With "exit" it is the messages channel's: 3,080 bytes, or 3,072 when the random number
# prints in 16 characters (0.5, or about 1 run in 140). The tail is pinned for "exit".
SIXTEEN, EIGHTEEN = 0.5, 0.8444218515250481  # f"{x:016}": 16 and 18 characters


@pytest.mark.parametrize(
    "durability, tail, ran, size",
    [("sync", None, 0, 3080), ("exit", EIGHTEEN, 1, 3080), ("exit", SIXTEEN, 1, 3072)],
)
def test_a_thread_id_too_long_for_the_index_fails_after_the_node_ran(
    database, monkeypatch, durability, tail, ran, size
):
    """PostgreSQL reads a long ID without complaint and refuses it only when the checkpoint is
    written: with durability="exit" (and, depending on timing, "async", the default) the node
    has already run, so its side effects happened and nothing of the run was saved."""
    from langgraph.checkpoint.postgres import PostgresSaver, base

    if tail is not None:
        monkeypatch.setattr(base, "random", types.SimpleNamespace(random=lambda: tail))

    effects = []

    def effect(state: MessagesState) -> dict:
        effects.append("charged")
        return {}

    one = StateGraph(MessagesState)
    one.add_node("effect", effect)
    one.add_edge(START, "effect")
    one.add_edge("effect", END)
    config = {"configurable": {"thread_id": INCOMPRESSIBLE[:3000]}}
    with PostgresSaver.from_conn_string(database) as saver:
        graph = one.compile(checkpointer=saver)
        with pytest.raises(Exception) as error:
            graph.invoke({"messages": [("user", "pay")]}, config, durability=durability)
        assert outcome(error.value) == (
            f"ProgramLimitExceeded: index row size {size} exceeds btree version 4 maximum 2704 "
            'for index "checkpoint_blobs_pkey"'
        )
        assert len(effects) == ran
        assert graph.get_state(config).values == {}
        shorter = {"configurable": {"thread_id": INCOMPRESSIBLE[:2500]}}
        graph.invoke({"messages": [("user", "pay")]}, shorter, durability=durability)
        assert [m.content for m in graph.get_state(shorter).values["messages"]] == ["pay"]
        saver.delete_thread(INCOMPRESSIBLE[:2500])


@pytest.mark.parametrize("kind", STORES)
def test_keys_built_with_the_thread_id_builder_work_on_every_store(request, kind):
    """thread_id(key) is ASCII without NUL and at most 1,000 characters: every store keeps it."""
    keys = {
        label: thread_id(v) for label, v in VALUES.items() if isinstance(v, str) and len(v) < 999
    }

    async def main():
        async with open_backend(kind, url_for(request, kind)) as store:
            sync = not kind.startswith("Async")
            for label, key in keys.items():
                if sync:
                    store.put(("users", "alice"), key, {"label": label})
                else:
                    await store.aput(("users", "alice"), key, {"label": label})
            for label, key in keys.items():
                if sync:
                    item = store.get(("users", "alice"), key)
                else:
                    item = await store.aget(("users", "alice"), key)
                assert (item.key, item.value) == (key, {"label": label})

    asyncio.run(main())


def test_in_memory_batch_skips_the_label_check_even_through_the_scoped_store():
    """InMemoryStore.batch takes labels its put refuses; an int label then breaks listings."""
    from langgraph.store.base import PutOp

    scoped = ScopedStore(InMemoryStore(), ("users", "alice"))
    scoped.batch([PutOp(("users", "alice", "a.b"), "k", {"n": 1})])
    scoped.batch([PutOp(("users", "alice", 1), "k", {"n": 2})])
    assert [item.value for item in scoped.search(("users", "alice"))] == [{"n": 1}, {"n": 2}]
    with pytest.raises(TypeError, match="'<' not supported between instances of 'int' and 'str'"):
        scoped.list_namespaces()
