# From docs/exercise.md. Edit the page, then run `make snippets`.
from typing import Annotated, TypedDict

from langgraph.graph import END, START, StateGraph


def newest(old, new):
    return new  # keeps one write, drops the other


class SilentBugState(TypedDict):
    query: str
    results: Annotated[list[dict], newest]
    total_score: Annotated[float, newest]
    search_count: Annotated[int, newest]


def web_search_node(state):
    return {
        "results": [{"source": "web", "title": "Web Result 1", "score": 0.8}],
        "total_score": 0.8,
        "search_count": 1,
    }


def doc_search_node(state):
    return {
        "results": [{"source": "docs", "title": "Doc Result 1", "score": 0.9}],
        "total_score": 0.9,
        "search_count": 1,
    }


builder = StateGraph(SilentBugState)
builder.add_node("web_search", web_search_node)
builder.add_node("doc_search", doc_search_node)
builder.add_edge(START, "web_search")
builder.add_edge(START, "doc_search")
builder.add_edge("web_search", END)
builder.add_edge("doc_search", END)
silent = builder.compile()

initial = {"query": "concurrency", "results": [], "total_score": 0.0, "search_count": 0}
result = silent.invoke(initial)
print("=== SILENT BUG ===")
print(f"  Results: {len(result['results'])} (expected 2)")
print(f"  Total score: {result['total_score']} (expected 1.7)")
print(f"  Search count: {result['search_count']} (expected 2)")
