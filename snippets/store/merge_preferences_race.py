# From docs/store.md. Edit the page, then run `make snippets`.
import threading

from langgraph.store.memory import InMemoryStore


class StoreReadsFirst(InMemoryStore):
    """InMemoryStore where two writers both read before either writes."""

    def __init__(self):
        super().__init__()
        self.barrier = threading.Barrier(2)

    def get(self, namespace, key, **kwargs):
        item = super().get(namespace, key, **kwargs)
        self.barrier.wait(timeout=10)
        return item


def update_user_preference(store, user_id, key, new_value):
    namespace = (user_id, "preferences")
    current = store.get(namespace, key)
    merged_value = {**current.value, **new_value} if current else new_value
    store.put(namespace, key, merged_value)


store = StoreReadsFirst()
writers = [
    threading.Thread(target=update_user_preference, args=(store, "alice", "settings", update))
    for update in ({"theme": "dark"}, {"language": "python"})
]
for w in writers:
    w.start()
for w in writers:
    w.join()

kept = InMemoryStore.get(store, ("alice", "preferences"), "settings").value
print(f"preferences written: 2, preferences kept: {len(kept)}")
