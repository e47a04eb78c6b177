# From docs/race-conditions.md. Edit the page, then run `make snippets`.
from typing import Annotated, TypedDict

from langgraph.graph import END, START, StateGraph


def keep_newest(old: int, new: int) -> int:
    return new


class CounterState(TypedDict):
    count: Annotated[int, keep_newest]


def node_a(state: CounterState) -> dict:
    return {"count": state["count"] + 1}


def node_b(state: CounterState) -> dict:
    return {"count": state["count"] + 1}


builder = StateGraph(CounterState)
builder.add_node("node_a", node_a)
builder.add_node("node_b", node_b)
builder.add_edge(START, "node_a")
builder.add_edge(START, "node_b")
builder.add_edge("node_a", END)
builder.add_edge("node_b", END)
graph = builder.compile()

counts = {graph.invoke({"count": 0})["count"] for _ in range(50)}
print(f"two increments, 50 runs, counts seen: {sorted(counts)}")
