# From docs/store.md. Edit the page, then run `make snippets`.
import threading
from collections import defaultdict

from langgraph.store.memory import InMemoryStore
from versioned_store import ConflictError, VersionedStore


class PerWrapperLocks(VersionedStore):
    """Broken: each wrapper owns its locks."""

    def __init__(self, store):
        self.store, self._locks = store, defaultdict(threading.Lock)

    def lock_for(self, namespace, key):
        return self._locks[(tuple(namespace), key)]


class RawKeyStripes(VersionedStore):
    """Broken: the store's stripes, picked by the key as the caller spelled it."""

    def lock_for(self, namespace, key):
        return self._stripes[hash((tuple(namespace), key)) % self.STRIPES]


class FirstPutWaits(InMemoryStore):
    """InMemoryStore whose first put waits (holding the writer's lock) until released."""

    def __init__(self):
        super().__init__()
        self.inside_put, self.release = threading.Event(), threading.Event()
        self.first = True

    def put(self, *args, **kwargs):
        if self.first:
            self.first = False
            self.inside_put.set()
            self.release.wait(timeout=10)
        return super().put(*args, **kwargs)


NAMESPACE = ("alice", "profile")
# an int key whose raw hash picks another stripe than its str spelling does
K = next(k for k in range(1, 1000) if hash((NAMESPACE, k)) % 64 != hash((NAMESPACE, str(k))) % 64)


def increment_over(wrapper, key, seen, name, log):
    """Write count + 1 over what this writer read; on a conflict re-read and retry."""
    data, version = seen
    while True:
        try:
            new = wrapper.write(
                NAMESPACE, key, {"count": (data or {}).get("count", 0) + 1}, version
            )
            log.append(f"{name} wrote version {new}")
            return
        except ConflictError:
            log.append(f"{name}: conflict, re-read")
            data, version = wrapper.read(NAMESPACE, key)


for cls, key_one, key_two in (
    (PerWrapperLocks, "counter", "counter"),  # two wrappers, one spelling
    (RawKeyStripes, K, str(K)),  # one item, spelled 1 and "1"
    (VersionedStore, K, str(K)),  # the fix: the store's stripes, by str(key)
):
    store = FirstPutWaits()
    one, two = cls(store), cls(store)  # two wrappers over one store
    seen_one, seen_two = one.read(NAMESPACE, key_one), two.read(NAMESPACE, key_two)
    log = []
    writer_one = threading.Thread(
        target=increment_over, args=(one, key_one, seen_one, "writer 1", log)
    )
    writer_one.start()
    store.inside_put.wait(timeout=10)  # writer 1 is inside write(), holding its lock
    free = not two.lock_for(NAMESPACE, key_two).locked()
    writer_two = threading.Thread(
        target=increment_over, args=(two, key_two, seen_two, "writer 2", log)
    )
    writer_two.start()
    if free:  # nothing stops writer 2: let it finish before writer 1 puts
        writer_two.join()
    store.release.set()
    writer_one.join()
    writer_two.join()
    count = InMemoryStore.get(store, NAMESPACE, key_one).value["count"]  # get names it str(key)
    spelled = "the same key" if key_one == key_two else "the key as int and as str"
    print(f"{cls.__name__}, {spelled}: writer 2's lock is free while writer 1 writes: {free}")
    print("  " + "; ".join(log))
    print(f"  increments: 2, count: {count}, lost: {2 - count}")
