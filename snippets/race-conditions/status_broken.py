# From docs/race-conditions.md. Edit the page, then run `make snippets`.
from typing import TypedDict

from langgraph.graph import END, START, StateGraph


class BrokenStatus(TypedDict):
    status: str  # Both nodes write it


def web_search(state: BrokenStatus) -> dict:
    return {"status": "web_done"}


def doc_search(state: BrokenStatus) -> dict:
    return {"status": "doc_done"}


builder = StateGraph(BrokenStatus)
builder.add_node("web_search", web_search)
builder.add_node("doc_search", doc_search)
builder.add_edge(START, "web_search")
builder.add_edge(START, "doc_search")
builder.add_edge("web_search", END)
builder.add_edge("doc_search", END)
graph = builder.compile()

print(graph.invoke({"status": "pending"}))
