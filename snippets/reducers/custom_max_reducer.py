# From docs/reducers.md. Edit the page, then run `make snippets`.
from operator import add
from typing import Annotated, TypedDict

from langgraph.graph import END, START, StateGraph


def max_reducer(existing: float, new: float) -> float:
    """Keep the higher score."""
    return max(existing, new)


class SafeParallelState(TypedDict):
    query: str
    results: Annotated[list[dict], add]
    best_score: Annotated[float, max_reducer]  # was: best_score: float


builder = StateGraph(SafeParallelState)
for name, score in (("web_search", 0.8), ("doc_search", 0.9)):
    write = {"results": [{"source": name, "score": score}], "best_score": score}
    builder.add_node(name, lambda state, write=write: write)
    builder.add_edge(START, name)
    builder.add_edge(name, END)
graph = builder.compile()

result = graph.invoke({"query": "state management", "results": [], "best_score": 0.0})
print(f"Results count: {len(result['results'])}")
print(f"best_score = max(0.8, 0.9) = {result['best_score']}")
