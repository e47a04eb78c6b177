# From docs/store.md. Edit the page, then run `make snippets`.
from langgraph.store.memory import InMemoryStore

store = InMemoryStore()
store.put(("user-42", "research_agent"), "last_search", {"query": "checkpointing"})
print("('user-42', 'research_agent'): stored")
store.put(("alice@example.com", "research_agent"), "last_search", {"query": "checkpointing"})
