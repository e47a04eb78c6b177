# From docs/sync-and-async.md. Edit the page, then run `make snippets`.
import operator
import threading
from typing import Annotated, TypedDict

from langgraph.graph import END, START, StateGraph


class State(TypedDict):
    ran: Annotated[list[str], operator.add]


def fast(name: str, done: threading.Event | None = None):
    def run(state: State, config) -> dict:
        if done is not None:
            done.set()  # the fast branch has finished
        where = "inside fast_branch, " if "|" in config["metadata"]["langgraph_checkpoint_ns"] else ""
        return {"ran": [f"{where}step {config['metadata']['langgraph_step']}: {name}"]}

    return run


def slow(done: threading.Event):
    def run(state: State, config) -> dict:
        finished = done.wait(timeout=0.5)  # bounded: False proves the branch had not
        step = config["metadata"]["langgraph_step"]
        return {"ran": [f"step {step}: slow (fast branch finished meanwhile: {finished})"]}

    return run


def add_chain(builder: StateGraph, done: threading.Event) -> None:
    builder.add_node("fetch", fast("fetch"))
    builder.add_node("parse", fast("parse"))
    builder.add_node("store", fast("store", done))
    builder.add_edge("fetch", "parse")
    builder.add_edge("parse", "store")


def build(subgraph: bool):
    done = threading.Event()  # set when the fast branch's last node runs
    builder = StateGraph(State)
    builder.add_node("slow", slow(done))
    builder.add_edge(START, "slow")
    builder.add_edge("slow", END)
    if subgraph:
        inner = StateGraph(State)
        add_chain(inner, done)
        inner.add_edge(START, "fetch")
        branch = inner.compile()
        builder.add_node("fast_branch", lambda state: branch.invoke({"ran": []}))  # one task
        builder.add_edge(START, "fast_branch")
    else:
        add_chain(builder, done)
        builder.add_edge(START, "fetch")
    return builder.compile()


for label, subgraph in (("one graph", False), ("a subgraph per branch", True)):
    print(f"{label}:", *build(subgraph).invoke({"ran": []})["ran"], sep="\n  ")
