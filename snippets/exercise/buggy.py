# From docs/exercise.md. Edit the page, then run `make snippets`.
from typing import TypedDict

from langgraph.graph import END, START, StateGraph


class BuggySearchState(TypedDict):
    query: str
    results: list[dict]  # No reducer
    total_score: float  # No reducer
    search_count: int  # No reducer


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


builder = StateGraph(BuggySearchState)
builder.add_node("web_search", web_search_node)
builder.add_node("doc_search", doc_search_node)
builder.add_node("merge", merge_node)
builder.add_edge(START, "web_search")
builder.add_edge(START, "doc_search")
builder.add_edge("web_search", "merge")
builder.add_edge("doc_search", "merge")
builder.add_edge("merge", END)
buggy = builder.compile()

initial = {"query": "concurrency", "results": [], "total_score": 0.0, "search_count": 0}
print("=== BUGGY ===")
buggy_result = buggy.invoke(initial)
