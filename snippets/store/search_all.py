# From docs/store.md. Edit the page, then run `make snippets`.
from langgraph.store.base import BaseStore


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
