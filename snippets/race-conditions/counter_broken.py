# From docs/race-conditions.md. Edit the page, then run `make snippets`.
from typing import TypedDict

from langgraph.graph import END, START, StateGraph


class BrokenState(TypedDict):
    count: int  # No reducer


def node_a(state: BrokenState) -> dict:
    return {"count": state["count"] + 1}  # Reads 0, writes 1


def node_b(state: BrokenState) -> dict:
    return {"count": state["count"] + 1}  # Also reads 0, writes 1


builder = StateGraph(BrokenState)
builder.add_node("node_a", node_a)
builder.add_node("node_b", node_b)
builder.add_edge(START, "node_a")
builder.add_edge(START, "node_b")
builder.add_edge("node_a", END)
builder.add_edge("node_b", END)
graph = builder.compile()

print(graph.invoke({"count": 0}))
