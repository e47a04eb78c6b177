# From docs/store.md. Edit the page, then run `make snippets`.
import os

from langgraph.store.base import BaseStore, PutOp
from langgraph.store.postgres import PostgresStore
from search_all import search_all

DATABASE_URL = os.environ.get("DATABASE_URL", "postgresql://postgres@127.0.0.1:5432/postgres")
NAMESPACE = ("users", "alice", "imported")


def search_by_offset(store: BaseStore, namespace_prefix: tuple[str, ...]) -> list:
    """The usual loop: pages of 10, offset += 10, until a short page."""
    items, offset = [], 0
    while True:
        page = store.search(namespace_prefix, limit=10, offset=offset)
        items += page
        if len(page) < 10:
            return items
        offset += 10


with PostgresStore.from_conn_string(DATABASE_URL) as store:
    store.setup()
    store.batch([PutOp(NAMESPACE, f"note-{i:03d}", {"n": i}) for i in range(100)])
    try:
        everything = search_all(store, NAMESPACE)
        print("distinct updated_at values:", len({item.updated_at for item in everything}))
        for name, items in [
            ("by offset", search_by_offset(store, NAMESPACE)),
            ("search_all", everything),
        ]:
            keys = [item.key for item in items]
            print(f"{name}: {len(keys)} items returned, every item once: {len(set(keys)) == 100}")
    finally:
        store.batch([PutOp(NAMESPACE, f"note-{i:03d}", None) for i in range(100)])
