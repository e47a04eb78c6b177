# From docs/race-conditions.md. Edit the page, then run `make snippets`.
from typing import Annotated, TypedDict

from langgraph.graph import END, START, StateGraph


class FixedStatus(TypedDict):
    node_statuses: Annotated[dict, lambda old, new: {**old, **new}]


def web_search(state: FixedStatus) -> dict:
    return {"node_statuses": {"web_search": "done"}}


def doc_search(state: FixedStatus) -> dict:
    return {"node_statuses": {"doc_search": "done"}}


builder = StateGraph(FixedStatus)
builder.add_node("web_search", web_search)
builder.add_node("doc_search", doc_search)
builder.add_edge(START, "web_search")
builder.add_edge(START, "doc_search")
builder.add_edge("web_search", END)
builder.add_edge("doc_search", END)
graph = builder.compile()

result = graph.invoke({"node_statuses": {}})
print(dict(sorted(result["node_statuses"].items())))
