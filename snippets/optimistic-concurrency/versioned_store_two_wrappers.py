# From docs/optimistic-concurrency.md. Edit the page, then run `make snippets`.
import threading
import weakref
from collections import defaultdict

from langgraph.store.memory import InMemoryStore


class ConflictError(Exception):
    pass


class PerWrapperLocks:
    """The earlier version: each wrapper owns its locks."""

    def __init__(self, store):
        self.store = store
        self._guard = threading.Lock()
        self._locks = defaultdict(threading.Lock)

    def lock_for(self, namespace, key):
        with self._guard:
            return self._locks[(namespace, key)]

    def read(self, namespace, key):
        item = self.store.get(namespace, key)
        return (None, 0) if item is None else (item.value, item.value.get("_version", 0))

    def write(self, namespace, key, value, expected_version):
        with self.lock_for(namespace, key):
            _, current_version = self.read(namespace, key)
            if current_version != expected_version:
                raise ConflictError(f"expected {expected_version}, found {current_version}")
            self.store.put(namespace, key, {**value, "_version": current_version + 1})
            return current_version + 1


class PerStoreLocks(PerWrapperLocks):
    """The version above: the store object owns the locks (64 stripes)."""

    _locks_of = weakref.WeakKeyDictionary()
    _locks_of_guard = threading.Lock()

    def __init__(self, store):
        self.store = store
        with self._locks_of_guard:
            self._stripes = self._locks_of.setdefault(
                store, tuple(threading.Lock() for _ in range(64))
            )

    def lock_for(self, namespace, key):
        return self._stripes[hash((tuple(namespace), key)) % 64]


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


KEY = (("alice", "profile"), "counter")


def increment(wrapper, seen, name, log):
    """Write count + 1 over what this writer read; on a conflict re-read and retry."""
    data, version = seen
    while True:
        try:
            new = wrapper.write(*KEY, {"count": (data or {}).get("count", 0) + 1}, version)
            log.append(f"{name} wrote version {new}")
            return
        except ConflictError:
            log.append(f"{name}: conflict, re-read")
            data, version = wrapper.read(*KEY)


for cls in (PerWrapperLocks, PerStoreLocks):
    store = FirstPutWaits()
    one, two = cls(store), cls(store)  # two wrappers over one store
    seen_one, seen_two = one.read(*KEY), two.read(*KEY)  # both writers read version 0
    log = []
    writer_one = threading.Thread(target=increment, args=(one, seen_one, "writer 1", log))
    writer_one.start()
    store.inside_put.wait(timeout=10)  # writer 1 is inside write(), holding its lock
    free = not two.lock_for(*KEY).locked()
    writer_two = threading.Thread(target=increment, args=(two, seen_two, "writer 2", log))
    writer_two.start()
    if free:  # nothing stops writer 2: let it finish before writer 1 puts
        writer_two.join()
    store.release.set()
    writer_one.join()
    writer_two.join()
    count = InMemoryStore.get(store, *KEY).value["count"]
    print(f"{cls.__name__}: writer 2's lock is free while writer 1 writes: {free}")
    print("  " + "; ".join(log))
    print(f"  increments: 2, count: {count}, lost: {2 - count}")
