# From docs/sync-and-async.md. Edit the page, then run `make snippets`.
"""A one-node graph that counts, and a config for one thread."""

from typing import TypedDict

from langgraph.graph import START, StateGraph


class State(TypedDict):
    n: int


builder = StateGraph(State)
builder.add_node("step", lambda state: {"n": state["n"] + 1})
builder.add_edge(START, "step")


def config(thread_id: str) -> dict:
    return {"configurable": {"thread_id": thread_id}}
