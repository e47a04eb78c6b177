# From docs/store.md. Edit the page, then run `make snippets`.
import threading

from langgraph.store.memory import InMemoryStore
from versioned_store import VersionedStore, increment

store = InMemoryStore()
wrappers = [VersionedStore(store), VersionedStore(store)]  # e.g. one per module
AGENTS, INCREMENTS = 8, 200
start = threading.Barrier(AGENTS)


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
