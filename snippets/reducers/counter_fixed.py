# From docs/reducers.md. Edit the page, then run `make snippets`.
from typing import Annotated, TypedDict

from langgraph.graph import END, START, StateGraph


class CounterState(TypedDict):
    count: Annotated[int, lambda a, b: a + b]  # a sum reducer


builder = StateGraph(CounterState)
for name in ("node_a", "node_b"):
    builder.add_node(name, lambda state: {"count": 1})  # the increment, not the new total
    builder.add_edge(START, name)
    builder.add_edge(name, END)
graph = builder.compile()

result = graph.invoke({"count": 0})
print(f"count = 0 + 1 + 1 = {result['count']}")
