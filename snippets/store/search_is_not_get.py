# From docs/store.md. Edit the page, then run `make snippets`.
from langgraph.store.memory import InMemoryStore

store = InMemoryStore()
for i in range(12):
    store.put(("alice", "preferences"), f"pref_{i:02}", {"n": i})
store.put(("alice", "preferences", "archived"), "pref_00", {"n": "old"})

found = {item.key for item in store.search(("alice", "preferences"))}
print(f"items in the namespace: 12, items search returned: {len(found)}")
print(f"pref_11 found by search: {'pref_11' in found}")
print(f"pref_11 found by get: {store.get(('alice', 'preferences'), 'pref_11') is not None}")

matches = [
    item.namespace
    for item in store.search(("alice", "preferences"), limit=100)
    if item.key == "pref_00"
]
print(f"items called pref_00 that search returns: {matches}")
