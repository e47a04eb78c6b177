# From docs/store.md. Edit the page, then run `make snippets`.
from collections.abc import Iterable

from langgraph.store.base import (
    BaseStore,
    GetOp,
    Item,
    ListNamespacesOp,
    MatchCondition,
    Op,
    PutOp,
    Result,
    SearchOp,
)


class NamespaceScopeError(PermissionError):
    """A store operation asked for a namespace outside the store's scope."""


class ScopedStore(BaseStore):
    """`store`, narrowed to the namespaces that start with `scope`, such as ("users", "alice").

    Namespaces stay whole: callers pass ("users", "alice", "notes") and get it back. An empty
    search prefix, or no list_namespaces prefix, means the whole scope. Anything else outside
    the scope refuses the whole batch before any of it runs.
    """

    def __init__(self, store: BaseStore, scope: tuple[str, ...]) -> None:
        if not scope or not all(
            isinstance(label, str) and label and label != "*" and "." not in label
            for label in scope
        ):
            raise ValueError(f"a scope needs labels that are not empty, '*' or dotted: {scope!r}")
        self.store, self.scope = store, tuple(scope)
        self.supports_ttl, self.ttl_config = store.supports_ttl, store.ttl_config

    def inside(self, namespace: tuple[str, ...]) -> bool:
        return tuple(namespace[: len(self.scope)]) == self.scope

    def _require(self, namespace: tuple[str, ...]) -> None:
        if not self.inside(namespace):
            raise NamespaceScopeError(
                f"namespace {tuple(namespace)!r} is outside this store's scope {self.scope!r}"
            )

    def _narrow(self, op: Op) -> Op:
        if isinstance(op, (GetOp, PutOp)):  # a PutOp with value=None is a delete
            self._require(op.namespace)
            return op
        if isinstance(op, SearchOp):
            if not op.namespace_prefix:
                return op._replace(namespace_prefix=self.scope)
            self._require(op.namespace_prefix)
            return op
        if isinstance(op, ListNamespacesOp):
            if op.max_depth is not None and op.max_depth < len(self.scope):
                raise NamespaceScopeError(
                    f"max_depth={op.max_depth} would list namespaces above the scope {self.scope!r}"
                )
            conditions = [
                c for c in op.match_conditions or () if c.path or c.match_type != "prefix"
            ]
            prefixes = [c.path for c in conditions if c.match_type == "prefix"]
            for path in prefixes:
                self._require(path)
            if not prefixes:
                conditions.append(MatchCondition(match_type="prefix", path=self.scope))
            return op._replace(match_conditions=tuple(conditions))
        raise NamespaceScopeError(f"{type(op).__name__} is not an operation this store knows")

    def _checked(self, results: list[Result]) -> list[Result]:
        """Refuse a result outside the scope too, in case the wrapped store has a bug."""
        for result in results:
            for entry in result if isinstance(result, list) else [result]:
                namespace = entry.namespace if isinstance(entry, Item) else entry
                if namespace is not None and not self.inside(namespace):
                    raise NamespaceScopeError(f"the store returned {namespace!r}, out of scope")
        return results

    def batch(self, ops: Iterable[Op]) -> list[Result]:
        narrowed = [self._narrow(op) for op in ops]  # every op checked before any runs
        return self._checked(self.store.batch(narrowed))

    async def abatch(self, ops: Iterable[Op]) -> list[Result]:
        narrowed = [self._narrow(op) for op in ops]
        return self._checked(await self.store.abatch(narrowed))


if __name__ == "__main__":
    from dataclasses import dataclass
    from typing import TypedDict

    from langgraph.graph import END, START, StateGraph
    from langgraph.runtime import Runtime
    from langgraph.store.memory import InMemoryStore

    @dataclass(frozen=True)
    class Login:
        user_id: str  # filled by the application from its authentication

    class NotesState(TypedDict):
        namespace: tuple[str, ...]  # chosen by the model's tool call: untrusted
        notes: list[str]

    def memory(runtime: Runtime[Login]) -> ScopedStore:
        """The one way nodes reach the store: narrowed to the authenticated user."""
        return ScopedStore(runtime.store, ("users", runtime.context.user_id))

    def read_notes(state: NotesState, runtime: Runtime[Login]) -> dict:
        items = memory(runtime).search(tuple(state["namespace"]))
        return {"notes": [item.value["text"] for item in items]}

    builder = StateGraph(NotesState, context_schema=Login)
    builder.add_node("read_notes", read_notes)
    builder.add_edge(START, "read_notes")
    builder.add_edge("read_notes", END)
    store = InMemoryStore()
    store.put(("users", "alice", "notes"), "tea", {"text": "alice likes green tea"})
    store.put(("users", "bob", "notes"), "pin", {"text": "bob's door code is 4711"})
    graph = builder.compile(store=store)

    alice = Login(user_id="alice")  # the logged-in user
    own = graph.invoke({"namespace": ("users", "alice", "notes"), "notes": []}, context=alice)
    print("alice's own notes:", own["notes"])
    try:  # a prompt-injected tool call asks for bob's notes
        graph.invoke({"namespace": ("users", "bob", "notes"), "notes": []}, context=alice)
    except NamespaceScopeError as error:
        print(f"refused: {error}")
    print("the unscoped store hands them over:", store.search(("users", "bob"))[0].value)

    scoped = ScopedStore(store, ("users", "alice"))
    print("alice's namespaces:", scoped.list_namespaces())
    for attempt in (
        lambda: scoped.search(("users",)),
        lambda: scoped.list_namespaces(prefix=("users", "*")),
        lambda: scoped.batch(
            [
                PutOp(("users", "alice", "notes"), "new", {"text": "never written"}),
                PutOp(("users", "bob", "notes"), "pin", None),  # a delete
            ]
        ),
    ):
        try:
            attempt()
        except NamespaceScopeError as error:
            print(f"refused: {error}")
    print("alice's notes after the refused batch:", [i.key for i in scoped.search(())])
    print("bob's note is still there:", store.get(("users", "bob", "notes"), "pin") is not None)
