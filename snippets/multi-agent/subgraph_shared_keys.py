# From docs/multi-agent.md. Edit the page, then run `make snippets`.
from operator import add
from typing import Annotated, TypedDict

from langgraph.graph import END, START, StateGraph


class Orchestrator(TypedDict):
    query: str
    messages: Annotated[list[str], add]


class Research(TypedDict):  # shares query and messages with the parent
    query: str
    messages: Annotated[list[str], add]
    findings: str


def expanding_researcher(state: Research) -> dict:
    return {
        "query": state["query"] + " (expanded)",
        "messages": ["research: three papers"],  # appends one item
        "findings": "three papers",
    }


research_builder = StateGraph(Research)
research_builder.add_node("research", expanding_researcher)
research_builder.add_edge(START, "research")
research_builder.add_edge("research", END)
research_graph = research_builder.compile()


def research_wrapper(state: Orchestrator) -> dict:
    """A wrapper node: builds the subgraph's input, returns only the new messages."""
    out = research_graph.invoke({"query": state["query"], "messages": state["messages"]})
    return {"messages": out["messages"][len(state["messages"]) :]}


request = {"query": "checkpointing", "messages": ["user: hi", "user: find papers"]}
for label, node in [
    ("the subgraph as a node", research_graph),
    ("a wrapper node", research_wrapper),
]:
    builder = StateGraph(Orchestrator)
    builder.add_node("research", node)
    builder.add_edge(START, "research")
    builder.add_edge("research", END)
    result = builder.compile().invoke(request)
    print(f"{label}:")
    print(f"  query: {result['query']!r}")
    print(f"  messages: {result['messages']}")
