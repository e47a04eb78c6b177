# From docs/multi-agent.md. Edit the page, then run `make snippets`.
from typing import TypedDict

from langgraph.graph import END, START, StateGraph
from langgraph.store.base import BaseStore
from langgraph.store.memory import InMemoryStore


class AgentState(TypedDict):
    user_id: str
    query: str
    status: str


def research_agent_node(state: AgentState, store: BaseStore) -> dict:
    """Research agent: writes to its own namespace."""
    namespace = (state["user_id"], "research_agent")
    store.put(namespace, "last_search", {"query": state["query"], "results": ["paper.pdf"]})
    return {"status": "research_complete"}


def analysis_agent_node(state: AgentState, store: BaseStore) -> dict:
    """Analysis agent: reads from research, writes to its own namespace."""
    user_id = state["user_id"]
    research_data = store.search((user_id, "research_agent"))  # explicit cross-agent read
    store.put(
        (user_id, "analysis_agent"),
        "conclusion",
        {"data": f"analysed {len(research_data)} research item(s)"},
    )
    return {"status": "analysis_complete"}


store = InMemoryStore()
builder = StateGraph(AgentState)
builder.add_node("research", research_agent_node)
builder.add_node("analysis", analysis_agent_node)
builder.add_edge(START, "research")
builder.add_edge("research", "analysis")
builder.add_edge("analysis", END)
graph = builder.compile(store=store)

print(graph.invoke({"user_id": "alice", "query": "checkpointing", "status": ""})["status"])
for item in store.search(("alice",)):
    print(f"{'/'.join(item.namespace)}/{item.key}: {item.value}")
