# From docs/store.md. Edit the page, then run `make snippets`.
import threading

from langgraph.store.memory import InMemoryStore


class ConflictError(Exception):
    pass


class VersionedStore:
    def __init__(self, store):
        self.store = store

    def read(self, namespace, key):
        item = self.store.get(namespace, key)
        return (None, 0) if item is None else (item.value, item.value.get("_version", 0))

    def write(self, namespace, key, value, expected_version):
        _, current_version = self.read(namespace, key)
        if current_version != expected_version:
            raise ConflictError(f"expected {expected_version}, found {current_version}")
        self.store.put(namespace, key, {**value, "_version": current_version + 1})
        return current_version + 1


class BothCheckFirst(InMemoryStore):
    """InMemoryStore where two writers both finish their check before either puts."""

    def __init__(self):
        super().__init__()
        self.barrier = threading.Barrier(2)

    def put(self, *args, **kwargs):
        self.barrier.wait(timeout=10)
        return super().put(*args, **kwargs)


store = BothCheckFirst()
versioned = VersionedStore(store)
outcomes = []


def agent(name: str) -> None:
    data, version = versioned.read(("alice", "profile"), "counter")
    count = (data or {}).get("count", 0)
    try:
        new_version = versioned.write(
            ("alice", "profile"), "counter", {"count": count + 1}, version
        )
        outcomes.append(f"wrote version {new_version}")
    except ConflictError:
        outcomes.append("conflict")


agents = [threading.Thread(target=agent, args=(name,)) for name in ("research", "analysis")]
for a in agents:
    a.start()
for a in agents:
    a.join()

final = InMemoryStore.get(store, ("alice", "profile"), "counter").value
print(f"outcomes: {sorted(outcomes)}")
print(f"increments: 2, count: {final['count']}, version: {final['_version']}")
