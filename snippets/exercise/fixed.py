# From docs/exercise.md. Edit the page, then run `make snippets`.
from operator import add
from typing import Annotated, TypedDict

from langgraph.graph import END, START, StateGraph


class FixedSearchState(TypedDict):
    query: str
    results: Annotated[list[dict], add]
    total_score: Annotated[float, lambda a, b: a + b]
    search_count: Annotated[int, lambda a, b: a + b]


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


def merge_node(state):
    """Final node that reports results."""
    return {}


builder = StateGraph(FixedSearchState)
builder.add_node("web_search", web_search_node)
builder.add_node("doc_search", doc_search_node)
builder.add_node("merge", merge_node)
builder.add_edge(START, "web_search")
builder.add_edge(START, "doc_search")
builder.add_edge("web_search", "merge")
builder.add_edge("doc_search", "merge")
builder.add_edge("merge", END)
fixed = builder.compile()

initial = {"query": "concurrency", "results": [], "total_score": 0.0, "search_count": 0}
fixed_result = fixed.invoke(initial)
print("=== FIXED ===")
print(f"  Results: {len(fixed_result['results'])} (expected 2)")
print(f"  Total score: {round(fixed_result['total_score'], 2)} (expected 1.7)")
print(f"  Search count: {fixed_result['search_count']} (expected 2)")
