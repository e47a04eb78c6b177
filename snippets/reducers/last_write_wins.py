# From docs/reducers.md. Edit the page, then run `make snippets`.
from typing import Annotated, TypedDict

from langgraph.graph import END, START, StateGraph


def keep_newest(old: int, new: int) -> int:
    return new


class NewestCount(TypedDict):
    count: Annotated[int, keep_newest]


builder = StateGraph(NewestCount)
for name in ("node_a", "node_b"):
    builder.add_node(name, lambda state: {"count": state["count"] + 1})
    builder.add_edge(START, name)
    builder.add_edge(name, END)
graph = builder.compile()

counts = {graph.invoke({"count": 0})["count"] for _ in range(50)}
print(f"two increments, 50 runs, counts seen: {sorted(counts)}")
