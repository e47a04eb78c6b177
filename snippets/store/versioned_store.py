# From docs/store.md. Edit the page, then run `make snippets`.
import copy
import threading
import weakref


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

    def item_key(self, key) -> str:
        """The key as the sync stores name it; the async stores must be given it so."""
        return str(key)

    def lock_for(self, namespace, key) -> threading.Lock:
        """The stripe for the item: 1 and "1" are one item."""
        return self._stripes[hash((tuple(namespace), self.item_key(key))) % self.STRIPES]

    def read(self, namespace, key):
        """The value (a copy: change() may edit it) and its version."""
        item = self.store.get(namespace, self.item_key(key))
        if item is None:
            return None, 0
        return copy.deepcopy(item.value), item.value.get("_version", 0)

    def write(self, namespace, key, value, expected_version):
        """Write only if the version is still expected_version; check and write are atomic."""
        with self.lock_for(namespace, key):
            _, current_version = self.read(namespace, key)
            if current_version != expected_version:
                raise ConflictError(f"expected {expected_version}, found {current_version}")
            new_value = {**value, "_version": current_version + 1}
            self.store.put(namespace, self.item_key(key), new_value)
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


def increment(data: dict) -> dict:
    """A change(): returns a new value from the copy it is given."""
    return {"count": data.get("count", 0) + 1}
