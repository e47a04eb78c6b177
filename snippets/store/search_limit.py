# From docs/store.md. Edit the page, then run `make snippets`.
from langgraph.store.memory import InMemoryStore
from search_all import list_all_namespaces, search_all

store = InMemoryStore()
for i in range(250):
    store.put(("users", "alice", "notes", f"topic-{i:03d}"), "note", {"n": i})
print("search:", len(store.search(("users", "alice"))))
print("search_all:", len(search_all(store, ("users", "alice"))))
print("list_namespaces:", len(store.list_namespaces(prefix=("users", "alice"))))
print("list_all_namespaces:", len(list_all_namespaces(store, ("users", "alice"))))
