# From docs/store.md. Edit the page, then run `make snippets`.
from dataclasses import dataclass
from typing import TypedDict

from langgraph.graph import END, START, StateGraph
from langgraph.runtime import Runtime
from langgraph.store.memory import InMemoryStore
from search_all import search_all


@dataclass(frozen=True)
class Context:
    user_id: str  # filled by the application from its authentication


class AgentState(TypedDict):
    query: str  # from the request: never used to pick a namespace
    status: str


def research_agent_node(state: AgentState, runtime: Runtime[Context]) -> dict:
    """Research agent: writes to its own namespace."""
    namespace = ("users", runtime.context.user_id, "research_agent")
    runtime.store.put(namespace, "last_search", {"query": state["query"], "results": ["paper.pdf"]})
    return {"status": "research_complete"}


def analysis_agent_node(state: AgentState, runtime: Runtime[Context]) -> dict:
    """Analysis agent: reads from research, writes to its own namespace."""
    user = ("users", runtime.context.user_id)
    research_data = search_all(runtime.store, (*user, "research_agent"))  # a cross-agent read
    runtime.store.put(
        (*user, "analysis_agent"),
        "conclusion",
        {"data": f"analysed {len(research_data)} research item(s)"},
    )
    return {"status": "analysis_complete"}


builder = StateGraph(AgentState, context_schema=Context)
builder.add_node("research", research_agent_node)
builder.add_node("analysis", analysis_agent_node)
builder.add_edge(START, "research")
builder.add_edge("research", "analysis")
builder.add_edge("analysis", END)
store = InMemoryStore()
graph = builder.compile(store=store)

# The application knows who is logged in; the request body does not choose the user.
for user_id, query in [("alice", "checkpointing"), ("bob", "reducers")]:
    result = graph.invoke({"query": query, "status": ""}, context=Context(user_id=user_id))
    print(f"{user_id}: {result['status']}")
for item in search_all(store, ("users",)):
    print(f"{'/'.join(item.namespace)}/{item.key}: {item.value}")
