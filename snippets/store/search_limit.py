# From docs/store.md. Edit the page, then run `make snippets`.
from langgraph.store.base import BaseStore
from langgraph.store.memory import InMemoryStore


def search_all(store: BaseStore, namespace_prefix: tuple[str, ...]) -> list:
    """Every item under the prefix: ask for more until a search comes back short."""
    limit = 100
    while True:
        items = store.search(namespace_prefix, limit=limit)
        if len(items) < limit:
            return items
        limit *= 2


def list_all_namespaces(store: BaseStore, prefix: tuple[str, ...]) -> list:
    limit = 100
    while True:
        namespaces = store.list_namespaces(prefix=prefix, limit=limit)
        if len(namespaces) < limit:
            return namespaces
        limit *= 2


store = InMemoryStore()
for i in range(250):
    store.put(("users", "alice", "notes", f"topic-{i:03d}"), "note", {"n": i})
print("search:", len(store.search(("users", "alice"))))
print("search_all:", len(search_all(store, ("users", "alice"))))
print("list_namespaces:", len(store.list_namespaces(prefix=("users", "alice"))))
print("list_all_namespaces:", len(list_all_namespaces(store, ("users", "alice"))))
