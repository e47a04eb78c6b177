# From docs/optimistic-concurrency.md. Edit the page, then run `make snippets`.
import threading
from collections import defaultdict

from langgraph.store.memory import InMemoryStore


class ConflictError(Exception):
    pass


class VersionedStore:
    """Optimistic concurrency on a Memory Store: compare-and-set is atomic in this process."""

    def __init__(self, store):
        self.store = store
        self._guard = threading.Lock()
        self._locks: dict[tuple, threading.Lock] = defaultdict(threading.Lock)

    def _lock(self, namespace, key) -> threading.Lock:
        with self._guard:
            return self._locks[(namespace, key)]

    def read(self, namespace, key):
        item = self.store.get(namespace, key)
        return (None, 0) if item is None else (item.value, item.value.get("_version", 0))

    def write(self, namespace, key, value, expected_version):
        """Write only if the version is still expected_version; check and write are atomic."""
        with self._lock(namespace, key):
            _, current_version = self.read(namespace, key)
            if current_version != expected_version:
                raise ConflictError(f"expected {expected_version}, found {current_version}")
            self.store.put(namespace, key, {**value, "_version": current_version + 1})
            return current_version + 1

    def update(self, namespace, key, change):
        """Read, apply change, write; on a conflict re-read and retry. Returns the retries."""
        retries = 0
        while True:
            data, version = self.read(namespace, key)
            try:
                self.write(namespace, key, change(data or {}), version)
                return retries
            except ConflictError:
                retries += 1


store = InMemoryStore()
versioned = VersionedStore(store)
AGENTS, INCREMENTS = 8, 200
start = threading.Barrier(AGENTS)
retries = []


def increment(data: dict) -> dict:
    return {"count": data.get("count", 0) + 1}


def agent() -> None:
    start.wait(timeout=10)
    retries.append(
        sum(versioned.update(("alice", "profile"), "counter", increment) for _ in range(INCREMENTS))
    )


threads = [threading.Thread(target=agent) for _ in range(AGENTS)]
for t in threads:
    t.start()
for t in threads:
    t.join()

final = store.get(("alice", "profile"), "counter").value
print(
    f"increments: {AGENTS * INCREMENTS}, count: {final['count']}, lost: {AGENTS * INCREMENTS - final['count']}"
)
