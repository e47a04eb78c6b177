# From docs/optimistic-concurrency.md. Edit the page, then run `make snippets`.
from langgraph.store.memory import InMemoryStore

store = InMemoryStore()


def update_user_preference(store, user_id, key, new_value):
    """Read the current value, merge the new one in, write it back."""
    namespace = (user_id, "preferences")
    current = store.get(namespace, key)
    merged_value = {**current.value, **new_value} if current else new_value
    store.put(namespace, key, merged_value)


# Two nodes updating the same user's preferences, one after the other
update_user_preference(store, "alice", "settings", {"theme": "dark"})
update_user_preference(store, "alice", "settings", {"language": "python"})

print(store.get(("alice", "preferences"), "settings").value)
