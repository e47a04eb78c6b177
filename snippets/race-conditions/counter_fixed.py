# From docs/race-conditions.md. Edit the page, then run `make snippets`.
from typing import Annotated, TypedDict

from langgraph.graph import END, START, StateGraph


class FixedState(TypedDict):
    count: Annotated[int, lambda a, b: a + b]


def node_a(state: FixedState) -> dict:
    return {"count": 1}  # Adds 1 via reducer


def node_b(state: FixedState) -> dict:
    return {"count": 1}  # Adds 1 via reducer


builder = StateGraph(FixedState)
builder.add_node("node_a", node_a)
builder.add_node("node_b", node_b)
builder.add_edge(START, "node_a")
builder.add_edge(START, "node_b")
builder.add_edge("node_a", END)
builder.add_edge("node_b", END)
graph = builder.compile()

result = graph.invoke({"count": 0})
print(f"count = 0 + 1 + 1 = {result['count']}")
