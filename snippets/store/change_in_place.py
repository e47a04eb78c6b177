# From docs/store.md. Edit the page, then run `make snippets`.
import copy

from langgraph.store.memory import InMemoryStore

KEY = (("alice", "profile"), "counter")


def two_increments(copy_before_change: bool) -> int:
    store = InMemoryStore()
    store.put(*KEY, {"count": 0, "_version": 0})

    def read_counter() -> dict:
        value = store.get(*KEY).value  # InMemoryStore hands back the stored dict itself
        return copy.deepcopy(value) if copy_before_change else value

    def check_and_put(value: dict) -> bool:
        expected = value["_version"]
        if store.get(*KEY).value["_version"] != expected:
            return False
        store.put(*KEY, {**value, "_version": expected + 1})
        return True

    a = read_counter()
    a["count"] += 1  # writer A's change() edits the value in place...
    b = read_counter()  # ...and writer B reads before A writes
    b["count"] += 1
    check_and_put(b)
    while not check_and_put(a):  # A's version is stale: re-read and retry
        a = read_counter()
        a["count"] += 1
    return store.get(*KEY).value["count"]


print(f"2 increments, change in place: count {two_increments(copy_before_change=False)}")
print(f"2 increments, copy before change: count {two_increments(copy_before_change=True)}")
