# From docs/reducers.md. Edit the page, then run `make snippets`.
from operator import add
from typing import Annotated, TypedDict

from langgraph.graph import END, START, StateGraph


def max_reducer(existing: float, new: float) -> float:
    """Always keep the higher score."""
    return max(existing, new)


class SafeParallelState(TypedDict):
    query: str
    results: Annotated[list[dict], add]
    best_score: Annotated[float, max_reducer]  # Now safe under concurrency


def web_search(state: SafeParallelState) -> dict:
    return {"results": [{"source": "web", "score": 0.8}], "best_score": 0.8}


def doc_search(state: SafeParallelState) -> dict:
    return {"results": [{"source": "docs", "score": 0.9}], "best_score": 0.9}


builder = StateGraph(SafeParallelState)
builder.add_node("web_search", web_search)
builder.add_node("doc_search", doc_search)
builder.add_edge(START, "web_search")
builder.add_edge(START, "doc_search")
builder.add_edge("web_search", END)
builder.add_edge("doc_search", END)
graph = builder.compile()

result = graph.invoke({"query": "state management", "results": [], "best_score": 0.0})
print(f"Results count: {len(result['results'])}")
print(f"best_score = max(0.8, 0.9) = {result['best_score']}")
