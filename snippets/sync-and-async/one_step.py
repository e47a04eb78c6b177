# From docs/sync-and-async.md. Edit the page, then run `make snippets`.
"""A one-node graph that counts, and a config for one thread."""

from typing import TypedDict

from langgraph.graph import START, StateGraph


class Count(TypedDict):
    n: int


builder = StateGraph(Count)
builder.add_node("step", lambda state: {"n": state["n"] + 1})
builder.add_edge(START, "step")


def on_thread(thread_id: str) -> dict:
    return {"configurable": {"thread_id": thread_id}}
