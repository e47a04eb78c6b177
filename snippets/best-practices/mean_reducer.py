# From docs/best-practices.md. Edit the page, then run `make snippets`.
from operator import add
from typing import Annotated, TypedDict

from langgraph.graph import END, START, StateGraph


class ScoreState(TypedDict):
    averaged: Annotated[float, lambda old, new: (old + new) / 2]  # wrong
    score_sum: Annotated[float, add]  # right: sum and count compose
    score_count: Annotated[int, add]


def scorer(score: float):
    def node(state: ScoreState) -> dict:
        return {"averaged": score, "score_sum": score, "score_count": 1}

    return node


builder = StateGraph(ScoreState)
for name, score in [("web", 0.3), ("docs", 0.6), ("api", 0.9)]:
    builder.add_node(name, scorer(score))
    builder.add_edge(START, name)
    builder.add_edge(name, END)
graph = builder.compile()

result = graph.invoke({"averaged": 0.0, "score_sum": 0.0, "score_count": 0})
print("true mean of 0.3, 0.6, 0.9: 0.6")
print(f"averaging reducer:          {result['averaged']:.4f}")
print(f"sum / count:                {result['score_sum'] / result['score_count']:.4f}")
