# From docs/optimistic-concurrency.md. Edit the page, then run `make snippets`.
from langgraph.store.memory import InMemoryStore


class ConflictError(Exception):
    pass


class VersionedStore:
    """Memory store wrapper with a version check (check and write are separate steps)."""

    def __init__(self, store):
        self.store = store

    def read(self, namespace, key):
        """Read value and its version."""
        item = self.store.get(namespace, key)
        if item is None:
            return None, 0
        return item.value, item.value.get("_version", 0)

    def write(self, namespace, key, value, expected_version):
        """Write only if current version matches expected."""
        current_value, current_version = self.read(namespace, key)
        if current_version != expected_version:
            raise ConflictError(
                f"Version conflict: expected {expected_version}, found {current_version}"
            )
        value_with_version = {**value, "_version": current_version + 1}
        self.store.put(namespace, key, value_with_version)
        return current_version + 1


store = InMemoryStore()
versioned = VersionedStore(store)

# Read current state
data, version = versioned.read(("alice", "profile"), "settings")
print(f"read: {data}, version {version}")

# Modify and write: fails if someone else changed it
new_version = versioned.write(("alice", "profile"), "settings", {"theme": "dark"}, version)
print(f"wrote version {new_version}")

# A stale writer still holds version 0 and is refused
try:
    versioned.write(("alice", "profile"), "settings", {"theme": "light"}, expected_version=0)
except ConflictError as error:
    print(f"stale write refused: {error}")
print(store.get(("alice", "profile"), "settings").value)
