# From docs/store.md. Edit the page, then run `make snippets`.
import copy
import threading
import weakref

from langgraph.store.memory import InMemoryStore


class ConflictError(Exception):
    pass


class VersionedStore:
    """Optimistic concurrency on a Memory Store.

    write() is an atomic compare-and-set for every caller in this process that writes
    through a VersionedStore over the same store object, from any thread: the locks
    belong to the store object, not to the wrapper. It covers no other process, and no
    code that calls store.put directly.
    """

    STRIPES = 64  # a fixed number of locks, however many keys
    _locks_of = weakref.WeakKeyDictionary()  # store object -> its stripes
    _locks_of_guard = threading.Lock()

    def __init__(self, store):
        self.store = store
        with self._locks_of_guard:
            self._stripes = self._locks_of.setdefault(
                store, tuple(threading.Lock() for _ in range(self.STRIPES))
            )

    def lock_for(self, namespace, key) -> threading.Lock:
        """The stripe for the item as the store names it: 1 and "1" are one item."""
        return self._stripes[hash((tuple(namespace), str(key))) % self.STRIPES]

    def read(self, namespace, key):
        """The value (a copy: change() may edit it) and its version."""
        item = self.store.get(namespace, key)
        if item is None:
            return None, 0
        return copy.deepcopy(item.value), item.value.get("_version", 0)

    def write(self, namespace, key, value, expected_version):
        """Write only if the version is still expected_version; check and write are atomic."""
        with self.lock_for(namespace, key):
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
wrappers = [VersionedStore(store), VersionedStore(store)]  # e.g. one per module
AGENTS, INCREMENTS = 8, 200
start = threading.Barrier(AGENTS)


def increment(data: dict) -> dict:
    return {"count": data.get("count", 0) + 1}


def agent(versioned: VersionedStore) -> None:
    start.wait(timeout=10)
    for _ in range(INCREMENTS):
        versioned.update(("alice", "profile"), "counter", increment)


threads = [threading.Thread(target=agent, args=(wrappers[i % 2],)) for i in range(AGENTS)]
for t in threads:
    t.start()
for t in threads:
    t.join()

final = store.get(("alice", "profile"), "counter").value
total = AGENTS * INCREMENTS
print(f"{AGENTS} threads, 2 wrappers over one store: {total} increments, count {final['count']}")
print(f"lost: {total - final['count']}")

a, b = wrappers
print(
    f"the two wrappers share the lock for a key: {a.lock_for(('x',), 'k') is b.lock_for(('x',), 'k')}"
)
other = VersionedStore(InMemoryStore())
print(
    f"a wrapper over another store shares it: {other.lock_for(('x',), 'k') is a.lock_for(('x',), 'k')}"
)
for i in range(10_000):
    a.write(("many",), f"key-{i}", {"n": i}, expected_version=0)
print(f"locks for this store after writing 10,000 more keys: {len(a._stripes)}")
print(
    f"keys 1 and '1' share a lock, as they share an item: {a.lock_for(('x',), 1) is a.lock_for(('x',), '1')}"
)
print(f"stores with a lock table: {len(VersionedStore._locks_of)}")
del other
print(f"... after the other store and its wrapper are gone: {len(VersionedStore._locks_of)}")
