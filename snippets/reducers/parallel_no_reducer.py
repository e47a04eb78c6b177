# From docs/reducers.md. Edit the page, then run `make snippets`.
from operator import add
from typing import Annotated, TypedDict

from langgraph.graph import END, START, StateGraph


class ParallelState(TypedDict):
    query: str
    results: Annotated[list[dict], add]  # Reducer: accumulates
    best_score: float  # No reducer: one write per super-step


def web_search(state: ParallelState) -> dict:
    """Search the web."""
    return {
        "results": [{"source": "web", "content": "Web result", "score": 0.8}],
        "best_score": 0.8,
    }


def doc_search(state: ParallelState) -> dict:
    """Search internal documents."""
    return {
        "results": [{"source": "docs", "content": "Doc result", "score": 0.9}],
        "best_score": 0.9,
    }


builder = StateGraph(ParallelState)
builder.add_node("web_search", web_search)
builder.add_node("doc_search", doc_search)

# Both run in parallel
builder.add_edge(START, "web_search")
builder.add_edge(START, "doc_search")
builder.add_edge("web_search", END)
builder.add_edge("doc_search", END)

graph = builder.compile()

result = graph.invoke({"query": "state management", "results": [], "best_score": 0.0})
print(f"Results count: {len(result['results'])}")
print(f"Best score: {result['best_score']}")
