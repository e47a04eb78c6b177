"""The scoped store on the store page refuses every namespace outside its scope.

The class is loaded from the page's snippet file, so these tests test what the page shows.
Every BaseStore operation is run, sync, async and batched with each op type, on
InMemoryStore, SqliteStore, AsyncSqliteStore, PostgresStore and AsyncPostgresStore. The
PostgreSQL tests get a scratch database; without a server they are skipped with a message,
and fail under CI=true.
"""

from __future__ import annotations

import asyncio
import contextlib
import runpy
from collections.abc import AsyncIterator, Iterator

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from langgraph.store.base import (
    BaseStore,
    GetOp,
    InvalidNamespaceError,
    Item,
    ListNamespacesOp,
    MatchCondition,
    PutOp,
    SearchOp,
)
from langgraph.store.memory import InMemoryStore

from tools.paths import SNIPPETS
from tools.services import postgres
from tools.services.ci import require

page = runpy.run_path(str(SNIPPETS / "store" / "scoped_store.py"))  # not as __main__
ScopedStore = page["ScopedStore"]
NamespaceScopeError = page["NamespaceScopeError"]

SCOPE = ("users", "alice")
# Users whose IDs start like alice's or carry SQL LIKE/GLOB metacharacters, a namespace that
# ends with "alice", one that contains the scope further in, and items at the scope itself.
SEED: dict[tuple[str, ...], list[str]] = {
    ("users",): ["index"],
    ("users", "alice"): ["profile"],
    ("users", "alice", "notes"): ["a", "b", "c"],
    ("users", "alice", "notes", "deep"): ["d"],
    ("users", "alice", "prefs"): ["theme"],
    ("users", "alice2", "notes"): ["x"],
    ("users", "al"): ["x"],
    ("users", "al", "notes"): ["x"],
    ("users", "al_ce", "notes"): ["x"],
    ("users", "al%", "notes"): ["x"],
    ("users", "al?ce", "notes"): ["x"],
    ("users", "al[i]ce", "notes"): ["x"],
    ("users", "bob", "notes"): ["a", "pin"],
    ("users", "bob", "alice"): ["x"],
    ("other", "users", "alice"): ["x"],
}
SCOPES = [
    SCOPE,
    ("users", "al"),
    ("users", "al_ce"),
    ("users", "al%"),
    ("users", "al?ce"),
    ("users", "al[i]ce"),
    ("users", "bob"),
    ("other",),
    ("users", "nobody"),
]
# Namespaces outside SCOPE: other users, ancestors of the scope, wildcards in its positions.
HOSTILE = [
    ("users", "bob", "notes"),
    ("users", "bob"),
    ("users",),
    ("users", "alice2", "notes"),
    ("users", "al"),
    ("users", "al_ce", "notes"),
    ("users", "*"),
    ("users", "*", "notes"),
    ("*", "alice"),
    ("other", "users", "alice"),
    ("alice",),
]


def seed_ops() -> list[PutOp]:
    return [
        PutOp(namespace, key, {"key": key, "n": n})
        for n, (namespace, keys) in enumerate(SEED.items())
        for key in keys
    ]


def inside(namespace: tuple[str, ...], scope: tuple[str, ...]) -> bool:
    return tuple(namespace[: len(scope)]) == scope


def rows(items: list[Item]) -> list[tuple]:
    return [(tuple(item.namespace), item.key, item.value) for item in items]


def snapshot(store: BaseStore) -> list[tuple]:
    return sorted(rows(store.search((), limit=10_000)))


async def asnapshot(store: BaseStore) -> list[tuple]:
    return sorted(rows(await store.asearch((), limit=10_000)))


# --- the stores ------------------------------------------------------------------------


@pytest.fixture(scope="module")
def postgres_url() -> Iterator[str]:
    problem = postgres.postgres_problem()
    if problem:
        require(f"tests/test_scoped_store.py needs PostgreSQL. {problem}", "database")
    from langgraph.store.postgres import PostgresStore

    with postgres.fresh_database() as url:
        with PostgresStore.from_conn_string(url) as store:
            store.setup()
        yield url


def clear_postgres(url: str) -> None:
    import psycopg

    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("DELETE FROM store")


@pytest.fixture(params=["memory", "sqlite", "postgres"])
def raw(request) -> Iterator[BaseStore]:
    """A seeded store of each kind, sync."""
    if request.param == "memory":
        store = InMemoryStore()
        store.batch(seed_ops())
        yield store
    elif request.param == "sqlite":
        from langgraph.store.sqlite import SqliteStore

        with SqliteStore.from_conn_string(":memory:") as store:
            store.setup()
            store.batch(seed_ops())
            yield store
    else:
        from langgraph.store.postgres import PostgresStore

        url = request.getfixturevalue("postgres_url")
        clear_postgres(url)
        with PostgresStore.from_conn_string(url) as store:
            store.batch(seed_ops())
            yield store


ASYNC_KINDS = ["memory", "async-sqlite", "postgres", "async-postgres"]


@pytest.fixture(params=ASYNC_KINDS)
def async_kind(request) -> tuple[str, str | None]:
    if "postgres" in request.param:
        url = request.getfixturevalue("postgres_url")
        clear_postgres(url)
        return request.param, url
    return request.param, None


@contextlib.asynccontextmanager
async def open_async(kind: tuple[str, str | None]) -> AsyncIterator[BaseStore]:
    """A seeded store of each kind, used through its async methods."""
    name, url = kind
    async with contextlib.AsyncExitStack() as stack:
        if name == "memory":
            store: BaseStore = InMemoryStore()
        elif name == "async-sqlite":
            from langgraph.store.sqlite.aio import AsyncSqliteStore

            store = await stack.enter_async_context(AsyncSqliteStore.from_conn_string(":memory:"))
            await store.setup()
        elif name == "postgres":  # the sync store's abatch runs batch in a worker thread
            from langgraph.store.postgres import PostgresStore

            store = stack.enter_context(PostgresStore.from_conn_string(url))
        else:
            from langgraph.store.postgres.aio import AsyncPostgresStore

            store = await stack.enter_async_context(AsyncPostgresStore.from_conn_string(url))
        await store.abatch(seed_ops())
        yield store


# --- the operations, each with a namespace to aim at ------------------------------------

SYNC_OPS = {
    "get": lambda s, ns: s.get(ns, "a"),
    "put": lambda s, ns: s.put(ns, "a", {"written": True}),
    "delete": lambda s, ns: s.delete(ns, "a"),
    "search": lambda s, ns: s.search(ns),
    "search with filter": lambda s, ns: s.search(ns, filter={"key": "a"}, limit=1000),
    "list_namespaces prefix": lambda s, ns: s.list_namespaces(prefix=ns),
    "list_namespaces prefix+suffix": lambda s, ns: s.list_namespaces(prefix=ns, suffix=("notes",)),
    "batch GetOp": lambda s, ns: s.batch([GetOp(ns, "a")]),
    "batch PutOp": lambda s, ns: s.batch([PutOp(ns, "a", {"written": True})]),
    "batch PutOp delete": lambda s, ns: s.batch([PutOp(ns, "a", None)]),
    "batch SearchOp": lambda s, ns: s.batch([SearchOp(ns, limit=1000)]),
    "batch ListNamespacesOp": lambda s, ns: s.batch(
        [ListNamespacesOp(match_conditions=(MatchCondition("prefix", ns),))]
    ),
}

ASYNC_OPS = {
    "aget": lambda s, ns: s.aget(ns, "a"),
    "aput": lambda s, ns: s.aput(ns, "a", {"written": True}),
    "adelete": lambda s, ns: s.adelete(ns, "a"),
    "asearch": lambda s, ns: s.asearch(ns),
    "alist_namespaces prefix": lambda s, ns: s.alist_namespaces(prefix=ns),
    "abatch GetOp": lambda s, ns: s.abatch([GetOp(ns, "a")]),
    "abatch PutOp": lambda s, ns: s.abatch([PutOp(ns, "a", {"written": True})]),
    "abatch PutOp delete": lambda s, ns: s.abatch([PutOp(ns, "a", None)]),
    "abatch SearchOp": lambda s, ns: s.abatch([SearchOp(ns, limit=1000)]),
    "abatch ListNamespacesOp": lambda s, ns: s.abatch(
        [ListNamespacesOp(match_conditions=(MatchCondition("prefix", ns),))]
    ),
}


# --- the scope itself ------------------------------------------------------------------


@pytest.mark.parametrize(
    "scope", [(), ("users", "*"), ("*",), ("users", "a.b"), ("users", ""), ("users", 5)]
)
def test_a_scope_that_could_match_more_than_itself_is_refused(scope):
    with pytest.raises(ValueError, match="a scope needs labels"):
        ScopedStore(InMemoryStore(), scope)


# --- every operation is checked --------------------------------------------------------


class Recorder(BaseStore):
    """Records every batch it is given, and answers from an InMemoryStore."""

    def __init__(self) -> None:
        self.inner = InMemoryStore()
        self.inner.batch(seed_ops())
        self.calls: list[list] = []

    def batch(self, ops):
        ops = list(ops)
        self.calls.append(ops)
        return self.inner.batch(ops)

    async def abatch(self, ops):
        ops = list(ops)
        self.calls.append(ops)
        return await self.inner.abatch(ops)


CONVENIENCE = {
    "get": (GetOp, lambda s: s.get((*SCOPE, "notes"), "a")),
    "put": (PutOp, lambda s: s.put((*SCOPE, "notes"), "z", {"n": 1})),
    "delete": (PutOp, lambda s: s.delete((*SCOPE, "notes"), "a")),
    "search": (SearchOp, lambda s: s.search(SCOPE)),
    "list_namespaces": (ListNamespacesOp, lambda s: s.list_namespaces()),
    "aget": (GetOp, lambda s: asyncio.run(s.aget((*SCOPE, "notes"), "a"))),
    "aput": (PutOp, lambda s: asyncio.run(s.aput((*SCOPE, "notes"), "z", {"n": 1}))),
    "adelete": (PutOp, lambda s: asyncio.run(s.adelete((*SCOPE, "notes"), "a"))),
    "asearch": (SearchOp, lambda s: asyncio.run(s.asearch(SCOPE))),
    "alist_namespaces": (ListNamespacesOp, lambda s: asyncio.run(s.alist_namespaces())),
}


@pytest.mark.parametrize("name", CONVENIENCE)
def test_each_convenience_method_goes_through_batch(name):
    """BaseStore's get/put/delete/search/list_namespaces (and a-variants) call (a)batch,
    and ScopedStore does not override them: checking (a)batch checks them all."""
    assert name not in vars(ScopedStore), f"ScopedStore overrides {name}: check it separately"
    assert getattr(ScopedStore, name) is getattr(BaseStore, name)
    op_type, call = CONVENIENCE[name]
    recorder = Recorder()
    call(ScopedStore(recorder, SCOPE))
    assert [[type(op) for op in ops] for ops in recorder.calls] == [[op_type]]
    op = recorder.calls[0][0]
    if isinstance(op, ListNamespacesOp):
        assert MatchCondition("prefix", SCOPE) in op.match_conditions
    else:
        assert inside(op.namespace if not isinstance(op, SearchOp) else op.namespace_prefix, SCOPE)


@pytest.mark.parametrize("name", SYNC_OPS)
def test_every_sync_operation_refuses_outside_the_scope(raw, name):
    before = snapshot(raw)
    scoped = ScopedStore(raw, SCOPE)
    for namespace in HOSTILE:
        with pytest.raises(NamespaceScopeError, match="outside this store's scope"):
            SYNC_OPS[name](scoped, namespace)
    assert snapshot(raw) == before


@pytest.mark.parametrize("name", ASYNC_OPS)
def test_every_async_operation_refuses_outside_the_scope(async_kind, name):
    async def main():
        async with open_async(async_kind) as raw:
            before = await asnapshot(raw)
            scoped = ScopedStore(raw, SCOPE)
            for namespace in HOSTILE:
                with pytest.raises(NamespaceScopeError, match="outside this store's scope"):
                    await ASYNC_OPS[name](scoped, namespace)
            assert await asnapshot(raw) == before

    asyncio.run(main())


@pytest.mark.parametrize("name", ["get", "put", "delete"])
def test_the_empty_namespace_is_refused_for_items(name):
    recorder = Recorder()
    with pytest.raises((NamespaceScopeError, InvalidNamespaceError)):
        SYNC_OPS[name](ScopedStore(recorder, SCOPE), ())
    assert recorder.calls == []


def test_nothing_refused_reaches_the_wrapped_store():
    recorder = Recorder()
    scoped = ScopedStore(recorder, SCOPE)
    for call in SYNC_OPS.values():
        for namespace in HOSTILE:
            with pytest.raises(NamespaceScopeError):
                call(scoped, namespace)
    assert recorder.calls == []


def test_one_operation_outside_refuses_the_whole_batch(raw):
    before = snapshot(raw)
    scoped = ScopedStore(raw, SCOPE)
    for hostile in (
        GetOp(("users", "bob", "notes"), "pin"),
        PutOp(("users", "bob", "notes"), "pin", None),
        SearchOp(("users",)),
        ListNamespacesOp(match_conditions=(MatchCondition("prefix", ("users", "*")),)),
    ):
        with pytest.raises(NamespaceScopeError):
            scoped.batch([PutOp((*SCOPE, "notes"), "new", {"n": 1}), hostile])
    assert snapshot(raw) == before


def test_one_operation_outside_refuses_the_whole_async_batch(async_kind):
    async def main():
        async with open_async(async_kind) as raw:
            before = await asnapshot(raw)
            with pytest.raises(NamespaceScopeError):
                await ScopedStore(raw, SCOPE).abatch(
                    [PutOp((*SCOPE, "notes"), "new", {"n": 1}), GetOp(("users", "bob"), "a")]
                )
            assert await asnapshot(raw) == before

    asyncio.run(main())


def test_an_unknown_operation_is_refused():
    recorder = Recorder()
    with pytest.raises(NamespaceScopeError, match="not an operation this store knows"):
        ScopedStore(recorder, SCOPE).batch([("users", "bob")])
    assert recorder.calls == []


@pytest.mark.parametrize("max_depth", [0, 1])
def test_max_depth_above_the_scope_is_refused(max_depth):
    recorder = Recorder()
    with pytest.raises(NamespaceScopeError, match="above the scope"):
        ScopedStore(recorder, SCOPE).list_namespaces(max_depth=max_depth)
    assert recorder.calls == []


# --- inside the scope, it is the wrapped store -----------------------------------------


def test_sync_operations_inside_the_scope_do_what_the_store_does(raw):
    scoped = ScopedStore(raw, SCOPE)
    notes = (*SCOPE, "notes")
    assert scoped.get(notes, "a") == raw.get(notes, "a")
    assert scoped.get(SCOPE, "profile") == raw.get(SCOPE, "profile")
    assert scoped.batch([GetOp(notes, "b"), GetOp(notes, "missing")]) == [raw.get(notes, "b"), None]
    scoped.put(notes, "new", {"n": 99})
    assert raw.get(notes, "new").value == {"n": 99}
    scoped.delete(notes, "new")
    assert raw.get(notes, "new") is None
    scoped.batch([PutOp(notes, "batched", {"n": 1}), PutOp(notes, "c", None)])
    assert raw.get(notes, "batched").value == {"n": 1} and raw.get(notes, "c") is None
    scoped.batch([PutOp(notes, "batched", None), PutOp(notes, "c", {"key": "c", "n": 2})])
    for prefix in [SCOPE, notes, (*notes, "deep")]:
        assert rows(scoped.search(prefix, limit=1000)) == rows(raw.search(prefix, limit=1000))
    assert rows(scoped.search((), limit=1000)) == rows(raw.search(SCOPE, limit=1000))
    assert rows(scoped.search((), limit=2, offset=1)) == rows(raw.search(SCOPE, limit=2, offset=1))
    assert rows(scoped.search((), filter={"key": "a"})) == rows(
        raw.search(SCOPE, filter={"key": "a"})
    )


LIST_ARGS = [
    {},
    {"prefix": (*SCOPE, "notes")},
    {"prefix": (*SCOPE, "*")},
    {"prefix": (*SCOPE, "*", "deep")},
    {"suffix": ("notes",)},
    {"suffix": ("alice",)},
    {"suffix": ("*",)},
    {"suffix": ("bob", "notes")},
    {"max_depth": 2},
    {"max_depth": 3},
    {"limit": 1},
    {"limit": 2, "offset": 1},
    {"offset": 10},
    {"prefix": (*SCOPE, "notes"), "suffix": ("deep",), "max_depth": 4},
]


@pytest.mark.parametrize("kwargs", LIST_ARGS, ids=str)
def test_list_namespaces_inside_the_scope(raw, kwargs):
    scoped = ScopedStore(raw, SCOPE)
    listed = scoped.list_namespaces(**kwargs)
    assert listed == raw.list_namespaces(**{"prefix": SCOPE, **kwargs})
    assert all(inside(namespace, SCOPE) for namespace in listed)
    assert (
        listed
        == scoped.batch(
            [
                ListNamespacesOp(
                    match_conditions=tuple(
                        MatchCondition(kind, kwargs[kind])
                        for kind in ("prefix", "suffix")
                        if kind in kwargs
                    ),
                    max_depth=kwargs.get("max_depth"),
                    limit=kwargs.get("limit", 100),
                    offset=kwargs.get("offset", 0),
                )
            ]
        )[0]
    )


def test_a_suffix_that_matches_other_users_finds_only_the_scope(raw):
    """("users", "bob", "alice") ends with "alice"; the scoped listing does not show it."""
    assert ("users", "bob", "alice") in raw.list_namespaces(suffix=("alice",))
    assert ScopedStore(raw, SCOPE).list_namespaces(suffix=("alice",)) == [SCOPE]


def test_list_namespaces_pages_add_up(raw):
    scoped = ScopedStore(raw, SCOPE)
    whole = scoped.list_namespaces(limit=1000)
    pages = [scoped.list_namespaces(limit=1, offset=offset) for offset in range(len(whole) + 1)]
    assert [namespace for page in pages for namespace in page] == whole
    assert pages[-1] == []


@pytest.mark.parametrize("scope", SCOPES, ids=str)
def test_search_and_listing_show_exactly_the_scope(raw, scope):
    """Scopes that share a beginning with other IDs, or carry LIKE/GLOB metacharacters."""
    scoped = ScopedStore(raw, scope)
    expected_items = {(ns, key) for ns, keys in SEED.items() if inside(ns, scope) for key in keys}
    found = {(tuple(item.namespace), item.key) for item in scoped.search((), limit=1000)}
    assert found == expected_items
    expected_namespaces = sorted(ns for ns in SEED if inside(ns, scope))
    assert sorted(scoped.list_namespaces(limit=1000)) == expected_namespaces
    if len(scope) > 1:
        with pytest.raises(NamespaceScopeError):
            scoped.search(scope[:-1])


def test_async_operations_inside_the_scope_do_what_the_store_does(async_kind):
    async def main():
        async with open_async(async_kind) as raw:
            scoped = ScopedStore(raw, SCOPE)
            notes = (*SCOPE, "notes")
            assert await scoped.aget(notes, "a") == await raw.aget(notes, "a")
            await scoped.aput(notes, "new", {"n": 99})
            assert (await raw.aget(notes, "new")).value == {"n": 99}
            await scoped.adelete(notes, "new")
            assert await raw.aget(notes, "new") is None
            got, _, searched, listed = await scoped.abatch(
                [
                    GetOp(notes, "b"),
                    PutOp(notes, "batched", {"n": 1}),
                    SearchOp((), limit=1000),
                    ListNamespacesOp(limit=1000),
                ]
            )
            assert got == await raw.aget(notes, "b")
            assert {(tuple(i.namespace), i.key) for i in searched} == {
                (ns, key) for ns, keys in SEED.items() if inside(ns, SCOPE) for key in keys
            }
            assert sorted(listed) == sorted(ns for ns in SEED if inside(ns, SCOPE))
            await scoped.abatch([PutOp(notes, "batched", None)])
            assert await raw.aget(notes, "batched") is None
            assert rows(await scoped.asearch((), limit=1000)) == rows(
                await raw.asearch(SCOPE, limit=1000)
            )
            for kwargs in LIST_ARGS:
                assert await scoped.alist_namespaces(**kwargs) == await raw.alist_namespaces(
                    **{"prefix": SCOPE, **kwargs}
                )

    asyncio.run(main())


# --- a wrapped store that misbehaves ---------------------------------------------------


class Leaky(Recorder):
    """Returns bob's items whatever it is asked: a store with a prefix-matching bug."""

    def batch(self, ops):
        super().batch(ops)
        bob = self.inner.get(("users", "bob", "notes"), "pin")
        return [
            [bob]
            if isinstance(op, SearchOp)
            else [("users", "bob")]
            if isinstance(op, ListNamespacesOp)
            else bob
            if isinstance(op, GetOp)
            else None
            for op in ops
        ]


@pytest.mark.parametrize(
    "call",
    [
        lambda s: s.get((*SCOPE, "notes"), "a"),
        lambda s: s.search(SCOPE),
        lambda s: s.list_namespaces(),
    ],
)
def test_a_result_outside_the_scope_is_refused(call):
    with pytest.raises(NamespaceScopeError, match="out of scope"):
        call(ScopedStore(Leaky(), SCOPE))


# --- generated namespaces, against a reference model -----------------------------------

labels = st.sampled_from(["users", "alice", "bob", "notes", "al", "*"])
namespaces = st.lists(labels, min_size=0, max_size=4).map(tuple)


def matches(namespace, path, suffix=False):
    if len(namespace) < len(path):
        return False
    pairs = (
        zip(reversed(namespace), reversed(path), strict=False)
        if suffix
        else zip(namespace, path, strict=False)
    )
    return all(p == "*" or n == p for n, p in pairs)


@settings(max_examples=300, deadline=None)
@given(
    stored=st.lists(namespaces.filter(bool), max_size=12),
    prefix=namespaces,
    suffix=namespaces,
    max_depth=st.one_of(st.none(), st.integers(0, 5)),
    limit=st.integers(1, 6),
    offset=st.integers(0, 6),
)
def test_generated_listings(stored, prefix, suffix, max_depth, limit, offset):
    """Whatever is stored and asked: a refusal, or exactly the scope's part of the answer."""
    store = InMemoryStore()
    for namespace in stored:
        store.batch([PutOp(namespace, "k", {"n": 1})])  # batch: "*" and "langgraph" allowed
    scoped = ScopedStore(store, SCOPE)
    kwargs = {
        "prefix": prefix,
        "suffix": suffix,
        "max_depth": max_depth,
        "limit": limit,
        "offset": offset,
    }
    refused = (prefix and not inside(prefix, SCOPE)) or (
        max_depth is not None and max_depth < len(SCOPE)
    )
    if refused:
        with pytest.raises(NamespaceScopeError):
            scoped.list_namespaces(**kwargs)
        return
    chosen = [
        ns
        for ns in set(stored)
        if inside(ns, SCOPE) and matches(ns, prefix) and (not suffix or matches(ns, suffix, True))
    ]
    if max_depth is not None:
        chosen = list({ns[:max_depth] for ns in chosen})
    assert scoped.list_namespaces(**kwargs) == sorted(chosen)[offset : offset + limit]


@settings(max_examples=300, deadline=None)
@given(namespace=namespaces, stored=st.lists(namespaces.filter(bool), max_size=12))
def test_generated_searches(namespace, stored):
    store = InMemoryStore()
    for ns in stored:
        store.batch([PutOp(ns, "k", {"n": 1})])
    scoped = ScopedStore(store, SCOPE)
    if namespace and not inside(namespace, SCOPE):
        with pytest.raises(NamespaceScopeError):
            scoped.search(namespace)
        return
    prefix = namespace or SCOPE
    expected = sorted({ns for ns in stored if tuple(ns[: len(prefix)]) == prefix})
    assert sorted(tuple(i.namespace) for i in scoped.search(namespace, limit=1000)) == expected
