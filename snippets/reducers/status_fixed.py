# From docs/reducers.md. Edit the page, then run `make snippets`.
from typing import Annotated, TypedDict

from langgraph.graph import END, START, StateGraph


class FixedStatus(TypedDict):
    node_statuses: Annotated[dict, lambda old, new: {**old, **new}]  # merge the dicts


builder = StateGraph(FixedStatus)
for name in ("web_search", "doc_search"):
    builder.add_node(name, lambda state, name=name: {"node_statuses": {name: "done"}})
    builder.add_edge(START, name)
    builder.add_edge(name, END)
graph = builder.compile()

result = graph.invoke({"node_statuses": {}})
print(dict(sorted(result["node_statuses"].items())))
