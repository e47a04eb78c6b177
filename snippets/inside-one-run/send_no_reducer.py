# From docs/inside-one-run.md. Edit the page, then run `make snippets`.
from typing import TypedDict

from langgraph.graph import END, START, StateGraph
from langgraph.types import Send


class State(TypedDict):
    answer: str  # no reducer


builder = StateGraph(State)
builder.add_node("worker", lambda state: {"answer": f"answer from {state['part']}"})
builder.add_conditional_edges(START, lambda state: [Send("worker", {"part": p}) for p in "ab"])
builder.add_edge("worker", END)
graph = builder.compile()
print(graph.invoke({"answer": ""}))
